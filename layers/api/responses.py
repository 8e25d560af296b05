"""The editing API's OpenAPI, made to say what the API answers (a drf-spectacular hook, run
after the one that writes out the registries defined as data).

drf-spectacular describes what a serializer would write. The API answers more than that: a
record is read in full by its registry's staff and as its public properties by everyone else
(``serializers.public_record``); every operation can answer 401, 403 and 404 and a write can
be refused for its body. Generated clients and Schemathesis check responses against the
document, so it describes each of them:

* ``<Registry>PublicRecord``: the public properties, typed from their fields as the OGC
  queryables are, none required but the id, the status and the geometry;
* record responses: the staff record or the public one (``anyOf``);
* errors: ``Error`` (``detail``, ``code``) for 401/403/404/405/406/409/412/413/415/428 and a
  field-keyed object for 400.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from layers.ogcapi.queryables import field_schema

_ERROR = {"$ref": "#/components/schemas/Error"}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Each field's messages, or detail and code",
    "additionalProperties": True,
}
_COMMON_ERRORS = {
    "401": "Not authenticated (or a wrong token)",
    "403": "No role in this registry for this",
    "404": "No such record, change or registry",
    "405": "Method not allowed",
    "406": "Only JSON is served",
}
_WRITE_ERRORS = {
    "409": "Not allowed in the record's state",
    "412": "If-Match names a stale version",
    "413": "The request body is too large",
    "415": "Unsupported media type",
    "428": "If-Match is missing",
}
_METHODS = ("get", "put", "patch", "post", "delete")


def component_name(registry) -> str:
    return "".join(part.title() for part in registry.id.split("-")) + "Record"


def _value_schema(field: models.Field) -> dict:
    """A public value as ``public_record`` writes it: the type the OGC queryables give it
    (``field_schema``), but decimals as strings (DRF's way) and web addresses as plain text
    (an empty one is ``""``); titles and value lists are the queryables' business."""
    if isinstance(field, ArrayField):
        return {"type": "array", "items": _value_schema(field.base_field)}
    if isinstance(field, models.DecimalField):
        return {"type": "string", "format": "decimal"}
    schema = field_schema(field)
    kept = {"type": schema["type"]}
    if schema.get("format") in ("date", "date-time", "uuid"):
        kept["format"] = schema["format"]
    return kept


def public_record_schema(registry) -> dict:
    from layers.ogcapi.queryables import property_field

    properties = {
        "public_id": {"type": "string", "format": "uuid"},
        "status": {"type": "string", "enum": ["published"]},
        "geom": {"type": "object", "nullable": True, "description": "GeoJSON geometry"},
    }
    for name, attribute in registry.properties.items():
        schema = _value_schema(property_field(registry, attribute))
        properties[name] = {**schema, "nullable": True}
    return {
        "type": "object",
        "description": f"What everyone may read of a published record of {registry.id}",
        "required": ["public_id", "status", "geom"],
        "properties": properties,
    }


def _record(name: str) -> dict:
    return {
        "anyOf": [
            {"$ref": f"#/components/schemas/{name}"},
            {"$ref": f"#/components/schemas/Public{name}"},
        ]
    }


def _page(item: dict) -> dict:
    link = {"type": "string", "format": "uri", "nullable": True}
    return {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "next": link,
            "previous": link,
            "results": {"type": "array", "items": item},
        },
    }


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _relax_staff_schema(schema: dict) -> None:
    """Read-only values a record may lack (made by an import: no author) are nullable."""
    for name in ("created_by", "updated_by"):
        if name in schema.get("properties", {}):
            schema["properties"][name]["nullable"] = True


def api_responses_hook(result, generator, request, public):
    from layers.registry import registries

    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "additionalProperties": True,
    }
    for registry in registries():
        name = component_name(registry)
        if name not in schemas:
            continue
        _relax_staff_schema(schemas[name])
        schemas[f"Public{name}"] = public_record_schema(registry)
        base = f"/api/{registry.id}/records/"
        for path, item in result.get("paths", {}).items():
            if not path.startswith(base):
                continue
            for method, operation in item.items():
                if method in _METHODS:
                    _record_responses(path[len(base) :], method, operation, name)
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method in _METHODS:
                _error_responses(method, operation)
    return result


def _record_responses(rest: str, method: str, operation: dict, name: str) -> None:
    """A record answer: the staff or the public form (readers), the staff form (writers)."""
    responses = operation["responses"]
    if rest == "" and method == "get":
        responses["200"] = _json(_page(_record(name)), "A page of records")
    elif rest == "" and method == "post":
        responses["201"] = _json({"$ref": f"#/components/schemas/{name}"}, "The new draft")
    elif rest == "{public_id}/" and method == "get":
        responses["200"] = _json(_record(name), "The record")
    elif rest == "{public_id}/" and method in ("put", "patch"):
        responses["200"] = _json({"$ref": f"#/components/schemas/{name}"}, "The changed draft")
    elif rest.endswith(("/submit/", "/archive/")):
        responses["200"] = _json({"$ref": f"#/components/schemas/{name}"}, "The record")


def _error_responses(method: str, operation: dict) -> None:
    responses = operation["responses"]
    for status, description in _COMMON_ERRORS.items():
        responses.setdefault(status, _json(_ERROR, description))
    # DRF's 400 is keyed by field; the documented one says so.
    responses["400"] = _json(_FIELD_ERRORS, "Invalid parameters or values")
    if method != "get":
        for status, description in _WRITE_ERRORS.items():
            responses[status] = _json(_ERROR, description)
