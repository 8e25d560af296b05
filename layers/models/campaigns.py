"""The yearly barrier-free monitoring campaign: who answers for an object (its owner or
balance holder), the campaign of a year, and the checklist an owner fills for an object in
it until the hromada's reviewer accepts it as the year's official assessment.

The procedure (Cabinet of Ministers Resolution No. 537 of 2021, restated by No. 311 of 2025)
has the owners fill the checklist from 1 June to 31 August and the hromada collect, check
and publish the results. Every write goes through ``layers.services.campaigns``; every state
of a stewardship and of a submission is kept in their history tables (database triggers).
"""

import datetime

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from layers.models.accessibility import (
    FIRST_YEAR,
    LAST_YEAR,
    AccessibleObject,
    Assessment,
    ChecklistTemplate,
    month_day,
)

# The procedure's window: the checklist is filled from 1 June to 31 August.
DEFAULT_START = (6, 1)
DEFAULT_END = (8, 31)
DEFAULT_REMINDER_DAYS = 14
# The longest note, request or comment of the campaign (forms and services alike).
NOTE_MAX_LENGTH = 2000


class StewardshipState(models.TextChoices):
    REQUESTED = "requested", _("requested, waiting for the hromada")
    ACTIVE = "active", _("active")
    REFUSED = "refused", _("refused")
    ENDED = "ended", _("ended")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    model_name="StewardshipHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
class Stewardship(models.Model):
    """A person who answers for an accessible object as (or for) its owner or balance
    holder: they see the object, fill its yearly checklist and propose changes to its
    description. Granted by the hromada's staff, or requested by the person and approved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="stewardships",
    )
    accessible_object = models.ForeignKey(
        AccessibleObject,
        verbose_name=_("accessible object"),
        on_delete=models.CASCADE,
        related_name="stewardships",
    )
    organisation = models.CharField(
        _("owner or balance holder"),
        max_length=300,
        help_text=_("The organisation or person the user answers for."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=StewardshipState.choices, db_index=True
    )
    request_note = models.TextField(
        _("reason given"), blank=True, help_text=_("Why the person answers for the object.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["accessible_object", "user"]
        verbose_name = _("object owner")
        verbose_name_plural = _("object owners")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "accessible_object"],
                condition=Q(state__in=["requested", "active"]),
                name="layers_stewardship_one_open",
                violation_error_message=_("This person already answers for this object."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.accessible_object}"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    model_name="CampaignHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
class Campaign(models.Model):
    """The monitoring of one year: its checklist template and the window in which owners
    fill it (by default the procedure's 1 June – 31 August)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("checklist template"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("deadline"))
    reminder_days = models.PositiveSmallIntegerField(
        _("first reminder, days before the deadline"),
        default=DEFAULT_REMINDER_DAYS,
        help_text=_("Owners who have not submitted are reminded then, and after the deadline."),
    )
    # When the reminders went out, so that each is sent once (layers.campaigns.reminders).
    reminded_before_at = models.DateTimeField(
        _("reminded before the deadline"), null=True, blank=True, editable=False
    )
    reminded_after_at = models.DateTimeField(
        _("reminded after the deadline"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("monitoring campaign")
        verbose_name_plural = _("monitoring campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="layers_campaign_dates_order",
                violation_error_message=_("A campaign cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="layers_campaign_year_range",
                violation_error_message=_("Campaigns start in 2021."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Barrier-free monitoring %(year)s") % {"year": self.year})

    @classmethod
    def default_dates(
        cls, year: int, template: ChecklistTemplate | None = None
    ) -> tuple[datetime.date, datetime.date]:
        """The window of ``year``: the template's rule, else the procedure's."""
        if template is not None:
            return (
                month_day(template.campaign_start, year),
                month_day(template.campaign_end, year),
            )
        return datetime.date(year, *DEFAULT_START), datetime.date(year, *DEFAULT_END)

    def clean(self):
        super().clean()
        if self.starts_on and self.year and self.starts_on.year != self.year:
            raise ValidationError({"starts_on": _("The campaign starts in its own year.")})


class SubmissionState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("submitted, waiting for review")
    RETURNED = "returned", _("returned for correction")
    ACCEPTED = "accepted", _("accepted")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    model_name="ChecklistSubmissionHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
class ChecklistSubmission(models.Model):
    """An owner's checklist of one object in one campaign, filled section by section.

    ``answers``: criterion id → yes / no / not applicable; ``evidence``: criterion id →
    ``{"note": text, "photo": photo id}``. Accepted, it becomes the object's assessment of
    the year (``assessment``), from which the object's status and rating are derived.
    """

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    accessible_object = models.ForeignKey(
        AccessibleObject,
        verbose_name=_("accessible object"),
        on_delete=models.CASCADE,
        related_name="checklist_submissions",
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=SubmissionState.choices,
        default=SubmissionState.IN_PROGRESS,
        db_index=True,
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    filled_by = models.CharField(
        _("responsible person"),
        max_length=300,
        blank=True,
        help_text=_("Name and position of the person who fills the checklist."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    assessment = models.OneToOneField(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submission",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["campaign", "accessible_object"]
        verbose_name = _("checklist submission")
        verbose_name_plural = _("checklist submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "accessible_object"],
                name="layers_checklistsubmission_one_per_campaign",
                violation_error_message=_("This object already has a checklist in this campaign."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.accessible_object} — {self.campaign.year}"

    @property
    def editable(self) -> bool:
        return self.state in (SubmissionState.IN_PROGRESS, SubmissionState.RETURNED)
