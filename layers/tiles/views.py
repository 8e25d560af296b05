"""Vector tiles of every registry and their TileJSON description (for the public map and
any MVT client: QGIS, MapLibre, OpenLayers)."""

import json

from django.contrib.gis.geos import GEOSGeometry
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from layers.ogcapi.http import accepts_gzip
from layers.registry import public_registry_get
from layers.selectors.boundary import hromada_boundary_geojson
from layers.selectors.map import MapFilterError, map_filters_parse, property_label
from layers.selectors.summary import collection_summary
from layers.tiles.cache import build_and_keep, cacheable, cached_tile
from layers.tiles.features import feature_get
from layers.tiles.overview import overview_applies, overview_bytes
from layers.tiles.sql import (
    MAX_ZOOM,
    MIN_ZOOM,
    TileOutOfRange,
    tile_bytes,
    tile_check,
    tile_etag,
)

MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"
# Clients revalidate after a minute; the ETag makes revalidation a cheap 304.
TILE_MAX_AGE = 60


def _registry(collection: str):
    try:
        return public_registry_get(collection)
    except KeyError:
        raise Http404("No such collection") from None


def _headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    response["Vary"] = "Accept-Encoding"
    patch_cache_control(response, public=True, max_age=TILE_MAX_AGE)
    return response


@require_safe
def tile(request, collection: str, z: int, x: int, y: int):
    """One Mapbox Vector Tile; 204 when no published feature falls in it. Query parameters
    are the map's filters of this layer (``?condition=good,hazardous``)."""
    registry = _registry(collection)
    try:
        tile_check(z, x, y)
    except TileOutOfRange as exc:
        raise Http404(str(exc)) from None
    try:
        filters = map_filters_parse(registry, request.GET)
    except MapFilterError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    etag = tile_etag(registry, z=z, x=x, y=y, filters=filters)
    if_none_match = request.headers.get("If-None-Match", "")
    # Weak comparison (RFC 9110 §13.1.2): the gzipped answer's tag came back as W/"…".
    known = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
    if etag in known or if_none_match.strip() == "*":
        return _headers(HttpResponse(status=304), etag)
    kept, answered = None, "miss"
    if overview_applies(registry, z, filters):
        data, answered = overview_bytes(registry, z=z, x=x, y=y), "overview"
    elif cacheable(z, filters):
        kept = cached_tile(registry, z=z, x=x, y=y)
        answered = "hit" if kept is not None else "miss"
        kept = kept or build_and_keep(registry, z=z, x=x, y=y)
        data = kept.data
    else:
        data = tile_bytes(registry, z=z, x=x, y=y, filters=filters)
    if not data:
        response = HttpResponse(status=204)
    elif kept and kept.data_gzip and accepts_gzip(request):
        # Compressed once when built; DataGZipMiddleware leaves an encoded answer alone.
        response = HttpResponse(kept.data_gzip, content_type=MVT_CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
        etag = "W/" + etag  # another representation than the identity bytes (RFC 9110)
    else:
        response = HttpResponse(data, content_type=MVT_CONTENT_TYPE)
    # How the tile was answered (for tests, the benchmark and the curious).
    response["X-Tile-Cache"] = answered
    return _headers(response, etag)


@require_safe
def feature(request, collection: str, fid: int | None = None, public_id=None):
    """The public record behind a tile feature (its MVT ``id``), or behind a public id (a
    permalink's selected record): its public id and the values its popup shows. 404 alike
    for an id that is unpublished, archived or never existed."""
    registry = _registry(collection)
    found = feature_get(registry, fid=fid, public_id=public_id)
    if found is None:
        raise Http404("No such published record")
    response = JsonResponse(found, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    # Short like the tiles': an edit shows in the popup as soon as in the tile.
    patch_cache_control(response, public=True, max_age=TILE_MAX_AGE)
    return response


@require_safe
def tilejson(request, collection: str):
    """TileJSON 3.0.0 for one registry's tiles."""
    registry = _registry(collection)
    sample = reverse("tiles:tile", kwargs={"collection": registry.id, "z": 0, "x": 0, "y": 0})
    template = request.build_absolute_uri(sample).replace("/0/0/0.pbf", "/{z}/{x}/{y}.pbf")
    bounds = collection_summary(registry).bbox
    if bounds is None:
        boundary = hromada_boundary_geojson()
        bounds = _geojson_bounds(boundary) if boundary else (-180.0, -85.0511, 180.0, 85.0511)
    # The feature's MVT id is its integer key (``features/{id}.json`` gives the record).
    fields = {name: property_label(registry, name) for name in registry.tile_properties}
    if registry.overview_below_zoom:
        fields["count"] = _("records in the cell (below zoom %(zoom)s)") % {
            "zoom": registry.overview_below_zoom
        }
    body = {
        "tilejson": "3.0.0",
        "name": str(registry.title),
        "description": str(registry.description),
        "scheme": "xyz",
        "tiles": [template],
        "minzoom": MIN_ZOOM,
        "maxzoom": MAX_ZOOM,
        "bounds": [round(v, 6) for v in bounds],
        "center": [
            round((bounds[0] + bounds[2]) / 2, 6),
            round((bounds[1] + bounds[3]) / 2, 6),
            13,
        ],
        "vector_layers": [
            {
                "id": registry.id,
                "description": str(registry.description),
                "minzoom": MIN_ZOOM,
                "maxzoom": MAX_ZOOM,
                "fields": fields,
            }
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=TILE_MAX_AGE)
    return response


def _geojson_bounds(geometry: dict) -> tuple[float, float, float, float]:
    return GEOSGeometry(json.dumps(geometry)).extent
