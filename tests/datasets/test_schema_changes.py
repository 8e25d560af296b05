"""Schema changes of a registry defined as data that has records: what is always safe, what
is refused with a count, and the explicit conversion that changes nothing unless every value
converts. Each record's history names the schema version it was written under."""

import pytest
from django.core.exceptions import ValidationError

from layers.datasets import services
from layers.editing import services as editing
from layers.editing.selectors import record_history
from layers.models import ChoiceItem, DataRecord, FieldDefinition
from layers.registry import registry_get
from tests.editing.conftest import actors_create
from tests.factories import SAMPLE_ID, make_record, registry_resolve, sample_values

pytestmark = pytest.mark.django_db


def _records(registry, *values: dict) -> list:
    saved = []
    for index, extra in enumerate(values):
        record = make_record(registry, values=sample_values(title=f"№{index}", **extra))
        record.full_clean()
        record.save()
        saved.append(record)
    return saved


def _field(name: str) -> FieldDefinition:
    return FieldDefinition.objects.get(registry__slug=SAMPLE_ID, name=name)


def _fingerprint() -> list:
    return list(DataRecord.objects.order_by("id").values_list("id", "values", "schema_version"))


def test_adding_a_field_and_a_choice_is_safe_and_seen_at_once():
    registry = registry_resolve(SAMPLE_ID)
    _records(registry, {})
    definition = _field("title").registry
    services.field_save(
        field=FieldDefinition(
            registry=definition, name="lighting", label_uk="Освітлення", type="boolean"
        )
    )
    surface = _field("surface").choice_list
    services.choice_item_save(
        item=ChoiceItem(choice_list=surface, value="tartan", label_uk="Тартан", order=9)
    )
    registry = registry_get(SAMPLE_ID)
    assert registry.spec("lighting").type == "boolean"
    assert "tartan" in [c.value for c in registry.spec("surface").choices]
    assert registry.schema_version == definition.schema_version


def test_renaming_a_field_keeps_its_values_and_history():
    registry = registry_resolve(SAMPLE_ID)
    (record,) = _records(registry, {"equipment": 7})
    field = _field("equipment")
    field.name = "equipment_count"
    services.field_save(field=field)

    renamed = registry_get(SAMPLE_ID)
    assert renamed.spec("equipment") is None
    record.refresh_from_db()
    from layers.editing.values import record_values

    assert record_values(renamed, record)["equipment_count"] == 7
    history = record_history(registry=renamed, record=record)
    assert history[0].values["equipment_count"] == 7
    assert _field("equipment_count").key == "equipment"


def test_removing_a_field_with_values_is_refused_with_the_count():
    registry = registry_resolve(SAMPLE_ID)
    _records(registry, {"equipment": 1}, {"equipment": 2}, {})
    before = _fingerprint()
    with pytest.raises(ValidationError, match="2 record"):
        services.field_remove(field=_field("equipment"))
    assert _fingerprint() == before
    assert registry_get(SAMPLE_ID).spec("equipment") is not None

    services.field_remove(field=_field("description"))  # no record holds one
    assert registry_get(SAMPLE_ID).spec("description") is None


def test_retyping_a_field_with_values_needs_an_explicit_conversion():
    registry = registry_resolve(SAMPLE_ID)
    _records(registry, {"inspector_note": "12"}, {"inspector_note": "40"})
    field = _field("inspector_note")
    field.type = "integer"
    with pytest.raises(ValidationError, match="conversion"):
        services.field_save(field=field)
    assert _field("inspector_note").type == "text"


def test_a_conversion_that_not_every_value_survives_changes_nothing_and_names_them():
    registry = registry_resolve(SAMPLE_ID)
    records = _records(
        registry, {"inspector_note": "12"}, {"inspector_note": "багато"}, {"inspector_note": "7"}
    )
    before = _fingerprint()
    field = _field("inspector_note")
    field.type = "integer"
    with pytest.raises(ValidationError) as caught:
        services.field_save(field=field, convert=True)
    message = " ".join(caught.value.messages)
    assert "1 record" in message and str(records[1].public_id) in message and "багато" in message
    assert _fingerprint() == before
    assert _field("inspector_note").type == "text"


