"""A registry defined as data in public: its published records on the map, in OGC items
(queryables, property filters and CQL2 on its fields), in tiles, in the four downloads (read
back with GDAL), in DCAT — and its staff-only fields nowhere public."""

import gzip
import json
import zipfile

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point

from layers.models import RegistryDefinition, Status
from tests.factories import CENTRE, SAMPLE_ID, make_record, registry_resolve, sample_values
from tests.ogcapi.conftest import body, json_body
from tests.ogcapi.test_downloads import SUFFIXES, download, gdal_features
from tests.tiles.test_tiles import decode, tile_of, tile_url

pytestmark = pytest.mark.django_db

SECRET = "ТАЄМНИЦЯ-staff-only"
STAFF_VALUES = {"phone": "+380 382 11 22 33", "email": "secret@example.org"}


def _publish(registry, status=Status.PUBLISHED, *, lon=CENTRE[0], **values):
    record = make_record(
        registry,
        geom=Point(lon, CENTRE[1], srid=4326),
        values=sample_values(**values),
        name=values.get("title", "Майданчик"),
    )
    record.status = status
    record.full_clean()
    record.save()
    return record


@pytest.fixture
def records():
    registry = registry_resolve(SAMPLE_ID)
    rubber = _publish(
        registry,
        title="Гумовий",
        equipment=12,
        area="125.5",
        fenced=True,
        opened_on="2024-05-17",
        ages=["a0_3", "a3_7"],
        website="https://khm.gov.ua/p/1",
        inspector_note=SECRET,
        **STAFF_VALUES,
    )
    sand = _publish(registry, lon=CENTRE[0] + 0.0005, title="Піщаний", surface="sand", equipment=3)
    _publish(registry, Status.DRAFT, title="Чернетка")
    return registry, rubber, sand


def _leaks(text: str, *, names: bool = True) -> list[str]:
    """Staff-only values in a public text, and (``names``) the staff-only fields' names,
    for documents about this registry alone (others may publish a "phone" of their own)."""
    found = [secret for secret in (SECRET, *STAFF_VALUES.values()) if secret in text]
    if names:
        found += [f'"{n}"' for n in ("phone", "email", "inspector_note") if f'"{n}"' in text]
    return found


def _items(client, **query):
    response = client.get(
        f"/ogc/collections/{SAMPLE_ID}/items", query, HTTP_ACCEPT="application/geo+json"
    )
    assert response.status_code == 200, body(response)[:300]
    return json_body(response)


def test_items_carry_typed_values_of_the_public_fields(client, records):
    _registry, rubber, _sand = records
    document = _items(client)
    assert document["numberMatched"] == 2
    feature = next(f for f in document["features"] if f["id"] == str(rubber.public_id))
    properties = feature["properties"]
    assert properties["title"] == "Гумовий"
    assert properties["equipment"] == 12
    assert properties["area"] == 125.5
    assert properties["fenced"] is True
    assert properties["opened_on"] == "2024-05-17"
    assert properties["surface"] == "rubber"
    assert properties["ages"] == ["a0_3", "a3_7"]
    assert properties["website"] == "https://khm.gov.ua/p/1"
    assert not {"phone", "email", "inspector_note"} & set(properties)


def test_queryables_list_the_filterable_public_fields(client, records):
    response = client.get(
        f"/ogc/collections/{SAMPLE_ID}/queryables", HTTP_ACCEPT="application/schema+json"
    )
    properties = json_body(response)["properties"]
    assert properties["equipment"]["type"] == "integer"
    assert properties["area"]["type"] == "number"
    assert properties["fenced"]["type"] == "boolean"
    assert properties["opened_on"]["format"] == "date"
    assert properties["surface"]["enum"] == ["rubber", "sand", "grass"]
    assert properties["ages"]["items"]["enum"] == ["a0_3", "a3_7"]
    assert "description" not in properties  # long text: shown, not filtered
    assert not {"phone", "email", "inspector_note"} & set(properties)


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"surface": "sand"}, {"Піщаний"}),
        ({"fenced": "true"}, {"Гумовий"}),
        ({"ages": "a3_7"}, {"Гумовий"}),
        ({"filter": "equipment > 5"}, {"Гумовий"}),
        ({"filter": "equipment BETWEEN 1 AND 5 AND surface = 'sand'"}, {"Піщаний"}),
        ({"filter": "opened_on >= DATE('2024-01-01')"}, {"Гумовий"}),
        ({"filter": "area IS NULL"}, {"Піщаний"}),
        ({"filter": "title LIKE 'Гум%'"}, {"Гумовий"}),
        ({"filter": "surface IN ('rubber', 'grass')"}, {"Гумовий"}),
    ],
)
def test_property_filters_and_cql2_work_on_the_fields(client, records, query, titles):
    document = _items(client, **query)
    assert {f["properties"]["title"] for f in document["features"]} == titles


@pytest.mark.parametrize(
    "query",
    [
        {"equipment": "many"},
        {"filter": "phone = '1'"},
        {"filter": "equipment > 'x'"},
        {"surface": "lava"},
    ],
)
def test_bad_filters_on_the_fields_are_clean_400s(client, records, query):
    response = client.get(f"/ogc/collections/{SAMPLE_ID}/items", query)
    assert response.status_code == 400, body(response)[:300]


