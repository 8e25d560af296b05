"""The accessibility registry's exchange formats: A11yJSON (checked with the validator of
the ``@sozialhelden/a11yjson`` package), the OpenStreetMap tag table and the checklist
table, as whole-layer downloads, single features, collection links, DCAT distributions and
OpenAPI paths; only published records and public fields."""

import csv
import datetime
import io
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils.module_loading import import_string
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from geoportal.env import BASE_DIR
from layers.models import Assessment, AssessmentAnswer, ChecklistCriterion, Status
from layers.registry import registries, registry_get
from layers.rules.a11yjson import place_info
from layers.rules.accessibility import ObjectGroup
from layers.rules.osm_tags import TAGS
from layers.selectors.checklist_table import OBJECT_COLUMNS, checklist_rows, criterion_key
from layers.services.accessibility import accessible_object_derive
from layers.services.checklist import checklist_load
from tests.factories import make_record
from tests.ogcapi.conftest import body, json_body

pytestmark = pytest.mark.django_db

VALIDATOR = BASE_DIR / "tests" / "ogcapi" / "a11yjson_validate.cjs"
PACKAGE = BASE_DIR / "node_modules" / "@sozialhelden" / "a11yjson"
DOWNLOAD = "/ogc/collections/accessibility/download/"
STAFF_ONLY_EMAIL = "director@staff-only.example"
STAFF_ONLY_NOTE = "Ключ у сторожа, не для публіки"

# A varied set: everything known, nothing known, and the cases between.
OBJECTS = {
    "everything": {
        "category": "administrative_services",
        "address": "вул. Героїв Майдану, 3",
        "phone": "+380 382 65 00 00",
        "website": "https://cnap.example.org/",
        "floors": 3,
        "entrance_step_free": False,
        "entrance_steps_count": 3,
        "entrance_step_height_cm": Decimal("15.5"),
        "ramp_present": True,
        "ramp_slope_percent": Decimal("7.5"),
        "door_width_cm": 95,
        "threshold_height_cm": Decimal("2.0"),
        "door_automatic": True,
        "call_button": True,
        "lift_present": True,
        "lift_cabin_width_cm": 110,
        "lift_cabin_depth_cm": 140,
        "lift_working": True,
        "toilet_accessible": True,
        "parking_disabled_spaces": 2,
        "tactile_guidance": True,
        "braille_signs": False,
        "hearing_loop": True,
        "staff_trained": True,
    },
    "nothing": {"category": "other"},
    "step_free_narrow": {
        "category": "pharmacy",
        "entrance_step_free": True,
        "ramp_present": False,
        "door_width_cm": 82,
        "toilet_accessible": False,
        "parking_disabled_spaces": 0,
        "braille_signs": True,
    },
    "steep_ramp_no_lift": {
        "category": "culture",
        "floors": 2,
        "entrance_step_free": False,
        "ramp_present": True,
        "lift_present": False,
        "hearing_loop": False,
        "staff_trained": False,
    },
    "lift_measured_only": {
        "category": "transport_hub",
        "lift_cabin_width_cm": 100,
        "threshold_height_cm": Decimal("4.0"),
    },
}


def accessible_object(name: str, *, status: str = Status.PUBLISHED, **values):
    """An object saved in ``status`` with its derived rating, as the write services store it;
    with a staff-only email and note that must never leave."""
    obj = make_record(
        registry_get("accessibility"),
        name=name,
        email=STAFF_ONLY_EMAIL,
        notes=STAFF_ONLY_NOTE,
        **values,
    )
    accessible_object_derive(obj)
    obj.status = status
    obj.full_clean()
    obj.save()
    return obj


@pytest.fixture
def objects():
    made = {key: accessible_object(f"Об'єкт {key}", **values) for key, values in OBJECTS.items()}
    accessible_object("Чернетка", status=Status.DRAFT, **OBJECTS["everything"])
    accessible_object("Архів", status=Status.ARCHIVED, door_width_cm=90)
    return made


def download(client, name: str, **headers):
    response = client.get(DOWNLOAD + name, **headers)
    assert response.status_code == 200, body(response)[:500]
    return response


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8"))))


