"""OGC API – Tiles: a client finds the vector tiles from the collection alone, following
links (collection → tilesets → tileset → tile template and tile matrix set), and gets the
map's own tiles at the standard's URL."""

import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point

from layers.registry import registry_get
from tests.ogcapi.conftest import json_body, publish

pytestmark = pytest.mark.django_db

TILESETS = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"


def _href(document: dict, rel: str, media_type: str = "application/json") -> str:
    (found,) = [x["href"] for x in document["links"] if x["rel"] == rel and x["type"] == media_type]
    return found.removeprefix("http://testserver")


def _tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """(row, column) of the WebMercatorQuad tile holding the point."""
    n = 2**zoom
    column = int((lon + 180) / 360 * n)
    row = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return row, column


def test_a_client_finds_a_tile_from_the_collection_by_links(get):
    (tree,) = publish(registry_get("trees"), 1, geom=Point(26.9965, 49.4216, srid=4326))

    collection = json_body(get("/ogc/collections/trees"))
    tilesets = json_body(get(_href(collection, TILESETS)))
    tileset = json_body(get(_href(tilesets["tilesets"][0], "self")))
    matrix_set = json_body(get(_href(tileset, TILING_SCHEME)))
    (template,) = [x for x in tileset["links"] if x["rel"] == "item"]
    row, column = _tile_of(26.9965, 49.4216, 16)
    url = (
        template["href"]
        .removeprefix("http://testserver")
        .replace("{tileMatrix}", "16")
        .replace("{tileRow}", str(row))
        .replace("{tileCol}", str(column))
    )
    response = get(url, accept="application/vnd.mapbox-vector-tile")

    assert tileset["dataType"] == "vector" and template["templated"] is True
    assert tileset["tileMatrixSetURI"].endswith("/WebMercatorQuad")
    assert matrix_set["id"] == "WebMercatorQuad" and matrix_set["crs"].endswith("/3857")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    (layer,) = mapbox_vector_tile.decode(response.content).values()
    assert [f["id"] for f in layer["features"]] == [tree.pk]
    # The same bytes as the map's own tile: one place makes tiles.
    assert response.content == get(f"/tiles/trees/16/{column}/{row}.pbf").content


def test_the_tile_matrix_set_is_web_mercator_quad():
    from django.test import Client

    document = Client().get("/ogc/tileMatrixSets/WebMercatorQuad").json()
    matrices = document["tileMatrices"]
    world = 2 * 20037508.3427892

    assert [m["id"] for m in matrices] == [str(z) for z in range(23)]
    for zoom, matrix in enumerate(matrices):
        assert matrix["matrixWidth"] == matrix["matrixHeight"] == 2**zoom
        assert math.isclose(matrix["cellSize"] * 256 * 2**zoom, world, rel_tol=1e-9)
        assert math.isclose(matrix["scaleDenominator"] * 0.00028, matrix["cellSize"], rel_tol=1e-6)
        assert matrix["pointOfOrigin"] == [-world / 2, world / 2]
        # The 1.0 encoding beside it, which GDAL 3.6 reads.
        assert matrix["identifier"] == matrix["id"] and matrix["topLeftCorner"]
    assert document["supportedCRS"] == document["crs"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/ogc/collections/trees/tiles/WebMercatorQuad/3/8/0", 404),  # row outside zoom 3
        ("/ogc/collections/trees/tiles/WebMercatorQuad/23/0/0", 404),
        ("/ogc/collections/trees/tiles/WorldCRS84Quad/0/0/0", 404),
        ("/ogc/collections/trees/tiles/WebMercatorQuad/0/0/0?condition=good", 400),
        ("/ogc/tileMatrixSets/Nothing", 404),
        ("/ogc/collections/nothing/tiles", 404),
    ],
)
def test_bad_tile_requests_are_ogc_exceptions(get, url, status):
    response = get(url)

    assert response.status_code == status
    assert json_body(response)["code"]


def test_conformance_and_landing_announce_the_tiles(get):
    conformance = json_body(get("/ogc/conformance"))["conformsTo"]
    landing = json_body(get("/ogc/"))

    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core" in conformance
    assert _href(landing, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes")
    mixed = json_body(get("/ogc/collections/heritage.points/tiles/WebMercatorQuad"))
    assert mixed["layers"][0]["id"] == "heritage"  # the registry's tiles hold both families
