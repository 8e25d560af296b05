"""The OpenAPI paths of the simple collections (``layers/ogcapi/simple.py``): the
parameters they take and no others, so that a client (or Schemathesis) reading the
definition asks only what they answer."""

from django.utils.translation import gettext as _

from layers.ogcapi import http
from layers.ogcapi.crs import CRS84
from layers.ogcapi.openapi import _get, _ok, _parameter, datetime_syntax, path_parameter
from layers.ogcapi.simple import simple_collections


def simple_collection_paths(refs) -> dict:
    """``refs(names)``: references to the shared parameters (``components/parameters``)."""
    paths = {}
    for collection in simple_collections():
        base = f"/collections/{collection.id}"
        key = collection.id.replace("-", "_")
        paths[base] = _get(
            str(collection.title),
            _ok([http.JSON, http.HTML], str(collection.description)),
            refs(["f"]),
            f"describe_{key}",
        )
        paths[f"{base}/queryables"] = _get(
            _("Queryables of %(title)s") % {"title": collection.title},
            _ok([http.SCHEMA_JSON, http.HTML], _("JSON Schema")),
            refs(["f"]),
            f"queryables_{key}",
        )
        crs84 = {"type": "string", "format": "uri", "enum": [CRS84]}
        paths[f"{base}/items"] = _get(
            _("Features of %(title)s") % {"title": collection.title},
            _ok([http.GEOJSON, http.HTML], _("A page of features")),
            [
                *refs(["f", "bbox", "limit", "offset", "skipGeometry"]),
                _parameter("bbox-crs", _("The CRS of bbox."), crs84),
                _parameter("crs", _("The CRS of the returned coordinates."), crs84),
                _parameter(
                    "datetime",
                    _("Features whose %(name)s falls in this instant or interval.")
                    % {"name": collection.temporal}
                    + " "
                    + datetime_syntax(),
                    {"type": "string"},
                ),
                *(
                    _parameter(q.name, _("Equal to this value."), q.schema)
                    for q in collection.queryables()
                ),
            ],
            f"items_{key}",
        )
        paths[f"{base}/items/{{featureId}}"] = _get(
            _("One feature of %(title)s") % {"title": collection.title},
            _ok([http.GEOJSON, http.HTML], _("A feature")),
            [
                path_parameter("featureId", {"type": "integer", "minimum": 1}),
                *refs(["f", "skipGeometry"]),
                _parameter("crs", _("The CRS of the returned coordinates."), crs84),
            ],
            f"item_{key}",
        )
    return paths
