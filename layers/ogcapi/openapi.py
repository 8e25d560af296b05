"""The OpenAPI 3.0 definition of the API (Part 1, /req/oas30), built from the registry list:
every collection's items path lists its own queryable parameters."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from layers.hromada import hromada_profile
from layers.ogcapi import http
from layers.ogcapi.crs import CRS84, supported_crs
from layers.ogcapi.documents import download_name, registry_downloads
from layers.ogcapi.families import published_collections
from layers.ogcapi.licence import data_licence
from layers.ogcapi.links import url
from layers.ogcapi.params import ITEM_PARAMETERS, LIMIT_DEFAULT, LIMIT_MAXIMUM
from layers.ogcapi.queryables import registry_queryables

_EXCEPTION = {"$ref": "#/components/responses/Exception"}


def _parameter(name: str, description: str, schema: dict, *, explode: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": explode,
    }


def path_parameter(name: str, schema: dict, description: str = "") -> dict:
    """A required parameter of the path (``{featureId}``, ``{tileMatrix}``...)."""
    parameter = {"name": name, "in": "path", "required": True, "schema": schema}
    if description:
        parameter["description"] = description
    return parameter


def _parameters() -> dict:
    crs_schema = {
        "type": "string",
        "format": "uri",
        "enum": list(supported_crs()),
        "default": CRS84,
    }
    return {
        "f": _parameter("f", _("Response format."), {"type": "string", "enum": ["json", "html"]}),
        "bbox": _parameter(
            "bbox",
            _("Only features whose geometry intersects the box: minx,miny,maxx,maxy in bbox-crs."),
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        ),
        "bbox-crs": _parameter("bbox-crs", _("The CRS of bbox."), crs_schema),
        "crs": _parameter("crs", _("The CRS of the returned coordinates."), crs_schema),
        # No "maximum" in the schema: a larger limit is not an error (Part 1, /req/core/
        # fc-limit-response-1) but is served as the maximum, which the text gives.
        "limit": _parameter(
            "limit",
            _("Features per page, at most %(maximum)d: a larger value is served as %(maximum)d.")
            % {"maximum": LIMIT_MAXIMUM},
            {"type": "integer", "minimum": 1, "default": LIMIT_DEFAULT, "x-maximum": LIMIT_MAXIMUM},
        ),
        "offset": _parameter(
            "offset",
            _("Features to skip (follow the next link instead)."),
            {"type": "integer", "minimum": 0, "default": 0},
        ),
        "after": _parameter(
            "after",
            _(
                "Start after this feature id (next links carry it in the default order: "
                "pages deep in a big layer cost what the first one costs)."
            ),
            {"type": "string", "format": "uuid"},
        ),
        "datetime": _parameter(
            "datetime",
            _("The record's last change: an RFC 3339 instant or interval (open ends as ..)."),
            {"type": "string"},
        ),
        "sortby": _parameter(
            "sortby", _("Comma-separated queryables, - for descending."), {"type": "string"}
        ),
        "properties": _parameter(
            "properties", _("Only these properties (comma-separated)."), {"type": "string"}
        ),
        "skipGeometry": _parameter(
            "skipGeometry", _("Leave out geometries."), {"type": "boolean", "default": False}
        ),
        "filter": _parameter(
            "filter", _("A CQL2-text filter on the queryables."), {"type": "string"}
        ),
        "filter-lang": _parameter(
            "filter-lang",
            _(
                "The filter language: CQL2 text (cql-text is the same, by the name GDAL and "
                "older clients look for)."
            ),
            {"type": "string", "enum": ["cql2-text", "cql-text"], "default": "cql2-text"},
        ),
        "filter-crs": _parameter(
            "filter-crs", _("The CRS of geometries in the filter."), crs_schema
        ),
    }


def datetime_syntax() -> str:
    """How every collection's ``datetime`` is written (registries' and simple ones')."""
    return (
        _("RFC 3339; open ends as .., e.g. 2025-01-01/..")
        + " "
        + _("A date alone is that whole day in the hromada's time zone.")
    )