def test_a_conversion_of_convertible_values_retypes_them_in_history():
    registry = registry_resolve(SAMPLE_ID)
    (record, other) = _records(registry, {"inspector_note": "12"}, {})
    version = _field("title").registry.schema_version
    field = _field("inspector_note")
    field.type = "integer"
    services.field_save(field=field, convert=True)

    record.refresh_from_db()
    assert record.values["inspector_note"] == 12
    assert record.schema_version == version + 1
    assert record.version == 2  # a form opened before the conversion is now stale
    other.refresh_from_db()
    assert "inspector_note" not in other.values
    history = record_history(registry=registry_get(SAMPLE_ID), record=record)
    assert [entry.schema_version for entry in history] == [version, version + 1]
    assert history[-1].context.get("action") == "schema_conversion"


@pytest.mark.parametrize(
    ("attribute", "value", "stored"),
    [
        ("max_value", 5, {"equipment": 9}),
        ("required", True, {}),
        ("max_length", 3, {"inspector_note": "длинно"}),
    ],
)
def test_narrowing_a_field_that_values_break_is_refused(attribute, value, stored):
    registry = registry_resolve(SAMPLE_ID)
    _records(registry, stored)
    name = next(iter(stored), "inspector_note")
    field = _field(name)
    setattr(field, attribute, value)
    with pytest.raises(ValidationError, match="1 record"):
        services.field_save(field=field)
    assert getattr(_field(name), attribute) != value


def test_a_choice_that_records_hold_keeps_its_value():
    registry = registry_resolve(SAMPLE_ID)
    _records(registry, {"surface": "sand", "ages": ["a0_3"]})
    sand = ChoiceItem.objects.get(choice_list__slug="test-surface", value="sand")
    sand.value = "beach"
    with pytest.raises(ValidationError, match="1 record"):
        services.choice_item_save(item=sand)
    with pytest.raises(ValidationError, match="1 record"):
        services.choice_item_remove(
            item=ChoiceItem.objects.get(choice_list__slug="test-ages", value="a0_3")
        )
    sand.refresh_from_db()
    sand.label_en = "Fine sand"  # relabelling is always safe
    services.choice_item_save(item=sand)
    assert registry_get(SAMPLE_ID).spec("surface").choice_label("sand") == "Fine sand"


def test_history_shows_the_schema_version_each_state_was_written_under():
    registry = registry_resolve(SAMPLE_ID)
    actors = actors_create()
    record = editing.record_create(
        registry=registry,
        user=actors.editor,
        values={"geom": make_record(registry).geom, "title": "Перший", "surface": "sand"},
    )
    first = registry.schema_version
    services.field_save(
        field=FieldDefinition(
            registry=_field("title").registry, name="shade", label_uk="Тінь", type="boolean"
        )
    )
    registry = registry_get(SAMPLE_ID)
    editing.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={"shade": True},
        base_version=record.version,
    )
    versions = [e.schema_version for e in record_history(registry=registry, record=record)]
    assert versions == [first, first + 1]


def test_a_default_fills_new_records_and_must_pass_its_field():
    registry = registry_resolve(SAMPLE_ID)
    field = _field("equipment")
    field.default = "700"
    with pytest.raises(ValidationError, match="500"):
        services.field_save(field=field)
    field.default = "4"
    services.field_save(field=field)
    registry = registry_get(SAMPLE_ID)
    assert registry.new_record().values == {"equipment": 4}
    record = editing.record_create(
        registry=registry,
        user=actors_create().editor,
        values={"geom": make_record(registry).geom, "title": "З типовим", "surface": "sand"},
    )
    assert record.values["equipment"] == 4
