import pytest

from layers.ogcapi.crs import CRS84
from layers.ogcapi.families import published_collections
from layers.ogcapi.simple import simple_collections
from layers.registry import public_registries
from tests.ogcapi import schemas
from tests.ogcapi.conftest import json_body, publish

pytestmark = pytest.mark.django_db


def test_landing_page_links_the_api_conformance_and_collections(get):
    document = json_body(get("/ogc/"))

    schemas.validate(document, schemas.LANDING_PAGE)
    rels = {link["rel"] for link in document["links"]}
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= rels


def test_conformance_declares_core_geojson_html_oas30_and_crs(get):
    document = json_body(get("/ogc/conformance"))

    schemas.validate(document, schemas.CONF_CLASSES)
    conforms = set(document["conformsTo"])
    base = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
    assert {base + c for c in ("core", "geojson", "html", "oas30")} <= conforms
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conforms


def test_collections_list_every_registry(get):
    document = json_body(get("/ogc/collections"))

    schemas.validate(document, schemas.COLLECTIONS)
    ids = [c["id"] for c in document["collections"]]
    # The registries, then the collections of other apps (citizen reports).
    assert ids == [r.id for r in published_collections()] + [c.id for c in simple_collections()]
    # Heritage mixes points and polygons: one collection per family, the mixed one unlisted.
    assert {"heritage.points", "heritage.polygons"} <= set(ids)
    assert "heritage" not in ids
    assert {r.id for r in public_registries() if r.id != "heritage"} <= set(ids)


def test_collection_has_licence_extent_crs_and_downloads(get, registry):
    publish(registry, 2)

    document = json_body(get(f"/ogc/collections/{registry.id}"))

    schemas.validate(document, schemas.COLLECTION)
    assert document["crs"][0] == CRS84
    assert "http://www.opengis.net/def/crs/EPSG/0/5563" in document["crs"]
    assert "http://www.opengis.net/def/crs/EPSG/0/4326" in document["crs"]
    rels = [link["rel"] for link in document["links"]]
    assert "license" in rels
    # The four files every registry has, and the registry's own (accessibility: three).
    assert rels.count("enclosure") == 4 + len(registry.extra_downloads)
    west, south, east, north = document["extent"]["spatial"]["bbox"][0]
    assert 26 < west <= east < 28 and 49 < south <= north < 50


def test_queryables_are_a_json_schema_of_public_properties(get, registry):
    document = json_body(get(f"/ogc/collections/{registry.id}/queryables"))

    assert document["type"] == "object"
    assert "geometry" in document["properties"]
    assert set(document["properties"]) - {"geometry"} <= set(registry.properties)
    assert "notes" not in document["properties"]


def test_openapi_lists_every_collection_and_the_limit_maximum(get):
    response = get("/ogc/api")

    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    document = json_body(response)
    assert document["openapi"].startswith("3.0")
    for registry in published_collections():
        assert f"/collections/{registry.id}/items" in document["paths"]
    # Not "maximum": a larger limit is no error (Part 1), it is served as the maximum.
    assert document["components"]["parameters"]["limit"]["schema"]["x-maximum"] == 10000
    assert "10000" in document["components"]["parameters"]["limit"]["description"]


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/",
        "/ogc/conformance",
        "/ogc/api",
        "/ogc/collections",
        "/ogc/collections/trees",
        "/ogc/collections/trees/items",
        "/ogc/collections/trees/queryables",
    ],
)
def test_html_views_render_for_browsers_and_by_f(client, path):
    from layers.registry import registry_get

    publish(registry_get("trees"), 3)
    by_accept = client.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    by_f = client.get(path, {"f": "html"})

    for response in (by_accept, by_f):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert b"<main" in response.content


def test_item_html_shows_the_properties(client):
    from layers.registry import registry_get

    (tree,) = publish(registry_get("trees"), 1, name="Липа біля ратуші")

    response = client.get(f"/ogc/collections/trees/items/{tree.public_id}", {"f": "html"})

    assert response.status_code == 200
    assert "Липа біля ратуші" in response.content.decode()


def test_catalogue_is_dcat_json_ld_with_distributions_and_licence(get):
    response = get("/ogc/catalogue")

    assert response["Content-Type"].startswith("application/ld+json")
    document = json_body(response)
    assert document["@type"] == "dcat:Catalog"
    datasets = document["dcat:dataset"]
    # One data set per registry; a mixed one has an API collection and 4 files per family,
    # and a registry its own files besides (accessibility: three).
    assert [d["dct:identifier"] for d in datasets] == [r.id for r in public_registries()]
    for dataset, registry in zip(datasets, public_registries(), strict=True):
        families = 2 if dataset["dct:identifier"] == "heritage" else 1
        assert {t["@language"] for t in dataset["dct:title"]} == {"uk", "en"}
        files = 5 + len(registry.extra_downloads)
        assert len(dataset["dcat:distribution"]) == files * families
        for distribution in dataset["dcat:distribution"]:
            licence = distribution["dct:license"]["@id"]
            assert licence == "https://creativecommons.org/licenses/by/4.0/"
