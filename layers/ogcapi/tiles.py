"""OGC API – Tiles over the portal's vector tiles: the WebMercatorQuad tile matrix set, each
collection's tilesets and tileset, and tiles at the standard's URL, so a client finds the
tiles from the collection without knowing the ``/tiles/{id}/{z}/{x}/{y}.pbf`` pattern.

The tiles themselves are those of the map (``layers.tiles``): one place that makes them.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from layers.ogcapi import http
from layers.ogcapi.families import base_id, registry_families
from layers.ogcapi.links import link, url
from layers.registry import Registry
from layers.tiles.sql import MAX_ZOOM, MIN_ZOOM

WEB_MERCATOR_QUAD = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
EPSG_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
MVT = "application/vnd.mapbox-vector-tile"
TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
]
# The Web Mercator extent and the zoom-0 values of OGC 17-083r4 (2D TMS 2.0), Annex D.1.
_ORIGIN = 20037508.3427892
_CELL_SIZE_0 = 156543.033928041
_SCALE_0 = 559082264.028717


def tile_matrix_set(request: HttpRequest) -> dict:
    """The WebMercatorQuad definition in the 2D Tile Matrix Set 2.0 JSON encoding, with the
    members of the 1.0 encoding beside them (``identifier``, ``supportedCRS``,
    ``boundingBox``, ``topLeftCorner``): GDAL up to 3.6 reads only those."""
    return {
        "type": "TileMatrixSetType",
        "identifier": WEB_MERCATOR_QUAD,
        "supportedCRS": EPSG_3857,
        "boundingBox": {
            "type": "BoundingBoxType",
            "crs": EPSG_3857,
            "lowerCorner": [-_ORIGIN, -_ORIGIN],
            "upperCorner": [_ORIGIN, _ORIGIN],
        },
        "id": WEB_MERCATOR_QUAD,
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": EPSG_3857,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [
            {
                "id": str(zoom),
                "identifier": str(zoom),
                "topLeftCorner": [-_ORIGIN, _ORIGIN],
                "scaleDenominator": _SCALE_0 / 2**zoom,
                "cellSize": _CELL_SIZE_0 / 2**zoom,
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-_ORIGIN, _ORIGIN],
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": 2**zoom,
                "matrixHeight": 2**zoom,
            }
            for zoom in range(MIN_ZOOM, MAX_ZOOM + 1)
        ],
        "links": [link(url(request, "tms", WEB_MERCATOR_QUAD), "self", http.JSON, "JSON")],
    }


def tile_matrix_sets(request: HttpRequest) -> dict:
    return {
        "tileMatrixSets": [
            {
                "id": WEB_MERCATOR_QUAD,
                "title": "Google Maps Compatible for the World",
                "uri": TMS_URI,
                "links": [link(url(request, "tms", WEB_MERCATOR_QUAD), "self", http.JSON, "JSON")],
            }
        ]
    }


def tiles_registry_id(collection: Registry) -> str:
    """Whose tiles a collection has: a family view's are its registry's (a tile holds both)."""
    return base_id(collection)


def _template(request: HttpRequest, collection: Registry) -> str:
    sample = reverse(
        "ogcapi:tile",
        kwargs={
            "collection_id": collection.id,
            "matrix_set": WEB_MERCATOR_QUAD,
            "z": 0,
            "y": 0,
            "x": 0,
        },
    )
    return request.build_absolute_uri(sample).replace(
        f"/{WEB_MERCATOR_QUAD}/0/0/0",
        f"/{WEB_MERCATOR_QUAD}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}",
    )


def _dimension(collection: Registry) -> int | None:
    families = registry_families(collection)
    return families[0][0].dimension if len(families) == 1 else None


def tileset(request: HttpRequest, collection: Registry, bbox) -> dict:
    """The collection's vector tileset in WebMercatorQuad (Tiles Part 1, tileset.yaml)."""
    layer = {
        "id": tiles_registry_id(collection),
        "title": str(collection.title),
        "dataType": "vector",
        "minTileMatrix": str(MIN_ZOOM),
        "maxTileMatrix": str(MAX_ZOOM),
    }
    dimension = _dimension(collection)
    if dimension is not None:
        layer["geometryDimension"] = dimension
    document = {
        "title": _("%(title)s: vector tiles") % {"title": collection.title},
        "dataType": "vector",
        "crs": EPSG_3857,
        "tileMatrixSetURI": TMS_URI,
        "links": [
            link(
                url(request, "tileset", collection.id, WEB_MERCATOR_QUAD),
                "self",
                http.JSON,
                _("This tileset"),
            ),
            link(
                url(request, "tms", WEB_MERCATOR_QUAD),
                TILING_SCHEME,
                http.JSON,
                "WebMercatorQuad",
            ),
            {**link(_template(request, collection), "item", MVT, _("A tile")), "templated": True},
            link(url(request, "collection", collection.id), "collection", http.JSON, "OGC"),
        ],
        "layers": [layer],
    }
    if bbox:
        document["boundingBox"] = {
            "lowerLeft": [bbox[0], bbox[1]],
            "upperRight": [bbox[2], bbox[3]],
            "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        }
    return document


def tilesets(request: HttpRequest, collection: Registry, bbox) -> dict:
    one = tileset(request, collection, bbox)
    return {
        "tilesets": [
            {
                "title": one["title"],
                "dataType": "vector",
                "crs": EPSG_3857,
                "tileMatrixSetURI": TMS_URI,
                "links": [one["links"][0], one["links"][1]],
            }
        ],
        "links": [link(url(request, "tilesets", collection.id), "self", http.JSON, _("Tilesets"))],
    }
