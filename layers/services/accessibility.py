"""The accessibility registry's derived values and checklists.

The stored status of an assessment and the stored rating of an object are only ever set
from here (the registry's ``derive`` hook and the assessments part), from the rules in
``layers.rules.accessibility``.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layers.models.accessibility import (
    AccessibleObject,
    ChecklistCriterion,
    ChecklistTemplate,
)
from layers.rules.accessibility import (
    Answer,
    NotAssessable,
    assessment_status,
    profile_answers,
    traffic_light,
)

RATING_FIELDS = (
    "traffic_light",
    "wheelchair",
    "low_vision",
    "hearing",
    "stroller",
    "last_assessed_on",
)


def accessible_object_rating(*, obj: AccessibleObject, latest_status: str | None) -> dict[str, str]:
    """The derived rating fields of ``obj`` as the rules give them (nothing is saved)."""
    answers = profile_answers(obj)
    return {
        "traffic_light": traffic_light(latest_status=latest_status, wheelchair=answers.wheelchair),
        "wheelchair": answers.wheelchair,
        "low_vision": answers.low_vision,
        "hearing": answers.hearing,
        "stroller": answers.stroller,
    }


def _latest_assessment(obj: AccessibleObject) -> tuple[str | None, datetime.date | None]:
    """The status and date of the object's latest assessment that has a status."""
    if obj.pk is None:
        return None, None
    latest = (
        obj.assessments.exclude(status="")
        .order_by("-year", "-assessed_on")
        .values_list("status", "assessed_on")
        .first()
    )
    return latest or (None, None)


def accessible_object_derive(obj: AccessibleObject) -> bool:
    """Set the object's traffic light, per-profile answers and date of last assessment from
    its attributes (as they are on ``obj``, saved or not) and its latest assessment;
    nothing is saved. The registry's
    ``derive`` hook: the write services call it before every save. True if anything
    changed."""
    status, assessed_on = _latest_assessment(obj)
    rating = accessible_object_rating(obj=obj, latest_status=status)
    rating["last_assessed_on"] = assessed_on
    if all(getattr(obj, name) == value for name, value in rating.items()):
        return False
    for name, value in rating.items():
        setattr(obj, name, value)
    return True


def assessment_status_of(pairs: list[tuple[str, str]]) -> str:
    try:
        return assessment_status(pairs)
    except NotAssessable:
        return ""


def assessment_item(
    *,
    obj: AccessibleObject,
    year: int,
    template: ChecklistTemplate,
    answers: Mapping[ChecklistCriterion, str],
    assessed_on: datetime.date | None = None,
    assessed_by: str = "",
) -> dict:
    """The year's completed checklist of ``obj`` as an item of its ``assessments`` part,
    to be written through the editing services (``record_update(parts=...)``).

    ``answers`` must answer every criterion of the template's sections for the object's
    group, and nothing else, and at least one criterion must apply; ValidationError if not.
    """
    expected = {
        criterion.pk: criterion
        for criterion in ChecklistCriterion.objects.filter(
            section__template=template, section__object_group=obj.object_group
        ).select_related("section")
    }
    try:
        given = {criterion.pk: Answer(value) for criterion, value in answers.items()}
    except ValueError:
        raise ValidationError(
            _("Every answer is “yes”, “no” or “not applicable”."), code="bad_answer"
        ) from None
    foreign = given.keys() - expected.keys()
    missing = expected.keys() - given.keys()
    if foreign:
        raise ValidationError(
            _("%(count)s answers are to criteria that do not apply to this object's checklist."),
            code="foreign_criteria",
            params={"count": len(foreign)},
        )
    if missing:
        raise ValidationError(
            _("The checklist is incomplete: %(count)s criteria are not answered."),
            code="incomplete",
            params={"count": len(missing)},
        )
    try:
        assessment_status((answer, expected[pk].criticality) for pk, answer in given.items())
    except NotAssessable:
        raise ValidationError(
            _(
                "No criterion applies (all answered “not applicable”): the object cannot be "
                "assessed with this checklist."
            ),
            code="not_assessable",
        ) from None
    return {
        "year": year,
        "template": template.pk,
        "assessed_on": (assessed_on or datetime.date.today()).isoformat(),
        "assessed_by": assessed_by,
        "answers": {str(pk): str(answer) for pk, answer in sorted(given.items())},
    }
