"""Admin of the waste registry: sites with their containers."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from layers.admin.base import WORKFLOW_FIELDS, RegistryAdmin
from layers.admin.parts import PartInlineMixin
from layers.admin.photos import PhotoInline
from layers.models.waste import Container, Fraction, WasteSite, Weekday


class ContainerForm(forms.ModelForm):
    collection_days = forms.TypedMultipleChoiceField(
        label=_("collection days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Container
        fields = ["fraction", "count", "volume_l", "collection_days"]


class ContainerInline(PartInlineMixin, admin.TabularInline):
    part_name = "containers"
    model = Container
    form = ContainerForm
    extra = 0


class FractionFilter(admin.SimpleListFilter):
    title = _("accepted fractions")
    parameter_name = "fraction"

    def lookups(self, request, model_admin):
        return Fraction.choices

    def queryset(self, request, queryset):
        if self.value() in Fraction.values:
            return queryset.accepting(self.value())
        return queryset


@admin.register(WasteSite)
class WasteSiteAdmin(RegistryAdmin):
    list_display = ["name", "kind", "address", "operator", "fractions_display", "status"]
    list_filter = ["status", "kind", FractionFilter, "operator"]
    search_fields = ["name", "address", "operator"]
    inlines = [ContainerInline, PhotoInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "address", "geom"]}),
        (_("Service"), {"fields": ["operator", "opening_hours"]}),
        (_("Provenance"), {"fields": ["verified_on", "source", "notes"]}),
        (_("Record"), {"classes": ["collapse"], "fields": list(WORKFLOW_FIELDS)}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_fractions()

    @admin.display(description=_("accepted fractions"))
    def fractions_display(self, obj):
        labels = dict(Fraction.choices)
        return ", ".join(str(labels.get(f, f)) for f in obj.fractions) or "—"
