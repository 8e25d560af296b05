"""Seeding the official checklist from data/barrier-free-criteria/*.tsv."""

import csv
import shutil
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from layers.models.accessibility import ChecklistCriterion, ChecklistSection, ChecklistTemplate
from layers.rules.accessibility import Criticality, ObjectGroup
from layers.services.checklist import CHECKLIST_DIR, checklist_load

pytestmark = pytest.mark.django_db


def test_seed_creates_the_official_sections_and_criteria():
    result = checklist_load()

    template = result.template
    assert "537" in template.legal_basis and "311" in template.legal_basis
    assert template.valid_from.year == 2025
    assert ChecklistTemplate.objects.count() == 1
    assert template.sections.count() == 19
    assert ChecklistCriterion.objects.filter(section__template=template).count() == 16
    groups = Counter(template.sections.values_list("object_group", flat=True))
    assert set(groups) == set(ObjectGroup.values)
    assert groups[ObjectGroup.BUILDINGS] == 4
    # Every criterion in the official data is critical.
    assert set(ChecklistCriterion.objects.values_list("criticality", flat=True)) == {
        Criticality.HIGH
    }


def test_seed_keeps_file_order_and_places_criteria_in_their_sections():
    checklist_load()

    first = ChecklistSection.objects.get(order=1)
    assert (first.code, first.object_group) == ("PEDESTRIAN_PATHS", ObjectGroup.AMENITIES)
    parking = ChecklistSection.objects.get(code="ACCESS_PATHS_BUILDINGS")
    assert parking.object_group == ObjectGroup.BUILDINGS
    assert list(parking.criteria.values_list("order", flat=True)) == [1, 2, 3]
    assert parking.criteria.filter(text__contains="паркувальні місця").exists()


def test_seed_ignores_the_placeholder_test_rows():
    checklist_load()

    assert not ChecklistCriterion.objects.filter(text__istartswith="test").exists()


def test_loading_twice_changes_nothing():
    first = checklist_load()
    before = list(ChecklistCriterion.objects.order_by("pk").values())

    again = checklist_load()

    assert first.changed is True
    assert again.changed is False
    assert again.template.pk == first.template.pk
    assert list(ChecklistCriterion.objects.order_by("pk").values()) == before


def test_reloading_updates_changed_wording_in_place(tmp_path):
    checklist_load()
    shutil.copytree(CHECKLIST_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "barrierless_criteria.tsv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    rows[0]["rank"] = "medium"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=rows[0].keys(), delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)

    result = checklist_load(directory=tmp_path)

    assert result.updated == {"checklistcriterion": 1}
    assert ChecklistCriterion.objects.count() == 16
    assert ChecklistCriterion.objects.get(code=rows[0]["id"]).criticality == Criticality.MEDIUM


def test_command_seeds_and_reports():
    out = StringIO()

    call_command("load_checklist", stdout=out)
    call_command("load_checklist", stdout=out)

    lines = out.getvalue().splitlines()
    assert "19 sections, 16 criteria" in lines[0] and "created" in lines[0]
    assert lines[1].endswith("unchanged.")