def test_tiles_carry_the_style_field_only_and_popups_fetch_the_rest(client, records):
    _registry, rubber, _sand = records
    response = client.get(tile_url(SAMPLE_ID, *tile_of(*CENTRE, 16)))
    layer = decode(response)[SAMPLE_ID]
    assert len(layer["features"]) == 2
    properties = {f["id"]: f["properties"] for f in layer["features"]}
    assert properties[rubber.pk] == {"surface": "rubber"}
    popup = client.get(f"/tiles/{SAMPLE_ID}/features/{rubber.pk}.json").json()
    assert popup["id"] == str(rubber.public_id)
    assert popup["properties"] == {"name": "Гумовий", "surface": "rubber", "title": "Гумовий"}
    filtered = decode(client.get(tile_url(SAMPLE_ID, *tile_of(*CENTRE, 16), "surface=sand")))
    assert [f["properties"]["surface"] for f in filtered[SAMPLE_ID]["features"]] == ["sand"]


@pytest.mark.parametrize("fmt", list(SUFFIXES))
def test_downloads_read_back_with_gdal_have_the_same_values(client, records, fmt, tmp_path):
    _registry, rubber, sand = records
    path = download(client, registry_resolve(SAMPLE_ID), fmt, tmp_path)
    features = {str(f.get("id")): f for f in gdal_features(path)}
    assert set(features) == {str(rubber.public_id), str(sand.public_id)}
    row = features[str(rubber.public_id)]
    assert row["title"] == "Гумовий"
    assert int(row["equipment"]) == 12
    assert float(row["area"]) == 125.5
    assert str(row["surface"]) == "rubber"
    assert str(row["opened_on"]).startswith("2024") or str(row["opened_on"]) == "2024/05/17"
    raw = path.read_bytes()
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    assert SECRET.encode() not in raw and b"secret@example.org" not in raw
    if fmt != "shapefile":
        assert not {"phone", "email", "inspector_note"} & {
            name for f in features.values() for name in f
        }


def test_staff_only_fields_appear_nowhere_public(client, records):
    _registry, rubber, _sand = records
    z, x, y = tile_of(*CENTRE, 16)
    urls = [
        "/",
        "/en/",
        f"/{SAMPLE_ID}/{rubber.public_id}/",
        f"/en/{SAMPLE_ID}/{rubber.public_id}/",
        f"/ogc/collections/{SAMPLE_ID}",
        f"/ogc/collections/{SAMPLE_ID}/items?f=json",
        f"/ogc/collections/{SAMPLE_ID}/items?f=html",
        f"/ogc/collections/{SAMPLE_ID}/items/{rubber.public_id}?f=json",
        f"/ogc/collections/{SAMPLE_ID}/items/{rubber.public_id}?f=html",
        f"/ogc/collections/{SAMPLE_ID}/queryables",
        "/ogc/api",
        "/ogc/catalogue",
        f"/tiles/{SAMPLE_ID}.json",
        f"/map/list.json?collection={SAMPLE_ID}",
        "/map/search.json?q=Гумов",
        f"/api/{SAMPLE_ID}/records/",
        f"/api/{SAMPLE_ID}/records/{rubber.public_id}/",
        f"/edit/{SAMPLE_ID}/{rubber.public_id}/history/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        content = body(response)
        if response.get("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        assert _leaks(content.decode(), names=SAMPLE_ID in url) == [], url
    tile = mapbox_vector_tile.decode(client.get(tile_url(SAMPLE_ID, z, x, y)).content)
    assert _leaks(json.dumps(tile, ensure_ascii=False)) == []
    search = client.get("/map/search.json", {"q": SECRET[:8]}).json()
    assert search["results"] == []


def test_the_record_page_shows_the_values_with_their_labels(client, records):
    _registry, rubber, _sand = records
    page = client.get(f"/en/{SAMPLE_ID}/{rubber.public_id}/").content.decode()
    assert "equipment" in page and "12" in page
    assert "area, m²" in page and "125.5" in page
    assert "rubber" in page  # the English label of the choice


def test_dcat_describes_the_registry_with_its_own_metadata(client, records):
    definition = RegistryDefinition.objects.get(slug=SAMPLE_ID)
    definition.department = "Управління житлово-комунального господарства"
    definition.keywords = ["майданчики", "playgrounds"]
    definition.update_frequency = "MONTHLY"
    definition.save()
    document = json_body(client.get("/ogc/catalogue"))
    dataset = next(d for d in document["dcat:dataset"] if d["dct:identifier"] == SAMPLE_ID)
    titles = {t["@language"]: t["@value"] for t in dataset["dct:title"]}
    assert titles == {"uk": "Тестові майданчики", "en": "Test playgrounds"}
    formats = {d["dct:title"] for d in dataset["dcat:distribution"]}
    assert len(formats) == 5
    assert "playgrounds" in [k["@value"] for k in dataset["dcat:keyword"]]
    assert dataset["dct:accrualPeriodicity"]["@id"].endswith("/MONTHLY")


def test_a_registry_that_is_not_public_is_nowhere_public(client, records):
    _registry, rubber, _sand = records
    RegistryDefinition.objects.filter(slug=SAMPLE_ID).update(is_public=False)
    z, x, y = tile_of(*CENTRE, 16)
    for url in (
        f"/ogc/collections/{SAMPLE_ID}",
        f"/ogc/collections/{SAMPLE_ID}/items",
        f"/ogc/collections/{SAMPLE_ID}/download/geojson",
        f"/{SAMPLE_ID}/{rubber.public_id}/",
        tile_url(SAMPLE_ID, z, x, y),
        f"/tiles/{SAMPLE_ID}.json",
    ):
        assert client.get(url).status_code == 404, url
    ids = [c["id"] for c in json_body(client.get("/ogc/collections?f=json"))["collections"]]
    assert SAMPLE_ID not in ids
    assert f'id="layer-{SAMPLE_ID}"' not in client.get("/").content.decode()
    assert client.get(f"/map/list.json?collection={SAMPLE_ID}").status_code == 400
