"""Forms of the editing pages, generated from the registry models."""

import functools

from django import forms
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext_lazy as _

from layers.editing.values import editable_field_names, editable_fields, geometry_types
from layers.forms import RegistryGeometryField
from layers.registry import Registry


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

    registry = None  # set by record_form_class

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Data-defined fields are not model fields: their initial values come from ``values``.
        stored = getattr(self.instance, "values", None) or {}
        if self.instance.pk is None and not stored and not self.registry.is_builtin:
            stored = self.registry.defaults()
        for spec in getattr(self.registry, "specs", ()):
            # An initial value handed in (the last record's, "save and add another") stays.
            if (
                spec.name in self.fields
                and spec.key in stored
                and not self.is_bound
                and spec.name not in self.initial
            ):
                self.initial[spec.name] = stored[spec.key]

    def editable_values(self) -> dict:
        """Values of the fields the user changed."""
        fields = set(editable_field_names(self.registry))
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in fields and name in self.cleaned_data
        }

    def _post_clean(self):
        # A data-defined registry's values are checked by the services (``DataRecord.clean``
        # needs the values the form does not set); the built-in ones check the model here.
        if self.registry.is_builtin:
            super()._post_clean()


class DecimalCommaField(forms.DecimalField):
    """A decimal as Ukrainian people type it (12,5) or as English ones do (12.5)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", ".").replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)


def data_formfield(spec) -> forms.Field:
    """The form field of a data-defined field (a checkbox group for several choices)."""
    field = spec.model_field
    if spec.is_list:
        return forms.MultipleChoiceField(
            label=field.verbose_name,
            help_text=field.help_text,
            required=spec.required,
            choices=[(c.value, c.label) for c in spec.choices],
            widget=forms.CheckboxSelectMultiple,
        )
    if spec.type == "boolean":
        return forms.NullBooleanField(
            label=field.verbose_name, help_text=field.help_text, required=spec.required
        )
    extra = {"assume_scheme": "https"} if spec.type == "url" else {}
    if spec.type == "decimal":
        extra["form_class"] = DecimalCommaField
    formfield = field.formfield(required=spec.required, **extra)
    if spec.type == "date":
        formfield.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return formfield


def record_form_class(registry: Registry) -> type[RecordForm]:
    """The edit form of a registry: every editable field, geometry through the one
    geometry validator (``RegistryGeometryField``)."""
    return _record_form_class(registry)


# Keyed by the entry itself: a data-defined registry gets a new entry when its fields change.
@functools.lru_cache(maxsize=256)
def _record_form_class(registry: Registry) -> type[RecordForm]:
    model = registry.model

    def formfield(db_field, **kwargs):
        if isinstance(db_field, GeometryField):
            return RegistryGeometryField(
                geometry_types=geometry_types(registry, db_field),
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

    model_fields = [f.name for f in model._meta.concrete_fields]
    form_class = forms.modelform_factory(
        model,
        form=RecordForm,
        fields=[name for name in editable_field_names(registry) if name in model_fields],
        formfield_callback=formfield,
    )
    extra = {spec.name: data_formfield(spec) for spec in getattr(registry, "specs", ())}
    # The registry's own fields first, then the version and the comment for the reviewer.
    order = [*editable_field_names(registry), "base_version", "comment"]
    attrs = {"registry": registry, "field_order": order, **extra}
    return type(form_class.__name__, (form_class,), attrs)


def _unique_field_names(model) -> set[str]:
    """Fields no two records share: a unique field or a one-field unique constraint."""
    names = {f.name for f in model._meta.concrete_fields if f.unique}
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if len(fields) == 1:
            names.add(fields[0])
    return names


def record_copy_initial(registry: Registry, record) -> dict:
    """The values of ``record`` a next record of the same kind likely shares ("save and add
    another"): not its geometry, nor what must differ between records (ids, unique numbers)."""
    form = record_form_class(registry)(instance=record)
    unique = _unique_field_names(registry.model)
    initial = {}
    for field in editable_fields(registry):
        if (
            isinstance(field, GeometryField)
            or field.name in unique
            or field.name not in form.fields
        ):
            continue
        value = form.initial.get(field.name)
        if value not in (None, "", [], ()):
            initial[field.name] = value
    return initial


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
