"""Seed the official barrier-free checklist from its machine-readable copy.

The files in ``data/barrier-free-criteria/`` are a partial export of the checklist of Cabinet
of Ministers Resolution No. 537 (2021, restated by No. 311 of 2025): object groups, types of
checklist sections and criteria, one TSV each. Loading them again changes nothing, and
criteria that maintainers added in the admin are left alone.
"""

# The seed template is named and grounded in Ukrainian, as the law is.

import csv
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from geoportal.env import BASE_DIR
from layers.models.accessibility import ChecklistCriterion, ChecklistSection, ChecklistTemplate
from layers.rules.accessibility import Criticality, ObjectGroup

CHECKLIST_DIR = BASE_DIR / "data" / "barrier-free-criteria"

SEED_TEMPLATE_NAME = "Картка безбар'єрності (Порядок моніторингу, постанова КМУ № 537 / № 311)"
SEED_LEGAL_BASIS = (
    "Порядок проведення моніторингу та оцінки ступеня безбар'єрності об'єктів фізичного "
    "оточення і послуг для осіб з інвалідністю, затверджений постановою Кабінету Міністрів "
    "України від 26.05.2021 № 537, у редакції постанови Кабінету Міністрів України від "
    "18.03.2025 № 311. / Cabinet of Ministers Resolution No. 537 of 26 May 2021 on the "
    "monitoring and assessment of the barrier-free state of the physical environment, as "
    "restated by Resolution No. 311 of 18 March 2025."
)
SEED_VALID_FROM = datetime.date(2025, 3, 18)

# Rows the source kept from its own testing ("test", "test2", …): not part of the law.
_PLACEHOLDER = re.compile(r"test\d*", re.IGNORECASE)


@dataclass
class ChecklistLoadResult:
    template: ChecklistTemplate
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _upsert(model, lookup: dict, values: dict, tally: dict[str, dict[str, int]]):
    """Create or update one row found by ``lookup``; count what happened in ``tally``."""
    label = model._meta.model_name
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        outcome = "created"
    elif all(getattr(instance, key) == value for key, value in values.items()):
        return instance
    else:
        for key, value in values.items():
            setattr(instance, key, value)
        outcome = "updated"
    instance.full_clean()
    instance.save()
    tally[outcome][label] = tally[outcome].get(label, 0) + 1
    return instance


def checklist_load(*, directory: Path = CHECKLIST_DIR) -> ChecklistLoadResult:
    """Create or update the seed checklist template from the TSV files in ``directory``.

    Groups become the sections' object groups, types become sections (in file order),
    criteria become criteria (in file order within their section) with ``rank`` as their
    criticality. Placeholder rows whose text is ``test`` are ignored.
    """
    groups = {
        row["id"]: ObjectGroup(row["name"].strip().lower())
        for row in _rows(directory / "barrierless_criteria_groups.tsv")
    }
    types = _rows(directory / "barrierless_criteria_types.tsv")
    criteria = [
        row
        for row in _rows(directory / "barrierless_criteria.tsv")
        if not _PLACEHOLDER.fullmatch(row["description"].strip())
    ]

    tally: dict[str, dict[str, int]] = {"created": {}, "updated": {}}
    with transaction.atomic():
        template = _upsert(
            ChecklistTemplate,
            {"name": SEED_TEMPLATE_NAME},
            {"legal_basis": SEED_LEGAL_BASIS, "valid_from": SEED_VALID_FROM},
            tally,
        )
        sections = {}
        for order, row in enumerate(types, start=1):
            sections[row["id"]] = _upsert(
                ChecklistSection,
                {"template": template, "code": row["name"].strip()},
                {
                    "title": row["description"].strip(),
                    "object_group": groups[row["barrierless_criteria_group_id"]],
                    "order": order,
                },
                tally,
            )
        position: dict[str, int] = {}
        for row in criteria:
            section = sections[row["barrierless_criteria_type_id"]]
            position[section.code] = position.get(section.code, 0) + 1
            _upsert(
                ChecklistCriterion,
                {"section": section, "code": row["id"].strip()},
                {
                    "text": row["description"].strip(),
                    "criticality": Criticality(row["rank"].strip().lower()),
                    "order": position[section.code],
                },
                tally,
            )
    return ChecklistLoadResult(template, created=tally["created"], updated=tally["updated"])


def checklist_seed_template() -> ChecklistTemplate | None:
    """Return the seeded template if it has been loaded."""
    return ChecklistTemplate.objects.filter(name=SEED_TEMPLATE_NAME).first()