def _datetime_parameter(registry) -> dict:
    names = registry.temporal
    if len(names) == 2:
        meaning = _(
            "Features whose time (from %(start)s to %(end)s; empty: open) meets this instant "
            "or interval."
        ) % {"start": names[0], "end": names[1]}
    else:
        meaning = _("Features whose %(name)s falls in this instant or interval.") % {
            "name": names[0]
        }
    return _parameter(
        "datetime",
        meaning + " " + datetime_syntax(),
        {"type": "string"},
    )


def _as_text(schema: dict) -> dict:
    """A queryable's schema as a query parameter: a web address is compared as text (an
    empty value finds records without one)."""
    if schema.get("format") == "uri":
        return {key: value for key, value in schema.items() if key != "format"}
    return schema


def _properties_parameter(registry) -> dict:
    """This collection's property names (a list: the schema says which are there)."""
    return _parameter(
        "properties",
        _("Only these properties (comma-separated)."),
        {"type": "array", "items": {"type": "string", "enum": list(registry.properties)}},
    )


def _item_format_parameter(registry) -> dict:
    """A feature's ``f``: JSON or HTML, and the registry's own formats of one feature
    (``f=a11yjson``), which take no other parameter."""
    own = [download for download in registry.extra_downloads if download.item]
    if not own:
        return {"$ref": "#/components/parameters/f"}
    description = (
        _("Response format.")
        + " "
        + _(
            "%(formats)s: the feature in that format, in WGS 84 with every public property "
            "(no other parameter)."
        )
        % {"formats": ", ".join(download.format for download in own)}
    )
    return _parameter(
        "f",
        description,
        {"type": "string", "enum": ["json", "html", *(download.format for download in own)]},
    )


def _sortby_parameter(registry) -> dict:
    names = [q.name for q in registry_queryables(registry).values() if q.sortable]
    return _parameter(
        "sortby",
        _("Comma-separated queryables, - for descending."),
        {
            "type": "array",
            "items": {"type": "string", "enum": [*names, *(f"-{n}" for n in names)]},
        },
    )


