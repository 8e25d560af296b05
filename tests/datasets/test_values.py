"""Values of a registry defined as data: every field type takes good values in their usual
forms and refuses bad ones with a message naming the field, on every path (services, the
editor's form, the API), saving nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from layers.datasets.values import data_value_clean
from layers.editing import services
from layers.models import DataRecord
from tests.editing.conftest import PASSWORD, actors_create, api_client
from tests.factories import SAMPLE_ID, make_record, registry_resolve, sample_values

pytestmark = pytest.mark.django_db

GOOD = [
    ("title", " Сквер біля школи ", "Сквер біля школи"),
    ("description", "Довгий\nопис", "Довгий\nопис"),
    ("equipment", "12", 12),
    ("equipment", 0, 0),
    ("area", "125,5", "125.5"),
    ("area", 7, "7.0"),
    ("fenced", "так", True),
    ("fenced", "false", False),
    ("fenced", True, True),
    ("opened_on", "2024-05-17", "2024-05-17"),
    ("surface", "sand", "sand"),
    ("ages", ["a3_7", "a0_3", "a3_7"], ["a3_7", "a0_3"]),
    ("ages", "a0_3; a3_7", ["a0_3", "a3_7"]),
    ("website", "https://khm.gov.ua/playgrounds", "https://khm.gov.ua/playgrounds"),
    ("phone", "+380 382 65 12 34", "+380 382 65 12 34"),
    ("email", "park@example.org", "park@example.org"),
]

BAD = [
    ("title", "x" * 81, "max_length"),
    ("title", "a\x00b", "unstorable"),
    ("title", "\ud800", "unstorable"),
    ("equipment", "twelve", "invalid"),
    ("equipment", "501", "max_value"),
    ("equipment", -1, "min_value"),
    ("equipment", 2.5, "invalid"),
    ("equipment", "9" * 400, "invalid"),
    ("equipment", True, "invalid"),
    ("area", "1e400", "max_digits"),
    ("area", "-3", "min_value"),
    ("area", "12.345", "max_decimal_places"),
    ("fenced", "maybe", "invalid"),
    ("opened_on", "2024-02-30", "invalid_date"),
    ("opened_on", "yesterday", "invalid"),
    ("surface", "lava", "invalid_choice"),
    ("ages", ["a0_3", "a99"], "invalid_choice"),
    ("ages", 5, "invalid"),
    ("website", "javascript:alert(1)", "invalid"),
    ("website", "not a url", "invalid"),
    ("phone", "call me", "invalid_phone"),
    ("email", "nobody@", "invalid"),
    ("nearest_tree", "not-a-uuid", "invalid"),
    ("nearest_tree", "00000000-0000-0000-0000-000000000001", "invalid_reference"),
]


@pytest.fixture
def registry():
    return registry_resolve(SAMPLE_ID)


@pytest.mark.parametrize(("name", "given", "stored"), GOOD)
def test_every_type_takes_its_usual_forms(registry, name, given, stored):
    assert data_value_clean(registry.spec(name), given) == stored


@pytest.mark.parametrize(("name", "given", "code"), BAD)
def test_every_type_refuses_bad_values_and_nothing_is_saved(registry, name, given, code):
    editor = actors_create().editor
    with pytest.raises(ValidationError) as caught:
        services.record_create(
            registry=registry,
            user=editor,
            values={"geom": make_record(registry).geom, **sample_values(), name: given},
        )
    errors = caught.value.error_dict[name]
    assert code in {error.code for error in errors}, errors
    assert all(str(message) for message in caught.value.messages)
    assert not DataRecord.objects.exists()


def test_a_reference_to_an_existing_record_is_kept():
    registry = registry_resolve(SAMPLE_ID)
    tree = make_record(registry_resolve("trees"))
    tree.save()
    assert data_value_clean(registry.spec("nearest_tree"), str(tree.public_id)) == str(
        tree.public_id
    )


def test_required_fields_and_unknown_keys_are_refused_by_the_model(registry):
    record = make_record(registry, values={"surface": "sand", "colour": "red"})
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert set(caught.value.error_dict) == {"title", "values"}
    assert "colour" in " ".join(caught.value.message_dict["values"])


def test_the_api_names_the_bad_field_and_saves_nothing(registry):
    editor = api_client(actors_create().editor)
    response = editor.post(
        f"/api/{SAMPLE_ID}/records/",
        {
            "geom": {"type": "Point", "coordinates": [26.9965, 49.4216]},
            "title": "Майданчик",
            "surface": "lava",
            "equipment": "lots",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"surface", "equipment"}
    assert not DataRecord.objects.exists()


def test_the_editor_form_shows_the_field_error_in_ukrainian(registry):
    actors_create()
    client = Client()
    client.login(username="editor", password=PASSWORD)
    response = client.post(
        f"/edit/{SAMPLE_ID}/new/",
        {
            "geom": '{"type": "Point", "coordinates": [26.9965, 49.4216]}',
            "title": "Майданчик",
            "surface": "rubber",
            "equipment": "600",
        },
    )
    assert response.status_code == 400
    assert "equipment" in response.context["form"].errors
    assert "Переконайтеся" in response.content.decode()  # Django's uk message: "make sure"
    assert not DataRecord.objects.exists()


def test_values_from_the_form_and_the_api_are_stored_alike(registry):
    actors = actors_create()
    client = Client()
    client.login(username="editor", password=PASSWORD)
    response = client.post(
        f"/edit/{SAMPLE_ID}/new/",
        {
            "geom": '{"type": "Point", "coordinates": [26.9965, 49.4216]}',
            "title": "Форма",
            "surface": "grass",
            "ages": ["a0_3", "a3_7"],
            "area": "12,5",
            "fenced": "true",
            "opened_on": "2025-04-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    api = api_client(actors.editor).post(
        f"/api/{SAMPLE_ID}/records/",
        {
            "geom": {"type": "Point", "coordinates": [26.9966, 49.4217]},
            "title": "API",
            "surface": "grass",
            "ages": ["a0_3", "a3_7"],
            "area": "12.5",
            "fenced": True,
            "opened_on": "2025-04-01",
        },
        format="json",
    )
    assert api.status_code == 201, api.content
    form_values, api_values = (
        {k: v for k, v in r.values.items() if k != "title"}
        for r in DataRecord.objects.order_by("id")
    )
    assert (
        form_values
        == api_values
        == {
            "surface": "grass",
            "ages": ["a0_3", "a3_7"],
            "area": "12.5",
            "fenced": True,
            "opened_on": "2025-04-01",
        }
    )
    assert api.json()["ages"] == ["a0_3", "a3_7"]
