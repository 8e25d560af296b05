"""The barrier-free checklist as a table: one row per accessible object, one column per
criterion of a checklist template, the object's answers of one assessment in its cells.

The layout the monitoring procedure reports in. The open-data download (``…/download/
checklist``) is the published objects' latest assessments; the campaign's summary reads the
same table for one year (``checklist_table(year=…)``), for the objects it is given.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from layers.models.accessibility import (
    Assessment,
    AssessmentAnswer,
    ChecklistCriterion,
    ChecklistTemplate,
)
from layers.registry import registry_get
from layers.rules.accessibility import ObjectGroup, category_object_group
from layers.selectors.public import registry_public_queryset

# The columns before the criteria, in order.
OBJECT_COLUMNS = ("id", "name", "category", "object_group", "year", "assessed_on", "status")
_GROUP_ORDER = {group: index for index, group in enumerate(ObjectGroup)}


@dataclass(frozen=True)
class Column:
    key: str  # stable and machine-readable (a file's first header row)
    label: str  # what a person reads (a file's second header row), in the active language


@dataclass(frozen=True)
class ChecklistTable:
    template: ChecklistTemplate | None  # whose criteria are the columns
    columns: tuple[Column, ...]
    rows: list[dict]  # column key -> value; None: empty (not answered, not assessed)


def criterion_key(section_code: str, criterion_code: str) -> str:
    """A criterion's column: its code is unique only within its section, whose code is
    unique within a template; both are stable identifiers from the source data, so the
    same criterion of two template versions has the same column."""
    return f"{section_code}/{criterion_code}"


def checklist_template_in_force(*, year: int | None = None) -> ChecklistTemplate | None:
    """The checklist template of today, or of ``year``: the newest that had come into force
    by then (by its end), else the newest there is (None when none is loaded)."""
    moment = datetime.date.today() if year is None else datetime.date(year, 12, 31)
    templates = ChecklistTemplate.objects.order_by("-valid_from", "name")
    return templates.filter(valid_from__lte=moment).first() or templates.first()


def _object_columns() -> list[Column]:
    labels = {
        "id": _("Object id"),
        "name": _("Name"),
        "category": _("Category"),
        "object_group": _("Object group"),
        "year": _("Year of the assessment"),
        "assessed_on": _("Assessed on"),
        "status": _("Assessment status"),
    }
    return [Column(key, str(labels[key])) for key in OBJECT_COLUMNS]


def _criterion_columns(template: ChecklistTemplate | None) -> list[Column]:
    """Every criterion of the template, section by section, the object groups in the
    procedure's order (buildings first)."""
    if template is None:
        return []
    criteria = ChecklistCriterion.objects.filter(section__template=template).select_related(
        "section"
    )
    ordered = sorted(
        criteria,
        key=lambda c: (
            _GROUP_ORDER.get(c.section.object_group, len(_GROUP_ORDER)),
            c.section.order,
            c.section_id,
            c.order,
            c.pk,
        ),
    )
    return [
        Column(criterion_key(c.section.code, c.code), f"{c.section.title}: {c.text}")
        for c in ordered
    ]


def _assessments(object_ids: list[int], year: int | None) -> dict[int, Assessment]:
    """Per object the assessment of ``year``, or its latest (a row per object at most)."""
    assessments = Assessment.objects.filter(accessible_object_id__in=object_ids).only(
        "pk", "accessible_object_id", "year", "assessed_on", "status"
    )
    if year is None:
        assessments = assessments.order_by("accessible_object_id", "-year").distinct(
            "accessible_object_id"
        )
    else:
        assessments = assessments.filter(year=year)
    return {a.accessible_object_id: a for a in assessments}


def _answers(assessment_ids: list[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    rows = AssessmentAnswer.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "criterion__section__code", "criterion__code", "answer"
    )
    for assessment_id, section_code, code, answer in rows:
        found.setdefault(assessment_id, {})[criterion_key(section_code, code)] = answer
    return found


def checklist_table(
    *,
    year: int | None = None,
    template: ChecklistTemplate | None = None,
    objects: QuerySet | None = None,
) -> ChecklistTable:
    """The checklist table of ``objects`` (default: the published accessible objects),
    ordered by name: each object's assessment of ``year`` (default: its latest), in the
    columns of ``template`` (default: the one in force then, ``checklist_template_in_force``).

    An object without such an assessment has a row with empty cells; an answer to a
    criterion the template does not have (an assessment made with another version that
    dropped it) has no column and is not shown.
    """
    if objects is None:
        objects = registry_public_queryset(registry_get("accessibility"))
    template = template or checklist_template_in_force(year=year)
    columns = _object_columns() + _criterion_columns(template)
    criteria = [column.key for column in columns[len(OBJECT_COLUMNS) :]]
    records = list(
        objects.order_by("name", "public_id").values("pk", "public_id", "name", "category")
    )
    assessments = _assessments([r["pk"] for r in records], year)
    answers = _answers([a.pk for a in assessments.values()])
    rows = []
    for record in records:
        assessment = assessments.get(record["pk"])
        given = answers.get(assessment.pk, {}) if assessment else {}
        row = {
            "id": str(record["public_id"]),
            "name": record["name"],
            "category": record["category"],
            "object_group": str(category_object_group(record["category"])),
            "year": assessment.year if assessment else None,
            "assessed_on": assessment.assessed_on if assessment else None,
            "status": (assessment.status or None) if assessment else None,
        }
        row.update({key: given.get(key) for key in criteria})
        rows.append(row)
    return ChecklistTable(template=template, columns=tuple(columns), rows=rows)


def checklist_rows(
    *,
    year: int | None = None,
    template: ChecklistTemplate | None = None,
    objects: QuerySet | None = None,
) -> list[dict]:
    """The rows of ``checklist_table`` (the same arguments), without the columns."""
    return checklist_table(year=year, template=template, objects=objects).rows


def checklist_table_stamp(registry=None) -> str:
    """What the table depends on besides the objects' own columns (whose change the
    registry's stamp follows): the assessments, their answers and the checklist templates.
    These tables have no change-stamp trigger, so their state is read here, in a few
    aggregates over small tables; an answer changed is a new row (answers are replaced
    whole), so counts and the highest id see it."""
    assessments = Assessment.objects.aggregate(count=Count("pk"), last=Max("updated_at"))
    answers = AssessmentAnswer.objects.aggregate(count=Count("pk"), last=Max("pk"))
    criteria = ChecklistCriterion.objects.order_by("pk").values_list(
        "pk",
        "code",
        "text",
        "order",
        "section_id",
        "section__code",
        "section__title",
        "section__order",
        "section__object_group",
        "section__template_id",
        "section__template__valid_from",
    )
    in_force = checklist_template_in_force()
    state = repr(
        (
            sorted(assessments.items()),
            sorted(answers.items()),
            list(criteria),
            in_force.pk if in_force else None,
        )
    )
    return hashlib.sha256(state.encode()).hexdigest()[:16]
