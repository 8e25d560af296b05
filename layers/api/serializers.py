"""Serializers of the editing API, generated per registry from its model.

They only check and convert input; the workflow services do every write. Workflow fields
(status, version, public id, authorship, timestamps) are read-only whatever a client sends.
"""

import functools
import json

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from layers.editing.models import ChangeRequest
from layers.editing.parts import parts_read
from layers.editing.values import editable_field_names, geometry_types
from layers.geometry import geometry_validate
from layers.registry import Registry

READ_ONLY = (
    "public_id",
    "status",
    "version",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
)


@extend_schema_field(OpenApiTypes.OBJECT)
class GeoJSONGeometryField(serializers.Field):
    """A GeoJSON geometry in WGS 84, checked by the one geometry validator."""

    def __init__(self, *, geometry_types: tuple[str, ...], **kwargs):
        self.geometry_types = geometry_types
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return geometry_validate(data, types=self.geometry_types)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def to_representation(self, value):
        if isinstance(value, GEOSGeometry):
            return json.loads(value.json)
        return value


class RecordSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)


class DataValueField(serializers.Field):
    """A value of a data-defined field, checked by the field's own rules
    (``layers.datasets.values``); read from and written to the record's ``values``."""

    def __init__(self, *, spec, **kwargs):
        self.spec = spec
        super().__init__(source="*", **kwargs)

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, serializers.empty)

    def to_internal_value(self, data):
        from layers.datasets.values import data_value_clean

        try:
            return {self.spec.name: data_value_clean(self.spec, data)}
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def to_representation(self, value):
        return (getattr(value, "values", None) or {}).get(self.spec.key)


@extend_schema_field(
    {
        "type": "object",
        "description": (
            "The record's parts (containers, log entries, assessments, photos, links), by "
            "part name, each a full list of items. Send a part's whole new list to change "
            "it: items with a known key are changed, new ones added, missing ones removed. "
            "A photo is listed by the id of an uploaded photo."
        ),
        "additionalProperties": {"type": "array", "items": {"type": "object"}},
    }
)
class PartsField(serializers.Field):
    """A record's parts (``layers.editing.parts``), read whole and written whole through
    the services, which check every item."""

    def __init__(self, *, registry, **kwargs):
        self.registry = registry
        super().__init__(source="*", required=False, **kwargs)

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, serializers.empty)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("An object of part lists is expected.")
        return {"parts": data}

    def to_representation(self, value):
        return parts_read(self.registry, value)


def record_serializer_class(registry: Registry) -> type[RecordSerializer]:
    """The full (staff) representation of a registry's records."""
    return _record_serializer_class(registry)


# Keyed by the entry itself: a data-defined registry gets a new entry when its fields change.
@functools.lru_cache(maxsize=256)
def _record_serializer_class(registry: Registry) -> type[RecordSerializer]:
    model = registry.model
    editable = editable_field_names(registry)
    attrs = {
        field.name: GeoJSONGeometryField(
            geometry_types=geometry_types(registry, field),
            required=not field.blank,
            allow_null=field.null,
        )
        for field in model._meta.concrete_fields
        if isinstance(field, GeometryField) and field.name in editable
    }
    for spec in getattr(registry, "specs", ()):
        attrs[spec.name] = DataValueField(
            spec=spec, required=spec.required, allow_null=not spec.required
        )
    extra = []
    if registry.parts:
        attrs["parts"] = PartsField(registry=registry)
        extra.append("parts")
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": [*READ_ONLY, *editable, *extra],
            "read_only_fields": READ_ONLY,
        },
    )
    name = f"{registry.id.title().replace('-', '')}RecordSerializer"
    return type(name, (RecordSerializer,), {"Meta": meta, **attrs, "__module__": __name__})


def public_record(registry: Registry, obj) -> dict:
    """What the public may see of a published record (as every public reader shows it)."""
    data = {"public_id": str(obj.public_id), "status": obj.status}
    for name, attribute in registry.properties.items():
        value = getattr(obj, attribute, None)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    geom = getattr(obj, "public_geom", None)
    data["geom"] = json.loads(geom.json) if geom is not None else None
    return json.loads(json.dumps(data, default=str))


class DataRecordSchemaSerializer(serializers.Serializer):
    """What a record of any data-defined registry looks like, for the OpenAPI description
    of their shared URL (each registry's own fields: its OGC queryables)."""

    public_id = serializers.UUIDField(read_only=True)
    status = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    geom = GeoJSONGeometryField(geometry_types=())
    notes = serializers.CharField(required=False, allow_blank=True)


class ChangeRequestSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "registry",
            "record_public_id",
            "kind",
            "state",
            "payload",
            "base_version",
            "author",
            "author_comment",
            "reviewer",
            "review_comment",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StateChangeSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class StaleSerializer(ErrorSerializer):
    current_version = serializers.IntegerField()
    changes_since = serializers.ListField(child=serializers.DictField())