def a11yjson_errors(documents: list[dict]) -> list[list[dict]]:
    """The package's validation errors of each document (an empty list: valid)."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the A11yJSON validator"
    assert PACKAGE.exists(), "run `npm ci`: @sozialhelden/a11yjson is a devDependency"
    completed = subprocess.run(
        [node, str(VALIDATOR), str(BASE_DIR)],
        input=json.dumps(documents),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(completed.stdout)


# --- A11yJSON -------------------------------------------------------------------------------
def test_every_published_object_is_valid_a11yjson_and_nothing_else_is_there(client, objects):
    response = download(client, "a11yjson")
    document = json.loads(body(response))
    features = document["features"]

    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    assert 'filename="accessibility.a11yjson.geojson"' in response["Content-Disposition"]
    assert 'rel="license"' in response["Link"]
    assert document["type"] == "FeatureCollection" and document["license"] == "CC-BY-4.0"
    assert {f["id"] for f in features} == {str(o.public_id) for o in objects.values()}
    assert a11yjson_errors(features) == [[] for _ in features]
    text = body(response).decode()
    assert "Чернетка" not in text and "Архів" not in text
    assert STAFF_ONLY_EMAIL not in text and STAFF_ONLY_NOTE not in text


def test_the_validator_refuses_a_broken_document():
    # The check above can fail: the package's schema refuses what A11yJSON does not allow.
    good = place_info(
        {"name": "ЦНАП", "category": "other", "door_width_cm": 90},
        public_id="x",
        lon=27.0,
        lat=49.4,
    )
    door = good["properties"]["accessibility"]["entrances"][0]["properties"]["door"]
    wrong_unit = json.loads(json.dumps(good))
    wrong_unit["properties"]["accessibility"]["entrances"][0]["properties"]["door"]["width"] = {
        "value": 90,
        "unit": "kg",
    }
    unknown_key = json.loads(json.dumps(good))
    unknown_key["properties"]["accessibility"]["doorWidth"] = 90
    plain_name = json.loads(json.dumps(good))
    plain_name["properties"]["name"] = "ЦНАП"  # a LocalizedString is an object

    errors = a11yjson_errors([good, wrong_unit, unknown_key, plain_name])

    assert door == {"width": {"value": 90, "unit": "cm"}}
    assert errors[0] == []
    assert all(errors[1:]), errors


def test_a11yjson_writes_what_is_known_with_units_and_leaves_out_the_unknown(client, objects):
    features = {f["id"]: f for f in json.loads(body(download(client, "a11yjson")))["features"]}
    full = features[str(objects["everything"].public_id)]
    empty = features[str(objects["nothing"].public_id)]
    narrow = features[str(objects["step_free_narrow"].public_id)]

    properties = full["properties"]
    entrance = properties["accessibility"]["entrances"][0]["properties"]
    assert properties["name"] == {"uk": "Об'єкт everything"}
    assert properties["address"] == {"text": {"uk": "вул. Героїв Майдану, 3"}, "countryCode": "UKR"}
    assert properties["placeWebsiteUrl"] == "https://cnap.example.org/"
    assert "emailAddress" not in properties  # the contact email is staff-only
    assert properties["infoPageUrl"].endswith(f"/accessibility/{objects['everything'].public_id}/")
    assert entrance == {
        "isMainEntrance": True,
        "isLevel": False,
        "hasFixedRamp": True,
        "stairs": {"count": 3, "stepHeight": {"value": 15.5, "unit": "cm"}},
        "door": {
            "width": {"value": 95, "unit": "cm"},
            "isAutomatic": True,
            "thresholdHeight": {"value": 2, "unit": "cm"},
        },
    }
    assert properties["accessibility"]["availableEquipment"] == [
        {
            "category": "elevator",
            "cabinWidth": {"value": 110, "unit": "cm"},
            "cabinLength": {"value": 140, "unit": "cm"},
        }
    ]
    assert properties["accessibility"]["parking"] == {"forWheelchairUsers": {"count": 2}}
    assert properties["accessibility"]["wheelchairAccessibilityGrade"] == "fully"
    assert properties["tags"]["ramp_slope_percent"] == "7.5"
    # Nothing known, nothing said: no accessibility facts, no empty objects.
    assert empty["properties"] == {
        "originalId": str(objects["nothing"].public_id),
        "name": {"uk": "Об'єкт nothing"},
        "category": "other",
        "infoPageUrl": empty["properties"]["infoPageUrl"],
    }
    assert narrow["properties"]["accessibility"]["wheelchairAccessibilityGrade"] == "partially"
    assert narrow["properties"]["accessibility"]["restrooms"] == [
        {"isAccessibleWithWheelchair": False}
    ]
    assert narrow["properties"]["accessibility"]["hasTactileSignage"] is True
    assert "hasBrailleSignage" not in narrow["properties"]["accessibility"]


def test_one_object_as_a11yjson_is_its_feature_of_the_layer(client, objects):
    obj = objects["everything"]
    url = f"/ogc/collections/accessibility/items/{obj.public_id}"

    one = client.get(url, {"f": "a11yjson"})
    layer = {f["id"]: f for f in json.loads(body(download(client, "a11yjson")))["features"]}
    geojson = json_body(client.get(url, {"f": "json"}))
    draft = accessible_object("Ще чернетка", status=Status.DRAFT)

    assert one.status_code == 200
    assert one["Content-Type"] == "application/geo+json; charset=utf-8"
    assert json_body(one) == layer[str(obj.public_id)]
    assert a11yjson_errors([json_body(one)]) == [[]]
    assert {"rel": "alternate", "href": f"http://testserver{url}?f=a11yjson"}.items() <= next(
        link for link in geojson["links"] if link["href"].endswith("f=a11yjson")
    ).items()
    assert client.get(url, {"f": "a11yjson", "crs": "x"}).status_code == 400
    unpublished = f"/ogc/collections/accessibility/items/{draft.public_id}"
    assert client.get(unpublished, {"f": "a11yjson"}).status_code == 404
    # Only the registry that declares the format has it.
    trees = f"/ogc/collections/trees/items/{obj.public_id}"
    assert client.get(trees, {"f": "a11yjson"}).status_code == 400


# --- OpenStreetMap tags ---------------------------------------------------------------------
def test_osm_tags_table_has_a_row_per_published_object_and_the_tags(client, objects):
    response = download(client, "accessibility.osm-tags.csv")
    header, *rows = csv_rows(response)
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    full = by_id[str(objects["everything"].public_id)]

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert header == ["id", "name", "lat", "lon", *TAGS]
    assert set(by_id) == {str(o.public_id) for o in objects.values()}
    assert full["wheelchair"] == objects["everything"].wheelchair == "yes"
    assert (full["door:width"], full["step_count"], full["ramp"]) == ("0.95", "3", "yes")
    assert (full["toilets:wheelchair"], full["capacity:disabled"]) == ("yes", "2")
    assert (float(full["lat"]), float(full["lon"])) == pytest.approx((49.4216, 26.9965))
    nothing = by_id[str(objects["nothing"].public_id)]
    assert {nothing[tag] for tag in TAGS} == {""}  # unknown is an empty cell
    assert "Чернетка" not in body(response).decode()


# --- The checklist table --------------------------------------------------------------------
def _assess(obj, year: int, answers: dict) -> Assessment:
    """A stored assessment with these answers (criterion -> answer), its object's rating
    derived again, as the assessments part leaves them."""
    template = checklist_load().template
    assessment = Assessment.objects.create(
        accessible_object=obj,
        year=year,
        template=template,
        assessed_on=datetime.date(year, 7, 1),
        assessed_by="Комісія",
        status="not_barrier_free" if "no" in answers.values() else "barrier_free",
    )
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(assessment=assessment, criterion=criterion, answer=answer)
        for criterion, answer in answers.items()
    )
    accessible_object_derive(obj)
    obj.save()
    return assessment


def _building_criteria() -> list[ChecklistCriterion]:
    return list(
        ChecklistCriterion.objects.filter(
            section__template=checklist_load().template,
            section__object_group=ObjectGroup.BUILDINGS,
        ).select_related("section")
    )


@pytest.fixture
def assessed(objects):
    criteria = _building_criteria()
    obj = objects["everything"]
    _assess(obj, 2024, {c: "no" for c in criteria})
    # The latest year leaves its last criterion unanswered and one not applicable.
    latest = {c: "yes" for c in criteria[:-1]} | {criteria[0]: "not_applicable"}
    _assess(obj, 2025, latest)
    _assess(objects["step_free_narrow"], 2025, {c: "no" for c in criteria})
    return obj, criteria


def test_checklist_csv_is_the_stored_answers_of_each_latest_assessment(client, objects, assessed):
    obj, criteria = assessed

    response = download(client, "checklist", HTTP_ACCEPT_LANGUAGE="uk")
    codes, labels, *rows = csv_rows(response)
    by_id = {row[0]: dict(zip(codes, row, strict=True)) for row in rows}
    latest = Assessment.objects.get(accessible_object=obj, year=2025)
    stored = {
        criterion_key(a.criterion.section.code, a.criterion.code): a.answer
        for a in latest.answers.select_related("criterion__section")
    }
    row = by_id[str(obj.public_id)]

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="accessibility.checklist.csv"' in response["Content-Disposition"]
    assert codes[: len(OBJECT_COLUMNS)] == list(OBJECT_COLUMNS)
    section, criterion = criteria[0].section, criteria[0]
    assert labels[codes.index(criterion_key(section.code, criterion.code))] == (
        f"{section.title}: {criterion.text}"
    )
    assert set(by_id) == {str(o.public_id) for o in objects.values()}
    assert (row["year"], row["assessed_on"], row["status"]) == (
        "2025",
        "2025-07-01",
        "barrier_free",
    )
    assert (row["category"], row["object_group"]) == (
        "administrative_services",
        "buildings_and_structures",
    )
    assert {key: row[key] for key in stored} == stored
    last = criterion_key(criteria[-1].section.code, criteria[-1].code)
    assert row[last] == ""  # not answered
    assert {row[c] for c in codes[len(OBJECT_COLUMNS) :]} - {""} == set(stored.values())
    # An object never assessed has a row, with empty cells.
    never = by_id[str(objects["nothing"].public_id)]
    assert {never[c] for c in codes[4:]} == {""}
    assert "Чернетка" not in body(response).decode()


def test_checklist_rows_for_a_year_are_that_years_answers(objects, assessed):
    obj, criteria = assessed

    rows = {row["id"]: row for row in checklist_rows(year=2024)}
    first = criterion_key(criteria[0].section.code, criteria[0].code)

    assert rows[str(obj.public_id)]["year"] == 2024
    assert rows[str(obj.public_id)][first] == "no"
    assert rows[str(objects["step_free_narrow"].public_id)]["year"] is None  # assessed in 2025


def test_the_checklist_file_follows_a_change_of_the_checklist_alone(client, objects, assessed):
    _obj, criteria = assessed
    before = body(download(client, "checklist"))

    # Edited in the admin: no accessible object changes, so the layer's own stamp stays.
    ChecklistCriterion.objects.filter(pk=criteria[0].pk).update(text="Новий текст критерію")
    after = body(download(client, "checklist"))

    assert "Новий текст критерію" not in before.decode()
    assert "Новий текст критерію" in after.decode()


# --- Links, catalogue, API description -------------------------------------------------------
EXTRA_FILES = (
    "accessibility.a11yjson.geojson",
    "accessibility.osm-tags.csv",
    "accessibility.checklist.csv",
)


def test_the_collection_links_the_three_files_as_enclosures(client, objects):
    document = json_body(client.get("/ogc/collections/accessibility?f=json"))
    enclosures = {
        link["href"].rsplit("/", 1)[1]: link["type"]
        for link in document["links"]
        if link["rel"] == "enclosure"
    }
    page = body(client.get("/ogc/collections/accessibility?f=html")).decode()

    assert enclosures["accessibility.a11yjson.geojson"] == "application/geo+json"
    assert enclosures["accessibility.osm-tags.csv"] == "text/csv"
    assert enclosures["accessibility.checklist.csv"] == "text/csv"
    assert "accessibility.geojson" in enclosures  # next to the common files
    assert all(name in page for name in EXTRA_FILES)
    # The other registries do not have them.
    trees = json_body(client.get("/ogc/collections/trees?f=json"))
    assert not any("a11yjson" in link["href"] for link in trees["links"])


def test_the_catalogue_lists_the_three_files_as_distributions(client, objects):
    graph = Graph().parse(data=body(client.get("/ogc/catalogue")).decode(), format="json-ld")
    (dataset,) = [
        d
        for d in graph.subjects(RDF.type, DCAT.Dataset)
        if str(graph.value(d, DCTERMS.identifier)) == "accessibility"
    ]
    files = {}
    for distribution in graph.objects(dataset, DCAT.distribution):
        url = graph.value(distribution, DCAT.downloadURL)
        if url is not None:
            files[str(url).rsplit("/", 1)[1]] = distribution

    assert set(EXTRA_FILES) <= set(files)
    a11yjson = files["accessibility.a11yjson.geojson"]
    assert graph.value(a11yjson, DCTERMS.conformsTo) == URIRef("https://a11yjson.org/")
    assert str(graph.value(files["accessibility.checklist.csv"], DCAT.mediaType)).endswith(
        "/text/csv"
    )


def test_the_api_description_lists_the_files_and_the_item_format(client):
    paths = json_body(client.get("/ogc/api?f=json"))["paths"]
    files = paths["/collections/accessibility/download/{file}"]["get"]["parameters"][0]
    item = paths["/collections/accessibility/items/{featureId}"]["get"]["parameters"]
    formats = next(p for p in item if p.get("name") == "f")

    assert set(EXTRA_FILES) <= set(files["schema"]["enum"])
    assert "a11yjson" in formats["schema"]["enum"]


def test_every_declared_download_names_builders_that_exist():
    for registry in registries():
        for extra in registry.extra_downloads:
            for hook in (extra.build, extra.item, extra.stamp):
                if hook:
                    assert callable(import_string(hook)), hook
