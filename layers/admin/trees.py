"""Admin of the green-plantings registry: species, trees with their log, green areas."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from layers.admin.base import WORKFLOW_FIELDS, RegistryAdmin
from layers.admin.parts import PartInlineMixin
from layers.admin.photos import PhotoInline, ReadOnlyPartAdmin
from layers.models.trees import GreenArea, Species, Tree, TreeEvent


class _RecordAdmin(RegistryAdmin):
    """The shared registry admin (map widget checked by the one geometry validator, workflow
    fields read-only, who changed it) with short pages for hundreds of thousands of rows."""

    list_per_page = 50


@admin.register(Species)
class SpeciesAdmin(admin.ModelAdmin):
    list_display = (
        "latin_name",
        "name_uk",
        "name_en",
        "coniferous",
        "max_height_m",
        "max_trunk_diameter_cm",
        "max_crown_diameter_m",
    )
    list_filter = ("coniferous",)
    search_fields = ("latin_name", "name_uk", "name_en")
    ordering = ("latin_name",)


class TreeEventInline(PartInlineMixin, admin.TabularInline):
    part_name = "events"
    model = TreeEvent
    fields = ("occurred_on", "kind", "act_number", "description", "recorded_by")
    readonly_fields = ("recorded_by",)
    extra = 0
    ordering = ("-occurred_on", "-id")


@admin.register(Tree)
class TreeAdmin(_RecordAdmin):
    list_display = (
        "__str__",
        "species",
        "condition",
        "is_hazardous",
        "recommended_action",
        "trunk_diameter_cm",
        "height_m",
        "protected",
        "status",
        "removed_on",
    )
    list_filter = (
        "status",
        "condition",
        "is_hazardous",
        "recommended_action",
        "protected",
        ("removed_on", admin.EmptyFieldListFilter),
        "species",
    )
    search_fields = (
        "inventory_number",
        "name",
        "address",
        "balance_holder",
        "species__latin_name",
        "species__name_uk",
    )
    list_select_related = ("species",)
    autocomplete_fields = ("species",)
    readonly_fields = ("is_hazardous", *WORKFLOW_FIELDS)
    inlines = (TreeEventInline, PhotoInline)
    fieldsets = (
        (None, {"fields": ("geom", "species", "inventory_number", "name", "address")}),
        (
            _("Measurements"),
            {"fields": ("trunk_diameter_cm", "height_m", "crown_diameter_m", "planting_year")},
        ),
        (
            _("Condition"),
            {"fields": ("condition", "is_hazardous", "recommended_action", "verified_on")},
        ),
        (
            _("Management"),
            {"fields": ("balance_holder", "protected", "planted_on", "removed_on")},
        ),
        (_("Provenance"), {"fields": ("source", "notes", *WORKFLOW_FIELDS)}),
    )


@admin.register(TreeEvent)
class TreeEventAdmin(ReadOnlyPartAdmin):
    """Every tree's log, to search; entries are added and changed on their tree's page."""

    list_display = ("occurred_on", "kind", "tree", "act_number", "recorded_by")
    list_filter = ("kind", "occurred_on")
    search_fields = ("act_number", "description", "tree__inventory_number")
    list_select_related = ("tree", "recorded_by")
    date_hierarchy = "occurred_on"
    show_full_result_count = False


@admin.register(GreenArea)
class GreenAreaAdmin(_RecordAdmin):
    list_display = ("__str__", "kind", "area_ha", "balance_holder", "status")
    list_filter = ("status", "kind")
    search_fields = ("name", "address", "balance_holder")
    readonly_fields = ("area_m2", *WORKFLOW_FIELDS)
    inlines = (PhotoInline,)
    fieldsets = (
        (None, {"fields": ("geom", "name", "kind", "address", "area_m2")}),
        (_("Management"), {"fields": ("balance_holder", "verified_on")}),
        (_("Provenance"), {"fields": ("source", "notes", *WORKFLOW_FIELDS)}),
    )

    @admin.display(description=_("area, ha"), ordering="area_m2")
    def area_ha(self, obj):
        return None if obj.area_m2 is None else round(obj.area_m2 / 10_000, 2)
