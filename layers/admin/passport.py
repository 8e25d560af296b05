"""The dataset passports: what staff enter for the catalogue and the national portal."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from layers.models import DatasetPassport


def _registry_choices():
    from layers.registry import registries

    return [(registry.id, f"{registry.title} ({registry.id})") for registry in registries()]


class DatasetPassportForm(forms.ModelForm):
    registry = forms.ChoiceField(label=gettext_lazy("registry"), choices=_registry_choices)

    class Meta:
        model = DatasetPassport
        fields = (
            "registry",
            "department",
            "responsible_person",
            "responsible_position",
            "phone",
            "email",
            "legal_basis",
            "issued",
        )


@admin.register(DatasetPassport)
class DatasetPassportAdmin(admin.ModelAdmin):
    form = DatasetPassportForm
    list_display = ("registry", "department", "responsible_person", "email", "updated_at")
    search_fields = ("registry", "department", "responsible_person")
    fieldsets = (
        (None, {"fields": ("registry", "department")}),
        (
            gettext_lazy("Responsible person"),
            {"fields": ("responsible_person", "responsible_position", ("phone", "email"))},
        ),
        (None, {"fields": ("legal_basis", "issued")}),
    )