def _get(
    summary: str, responses: dict, parameters: list | None = None, operation_id: str = ""
) -> dict:
    operation = {"summary": summary, "operationId": operation_id, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


def _ok(media_types: list[str], description: str) -> dict:
    return {
        "200": {
            "description": description,
            "content": {m: {"schema": {"type": "object"}} for m in media_types},
        },
        "400": _EXCEPTION,
        "404": _EXCEPTION,
    }


_TMS_PARAMETER = path_parameter("tileMatrixSetId", {"type": "string", "enum": ["WebMercatorQuad"]})


def _tile_paths(base: str, key: str) -> dict:
    def whole(name: str, low: int, high: int | None) -> dict:
        schema = {"type": "integer", "minimum": low}
        if high is not None:
            schema["maximum"] = high
        return path_parameter(name, schema)

    return {
        f"{base}/tiles": _get(
            _("Vector tilesets"), _ok([http.JSON], _("Tilesets")), None, f"tilesets_{key}"
        ),
        f"{base}/tiles/{{tileMatrixSetId}}": _get(
            _("The vector tileset"),
            _ok([http.JSON], _("Tileset")),
            [_TMS_PARAMETER],
            f"tileset_{key}",
        ),
        f"{base}/tiles/{{tileMatrixSetId}}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}": _get(
            _("A vector tile"),
            {
                "200": {
                    "description": _("A Mapbox Vector Tile"),
                    "content": {
                        "application/vnd.mapbox-vector-tile": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                "204": {"description": _("No feature in this tile")},
                "400": _EXCEPTION,
                "404": _EXCEPTION,
            },
            [
                _TMS_PARAMETER,
                whole("tileMatrix", 0, 22),
                whole("tileRow", 0, None),
                whole("tileCol", 0, None),
            ],
            f"tile_{key}",
        ),
    }


def openapi_document(request: HttpRequest) -> dict:
    common = ["f"]
    item_parameters = list(ITEM_PARAMETERS)

    def refs(names):
        return [{"$ref": f"#/components/parameters/{name}"} for name in names]

    paths = {
        "/": _get(
            _("Landing page"),
            _ok([http.JSON, http.HTML], _("The landing page")),
            refs(common),
            "getLandingPage",
        ),
        "/conformance": _get(
            _("Conformance classes"),
            _ok([http.JSON, http.HTML], _("Conformance")),
            refs(common),
            "getConformance",
        ),
        "/api": _get(
            _("This API definition"),
            _ok([http.OPENAPI_JSON, http.HTML], _("OpenAPI 3.0")),
            refs(common),
            "getApi",
        ),
        "/collections": _get(
            _("The collections"),
            _ok([http.JSON, http.HTML], _("Collections")),
            refs(common),
            "getCollections",
        ),
        "/catalogue": _get(
            _("DCAT catalogue"), _ok([http.JSON_LD], _("DCAT JSON-LD")), None, "getCatalogue"
        ),
        "/passports": _get(
            _("The national portal's dataset passports"),
            _ok([http.JSON], _("Passports")),
            None,
            "getPassports",
        ),
        "/tileMatrixSets": _get(
            _("Tile matrix sets"), _ok([http.JSON], _("Tile matrix sets")), None, "getTMSs"
        ),
        "/tileMatrixSets/{tileMatrixSetId}": _get(
            _("A tile matrix set"),
            _ok([http.JSON], _("Its definition")),
            [_TMS_PARAMETER],
            "getTMS",
        ),
    }
    for registry in published_collections():
        base = f"/collections/{registry.id}"
        queryable_parameters = [
            _parameter(q.name, _("Equal to (for a list: contains) this value."), _as_text(q.schema))
            for q in registry_queryables(registry).values()
        ]
        key = registry.id.replace("-", "_").replace(".", "_")
        paths[base] = _get(
            str(registry.title),
            _ok([http.JSON, http.HTML], str(registry.description)),
            refs(common),
            f"describe_{key}",
        )
        paths.update(_tile_paths(base, key))
        paths[f"{base}/queryables"] = _get(
            _("Queryables of %(title)s") % {"title": registry.title},
            _ok([http.SCHEMA_JSON, http.HTML], _("JSON Schema")),
            refs(common),
            f"queryables_{key}",
        )
        paths[f"{base}/items"] = _get(
            _("Features of %(title)s") % {"title": registry.title},
            _ok([http.GEOJSON, http.HTML], _("A page of features")),
            [
                *refs(
                    name
                    for name in item_parameters
                    if name not in ("datetime", "properties", "sortby")
                ),
                _datetime_parameter(registry),
                _properties_parameter(registry),
                _sortby_parameter(registry),
                *queryable_parameters,
            ],
            f"items_{key}",
        )
        paths[f"{base}/items/{{featureId}}"] = _get(
            _("One feature of %(title)s") % {"title": registry.title},
            _ok([http.GEOJSON, http.HTML], _("A feature")),
            [
                path_parameter("featureId", {"type": "string", "format": "uuid"}),
                _item_format_parameter(registry),
                *refs(["crs", "skipGeometry"]),
                _properties_parameter(registry),
            ],
            f"item_{key}",
        )
        paths[f"{base}/download/{{file}}"] = _get(
            _("The whole layer as a file"),
            {
                "200": {"description": _("The file, with licence and source")},
                "206": {"description": _("The byte range asked for (Range)")},
                "404": _EXCEPTION,
                "416": {"description": _("The range is outside the file")},
            },
            [
                path_parameter(
                    "file",
                    {
                        "type": "string",
                        "enum": [
                            download_name(registry, fmt) for fmt in registry_downloads(registry)
                        ],
                    },
                    _("The file name (the format's short name is also taken)."),
                )
            ],
            f"download_{key}",
        )
    from layers.ogcapi.simple_openapi import simple_collection_paths  # it builds on this module

    paths.update(simple_collection_paths(refs))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": _("%(portal)s: open data") % {"portal": hromada_profile().portal_title},
            "version": "1.0.0",
            "description": _("OGC API – Features (Parts 1, 2 and 3) over the open registries."),
            "license": {"name": data_licence().spdx, "url": data_licence().url},
        },
        "servers": [{"url": url(request, "landing").rstrip("/")}],
        "paths": paths,
        "components": {
            "parameters": _parameters(),
            "schemas": {
                # After OGC API – Features Part 1, openapi/schemas/exception.yaml.
                "exception": {
                    "type": "object",
                    "required": ["code"],
                    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
                }
            },
            "responses": {
                "Exception": {
                    "description": _("An error (OGC exception)"),
                    "content": {http.JSON: {"schema": {"$ref": "#/components/schemas/exception"}}},
                }
            },
        },
    }
