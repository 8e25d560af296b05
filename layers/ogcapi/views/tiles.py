"""``/tileMatrixSets`` and ``/collections/{id}/tiles…``: OGC API – Tiles."""

from django.http import HttpRequest

from layers.ogcapi import http
from layers.ogcapi.exceptions import NotFound, UnknownParameter
from layers.ogcapi.tiles import (
    WEB_MERCATOR_QUAD,
    tile_matrix_set,
    tile_matrix_sets,
    tiles_registry_id,
    tileset,
    tilesets,
)
from layers.ogcapi.views.base import conditional, json_response, ogc_endpoint, registry_or_404
from layers.selectors.summary import collection_summary
from layers.tiles import views as map_tiles

STATIC_STAMP = "tms-1"  # the tile matrix set changes only with the code


def _matrix_set(name: str) -> None:
    if name != WEB_MERCATOR_QUAD:
        raise NotFound(f"No tile matrix set {name!r}; there is {WEB_MERCATOR_QUAD}.")


@ogc_endpoint
def matrix_sets(request: HttpRequest):
    return conditional(
        request, STATIC_STAMP, http.JSON, lambda: json_response(tile_matrix_sets(request))
    )


@ogc_endpoint
def matrix_set(request: HttpRequest, matrix_set: str):
    _matrix_set(matrix_set)
    return conditional(
        request, STATIC_STAMP, http.JSON, lambda: json_response(tile_matrix_set(request))
    )


def _collection_document(request: HttpRequest, collection_id: str, make) -> object:
    """A tiles document of a collection (``make(request, collection, bbox)``), by its stamp."""
    collection = registry_or_404(collection_id)
    summary = collection_summary(collection)
    return conditional(
        request,
        summary.stamp,
        http.JSON,
        lambda: json_response(make(request, collection, summary.bbox)),
    )


@ogc_endpoint
def collection_tilesets(request: HttpRequest, collection_id: str):
    return _collection_document(request, collection_id, tilesets)


@ogc_endpoint
def collection_tileset(request: HttpRequest, collection_id: str, matrix_set: str):
    registry_or_404(collection_id)  # an unknown collection is named before the matrix set
    _matrix_set(matrix_set)
    return _collection_document(request, collection_id, tileset)


@ogc_endpoint
def collection_tile(request: HttpRequest, collection_id: str, matrix_set: str, z, y, x):
    """A tile at the standard's URL (row before column): the map's own tile."""
    collection = registry_or_404(collection_id)
    _matrix_set(matrix_set)
    if request.GET:
        raise UnknownParameter("A tile at this URL takes no parameters.")
    response = map_tiles.tile(request, collection=tiles_registry_id(collection), z=z, x=x, y=y)
    if response.status_code == 404:  # a tile outside its matrix
        raise NotFound(f"There is no tile {z}/{y}/{x} in {WEB_MERCATOR_QUAD}.")
    return response
