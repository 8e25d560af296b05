"""The OpenAPI 3.0 document of the SDG API (``/sdg/api/openapi.json``), built in code like the
OGC API's (``layers/ogcapi/openapi.py``) rather than by drf-spectacular: the API is three
plain JSON views outside the editing API, and the indicator codes are data (an enum here)."""

from django.urls import reverse

from sdg.models import Indicator
from sdg.progress import STATUS_LABELS

_TEXTS = {
    "type": "object",
    "required": ["uk", "en"],
    "properties": {"uk": {"type": "string"}, "en": {"type": "string"}},
}
_NUMBER = {"type": "number", "nullable": True}
_YEAR_VALUE = {
    "type": "object",
    "properties": {"year": {"type": "integer", "nullable": True}, "value": _NUMBER},
}
_SUMMARY_PROPERTIES = {
    "code": {"type": "string"},
    "url": {"type": "string", "format": "uri"},
    "goal": {"type": "integer", "minimum": 1, "maximum": 17},
    "target": {"type": "string"},
    "title": _TEXTS,
    "unit": _TEXTS,
    "responsible_body": _TEXTS,
    "source": _TEXTS,
    "frequency": {"type": "string", "enum": ["monthly", "quarterly", "annual"]},
    "kind": {"type": "string", "enum": ["computed", "entered"]},
    "direction": {"type": "string", "enum": ["increase", "decrease"]},
    "baseline": _YEAR_VALUE,
    "target_value": _YEAR_VALUE,
    "definition_version": {"type": "integer"},
    "current": {
        "type": "object",
        "nullable": True,
        "description": "The value computed live now (computed indicators).",
        "properties": {
            "year": {"type": "integer"},
            "value": _NUMBER,
            "stamps": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "latest": {**_YEAR_VALUE, "nullable": True},
    "progress": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": list(STATUS_LABELS)},
            "label": {"type": "string"},
        },
    },
}
_DETAIL_PROPERTIES = {
    **_SUMMARY_PROPERTIES,
    "definition": _TEXTS,
    "method": _TEXTS,
    "series": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "year": {"type": "integer"},
                "value": {"type": "number"},
                "origin": {"type": "string", "enum": ["entered", "snapshot", "live", "baseline"]},
                "source": {"type": "string"},
            },
        },
    },
    "by_settlement": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "key": {"type": "string"},
                "name": {"type": "string"},
                "population": {"type": "integer", "nullable": True},
                "value": _NUMBER,
            },
        },
    },
    "by_breakdown": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "value_of": {"type": "string"},
                "label": {"type": "string"},
                "value": _NUMBER,
            },
        },
    },
}


def _json(schema_ref: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": schema_ref}}},
    }


def openapi_document(request) -> dict:
    codes = list(Indicator.objects.values_list("code", flat=True))
    base = request.build_absolute_uri("/")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "SDG monitoring API",
            "version": "1",
            "description": "Localised SDG indicators, computed live from the registries' "
            "published records or entered yearly through review.",
        },
        "servers": [{"url": base.rstrip("/")}],
        "paths": {
            reverse("sdg-api:indicators"): {
                "get": {
                    "operationId": "indicators",
                    "summary": "Every indicator with its current value",
                    "responses": {
                        "200": _json("#/components/schemas/IndicatorList", "The indicators.")
                    },
                }
            },
            reverse("sdg-api:indicator", args=["CODE"]).replace("CODE", "{code}"): {
                "get": {
                    "operationId": "indicator",
                    "summary": "One indicator with its series and per-settlement values",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": codes}
                            if codes
                            else {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/Indicator", "The indicator."),
                        "404": _json("#/components/schemas/Exception", "No such indicator."),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "IndicatorSummary": {"type": "object", "properties": _SUMMARY_PROPERTIES},
                "Indicator": {"type": "object", "properties": _DETAIL_PROPERTIES},
                "IndicatorList": {
                    "type": "object",
                    "properties": {
                        "indicators": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/IndicatorSummary"},
                        }
                    },
                },
                "Exception": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "description": {"type": "string"},
                    },
                },
            }
        },
    }
