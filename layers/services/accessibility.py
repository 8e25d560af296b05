"""Writes of the accessibility registry that keep its derived values right.

The stored status of an assessment and the stored rating of an object are only ever set
here, from the rules in ``layers.rules.accessibility``.
"""

import datetime
from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from layers.models.accessibility import (
    AccessibleObject,
    Assessment,
    AssessmentAnswer,
    ChecklistCriterion,
    ChecklistTemplate,
)
from layers.rules.accessibility import (
    Answer,
    AssessmentStatus,
    NotAssessable,
    assessment_status,
    profile_answers,
    traffic_light,
)

RATING_FIELDS = ("traffic_light", "wheelchair", "low_vision", "hearing", "stroller")


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


def _latest_status(obj: AccessibleObject) -> str | None:
    if obj.pk is None:
        return None
    return (
        obj.assessments.exclude(status="")
        .order_by("-year")
        .values_list("status", flat=True)
        .first()
    )


def accessible_object_derive(obj: AccessibleObject) -> bool:
    """Set the object's traffic light and per-profile answers from its attributes (as they
    are on ``obj``, saved or not) and its latest assessment; nothing is saved. The registry's
    ``derive`` hook: the write services call it before every save. True if anything
    changed."""
    rating = accessible_object_rating(obj=obj, latest_status=_latest_status(obj))
    if all(getattr(obj, name) == value for name, value in rating.items()):
        return False
    for name, value in rating.items():
        setattr(obj, name, value)
    return True


def accessible_object_refresh_rating(*, obj: AccessibleObject) -> AccessibleObject:
    """Recompute and store the object's traffic light and per-profile answers.

    Call it after any of its assessments changed (a part of the record); writes of the
    record itself derive them through the registry's hook.
    """
    with transaction.atomic():
        if not accessible_object_derive(obj):
            return obj
        obj.full_clean()
        # Only the derived fields: the record's own version and workflow stay untouched.
        obj.save(update_fields=[*RATING_FIELDS, "updated_at"])
    return obj


def assessment_status_of(pairs: list[tuple[str, str]]) -> str:
    try:
        return assessment_status(pairs)
    except NotAssessable:
        return ""


def assessment_refresh_status(*, assessment: Assessment) -> Assessment:
    """Recompute an assessment's status from its stored answers (after an edit in the admin),
    then the object's rating. An assessment without applicable answers has no status."""
    with transaction.atomic():
        pairs = list(assessment.answers.values_list("answer", "criterion__criticality"))
        status = assessment_status_of(pairs)
        if status != assessment.status:
            assessment.status = status
            assessment.full_clean()
            assessment.save(update_fields=["status", "updated_at"])
        accessible_object_refresh_rating(obj=assessment.accessible_object)
    return assessment


def assessment_record(
    *,
    obj: AccessibleObject,
    year: int,
    template: ChecklistTemplate,
    answers: Mapping[ChecklistCriterion, str],
    user: AbstractBaseUser | None,
    assessed_on: datetime.date | None = None,
    assessed_by: str = "",
) -> Assessment:
    """Record the year's completed checklist of ``obj`` and derive its status.

    ``answers`` must answer every criterion of the template's sections for the object's
    group, and nothing else. Recording a year again replaces that year's answers. The
    object's rating is refreshed in the same transaction; on any error nothing is saved.
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
        status = assessment_status(
            (answer, expected[pk].criticality) for pk, answer in given.items()
        )
    except NotAssessable:
        raise ValidationError(
            _(
                "No criterion applies (all answered “not applicable”): the object cannot be "
                "assessed with this checklist."
            ),
            code="not_assessable",
        ) from None

    with transaction.atomic():
        assessment = Assessment.objects.filter(accessible_object=obj, year=year).first()
        if assessment is None:
            assessment = Assessment(accessible_object=obj, year=year, created_by=user)
        assessment.template = template
        assessment.assessed_on = assessed_on or datetime.date.today()
        assessment.assessed_by = assessed_by
        assessment.status = AssessmentStatus(status)
        assessment.full_clean()
        assessment.save()
        assessment.answers.all().delete()
        rows = [
            AssessmentAnswer(assessment=assessment, criterion=expected[pk], answer=answer)
            for pk, answer in given.items()
        ]
        for row in rows:
            row.full_clean(exclude=["assessment"], validate_unique=False)
        AssessmentAnswer.objects.bulk_create(rows)
        accessible_object_refresh_rating(obj=obj)
    return assessment
