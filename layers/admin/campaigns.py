"""The campaign in the admin: read-only lists, for finding and auditing. Campaigns are
opened, owners granted and checklists decided on the campaign's own pages
(``/barrier-free/``), through the services, so that every step is checked and recorded."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from layers.admin.base import ReadOnlyAdmin
from layers.models.campaigns import Campaign, ChecklistSubmission, Stewardship


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("year", "starts_on", "ends_on", "template", "dashboard")

    @admin.display(description=_("dashboard"))
    def dashboard(self, campaign):
        url = reverse("layers:campaigns:dashboard", args=[campaign.year])
        return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(Stewardship)
class StewardshipAdmin(ReadOnlyAdmin):
    list_display = ("accessible_object", "user", "organisation", "state", "decided_at")
    list_filter = ("state",)
    search_fields = ("accessible_object__name", "user__username", "user__email", "organisation")


@admin.register(ChecklistSubmission)
class ChecklistSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("accessible_object", "campaign", "state", "submitted_at", "review")
    list_filter = ("campaign", "state")
    search_fields = ("accessible_object__name",)
    exclude = ("answers", "evidence")

    @admin.display(description=_("review"))
    def review(self, submission):
        url = reverse("layers:campaigns:review", args=[submission.campaign.year, submission.pk])
        return format_html('<a href="{}">{}</a>', url, _("open"))
