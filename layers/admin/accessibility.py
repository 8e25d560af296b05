"""Admin of the accessibility registry: objects on a Leaflet map, their yearly assessments,
and the checklist templates that administrators maintain as data.

Derived values are shown read-only: the services derive them on every write. The
assessments (with their answers) are parts of their object: the inline and the assessment's
own page both change the object's assessment list through the editing services.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import URLField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layers.admin.base import (
    WORKFLOW_FIELDS,
    RegistryAdmin,
    RegistryRoleAdminMixin,
    ServicesSaveMixin,
)
from layers.admin.parts import PartInlineMixin, RoleInlineMixin, _kept_forms
from layers.admin.photos import PhotoInline
from layers.editing import services
from layers.editing.errors import WorkflowError
from layers.editing.part_kinds import ASSESSMENTS
from layers.models.accessibility import (
    AccessibleObject,
    Assessment,
    AssessmentAnswer,
    ChecklistCriterion,
    ChecklistSection,
    ChecklistTemplate,
)
from layers.registry import registry_for_model
from layers.services.accessibility import RATING_FIELDS


class AssessmentInline(PartInlineMixin, admin.TabularInline):
    part_name = "assessments"
    model = Assessment
    fields = ("year", "template", "assessed_on", "assessed_by", "status")
    readonly_fields = ("status",)
    extra = 0
    show_change_link = True  # the answers are edited on the assessment's own page
    ordering = ("-year",)


@admin.register(AccessibleObject)
class AccessibleObjectAdmin(RegistryAdmin):
    list_display = (
        "__str__",
        "category",
        "address",
        "traffic_light",
        "wheelchair",
        "status",
        "updated_at",
    )
    list_filter = (
        "status",
        "category",
        "traffic_light",
        "wheelchair",
        "low_vision",
        "hearing",
        "stroller",
        "toilet_accessible",
        "lift_present",
        "award_year",
        "microgrant_year",
    )
    search_fields = ("name", "address", "owner", "public_id")
    readonly_fields = (*WORKFLOW_FIELDS, *RATING_FIELDS)
    formfield_overrides = {
        **RegistryAdmin.formfield_overrides,
        URLField: {"assume_scheme": "https"},  # what Django 6 assumes; websites are https
    }
    inlines = (AssessmentInline, PhotoInline)
    fieldsets = (
        (None, {"fields": ("name", "category", "address", "geom", "footprint")}),
        (_("Owner and contact"), {"fields": ("owner", "phone", "email", "website", "floors")}),
        (
            _("Entrance"),
            {
                "fields": (
                    "entrance_step_free",
                    ("entrance_steps_count", "entrance_step_height_cm"),
                    ("ramp_present", "ramp_slope_percent"),
                    ("door_width_cm", "threshold_height_cm"),
                    ("door_automatic", "call_button"),
                )
            },
        ),
        (
            _("Lift"),
            {
                "fields": (
                    "lift_present",
                    ("lift_cabin_width_cm", "lift_cabin_depth_cm"),
                    "lift_working",
                )
            },
        ),
        (
            _("Services and orientation"),
            {
                "fields": (
                    "toilet_accessible",
                    "parking_disabled_spaces",
                    "tactile_guidance",
                    "braille_signs",
                    "hearing_loop",
                    "staff_trained",
                )
            },
        ),
        (_("City programmes"), {"fields": ("microgrant_year", "award_year")}),
        (_("Public rating (derived)"), {"fields": RATING_FIELDS}),
        (_("Record"), {"fields": ("verified_on", "source", "notes", *WORKFLOW_FIELDS)}),
    )


class AssessmentAnswerInline(RoleInlineMixin, admin.TabularInline):
    model = AssessmentAnswer
    fields = ("criterion", "criticality", "answer")
    readonly_fields = ("criticality",)
    autocomplete_fields = ("criterion",)
    extra = 0

    @admin.display(description=_("criticality"))
    def criticality(self, answer):
        return answer.criterion.get_criticality_display() if answer.criterion_id else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion__section")


class AssessmentForm(forms.ModelForm):
    object_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Assessment
        fields = ["accessible_object", "year", "template", "assessed_on", "assessed_by"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("accessible_object") and cleaned.get("object_version") is None:
            cleaned["object_version"] = None
            raise ValidationError(
                _("The version your change is based on is missing. Reload the page."),
                code="version_required",
            )
        return cleaned


@admin.register(Assessment)
class AssessmentAdmin(RegistryRoleAdminMixin, ServicesSaveMixin, admin.ModelAdmin):
    """One assessment with its answers. A save changes the object's assessment list through
    the editing services: on a published object it waits for review."""

    form = AssessmentForm
    list_display = ("accessible_object", "year", "status", "assessed_on", "template")
    list_filter = ("year", "status", "template", "accessible_object__category")
    search_fields = ("accessible_object__name", "accessible_object__address", "assessed_by")
    list_select_related = ("accessible_object", "template")
    autocomplete_fields = ("accessible_object",)
    readonly_fields = ("status", "created_by", "created_at", "updated_at")
    inlines = (AssessmentAnswerInline,)

    def admin_registry(self):
        return registry_for_model(AccessibleObject)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            form_class.base_fields["object_version"].initial = obj.accessible_object.version
        return form_class

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), "object_version"]

    def has_delete_permission(self, request, obj=None):
        return False  # removed from its object's page, through the workflow

    def save_model(self, request, obj, form, change):
        """Nothing here: the object's assessments are written in ``save_related``."""

    def save_related(self, request, form, formsets, change):
        self.formsets_unsaved(formsets)
        assessment = form.instance
        target = assessment.accessible_object
        answers = {}
        for formset in formsets:
            for row in _kept_forms(formset):
                answers[str(row.cleaned_data["criterion"].pk)] = row.cleaned_data["answer"]
        before = Assessment.objects.filter(pk=assessment.pk).values_list("year", flat=True)
        replaced = {before.first(), assessment.year}
        items = [i for i in ASSESSMENTS.read(target) if i["year"] not in replaced]
        items.append(
            {
                "year": assessment.year,
                "template": assessment.template_id,
                "assessed_on": assessment.assessed_on.isoformat(),
                "assessed_by": assessment.assessed_by,
                "answers": answers,
            }
        )
        try:
            result = services.record_update(
                registry=registry_for_model(type(target)),
                record=target,
                user=request.user,
                values={},
                parts={"assessments": items},
                base_version=form.cleaned_data["object_version"],
            )
        except (WorkflowError, ValidationError) as exc:
            self.save_refused(request, exc)
            return
        if result.applied:
            assessment.pk = Assessment.objects.get(
                accessible_object=target, year=assessment.year
            ).pk
        else:
            request._registry_admin_unsaved = True  # no assessment row yet: to the object
            messages.info(request, self.WAITING)

    def save_unsaved_url(self, request, obj) -> str:
        return reverse("admin:layers_accessibleobject_change", args=[obj.accessible_object_id])


