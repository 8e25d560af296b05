"""Writes of the campaign: stewardships, campaigns, and an owner's checklist from its first
answer to its acceptance as the year's assessment. Views, the admin and scripts call these.

An accepted checklist is written into the object's ``assessments`` part by the editing
workflow's one save (``record_save``): the object's status, rating and date of last
assessment are derived there, as on every other path, and its history records the
acceptance with the reviewer and the submission.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.campaigns.access import (
    REGISTRY,
    require_runs_campaign,
    require_steward,
    reviewers,
)
from layers.campaigns.checklist import checklist_of, previous_answers
from layers.campaigns.stewardships import (  # noqa: F401 - the campaign's writes, in one place
    owner_account_invite,
    stewardship_decide,
    stewardship_end,
    stewardship_grant,
    stewardship_request,
)
from layers.editing.errors import OwnChange, WorkflowError
from layers.editing.parts import parts_clean, parts_read
from layers.editing.services.common import history_context, record_save
from layers.mail import mail_send
from layers.models import Status
from layers.models.accessibility import AccessibleObject, ChecklistTemplate
from layers.models.campaigns import (
    NOTE_MAX_LENGTH,
    Campaign,
    ChecklistSubmission,
    Stewardship,
    StewardshipState,
    SubmissionState,
)
from layers.registry import registry_get
from layers.rules.accessibility import Answer
from layers.services.accessibility import assessment_item


def _stewards(accessible_object):
    return [
        s.user
        for s in Stewardship.objects.filter(
            accessible_object=accessible_object, state=StewardshipState.ACTIVE
        ).select_related("user")
    ]


# --- campaigns ------------------------------------------------------------------------


def template_valid_on(day: datetime.date) -> ChecklistTemplate | None:
    """The checklist template in force on ``day`` (the newest that started by then)."""
    return (
        ChecklistTemplate.objects.filter(valid_from__lte=day)
        .exclude(valid_until__lt=day)
        .order_by("-valid_from")
        .first()
    )


@transaction.atomic
def campaign_open(
    *,
    user,
    year: int,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    template: ChecklistTemplate | None = None,
    reminder_days: int | None = None,
) -> Campaign:
    """Open the campaign of ``year`` with the template in force then (on the day it starts,
    else by the year's end) unless another is named, and the template's window (by default
    the procedure's 1 June – 31 August) unless other dates are given."""
    require_runs_campaign(user)
    if template is None:
        default_start, _end = Campaign.default_dates(year)
        template = template_valid_on(starts_on or default_start) or template_valid_on(
            datetime.date(year, 12, 31)
        )
    if template is None:
        raise ValidationError(
            {"template": _("No checklist template is in force then; load or add one first.")}
        )
    default_start, default_end = Campaign.default_dates(year, template)
    starts_on = starts_on or default_start
    ends_on = ends_on or default_end
    campaign = Campaign(year=year, template=template, starts_on=starts_on, ends_on=ends_on)
    if reminder_days is not None:
        campaign.reminder_days = reminder_days
    with history_context(user, "open"):
        campaign.full_clean()
        campaign.save()
    return campaign


# --- an owner's checklist -------------------------------------------------------------


def _lock_submission(submission: ChecklistSubmission) -> ChecklistSubmission:
    return (
        ChecklistSubmission.objects.select_for_update()
        .select_related("campaign", "accessible_object")
        .get(pk=submission.pk)
    )


def _check_version(submission: ChecklistSubmission, base_version) -> None:
    if base_version is None or int(base_version) != submission.version:
        raise WorkflowError(
            _(
                "The checklist was saved elsewhere since you opened it (another tab or "
                "device). Reload it: your answers there are kept."
            )
        )


@transaction.atomic
def submission_start(
    *, user, accessible_object: AccessibleObject, campaign: Campaign, from_last_year: bool = False
):
    """The owner's checklist of the object in the campaign, started now if it was not —
    empty, or with the answers of the object's latest earlier assessment to check one by
    one (``from_last_year``; evidence is not carried over)."""
    require_steward(user, accessible_object)
    if campaign.starts_on > timezone.localdate():
        raise WorkflowError(_("The campaign has not started yet."))
    existing = ChecklistSubmission.objects.filter(
        campaign=campaign, accessible_object=accessible_object
    ).first()
    if existing is not None:
        return existing
    with history_context(user, "start"):
        submission = ChecklistSubmission(
            campaign=campaign,
            accessible_object=accessible_object,
            started_by=user,
            updated_by=user,
        )
        if from_last_year:
            keys = {c.key for c in checklist_of(submission).criteria}
            earlier = previous_answers(submission)
            submission.answers = {key: a for key, a in earlier.items() if key in keys}
        submission.full_clean()
        submission.save()
    return submission


@transaction.atomic
def submission_save(
    *,
    submission: ChecklistSubmission,
    user,
    base_version: int,
    answers: dict[str, str],
    notes: dict[str, str] | None = None,
    photos: dict[str, int | None] | None = None,
    filled_by: str | None = None,
) -> ChecklistSubmission:
    """Save answers (criterion id → yes / no / not applicable, or '' to clear), notes and
    evidence photo ids for some criteria of the checklist; the rest stays as it was. An
    incomplete checklist is saved as it is: the owner goes on later."""
    submission = _lock_submission(submission)
    require_steward(user, submission.accessible_object)
    if not submission.editable:
        raise WorkflowError(_("The checklist is with the reviewer; it cannot be changed now."))
    _check_version(submission, base_version)
    criteria = {c.key: c for c in checklist_of(submission).criteria}
    errors = {}
    stored_answers, stored_evidence = dict(submission.answers), dict(submission.evidence)
    for key, answer in answers.items():
        if key not in criteria:
            errors[f"answer_{key}"] = [_("This criterion is not in the object's checklist.")]
        elif answer and answer not in Answer.values:
            errors[f"answer_{key}"] = [_("Every answer is “yes”, “no” or “not applicable”.")]
        elif answer:
            stored_answers[key] = answer
        else:
            stored_answers.pop(key, None)
    for key, note in (notes or {}).items():
        if key not in criteria:
            errors[f"note_{key}"] = [_("This criterion is not in the object's checklist.")]
        elif len(note) > NOTE_MAX_LENGTH:
            errors[f"note_{key}"] = [_("At most %(max)s characters.") % {"max": NOTE_MAX_LENGTH}]
        else:
            stored_evidence.setdefault(key, {})["note"] = note.strip()
    for key, photo in (photos or {}).items():
        if key not in criteria:
            errors[f"photo_{key}"] = [_("This criterion is not in the object's checklist.")]
        else:
            stored_evidence.setdefault(key, {})["photo"] = photo
    if errors:
        raise ValidationError(errors)
    with history_context(user, "save"):
        submission.answers = stored_answers
        submission.evidence = {
            key: {name: value for name, value in item.items() if value}
            for key, item in stored_evidence.items()
            if any(item.values())
        }
        if filled_by is not None:
            submission.filled_by = filled_by.strip()
        submission.updated_by = user
        submission.version += 1
        submission.full_clean()
        submission.save()
    return submission


@transaction.atomic
def submission_submit(*, submission: ChecklistSubmission, user, base_version: int):
    """Send the complete checklist to the hromada's reviewers."""
    submission = _lock_submission(submission)
    require_steward(user, submission.accessible_object)
    if not submission.editable:
        raise WorkflowError(_("The checklist has already been submitted."))
    _check_version(submission, base_version)
    checklist = checklist_of(submission)
    problems = []
    if checklist.answered < checklist.total:
        problems.append(
            _("%(count)s criteria are not answered yet.")
            % {"count": checklist.total - checklist.answered}
        )
    if checklist.evidence_missing:
        problems.append(
            _("%(count)s answers need a note or a photo as evidence.")
            % {"count": checklist.evidence_missing}
        )
    if not submission.filled_by:
        problems.append(_("Name the person responsible for the checklist."))
    if problems:
        raise ValidationError([str(p) for p in problems], code="incomplete")
    _assessment_of(submission, checklist)  # refuses an all-"not applicable" checklist
    with history_context(user, "submit"):
        submission.state = SubmissionState.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.updated_by = user
        submission.version += 1
        submission.save()
    mail_send(
        recipients=reviewers(),
        template="layers/campaigns/mail/submitted.txt",
        context={"submission": submission},
    )
    return submission


def _assessment_of(submission: ChecklistSubmission, checklist) -> dict:
    return assessment_item(
        obj=submission.accessible_object,
        year=submission.campaign.year,
        template=submission.campaign.template,
        answers={c.criterion: c.answer for c in checklist.criteria},
        assessed_on=timezone.localdate(submission.submitted_at or timezone.now()),
        assessed_by=submission.filled_by,
    )


def _lock_submitted(submission: ChecklistSubmission, user) -> ChecklistSubmission:
    require_runs_campaign(user)
    submission = _lock_submission(submission)
    if submission.state != SubmissionState.SUBMITTED:
        raise WorkflowError(_("This checklist is not waiting for review."))
    if user.pk in (submission.started_by_id, submission.updated_by_id):
        raise OwnChange(_("Another reviewer checks a checklist you filled yourself."))
    return submission


@transaction.atomic
def submission_return(*, submission: ChecklistSubmission, user, comment: str):
    """Send the checklist back to its owner to correct, saying what."""
    if not comment.strip():
        raise ValidationError({"review_comment": _("Say what the owner should correct.")})
    submission = _lock_submitted(submission, user)
    with history_context(user, "return"):
        submission.state = SubmissionState.RETURNED
        submission.reviewer = user
        submission.review_comment = comment.strip()
        submission.decided_at = timezone.now()
        submission.version += 1
        submission.save()
    mail_send(
        recipients=_stewards(submission.accessible_object),
        template="layers/campaigns/mail/decided.txt",
        context={"submission": submission},
    )
    return submission


@transaction.atomic
def submission_accept(*, submission: ChecklistSubmission, user, comment: str = ""):
    """Accept the checklist as the object's assessment of the year: written into the
    object's assessments (replacing one of the same year), its status and the object's
    public rating derived by the one save of the workflow."""
    submission = _lock_submitted(submission, user)
    registry = registry_get(REGISTRY)
    record = registry.objects().select_for_update().get(pk=submission.accessible_object_id)
    if record.status == Status.ARCHIVED:
        raise WorkflowError(_("The object is archived."))
    item = _assessment_of(submission, checklist_of(submission))
    current = parts_read(registry, record)["assessments"]
    items = [other for other in current if other["year"] != item["year"]] + [item]
    parts = parts_clean(registry, record, {"assessments": items})
    with history_context(user, "accept_checklist", submission=submission.pk):
        record_save(record, user=user, parts=parts)
        submission.state = SubmissionState.ACCEPTED
        submission.reviewer = user
        submission.review_comment = comment.strip()
        submission.decided_at = timezone.now()
        submission.assessment = record.assessments.get(year=item["year"])
        submission.version += 1
        submission.save()
    mail_send(
        recipients=_stewards(submission.accessible_object),
        template="layers/campaigns/mail/decided.txt",
        context={"submission": submission},
    )
    return submission
