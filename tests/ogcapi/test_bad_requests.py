"""Client mistakes give 400/404 with an OGC exception body, never a 500."""

import pytest

from layers.registry import registry_get
from tests.ogcapi import schemas
from tests.ogcapi.conftest import json_body, publish

pytestmark = pytest.mark.django_db

ITEMS = "/ogc/collections/trees/items"


@pytest.mark.parametrize(
    ("url", "query", "status"),
    [
        ("/ogc/collections/nope", {}, 404),
        ("/ogc/collections/nope/items", {}, 404),
        ("/ogc/collections/trees/items/not-a-uuid", {}, 404),
        ("/ogc/collections/trees/items/00000000-0000-0000-0000-000000000000", {}, 404),
        ("/ogc/collections/trees/download/exe", {}, 404),
        ("/ogc/nothing/here", {}, 404),
        (ITEMS, {"limit": "-1"}, 400),
        (ITEMS, {"limit": "0"}, 400),
        (ITEMS, {"limit": "ten"}, 400),
        (ITEMS, {"limit": "9" * 5000}, 400),
        (ITEMS, {"offset": "-5"}, 400),
        (ITEMS, {"offset": "99999999999999999999"}, 400),
        (ITEMS, {"bbox": "1,2,3"}, 400),
        (ITEMS, {"bbox": "a,b,c,d"}, 400),
        (ITEMS, {"bbox": "0,0,200,10"}, 400),
        (ITEMS, {"bbox": "0,95,10,96"}, 400),
        (ITEMS, {"bbox": "nan,0,1,1"}, 400),
        (ITEMS, {"bbox": "1e300,0,1,1"}, 400),
        (ITEMS, {"bbox": "0,10,10,0"}, 400),
        (ITEMS, {"bbox": "26,49,27,50", "bbox-crs": "EPSG:9999"}, 400),
        (ITEMS, {"bbox-crs": "EPSG:4326"}, 400),
        (ITEMS, {"crs": "EPSG:9999"}, 400),
        (ITEMS, {"crs": "/etc/passwd"}, 400),
        (ITEMS, {"crs": "http://example.org/evil"}, 400),
        (ITEMS, {"notes": "x"}, 400),
        (ITEMS, {"owner__password": "x"}, 400),
        (ITEMS, {"height_m": "tall"}, 400),
        (ITEMS, {"height_m": "Infinity"}, 400),
        (ITEMS, {"planted_on": "2024-13-45"}, 400),
        (ITEMS, {"name": "a\x00b"}, 400),
        (ITEMS, {"sortby": "notes"}, 400),
        (ITEMS, {"sortby": "-owner__password"}, 400),
        (ITEMS, {"properties": "name,notes"}, 400),
        (ITEMS, {"skipGeometry": "maybe"}, 400),
        (ITEMS, {"datetime": "yesterday"}, 400),
        (ITEMS, {"datetime": "../.."}, 400),
        (ITEMS, {"f": "xml"}, 400),
        (ITEMS, {"filter": "height_m >"}, 400),
        (ITEMS, {"filter": "notes = 'x'"}, 400),
        (ITEMS, {"filter": "created_by__password = 'x'"}, 400),
        (ITEMS, {"filter": "height_m = 'tall'"}, 400),
        (ITEMS, {"filter": "(" * 500 + "height_m = 1" + ")" * 500}, 400),
        (ITEMS, {"filter": "NOT " * 200 + "height_m = 1"}, 400),
        (ITEMS, {"filter": "height_m = 1; DROP TABLE layers_tree"}, 400),
        (ITEMS, {"filter": "S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 0 1)))"}, 400),
        (ITEMS, {"filter": "S_INTERSECTS(geometry, POINT(1e300 0))"}, 400),
        (ITEMS, {"filter": "S_INTERSECTS(notes, POINT(1 1))"}, 400),
        (ITEMS, {"filter": "species_latin = 'x'", "filter-lang": "cql2-json"}, 400),
        (ITEMS, {"filter": "height_m = 1", "filter-lang": ""}, 400),  # found by Schemathesis
        (ITEMS, {"bbox-crs": ""}, 400),
        (ITEMS, {"filter": "  "}, 400),
        (ITEMS, {"filter": "height_m = 1", "filter-crs": "EPSG:1"}, 400),
        ("/ogc/collections/trees/items/00000000-0000-0000-0000-000000000000", {"limit": "5"}, 400),
        ("/ogc/collections/trees/download/csv", {"limit": "5"}, 400),
    ],
)
def test_bad_request_gives_an_ogc_exception(get, url, query, status):
    publish(registry_get("trees"), 1)

    response = get(url, query)

    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    document = json_body(response)
    schemas.validate(document, schemas.EXCEPTION)
    assert document["description"]


def test_a_wrong_accept_is_406_with_an_exception(get):
    response = get(ITEMS, accept="image/png")

    assert response.status_code == 406
    schemas.validate(json_body(response), schemas.EXCEPTION)


def test_a_path_with_a_newline_is_an_ogc_404(get):
    # Django's "." stops at a newline: the catch-all takes every character.
    response = get("/ogc/collections/%0A/items")

    assert response.status_code == 404
    schemas.validate(json_body(response), schemas.EXCEPTION)


@pytest.mark.parametrize(
    "path", ["/ogc/collections/", "/ogc/collections/trees/", "/ogc/collections/trees/items/"]
)
def test_a_trailing_slash_is_served_as_the_resource_without_a_redirect(get, path):
    # QGIS does not follow redirects: the path typed with a slash must answer itself.
    response = get(path + "?f=json")

    assert response.status_code == 200
    document = json_body(response)
    assert document.keys() == json_body(get(path.rstrip("/") + "?f=json")).keys()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/ogc/collections/trees/items", "/ogc/collections/", "/ogc"])
def test_a_write_is_405_with_an_exception_not_the_csrf_page(method, path):
    from django.test import Client

    # enforce_csrf_checks: as a browser or a script without a token meets the site.
    response = getattr(Client(enforce_csrf_checks=True), method)(
        path, data="{}", content_type="application/json"
    )

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    schemas.validate(json_body(response), schemas.EXCEPTION)
