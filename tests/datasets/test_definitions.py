"""Registry definitions: made by an administrator in the admin, or loaded from the files a
city keeps in data/registries/ — and the demo records generated from them."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from layers.datasets.loader import definitions_dir
from layers.demo import DEMO_SOURCE, DemoContext
from layers.editing import services as editing
from layers.editing.models import Role
from layers.models import ChoiceList, DataRecord, FieldDefinition, FieldType, RegistryDefinition
from layers.registry import registry_get
from tests.editing.conftest import PASSWORD, actors_create

pytestmark = pytest.mark.django_db

SHIPPED = sorted(p.stem for p in definitions_dir().glob("*.toml") if p.stem != "choice-lists")


def test_the_shipped_definitions_load_and_loading_again_changes_nothing(capsys):
    call_command("load_registries")
    first = capsys.readouterr().out
    assert f"{len(SHIPPED)} loaded" in first
    stamp = list(FieldDefinition.objects.order_by("id").values_list("id", "name", "type"))
    call_command("load_registries")
    assert "0 fields added, 0 changed" in capsys.readouterr().out
    assert list(FieldDefinition.objects.order_by("id").values_list("id", "name", "type")) == stamp
    assert sorted(RegistryDefinition.objects.values_list("slug", flat=True)) == SHIPPED
    assert {"playgrounds", "road-excavations", "warm-home-facades"} <= set(SHIPPED)


def test_road_excavations_have_permit_contractor_dates_and_deadline():
    call_command("load_registries", verbosity=0)
    registry = registry_get("road-excavations")
    types = {spec.name: spec.type for spec in registry.specs}
    assert types["permit_number"] == FieldType.TEXT
    assert types["contractor"] == FieldType.TEXT
    assert {types["date_from"], types["date_to"], types["restoration_deadline"]} == {"date"}
    assert registry.geometry_kind == "line"


def test_demo_records_are_inside_the_hromada_valid_and_deterministic():
    call_command("load_registries", verbosity=0)
    ctx = DemoContext()
    for registry_id in ("playgrounds", "road-excavations", "improvement-objects"):
        registry = registry_get(registry_id)
        registry.demo_generate(ctx)
        first = list(registry.objects().order_by("public_id").values_list("public_id", "values"))
        registry.demo_generate(ctx)
        again = list(registry.objects().order_by("public_id").values_list("public_id", "values"))
        assert first == again and len(first) >= 20
        for record in registry.objects():
            record.full_clean()  # every value passes its field, the geometry the validator
            assert record.source == DEMO_SOURCE
    excavation = registry_get("road-excavations").objects().exclude(values__date_to=None).first()
    assert excavation.values["date_from"] < excavation.values["date_to"]


def test_a_bad_definition_file_is_refused_with_its_name_and_nothing_is_loaded(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[registry]\nid = "kiosks"\ntitle_uk = "Кіоски"\ntitle_en = "Kiosks"\n'
        '[[fields]]\nname = "status"\nlabel_uk = "Стан"\ntype = "text"\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"bad.toml: field status: .*reserved"):
        call_command("load_registries", str(bad))
    assert not RegistryDefinition.objects.exists()
    broken = tmp_path / "broken.toml"
    broken.write_text("[registry\nid=", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.toml"):
        call_command("load_registries", str(broken))
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_registries", str(tmp_path / "missing.toml"))


def _admin_errors(response) -> list:
    errors = [response.context["adminform"].form.errors]
    for inline in response.context["inline_admin_formsets"]:
        errors += [inline.formset.non_form_errors(), *inline.formset.errors]
    return errors


def _inline(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_an_administrator_defines_a_registry_with_every_field_type_in_the_admin():
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", password=PASSWORD)
    client = Client()
    client.login(username="admin", password=PASSWORD)
    choices = {
        "value": "rubber",
        "label_uk": "Гума",
        "label_en": "Rubber",
        "colour": "#0072b2",
        "order": "0",
    }
    response = client.post(
        "/admin/layers/choicelist/add/",
        {
            "slug": "surface",
            "title_uk": "Покриття",
            "title_en": "Surface",
            **_inline("items", [choices, {**choices, "value": "sand", "label_uk": "Пісок"}]),
        },
    )
    assert response.status_code == 302, _admin_errors(response)
    surface = ChoiceList.objects.get(slug="surface")

    types = [choice for choice, _label in FieldType.choices]
    rows = []
    for order, kind in enumerate(types):
        row = {
            "name": f"f_{kind}",
            "type": kind,
            "label_uk": f"Поле {kind}",
            "label_en": f"Field {kind}",
            "decimal_places": "2",
            "order": str(order),
            "is_public": "on",
            "queryable": "on",
        }
        if kind in ("choice", "multiple_choice"):
            row["choice_list"] = str(surface.pk)
        if kind == "reference":
            row["reference_registry"] = "trees"
        rows.append(row)
    response = client.post(
        "/admin/layers/registrydefinition/add/",
        {
            "slug": "kiosks",
            "title_uk": "Кіоски",
            "title_en": "Kiosks",
            "geometry_kind": "point",
            "colour": "#00695c",
            "style_field": "f_choice",
            "min_zoom": "0",
            "max_zoom": "22",
            "is_public": "on",
            "order": "100",
            "update_frequency": "MONTHLY",
            "keywords": "кіоски,kiosks",
            **_inline("fields", rows),
        },
    )
    assert response.status_code == 302, _admin_errors(response)
    registry = registry_get("kiosks")
    assert [spec.type for spec in registry.specs] == types
    assert registry.style_by == "f_choice"
    assert registry.colours == {"rubber": "#0072b2", "sand": "#0072b2"}

    # The new registry is at once editable like the built-in ones.
    actors = actors_create()
    editing.role_grant(user=actors.editor, registry=registry, role=Role.EDITOR)
    editor = Client()
    editor.login(username="editor", password=PASSWORD)
    assert editor.get("/edit/kiosks/new/").status_code == 200
    assert client.get("/ogc/collections/kiosks/queryables").status_code == 200


def test_the_admin_refuses_removing_a_field_that_records_use():
    from django.contrib.auth import get_user_model

    from tests.factories import SAMPLE_ID, make_record, registry_resolve, sample_values

    registry = registry_resolve(SAMPLE_ID)
    record = make_record(registry, values=sample_values(equipment=3))
    record.full_clean()
    record.save()
    get_user_model().objects.create_superuser("admin", password=PASSWORD)
    client = Client()
    client.login(username="admin", password=PASSWORD)
    definition = RegistryDefinition.objects.get(slug=SAMPLE_ID)
    page = client.get(f"/admin/layers/registrydefinition/{definition.pk}/change/")
    form = page.context["adminform"].form
    formset = page.context["inline_admin_formsets"][0].formset
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["keywords"] = ",".join(data.get("keywords") or [])
    data.update({f"fields-{key}": value for key, value in formset.management_form.initial.items()})
    data["fields-MIN_NUM_FORMS"], data["fields-MAX_NUM_FORMS"] = "0", "1000"
    for index, inline in enumerate(formset.forms):
        for name, value in inline.initial.items():
            if value is None or value is False:
                continue
            data[f"fields-{index}-{name}"] = "on" if value is True else value
        data[f"fields-{index}-registry"] = definition.pk
        data[f"fields-{index}-id"] = inline.instance.pk
        if inline.initial["name"] == "equipment":
            data[f"fields-{index}-DELETE"] = "on"
    response = client.post(f"/admin/layers/registrydefinition/{definition.pk}/change/", data)
    assert response.status_code == 200
    # In the admin's language (Ukrainian): "records with values of «equipment»: 1".
    assert "«equipment»: 1" in response.content.decode(), _admin_errors(response)
    assert registry_get(SAMPLE_ID).spec("equipment") is not None
    assert DataRecord.objects.get(pk=record.pk).values["equipment"] == 3
