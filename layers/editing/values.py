"""A registry record's editable values: which fields they are, and their JSON form.

Change requests store proposed values as JSON and history compares snapshots, so values
travel as JSON (geometry as GeoJSON, decimals as text, dates as ISO, relations as keys) and
are turned back into model values only through the fields' own parsing and, for
geometries, the one geometry validator.

A registry's fields are its model's editable fields and, for a registry defined as data,
the fields of its definition (unattached Django fields whose values live in the record's
``values``, see ``layers.datasets.fields``). Everything here takes the registry, so both
kinds are edited, reviewed, compared and restored the same way.
"""

import datetime
import decimal
import json
import uuid
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from layers.datasets.fields import is_data_field
from layers.geometry import geometry_validate
from layers.models.base import WORKFLOW_FIELDS

# Never set from a form, the API or a change request: the key and the workflow's fields.
NOT_EDITABLE = frozenset({"id", *WORKFLOW_FIELDS})


def _model_editable_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and field.name not in NOT_EDITABLE
        and not isinstance(field, models.GeneratedField)
    ]


def editable_fields(registry) -> list[models.Field]:
    """The fields editors may set, in model order, then the data-defined ones."""
    fields = _model_editable_fields(registry.model)
    for spec in getattr(registry, "specs", ()):
        fields.append(spec.model_field)
    return fields


def editable_field_names(registry) -> list[str]:
    return [field.name for field in editable_fields(registry)]


def field_get(registry, name: str) -> models.Field:
    """An editable field of the registry by name; KeyError if there is none."""
    for field in editable_fields(registry):
        if field.name == name:
            return field
    raise KeyError(name)


def geometry_types(registry, field: GeometryField) -> tuple[str, ...]:
    """The GeoJSON types a geometry field of a registry accepts."""
    if field.name == "geom":
        return tuple(registry.geometry_types)
    return {"MULTIPOLYGON": ("Polygon", "MultiPolygon"), "POINT": ("Point",)}.get(
        field.geom_type, ()
    )


def value_to_json(field: models.Field, value: Any) -> Any:
    """A model value of ``field`` (as ``field.value_from_object`` gives it) in JSON form."""
    if value is None:
        return None
    if isinstance(field, GeometryField):
        return json.loads(value.json) if isinstance(value, GEOSGeometry) else value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [value_to_json(field, item) if not isinstance(item, str) else item for item in value]
    return value


def stored_value(obj, field: models.Field) -> Any:
    """The JSON value of ``field`` on a record or on a history snapshot of it."""
    if is_data_field(field):
        return (getattr(obj, "values", None) or {}).get(field.data_key)
    return value_to_json(field, getattr(obj, field.attname))


def record_values(registry, obj) -> dict[str, Any]:
    """The editable values of a record (or of a history snapshot of it) in JSON form."""
    return {field.name: stored_value(obj, field) for field in editable_fields(registry)}


def value_from_json(registry, field: models.Field, value: Any) -> Any:
    """The model value for a JSON value of ``field``; raises ValidationError when invalid.

    A data-defined field's value stays in its stored (JSON) form, checked."""
    if is_data_field(field):
        from layers.datasets.values import data_value_clean

        return data_value_clean(field.data_spec, value)
    if value is None or (value == "" and field.null):
        return None
    if isinstance(field, GeometryField):
        geom = geometry_validate(value, types=geometry_types(registry, field))
        if field.geom_type == "MULTIPOLYGON" and geom.geom_type == "Polygon":
            geom = MultiPolygon(geom, srid=geom.srid)
        return geom
    if isinstance(field, models.ForeignKey):
        return field.target_field.to_python(value)
    if isinstance(value, float) and isinstance(field, models.DecimalField):
        # A file's REAL column gives 2.7 as a float: Django would round it to the field's
        # max_digits significant digits (2.70), one decimal place too many. Its shortest
        # written form is what the file meant.
        value = repr(value)
    return field.to_python(value)


def values_parse(registry, values: dict[str, Any]) -> dict[str, Any]:
    """Field name → parsed value for editable values given by field name.

    Values may be model values (forms, serializers) or JSON values (change requests); a
    field that editors may not set is refused. Apply them with ``values_apply``.
    """
    fields = {field.name: field for field in editable_fields(registry)}
    parsed, errors = {}, {}
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            errors[name] = ValidationError(_("This field cannot be set."), code="not_editable")
            continue
        try:
            if isinstance(value, models.Model):
                value = value.pk
            elif isinstance(field, GeometryField) and isinstance(value, GEOSGeometry):
                value = json.loads(value.json)
            parsed[name] = value_from_json(registry, field, value)
        except ValidationError as exc:
            errors[name] = exc
    if errors:
        raise ValidationError(errors)
    return parsed


def values_apply(registry, record, parsed: dict[str, Any]) -> None:
    """Set parsed values (``values_parse``) on a record: columns, or keys of ``values``."""
    fields = {field.name: field for field in editable_fields(registry)}
    for name, value in parsed.items():
        field = fields[name]
        if is_data_field(field):
            stored = dict(record.values or {})
            if value is None:
                stored.pop(field.data_key, None)
            else:
                stored[field.data_key] = value
            record.values = stored
        else:
            setattr(record, field.attname, value)


def values_equal(field: models.Field, a: Any, b: Any) -> bool:
    """Whether two JSON values of ``field`` mean the same."""
    if isinstance(field, GeometryField) and a is not None and b is not None:
        return GEOSGeometry(json.dumps(a)).equals_exact(GEOSGeometry(json.dumps(b)), 1e-9)
    if isinstance(field, models.DecimalField) and a is not None and b is not None:
        return decimal.Decimal(str(a)) == decimal.Decimal(str(b))
    if a in ("", None, []) and b in ("", None, []):
        return True
    return a == b


def values_diff(registry, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Names of the fields (present in ``new``) whose values differ, in model order."""
    return [
        field.name
        for field in editable_fields(registry)
        if field.name in new and not values_equal(field, old.get(field.name), new[field.name])
    ]


def value_display(registry, name: str, value: Any) -> Any:
    """A JSON value of a field as people read it: choice labels, related objects' names,
    yes/no. Geometry stays GeoJSON."""
    if value is None or value == "":
        return value
    try:
        field = field_get(registry, name)
    except KeyError:
        return value
    return value_display_field(field, value)


def value_display_field(field: models.Field, value: Any) -> Any:
    """``value_display`` for a field of any model (a record's or a part's)."""
    if value is None or value == "" or isinstance(field, GeometryField):
        return value
    if isinstance(field, models.ForeignKey):
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = dict(field.flatchoices or ())
    if getattr(field, "base_field", None) is not None:
        choices = dict(field.base_field.flatchoices or ())
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value)
    return choices.get(value, value)
