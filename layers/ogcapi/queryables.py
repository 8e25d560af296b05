"""Queryables: the public properties a client may filter and sort by (OGC API – Features
Part 3, ``/collections/{id}/queryables``), with their JSON Schema types.

This module is the allowlist between client names and the ORM: a client names an *output*
property; only a name found here is turned into the queryset attribute declared in the
registry's ``properties``. Nothing a client sends becomes an ORM lookup by itself.
"""

import functools
from dataclasses import dataclass

from django.contrib.gis.db import models as gis_models
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext as _

from layers.registry import Registry
from layers.selectors.public import registry_public_queryset

GEOMETRY = "geometry"  # the queryable name of the (public) geometry
GEOMETRY_ATTRIBUTE = "public_geom"
# Long free text: shown, but neither filtered nor sorted on.
_NOT_QUERYABLE_FIELDS = (models.TextField,)


@dataclass(frozen=True)
class Queryable:
    name: str  # the public (output) name
    attribute: str  # the attribute of registry_public_queryset()
    field: models.Field  # the model or output field, for parsing values

    @property
    def schema(self) -> dict:
        """JSON Schema of the values (titles in the active language)."""
        return field_schema(self.field)

    @property
    def is_array(self) -> bool:
        return isinstance(self.field, ArrayField)

    @property
    def sortable(self) -> bool:
        return not self.is_array


def field_schema(field: models.Field) -> dict:
    if isinstance(field, ArrayField):
        return {"type": "array", "items": field_schema(field.base_field)}
    if isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, (models.DecimalField, models.FloatField)):
        schema = {"type": "number"}
    elif isinstance(field, models.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, models.UUIDField):
        schema = {"type": "string", "format": "uuid"}
    elif isinstance(field, models.URLField):
        schema = {"type": "string", "format": "uri"}
    else:
        schema = {"type": "string"}
    if field.choices:
        schema["enum"] = [str(value) for value, _label in field.flatchoices]
    if getattr(field, "verbose_name", None):
        schema["title"] = str(field.verbose_name)
    return schema


def property_field(registry: Registry, attribute: str) -> models.Field:
    """The field behind a public property: a model field, or an annotation's output field."""
    queryset = registry_public_queryset(registry)
    annotation = queryset.query.annotations.get(attribute)
    if annotation is not None:
        return annotation.output_field
    field = registry.model._meta.get_field(attribute)
    if isinstance(field, models.GeneratedField):
        # Values are parsed and described by what it generates (is_hazardous: a boolean).
        generated = field.output_field.clone()
        generated.verbose_name = field.verbose_name
        return generated
    return field


# Keyed by the entry itself: a data-defined registry gets a new entry when its fields change.
@functools.lru_cache(maxsize=256)
def _queryables(registry: Registry) -> dict[str, Queryable]:
    found = {}
    for name, attribute in registry.properties.items():
        field = property_field(registry, attribute)
        if isinstance(field, _NOT_QUERYABLE_FIELDS) and not isinstance(field, ArrayField):
            continue
        spec = getattr(field, "data_spec", None)
        if spec is not None and not spec.queryable:
            continue
        found[name] = Queryable(name, attribute, field)
    return found


def registry_queryables(registry: Registry) -> dict[str, Queryable]:
    """Queryable public properties by output name (the geometry is separate: ``GEOMETRY``)."""
    return _queryables(registry)


def queryables_schema(registry: Registry, *, self_url: str) -> dict:
    """The queryables document: a JSON Schema (2020-12) of the queryable properties."""
    properties = {
        GEOMETRY: {
            "title": str(_("Geometry")),
            "format": "geometry-any",
            "$ref": "https://geojson.org/schema/Geometry.json",
        },
        **{q.name: q.schema for q in registry_queryables(registry).values()},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": self_url,
        "type": "object",
        "title": str(registry.title),
        "properties": properties,
        "additionalProperties": False,
    }


def is_geometry_field(field) -> bool:
    return isinstance(field, gis_models.GeometryField)
