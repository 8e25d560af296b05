"""Part 2: coordinates in the requested CRS and its axis order, boxes in bbox-crs."""

import pytest
from django.contrib.gis.geos import Point
from pyproj import Transformer

from layers.registry import registry_get
from tests.ogcapi.conftest import json_body, publish

pytestmark = pytest.mark.django_db

LON, LAT = 26.9965, 49.4216
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"


@pytest.fixture
def tree():
    (record,) = publish(registry_get("trees"), 1, geom=Point(LON, LAT, srid=4326))
    return record


def coordinates(get, tree, crs=None):
    query = {"crs": crs} if crs else {}
    response = get(f"/ogc/collections/trees/items/{tree.public_id}", query)
    assert response.status_code == 200, response.content
    return response, json_body(response)["geometry"]["coordinates"]


def test_crs84_is_the_default_lon_lat(get, tree):
    response, (x, y) = coordinates(get, tree)

    assert (x, y) == pytest.approx((LON, LAT), abs=1e-7)
    assert response["Content-Crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"


def test_epsg_4326_is_latitude_first(get, tree):
    response, (first, second) = coordinates(get, tree, EPSG.format(4326))

    assert (first, second) == pytest.approx((LAT, LON), abs=1e-7)
    assert response["Content-Crs"] == f"<{EPSG.format(4326)}>"


def test_web_mercator_is_easting_northing(get, tree):
    _response, (x, y) = coordinates(get, tree, EPSG.format(3857))

    expected = Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True).transform(LON, LAT)
    assert (x, y) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("code", [5561, 5563])
def test_ucs_2000_systems_follow_their_axis_order(get, tree, code):
    _response, coordinates_out = coordinates(get, tree, f"EPSG:{code}")

    # pyproj without always_xy: the output is in the CRS's own axis order.
    expected = Transformer.from_crs("OGC:CRS84", f"EPSG:{code}").transform(LON, LAT)
    tolerance = 1e-7 if code == 5561 else 0.01
    assert coordinates_out == pytest.approx(list(expected), abs=tolerance)
    if code == 5563:
        northing, easting = coordinates_out
        assert 5.4e6 < northing < 5.5e6 and 5.4e6 < easting < 5.6e6  # zone 5 prefix


def test_bbox_crs_takes_corners_in_the_crs_axis_order(get, tree):
    lat_lon_box = f"{LAT - 0.01},{LON - 0.01},{LAT + 0.01},{LON + 0.01}"
    x, y = Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True).transform(LON, LAT)
    mercator_box = f"{x - 100},{y - 100},{x + 100},{y + 100}"

    def matched(bbox, crs):
        query = {"bbox": bbox, "bbox-crs": crs}
        return json_body(get("/ogc/collections/trees/items", query))["numberMatched"]

    assert matched(lat_lon_box, EPSG.format(4326)) == 1
    assert matched(mercator_box, EPSG.format(3857)) == 1
    # The same numbers read as lon/lat miss the tree.
    assert matched(lat_lon_box, "http://www.opengis.net/def/crs/OGC/1.3/CRS84") == 0
