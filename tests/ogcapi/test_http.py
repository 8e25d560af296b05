"""Conditional requests, CORS and gzip."""

import gzip
import json

import pytest

from layers.registry import registry_get
from tests.ogcapi.conftest import body, publish

pytestmark = pytest.mark.django_db

URLS = [
    "/ogc/collections/trees/items",
    "/ogc/collections/trees",
    "/ogc/collections",
    "/ogc/collections/trees/download/geojson",
    "/ogc/catalogue",
]


@pytest.mark.parametrize("url", URLS)
def test_unchanged_collection_gives_304_and_a_change_a_new_etag(client, url):
    (tree,) = publish(registry_get("trees"), 1)
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=etag)
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    tree.height_m = 12
    tree.save()
    after_change = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200
    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag["ETag"] == etag
    assert after_change.status_code == 200
    assert after_change["ETag"] != etag


def test_unpublishing_changes_the_etag(client):
    records = publish(registry_get("trees"), 2)
    etag = client.get("/ogc/collections/trees/items")["ETag"]

    records[0].status = "archived"
    records[0].save()

    assert client.get("/ogc/collections/trees/items", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_etag_differs_by_query_and_format(client):
    publish(registry_get("trees"), 1)

    tags = {
        client.get("/ogc/collections/trees/items")["ETag"],
        client.get("/ogc/collections/trees/items?limit=5")["ETag"],
        client.get("/ogc/collections/trees/items?f=html")["ETag"],
    }

    assert len(tags) == 3


@pytest.mark.parametrize("url", ["/ogc/", *URLS, "/ogc/collections/nope"])
def test_cors_allows_any_origin(client, url):
    response = client.get(url, HTTP_ORIGIN="https://example.org")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_cors_preflight(client):
    response = client.options(
        "/ogc/collections/trees/items",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


def test_writes_are_refused_with_an_ogc_exception(client):
    response = client.post("/ogc/collections/trees/items", {})

    assert response.status_code == 405
    assert json.loads(response.content)["code"] == "MethodNotAllowed"


@pytest.mark.parametrize("url", ["/ogc/collections/trees/items?limit=50", "/ogc/collections"])
def test_gzip_when_accepted_streamed_or_not(client, url):
    publish(registry_get("trees"), 20)

    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert json.loads(gzip.decompress(body(zipped))).keys() == json.loads(body(plain)).keys()
    assert zipped["ETag"].startswith('W/"')
    # A weak tag still matches on revalidation.
    assert client.get(url, HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code == 304
