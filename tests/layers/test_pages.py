import re

import pytest
from django.contrib.gis.geos import Point

from layers.models import Status
from layers.models.waste import Container
from layers.registry import registries, registry_get
from tests.factories import CENTRE, make_record, published_record, registry_ids

pytestmark = pytest.mark.django_db

SCRIPTY = "<img src=x onerror=alert(1)>"


publish = published_record


def page_url(record, registry, lang=""):
    prefix = f"/{lang}" if lang else ""
    return f"{prefix}/{registry.id}/{record.public_id}/"


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_record_page_shows_every_public_property_with_translated_labels(client, registry):
    record = publish(registry, verified_on="2026-05-04")

    response = client.get(page_url(record, registry, "en"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Last verified on site: May 4, 2026" in html
    for row in response.context["rows"] + response.context["rating"]:
        assert row["label"] in html
    shown = {row["name"] for row in response.context["rows"] + response.context["rating"]}
    if response.context["sections"].get("freshness"):
        shown.add("last_assessed_on")  # told with the assessment's status, beside the rating
    assert shown == set(registry.properties) - {"name", "verified_on", "updated_at"}
    assert 'id="record-geometry"' in html
    assert '<meta property="og:title"' in html
    assert "Content-Security-Policy" in response.headers


def test_record_page_shows_choices_as_labels_in_ukrainian(client):
    registry = registry_get("trees")
    record = publish(registry, condition="hazardous", height_m="12.5")

    html = client.get(page_url(record, registry)).content.decode()

    assert '<html lang="uk">' in html
    assert "аварійне" in html
    assert "12,5" in html  # the Ukrainian decimal comma


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_unpublished_record_page_is_404(client, status):
    registry = registry_get("accessibility")
    record = make_record(registry)
    record.status = status
    record.save()

    assert client.get(page_url(record, registry)).status_code == 404


def test_unknown_record_or_registry_is_404(client):
    record = publish(registry_get("trees"))

    assert client.get(f"/trees/{record.public_id}x/").status_code == 404
    assert client.get(f"/nothing/{record.public_id}/").status_code == 404
    assert client.get(f"/heritage/{record.public_id}/").status_code == 404


def test_sensitive_heritage_page_has_no_address_and_no_exact_place(client):
    registry = registry_get("heritage")
    place = Point(27.0123, 49.4051, srid=4326)
    record = publish(
        registry, geom=place, location_sensitive=True, address="с. Олешин, урочище Секретне"
    )

    response = client.get(page_url(record, registry))

    html = response.content.decode()
    assert "урочище Секретне" not in html
    assert "27.0123" not in html and "49.4051" not in html
    assert response.context["record"]["address"] == ""


def test_record_name_is_escaped_everywhere_on_its_page(client):
    registry = registry_get("accessibility")
    record = publish(registry, name=SCRIPTY)

    html = client.get(page_url(record, registry)).content.decode()

    assert SCRIPTY not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_waste_site_page_lists_containers_and_collection_days(client):
    registry = registry_get("waste-sites")
    site = publish(registry)
    Container.objects.create(
        site=site, fraction="glass", count=2, volume_l=1100, collection_days=[1, 4]
    )

    html = client.get(page_url(site, registry, "en")).content.decode()

    assert "glass" in html
    assert "Monday, Thursday" in html


def test_map_page_has_csp_without_inline_script_and_all_layers(client):
    response = client.get("/en/")

    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "https://tile.openstreetmap.org" in csp
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, body in scripts:
        if body.strip():
            assert 'type="application/json"' in attributes or f'nonce="{nonce}"' in attributes
    for registry in registries():
        assert f'id="layer-{registry.id}"' in html


def test_list_returns_filtered_records_in_the_bbox(client):
    registry = registry_get("trees")
    inside = publish(registry, condition="hazardous")
    publish(registry, condition="good")
    publish(registry, condition="hazardous", geom=Point(27.05, 49.40, srid=4326))
    bbox = f"{CENTRE[0] - 0.01},{CENTRE[1] - 0.01},{CENTRE[0] + 0.01},{CENTRE[1] + 0.01}"

    response = client.get(
        "/en/map/list.json", {"collection": "trees", "bbox": bbox, "condition": "hazardous"}
    )

    body = response.json()
    assert [row["id"] for row in body["results"]] == [str(inside.public_id)]
    row = body["results"][0]
    assert row["url"] == f"/en/trees/{inside.public_id}/"
    assert {"label": "condition", "value": "hazardous"} in row["attributes"]
    assert body["next_page"] is None


def test_list_pages(client):
    registry = registry_get("waste-sites")
    for i in range(25):
        publish(registry, name=f"Майданчик {i:02d}")

    first = client.get("/map/list.json", {"collection": "waste-sites"}).json()
    second = client.get("/map/list.json", {"collection": "waste-sites", "page": 2}).json()

    assert len(first["results"]) == 20 and first["next_page"] == 2
    assert len(second["results"]) == 5 and second["next_page"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"collection": "nothing"},
        {"collection": "trees", "bbox": "1,2,3"},
        {"collection": "trees", "bbox": "10,50,5,40"},
        {"collection": "trees", "bbox": "nan,1,2,3"},
        {"collection": "trees", "condition": "burnt"},
        {"collection": "trees", "page": "0"},
        {"collection": "trees", "page": "x"},
    ],
)
def test_list_refuses_bad_parameters_with_400(client, params):
    assert client.get("/map/list.json", params).status_code == 400


def test_list_never_shows_drafts(client):
    registry = registry_get("heritage")
    draft = make_record(registry, name="Чернетка")
    draft.save()

    body = client.get("/map/list.json", {"collection": "heritage"}).json()

    assert body["results"] == []


def test_search_finds_by_name_and_address_across_layers(client):
    publish(registry_get("accessibility"), name="ЦНАП Центральний")
    publish(registry_get("waste-sites"), name="Майданчик", address="вул. Центральна, 5")
    hidden = make_record(registry_get("heritage"), name="Центральна чернетка")
    hidden.save()

    results = client.get("/en/map/search.json", {"q": "централ"}).json()["results"]

    assert {r["collection"] for r in results} == {"accessibility", "waste-sites"}


def test_search_ignores_one_character(client):
    publish(registry_get("accessibility"), name="А")

    assert client.get("/map/search.json", {"q": "А"}).json()["results"] == []
