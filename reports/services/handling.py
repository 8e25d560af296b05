"""The staff's side of a report: moderation (publish, edit the text with history, hide a
photo), the answer (a state with a public comment, the reporter and followers mailed each
time), a duplicate linked to its original, and a change of the linked record started from
the report (through the editing workflow's review)."""

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.editing.errors import WorkflowError
from layers.editing.services import record_update
from layers.registry import registry_get
from reports import notify
from reports.models import (
    ANSWERED_STATES,
    COMMENT_MAX_CHARS,
    DESCRIPTION_MAX_CHARS,
    Moderation,
    Report,
    ReportState,
    ReportUpdate,
)
from reports.permissions import can_answer, can_moderate

# Where staff may move a report: any state of the city's answer, from any but "new" (a
# report its reporter has not confirmed is not yet one to answer).
ANSWER_STATES = (ReportState.CONFIRMED, ReportState.IN_PROGRESS, *ANSWERED_STATES)


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("category").get(pk=report.pk)


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Write a public comment: the reporter reads it.")})
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {"comment": _("At most %(max)s characters.") % {"max": COMMENT_MAX_CHARS}}
        )
    return comment


def report_moderate(
    *,
    report: Report,
    user,
    publish: bool,
    description: str | None = None,
    hidden_photos=(),
) -> Report:
    """Publish or hide a report, optionally with its text edited (personal data taken out;
    the earlier text stays in the report's history, with who changed it) and some of its
    photos hidden."""
    if not can_moderate(user, report):
        raise PermissionDenied
    with transaction.atomic(), pghistory.context(user=user.pk, action="moderate"):
        report = _locked(report)
        if description is not None:
            description = description.strip()
            if not description or len(description) > DESCRIPTION_MAX_CHARS:
                raise ValidationError(
                    {
                        "description": _("Between 1 and %(max)s characters.")
                        % {"max": DESCRIPTION_MAX_CHARS}
                    }
                )
            report.description = description
        was_public = report.is_public
        report.moderation = Moderation.PUBLISHED if publish else Moderation.HIDDEN
        if publish and report.published_at is None:
            report.published_at = timezone.now()
        report.full_clean()
        report.save()
        hidden = {int(pk) for pk in hidden_photos}
        for photo in report.photos.all():
            if photo.hidden != (photo.pk in hidden):
                photo.hidden = photo.pk in hidden
                photo.save(update_fields=["hidden"])
        if report.is_public and not was_public:
            notify.published(report)
    return report


def report_answer(
    *, report: Report, user, state: str, comment: str, duplicate_of: Report | None = None
) -> ReportUpdate:
    """A new state with the staff's public comment; the reporter and the report's
    followers are mailed. A duplicate names its original (another report, not itself a
    duplicate)."""
    if not can_answer(user, report):
        raise PermissionDenied
    if state not in ANSWER_STATES:
        raise ValidationError({"state": _("Choose a state.")})
    comment = _comment(comment)
    with transaction.atomic(), pghistory.context(user=user.pk, action="answer"):
        report = _locked(report)
        if report.state == ReportState.NEW:
            raise WorkflowError(_("The reporter has not confirmed the report yet."))
        if state == report.state:
            raise ValidationError({"state": _("The report is in this state already.")})
        if state == ReportState.DUPLICATE:
            if duplicate_of is None or duplicate_of.pk == report.pk:
                raise ValidationError({"duplicate_of": _("Name the original report.")})
            if duplicate_of.state in (ReportState.DUPLICATE, ReportState.NEW):
                raise ValidationError(
                    {"duplicate_of": _("The original must be a confirmed report, not a duplicate.")}
                )
            report.duplicate_of = duplicate_of
        else:
            report.duplicate_of = None
        update = ReportUpdate(
            report=report, author=user, state_before=report.state, state=state, comment=comment
        )
        now = timezone.now()
        report.state = state
        report.first_response_at = report.first_response_at or now
        if state == ReportState.FIXED:
            report.fixed_at = now
        report.full_clean()
        report.save()
        update.full_clean()
        update.save()
        notify.state_changed(report, update)
    return update


def report_record_change(*, report: Report, user, values: dict, comment: str, language: str = ""):
    """Propose a change of the record the report is about (e.g. a lift set as not working):
    the editing workflow's change, which a reviewer decides; the report links it and says
    so in a public update (its state unchanged)."""
    if not can_answer(user, report):
        raise PermissionDenied
    if not report.record_public_id:
        raise WorkflowError(_("The report is not about a record."))
    comment = _comment(comment)
    registry = registry_get(report.record_registry)
    record = registry.objects().filter(public_id=report.record_public_id).first()
    if record is None:
        raise WorkflowError(_("The record the report is about was not found."))
    with transaction.atomic():
        result = record_update(
            registry=registry,
            record=record,
            user=user,
            values=values,
            base_version=record.version,
            comment=comment,
            language=language,
        )
        if result.change is None:
            raise WorkflowError(_("The record is a draft: change it in the editor."))
        locked = _locked(report)
        locked.change_request = result.change
        locked.save(update_fields=["change_request", "updated_at"])
        update = ReportUpdate(
            report=locked,
            author=user,
            state_before=locked.state,
            state=locked.state,
            comment=comment,
            change_request=result.change,
        )
        update.full_clean()
        update.save()
    return result.change
