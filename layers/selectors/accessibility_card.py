"""The printable card of one published accessible object: what the monitoring procedure's
card holds — the object, its latest (or a chosen year's) assessment with the answer to every
criterion of its checklist — and the portal's public rating, as plain texts for the PDF.

Plain texts on purpose: the card's ``digest`` is a hash of exactly what is printed, so a
card is made again only when something on it changed (the view caches the PDF by it).
"""

import hashlib
import json
from dataclasses import asdict, dataclass

from django.db.models import Q
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layers.models.accessibility import Assessment, AssessmentAnswer, ChecklistSection
from layers.registry import public_registry_get
from layers.rules.accessibility import (
    Answer,
    AssessmentStatus,
    Criticality,
    ObjectGroup,
    category_object_group,
)
from layers.selectors.accessibility import ACCESSIBILITY, accessibility_latest_assessment
from layers.selectors.map import (
    property_display,
    property_label,
    record_public_get,
    record_title,
    record_url,
)

# The rating as the record page shows it: the colour, then each visitor profile.
RATING = ("traffic_light", "wheelchair", "low_vision", "hearing", "stroller")


class NoAssessmentThatYear(LookupError):
    """The object has no assessment of the year asked for; ``years`` are those it has."""

    def __init__(self, year: int, years: tuple[int, ...]):
        super().__init__(year)
        self.year = year
        self.years = years


@dataclass(frozen=True)
class CardSection:
    title: str
    # Each criterion: code, text, answer ("yes", "no", "not_applicable" or ""), its label,
    # and whether it is critical (a "no" on it makes the object not barrier-free).
    criteria: tuple[dict, ...]


@dataclass(frozen=True)
class Card:
    title: str
    url: str  # the record page (path; the view makes it absolute)
    details: tuple[tuple[str, str], ...]  # (label, value)
    rating: tuple[dict, ...]  # name, label, value, raw
    assessment: dict | None  # year, date, person, status, template, legal basis
    sections: tuple[CardSection, ...]
    years: tuple[int, ...]  # every year the object has an assessment of, newest first
    language: str

    @property
    def marks_critical(self) -> bool:
        """Whether to mark the critical criteria: only when some are not (the seed
        checklist marks every criterion critical, and a mark on each says nothing)."""
        flags = {c["critical"] for section in self.sections for c in section.criteria}
        return flags == {True, False}

    @property
    def digest(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _assessment_of(pk: int, year: int | None) -> Assessment | None:
    if year is None:
        return accessibility_latest_assessment(pk)
    return (
        Assessment.objects.filter(accessible_object_id=pk, year=year)
        .select_related("template")
        .first()
    )


def _sections(assessment: Assessment, group: str) -> tuple[CardSection, ...]:
    """Every section of the assessment's checklist for the object's group, every criterion
    with its answer (a criterion left unanswered is printed as such, never as "no")."""
    answers = dict(
        AssessmentAnswer.objects.filter(assessment=assessment).values_list("criterion_id", "answer")
    )
    labels = dict(Answer.choices)
    # The sections of the object's group, and those of any criterion answered (an object
    # whose category changed since keeps the answers it was assessed with).
    sections = (
        ChecklistSection.objects.filter(template_id=assessment.template_id)
        .filter(Q(object_group=group) | Q(criteria__answers__assessment=assessment))
        .distinct()
        .prefetch_related("criteria")
    )
    return tuple(
        CardSection(
            title=section.title,
            criteria=tuple(
                {
                    "code": criterion.code,
                    "text": criterion.text,
                    "answer": answers.get(criterion.pk, ""),
                    "answer_label": str(labels.get(answers.get(criterion.pk), _("not answered"))),
                    "critical": criterion.criticality == Criticality.HIGH,
                }
                for criterion in section.criteria.all()
            ),
        )
        for section in sections
        # The seed data has sections whose only rows were placeholders: nothing to answer.
        if section.criteria.all()
    )


def _assessment_texts(assessment: Assessment) -> dict:
    statuses = dict(AssessmentStatus.choices)
    return {
        "year": assessment.year,
        "assessed_on": formats.date_format(assessment.assessed_on, "DATE_FORMAT"),
        "assessed_by": assessment.assessed_by,
        "status": assessment.status,
        "status_label": str(statuses.get(assessment.status, _("not determined"))),
        "template": assessment.template.name,
        "legal_basis": assessment.template.legal_basis,
    }


def accessibility_card(*, public_id, year: int | None = None) -> Card | None:
    """The card of a published object, with its latest official assessment or that of
    ``year``; None when there is no such published object, ``NoAssessmentThatYear`` when it
    has no assessment of ``year``."""
    registry = public_registry_get(ACCESSIBILITY)
    record = record_public_get(registry, public_id)
    if record is None:
        return None
    years = tuple(
        Assessment.objects.filter(accessible_object_id=record["pk"])
        .order_by("-year")
        .values_list("year", flat=True)
    )
    assessment = _assessment_of(record["pk"], year)
    if year is not None and assessment is None:
        raise NoAssessmentThatYear(year, years)
    group = category_object_group(record["category"])
    group_label = ChecklistSection._meta.get_field("object_group").verbose_name
    details = (
        (property_label(registry, "address"), record.get("address") or ""),
        (
            property_label(registry, "category"),
            property_display(registry, "category", record["category"]),
        ),
        (property_label(registry, "owner"), record.get("owner") or ""),
        (str(group_label), str(ObjectGroup(group).label)),
    )
    rating = tuple(
        {
            "name": name,
            "label": property_label(registry, name),
            "value": property_display(registry, name, record.get(name)),
            "raw": record.get(name) or "",
        }
        for name in RATING
    )
    return Card(
        title=record_title(registry, record),
        url=record_url(registry, record["public_id"]),
        details=details,
        rating=rating,
        assessment=_assessment_texts(assessment) if assessment else None,
        sections=_sections(assessment, group) if assessment else (),
        years=years,
        language=get_language() or "uk",
    )
