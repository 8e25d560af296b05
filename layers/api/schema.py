"""The editing API's OpenAPI description of the registries defined as data.

They share one URL pattern (``/api/{collection}/records/…``); this drf-spectacular
post-processing hook writes it out once per registry, with a component schema built from
that registry's fields (types, limits, choices, required), so a generated client knows each
registry as well as a built-in one. The shared pattern itself stays documented too.
"""

import copy

from layers.models.datasets import FieldType

_SHARED = "/api/{collection}/records/"

_TYPES = {
    FieldType.TEXT: {"type": "string"},
    FieldType.LONG_TEXT: {"type": "string"},
    FieldType.INTEGER: {"type": "integer"},
    FieldType.DECIMAL: {"type": "string", "format": "decimal"},
    FieldType.BOOLEAN: {"type": "boolean"},
    FieldType.DATE: {"type": "string", "format": "date"},
    FieldType.CHOICE: {"type": "string"},
    FieldType.URL: {"type": "string", "format": "uri"},
    FieldType.PHONE: {"type": "string"},
    FieldType.EMAIL: {"type": "string", "format": "email"},
    FieldType.REFERENCE: {"type": "string", "format": "uuid"},
}


def _field_schema(spec) -> dict:
    if spec.type == FieldType.MULTIPLE_CHOICE:
        schema = {
            "type": "array",
            "items": {"type": "string", "enum": [c.value for c in spec.choices]},
        }
    else:
        schema = dict(_TYPES[spec.type])
    if spec.type == FieldType.CHOICE:
        schema["enum"] = [c.value for c in spec.choices]
    if spec.min_value is not None and spec.type == FieldType.INTEGER:
        schema["minimum"] = int(spec.min_value)
    if spec.max_value is not None and spec.type == FieldType.INTEGER:
        schema["maximum"] = int(spec.max_value)
    if spec.max_length and spec.type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.URL):
        schema["maxLength"] = spec.max_length
    schema["title"] = spec.label
    if spec.help_text:
        schema["description"] = spec.help_text
    if not spec.required:
        schema["nullable"] = True
    return schema


def _component(registry, base: dict) -> dict:
    schema = copy.deepcopy(base)
    properties = schema.setdefault("properties", {})
    for spec in registry.specs:
        properties[spec.name] = _field_schema(spec)
    required = [spec.name for spec in registry.specs if spec.required]
    if required:
        schema["required"] = sorted({*schema.get("required", []), *required, "geom"})
    schema["description"] = str(registry.description or registry.title)
    return schema


def _retarget(node, old: str, new: str):
    """A copy of an OpenAPI node with every ``$ref`` to ``old`` (or its ``Patched`` form)
    pointing at ``new`` (or its ``Patched`` form)."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace(f"/{old}", f"/{new}").replace(f"/Patched{old}", f"/Patched{new}")
                if key == "$ref" and isinstance(value, str) and value.endswith(old)
                else _retarget(value, old, new)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_retarget(item, old, new) for item in node]
    return node


def data_registries_hook(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: the shared record URLs per registry."""
    from layers.datasets.registry import data_registries

    paths = result.get("paths", {})
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    base = schemas.get("DataRecordSchema", {"type": "object", "properties": {}})
    shared = {path: item for path, item in paths.items() if path.startswith(_SHARED)}
    for registry in data_registries():
        name = "".join(part.title() for part in registry.id.split("-")) + "Record"
        schemas[name] = _component(registry, base)
        patched = copy.deepcopy(schemas[name])
        patched.pop("required", None)
        schemas[f"Patched{name}"] = patched
        key = registry.id.replace("-", "_")
        for path, item in shared.items():
            concrete = _retarget(item, "DataRecordSchema", name)
            for operation in concrete.values():
                if not isinstance(operation, dict):
                    continue
                operation["parameters"] = [
                    p for p in operation.get("parameters", []) if p.get("name") != "collection"
                ]
                if "operationId" in operation:
                    operation["operationId"] = f"{key}_{operation['operationId']}"
                operation["tags"] = [registry.id]
            paths[path.replace("{collection}", registry.id)] = concrete
    return result
