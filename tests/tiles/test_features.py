"""A tile feature's integer id resolves to its public record for the popup, and to nothing
that is not public; tiles and the public JSON go out gzipped, HTML pages never."""

import gzip
import json
import uuid

import mapbox_vector_tile
import pytest
from django.http import StreamingHttpResponse

from layers.compression import DataGZipMiddleware
from layers.models import Status
from layers.registry import registry_get
from tests.factories import CENTRE, make_record, published_record, registry_ids
from tests.tiles.test_tiles import tile_of, tile_url

pytestmark = pytest.mark.django_db


def feature_url(collection: str, key) -> str:
    return f"/tiles/{collection}/features/{key}.json"


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_the_id_in_a_tile_opens_its_record(client, registry):
    record = published_record(registry)
    tile = mapbox_vector_tile.decode(
        client.get(tile_url(registry.id, *tile_of(*CENTRE, 16))).content
    )
    (feature,) = tile[registry.id]["features"]

    response = client.get(feature_url(registry.id, feature["id"]))

    assert response.status_code == 200
    body = response.json()
    assert body["fid"] == record.pk
    assert body["id"] == str(record.public_id)
    assert set(body["properties"]) <= set(registry.properties)
    assert set(registry.popup) - set(body["properties"]) <= {
        name for name in registry.popup if getattr(record, name, None) in (None, "", [])
    }
    # The same answer by the public id (a permalink's selected record).
    assert client.get(feature_url(registry.id, record.public_id)).json() == body


def test_popup_values_are_typed_as_the_popup_reads_them(client):
    tree = published_record(registry_get("trees"), condition="hazardous", height_m="12.5")
    site = published_record(registry_get("heritage"), types=["architecture", "history"])

    trees = client.get(feature_url("trees", tree.pk)).json()["properties"]
    heritage = client.get(feature_url("heritage", site.pk)).json()["properties"]

    assert trees["condition"] == "hazardous"
    assert trees["height_m"] == pytest.approx(12.5)
    assert trees["species_latin"] == "Tilia cordata"
    assert heritage["types"] == "architecture,history"
    assert heritage["name"] == site.name


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_an_unpublished_id_is_not_found_like_a_missing_one(client, status):
    registry = registry_get("trees")
    record = make_record(registry)
    record.status = status
    record.save()
    missing = record.pk + 1000

    for key in (record.pk, record.public_id, missing, uuid.uuid4(), 2**70):
        response = client.get(feature_url("trees", key))
        assert response.status_code == 404, key
    assert client.get(feature_url("nothing", record.pk)).status_code == 404


def test_a_record_of_another_layer_is_not_found_by_its_key(client):
    tree = published_record(registry_get("trees"))

    assert client.get(feature_url("waste-sites", tree.pk)).status_code == 404


def test_a_generalised_place_keeps_its_secret_in_the_popup(client):
    site = published_record(registry_get("heritage"), location_sensitive=True)

    body = client.get(feature_url("heritage", site.pk)).json()

    assert "geometry" not in body and "location_sensitive" not in json.dumps(body)


def test_tiles_and_public_json_are_gzipped_html_pages_are_not(client):
    registry = registry_get("trees")
    for n in range(40):
        published_record(registry, geom=f"POINT({CENTRE[0] + n * 1e-5} {CENTRE[1]})")
    url = tile_url("trees", *tile_of(*CENTRE, 16))

    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    items = client.get("/ogc/collections/trees/items?limit=50", headers={"Accept-Encoding": "gzip"})
    page = client.get("/", headers={"Accept-Encoding": "gzip"})

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    # The ETag of the compressed bytes is weak; If-None-Match still answers 304.
    assert zipped["ETag"] == "W/" + plain["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped["ETag"]})
    assert again.status_code == 304
    assert items["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(items.content))["features"]) == 40
    # BREACH: a page with a CSRF token next to reflected text is never compressed.
    assert page.status_code == 200 and "Content-Encoding" not in page


def test_a_signed_in_editors_json_is_not_compressed(client, django_user_model):
    editor = django_user_model.objects.create_user("editor20", password="x" * 12, is_staff=True)
    client.force_login(editor)
    published_record(registry_get("trees"))

    url = "/map/list.json?collection=trees&bbox=26,49,28,50"
    answer = client.get(url, headers={"Accept-Encoding": "gzip"})
    client.logout()
    anonymous = client.get(url, headers={"Accept-Encoding": "gzip"})

    assert answer.status_code == 200 and "Content-Encoding" not in answer
    assert anonymous.status_code == 200
    assert anonymous["Content-Encoding"] == "gzip" or len(anonymous.content) < 200


def test_a_streamed_data_answer_stays_streamed_when_compressed(rf):
    def chunks():
        yield b'{"type":"FeatureCollection","features":['
        yield b",".join(b'{"type":"Feature","id":%d}' % n for n in range(200))
        yield b"]}"

    response = StreamingHttpResponse(chunks(), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=60"
    request = rf.get("/ogc/x", headers={"Accept-Encoding": "gzip"})

    compressed = DataGZipMiddleware(lambda r: response)(request)

    assert compressed.streaming and compressed["Content-Encoding"] == "gzip"
    body = json.loads(gzip.decompress(b"".join(compressed.streaming_content)))
    assert len(body["features"]) == 200
