"""Admin of the cultural-heritage registry: heritage objects and protection zones."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from layers.admin.base import WORKFLOW_FIELDS, RegistryAdmin
from layers.admin.photos import PhotoInline
from layers.models.heritage import (
    HeritageObject,
    HeritageType,
    ProtectionZone,
)


class HeritageTypeFilter(admin.SimpleListFilter):
    title = _("type")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return HeritageType.choices

    def queryset(self, request, queryset):
        if self.value() in HeritageType.values:
            return queryset.filter(types__contains=[self.value()])
        return queryset


class HeritageObjectForm(forms.ModelForm):
    types = forms.TypedMultipleChoiceField(
        label=_("types"),
        choices=HeritageType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A monument may be of several types."),
    )

    wikipedia_url = forms.URLField(
        label=_("Wikipedia article"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = HeritageObject
        fields = ["types", "wikipedia_url"]  # the admin adds the rest from its fieldsets


@admin.register(HeritageObject)
class HeritageObjectAdmin(RegistryAdmin):
    form = HeritageObjectForm
    inlines = [PhotoInline]
    list_display = [
        "name",
        "protection_number",
        "significance",
        "dating",
        "condition",
        "location_sensitive",
        "status",
    ]
    list_filter = [
        "status",
        "significance",
        HeritageTypeFilter,
        "condition",
        "location_sensitive",
    ]
    search_fields = ["name", "address", "protection_number", "wikidata_id", "description"]
    fieldsets = [
        (None, {"fields": ["name", "address", "geom", "location_sensitive"]}),
        (
            _("State Register"),
            {
                "fields": [
                    "protection_number",
                    "types",
                    "significance",
                    "listing_body",
                    "listing_date",
                    "listing_number",
                ]
            },
        ),
        (_("Dating"), {"fields": ["dating", "year_from", "year_to"]}),
        (_("Condition and use"), {"fields": ["condition", "owner", "user", "description"]}),
        (_("Links"), {"fields": ["wikipedia_url", "wikidata_id"]}),
        (_("Provenance"), {"fields": ["verified_on", "source", "notes"]}),
        (_("Record"), {"classes": ["collapse"], "fields": list(WORKFLOW_FIELDS)}),
    ]


@admin.register(ProtectionZone)
class ProtectionZoneAdmin(RegistryAdmin):
    inlines = [PhotoInline]
    list_display = ["name", "kind", "decision_number", "decision_date", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "address", "decision_number", "heritage_objects__name"]
    autocomplete_fields = ["heritage_objects"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "geom", "heritage_objects"]}),
        (_("Decision"), {"fields": ["decision_body", "decision_date", "decision_number"]}),
        (_("Provenance"), {"fields": ["address", "verified_on", "source", "notes"]}),
        (_("Record"), {"classes": ["collapse"], "fields": list(WORKFLOW_FIELDS)}),
    ]
