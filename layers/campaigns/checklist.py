"""The checklist of one object in one campaign, as its owner fills it: the sections and
criteria of the campaign's template for the object's group, what is answered, what evidence
is missing, and the status the answers would give."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from layers.models.accessibility import ChecklistCriterion, ChecklistSection
from layers.models.campaigns import ChecklistSubmission
from layers.rules.accessibility import (
    Answer,
    AssessmentStatus,
    NotAssessable,
    assessment_status,
    evidence_missing,
)


@dataclass
class CriterionState:
    criterion: ChecklistCriterion
    answer: str = ""
    note: str = ""
    photo: int | None = None
    previous: str = ""  # last year's accepted answer, for the owner and the reviewer

    @property
    def key(self) -> str:
        return str(self.criterion.pk)

    @property
    def evidence_missing(self) -> bool:
        return bool(self.answer) and evidence_missing(
            self.criterion.evidence, self.answer, note=self.note, photo=self.photo
        )

    @property
    def previous_label(self) -> str:
        return Answer(self.previous).label if self.previous else ""

    @property
    def answer_label(self) -> str:
        return Answer(self.answer).label if self.answer else ""

    @property
    def changed_since_last_year(self) -> bool:
        return bool(self.previous) and self.previous != self.answer


@dataclass
class SectionState:
    section: ChecklistSection
    number: int
    criteria: list[CriterionState] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for c in self.criteria if c.answer)

    @property
    def complete(self) -> bool:
        return self.answered == len(self.criteria) and not self.evidence_missing

    @property
    def evidence_missing(self) -> int:
        return sum(1 for c in self.criteria if c.evidence_missing)


@dataclass
class Checklist:
    submission: ChecklistSubmission
    sections: list[SectionState]

    @property
    def criteria(self) -> list[CriterionState]:
        return [c for s in self.sections for c in s.criteria]

    @property
    def total(self) -> int:
        return len(self.criteria)

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.sections)

    @property
    def evidence_missing(self) -> int:
        return sum(s.evidence_missing for s in self.sections)

    @property
    def complete(self) -> bool:
        return self.total > 0 and all(s.complete for s in self.sections)

    def section(self, number: int) -> SectionState | None:
        return next((s for s in self.sections if s.number == number), None)

    def first_open_section(self) -> SectionState | None:
        return next((s for s in self.sections if not s.complete), None)

    @property
    def status_label(self) -> str:
        return AssessmentStatus(self.status).label if self.status else ""

    @property
    def status(self) -> str:
        """The official status these answers give (empty until they give one)."""
        pairs = [(c.answer, c.criterion.criticality) for c in self.criteria if c.answer]
        try:
            return assessment_status(pairs) if pairs else ""
        except NotAssessable:
            return ""


def checklist_criteria(submission: ChecklistSubmission):
    return (
        ChecklistCriterion.objects.filter(
            section__template_id=submission.campaign.template_id,
            section__object_group=submission.accessible_object.object_group,
        )
        .select_related("section")
        .order_by("section__order", "section__id", "order", "id")
    )


def previous_answers(submission: ChecklistSubmission) -> dict[str, str]:
    """The object's answers in its latest assessment before the campaign's year (by
    criterion id; empty when there is none)."""
    earlier = (
        submission.accessible_object.assessments.filter(year__lt=submission.campaign.year)
        .order_by("-year")
        .first()
    )
    if earlier is None:
        return {}
    return {str(c): a for c, a in earlier.answers.values_list("criterion_id", "answer")}


def checklist_of(submission: ChecklistSubmission) -> Checklist:
    previous = previous_answers(submission)
    sections: dict[int, SectionState] = {}
    for criterion in checklist_criteria(submission):
        section = sections.get(criterion.section_id)
        if section is None:
            section = SectionState(criterion.section, number=len(sections) + 1)
            sections[criterion.section_id] = section
        key = str(criterion.pk)
        evidence = submission.evidence.get(key) or {}
        section.criteria.append(
            CriterionState(
                criterion,
                answer=submission.answers.get(key, ""),
                note=evidence.get("note", ""),
                photo=evidence.get("photo"),
                previous=previous.get(key, ""),
            )
        )
    return Checklist(submission, list(sections.values()))


# What each step of a checklist's history says (the action its service records).
STEP_LABELS = {
    "start": _("started"),
    "save": _("answers saved"),
    "submit": _("submitted for review"),
    "return": _("returned for correction"),
    "accept_checklist": _("accepted as the year's assessment"),
}


def submission_steps(submission: ChecklistSubmission) -> list[dict]:
    """The checklist's history as people read it: when, who, what — consecutive saves by
    the same person shown once, with their count."""
    from django.contrib.auth import get_user_model

    events = submission.history.select_related("pgh_context").order_by("pgh_id")
    users = {
        u.pk: u
        for u in get_user_model().objects.filter(
            pk__in={e.pgh_context.metadata.get("user") for e in events if e.pgh_context}
        )
    }
    steps: list[dict] = []
    for event in events:
        metadata = event.pgh_context.metadata if event.pgh_context else {}
        action = metadata.get("action", "")
        user = users.get(metadata.get("user"))
        if steps and steps[-1]["action"] == action == "save" and steps[-1]["user"] == user:
            steps[-1]["count"] += 1
            steps[-1]["at"] = event.pgh_created_at
            continue
        steps.append(
            {
                "action": action,
                "label": STEP_LABELS.get(action, action),
                "user": user,
                "at": event.pgh_created_at,
                "count": 1,
                "comment": event.review_comment if action == "return" else "",
            }
        )
    return steps
