"""Forms of the editing pages, generated from the registry models."""

import functools

from django import forms
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext_lazy as _

from layers.editing.values import editable_field_names, geometry_types
from layers.forms import RegistryGeometryField
from layers.registry import Registry, registry_get


class GeoJSONTextarea(forms.Textarea):
    """The geometry as GeoJSON text: the map editor keeps it in step with the map, and
    keyboard users can type or paste it."""

    def format_value(self, value):
        if isinstance(value, GEOSGeometry):
            return value.json
        return super().format_value(value)


class RecordForm(forms.ModelForm):
    """Base of every registry's edit form: the editable fields plus the version the edit is
    based on (optimistic locking) and a comment for the reviewer."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    comment = forms.CharField(
        label=_("Comment for the reviewer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def editable_values(self) -> dict:
        """Values of the model fields the user changed."""
        model_fields = set(editable_field_names(self._meta.model))
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in model_fields and name in self.cleaned_data
        }


def record_form_class(registry: Registry) -> type[RecordForm]:
    """The edit form of a registry: every editable model field, geometry through the one
    geometry validator (``RegistryGeometryField``)."""
    return _record_form_class(registry.id)


@functools.cache
def _record_form_class(registry_id: str) -> type[RecordForm]:
    model = registry_get(registry_id).model

    def formfield(db_field, **kwargs):
        if isinstance(db_field, GeometryField):
            return RegistryGeometryField(
                geometry_types=geometry_types(model, db_field),
                geom_type=db_field.geom_type,
                srid=db_field.srid,
                required=not db_field.blank,
                label=db_field.verbose_name,
                help_text=_("GeoJSON in WGS 84; the map beside the form fills it in."),
                widget=GeoJSONTextarea(
                    attrs={"rows": 3, "data-geometry-field": db_field.name, "spellcheck": "false"}
                ),
            )
        return db_field.formfield(**kwargs)

    return forms.modelform_factory(
        model, form=RecordForm, fields=editable_field_names(model), formfield_callback=formfield
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VersionForm(forms.Form):
    """A state change (submit, archive, restore) names the version it was based on."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(required=False, max_length=2000)