class _ChecklistAdmin(RegistryRoleAdminMixin, admin.ModelAdmin):
    """The checklist is the accessibility registry's data: its administrators keep it
    (and the assessment page's criterion search needs it)."""

    def admin_registry(self):
        return registry_for_model(AccessibleObject)


class ChecklistSectionInline(RoleInlineMixin, admin.TabularInline):
    model = ChecklistSection
    fields = ("order", "code", "title", "object_group")
    extra = 0
    show_change_link = True


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(_ChecklistAdmin):
    list_display = ("name", "valid_from", "valid_until", "campaign_start", "campaign_end")
    search_fields = ("name", "legal_basis")
    inlines = (ChecklistSectionInline,)


class ChecklistCriterionInline(RoleInlineMixin, admin.TabularInline):
    model = ChecklistCriterion
    fields = ("order", "code", "text", "criticality", "evidence")
    extra = 0


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(_ChecklistAdmin):
    list_display = ("title", "code", "object_group", "order", "template")
    list_filter = ("template", "object_group")
    search_fields = ("title", "code")
    inlines = (ChecklistCriterionInline,)


@admin.register(ChecklistCriterion)
class ChecklistCriterionAdmin(_ChecklistAdmin):
    list_display = ("__str__", "criticality", "section", "order")
    list_filter = ("section__template", "section__object_group", "criticality")
    search_fields = ("text", "code")
    list_select_related = ("section",)
