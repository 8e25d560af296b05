"""Admin of the accessibility registry: objects on a Leaflet map, their yearly assessments,
and the checklist templates that administrators maintain as data.

Derived values are shown read-only; after a save the admin asks the services to recompute
them, exactly as every other way of writing does.
"""

from django.contrib import admin
from django.db.models import URLField
from django.utils.translation import gettext_lazy as _

from layers.admin.base import WORKFLOW_FIELDS, RegistryAdmin
from layers.models.accessibility import (
    AccessibleObject,
    Assessment,
    AssessmentAnswer,
    ChecklistCriterion,
    ChecklistSection,
    ChecklistTemplate,
)
from layers.services.accessibility import (
    RATING_FIELDS,
    accessible_object_refresh_rating,
    assessment_refresh_status,
)


class AssessmentInline(admin.TabularInline):
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
    inlines = (AssessmentInline,)
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Attributes or assessment dates may have changed: the rating follows.
        for assessment in form.instance.assessments.all():
            assessment_refresh_status(assessment=assessment)
        accessible_object_refresh_rating(obj=form.instance)


class AssessmentAnswerInline(admin.TabularInline):
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


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("accessible_object", "year", "status", "assessed_on", "template")
    list_filter = ("year", "status", "template", "accessible_object__category")
    search_fields = ("accessible_object__name", "accessible_object__address", "assessed_by")
    list_select_related = ("accessible_object", "template")
    autocomplete_fields = ("accessible_object",)
    readonly_fields = ("status", "created_by", "created_at", "updated_at")
    inlines = (AssessmentAnswerInline,)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        assessment_refresh_status(assessment=form.instance)

    def delete_model(self, request, obj):
        accessible_object = obj.accessible_object
        super().delete_model(request, obj)
        accessible_object_refresh_rating(obj=accessible_object)


class ChecklistSectionInline(admin.TabularInline):
    model = ChecklistSection
    fields = ("order", "code", "title", "object_group")
    extra = 0
    show_change_link = True


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "valid_until")
    search_fields = ("name", "legal_basis")
    inlines = (ChecklistSectionInline,)


class ChecklistCriterionInline(admin.TabularInline):
    model = ChecklistCriterion
    fields = ("order", "code", "text", "criticality")
    extra = 0


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "object_group", "order", "template")
    list_filter = ("template", "object_group")
    search_fields = ("title", "code")
    inlines = (ChecklistCriterionInline,)


@admin.register(ChecklistCriterion)
class ChecklistCriterionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "criticality", "section", "order")
    list_filter = ("section__template", "section__object_group", "criticality")
    search_fields = ("text", "code")
    list_select_related = ("section",)
