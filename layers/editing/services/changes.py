"""Decisions on changes waiting for review: approve, reject, withdraw, cancel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.editing.errors import NotPermitted, OwnChange, WorkflowError
from layers.editing.models import ChangeKind, ChangeRequest, ChangeState
from layers.editing.parts import parts_clean
from layers.editing.permissions import Action
from layers.editing.services.common import (
    check_version,
    decision_record,
    history_context,
    lock,
    record_save,
    require,
    values_and_parts,
)
from layers.editing.services.notifications import decision_notify
from layers.editing.values import (
    values_apply,
    values_parse,
)
from layers.models import Status
from layers.registry import registry_get


def _lock_pending(change: ChangeRequest) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.state != ChangeState.PENDING:
        raise WorkflowError(_("This change has already been decided."))
    return change


@transaction.atomic
def change_approve(
    *,
    change: ChangeRequest,
    user,
    comment: str = "",
    own_explicit: bool = False,
    notify: bool = True,
) -> object:
    """Approve a pending change: publish the draft, or apply the proposed values to the
    published record (its version goes up). Never by the change's author — except a
    reviewer's own change to a published record that they approve explicitly
    (``own_explicit``, the admin's "approve now"), which the history records as such.
    The author is told (``notify``; an import's batch tells them once, for all)."""
    registry = registry_get(change.registry)
    require(user, Action.REVIEW, registry)
    change = _lock_pending(change)
    record = lock(registry, registry.new_record(pk=change.record_id))
    own = user.pk == change.author_id or (
        change.kind == ChangeKind.PUBLISH and user.pk == record.created_by_id
    )
    if own and not (own_explicit and change.kind == ChangeKind.UPDATE):
        raise OwnChange()
    if own and not comment:
        comment = str(_("Approved by its author, a reviewer of the registry."))
    check_version(registry, record, change.base_version)
    with history_context(user, "approve", change=change.pk, author=change.author_id):
        if change.kind == ChangeKind.PUBLISH:
            if record.status != Status.IN_REVIEW:
                raise WorkflowError(_("The record is not waiting for review."))
            record.status = Status.PUBLISHED
            record_save(record, user=record.updated_by)
        else:
            if record.status != Status.PUBLISHED:
                raise WorkflowError(_("Only changes to published records are approved."))
            values, parts = values_and_parts(change.payload)
            values_apply(registry, record, values_parse(registry, values))
            # Checked again: what the parts point at (a template, a photo) may have changed.
            record_save(record, user=change.author, parts=parts_clean(registry, record, parts))
    decision_record(change, user=user, state=ChangeState.APPROVED, comment=comment)
    if notify:
        decision_notify(change=change)
    return record


@transaction.atomic
def change_reject(
    *, change: ChangeRequest, user, comment: str, notify: bool = True
) -> ChangeRequest:
    """Reject a pending change with a comment for its author, who is told (``notify``). A
    rejected draft goes back to the draft state; a published record stays as it is. The
    rejected values stay in the change, for the author to fix and propose again."""
    registry = registry_get(change.registry)
    require(user, Action.REVIEW, registry)
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the change is rejected.")})
    change = _lock_pending(change)
    if change.kind == ChangeKind.PUBLISH:
        record = lock(registry, registry.new_record(pk=change.record_id))
        if record.status == Status.IN_REVIEW:
            with history_context(user, "reject", change=change.pk):
                record.status = Status.DRAFT
                record_save(record, user=record.updated_by)
    decision_record(change, user=user, state=ChangeState.REJECTED, comment=comment)
    if notify:
        decision_notify(change=change)
    return change


def _submitted_back_to_draft(change: ChangeRequest, *, user, action: str) -> None:
    """A closed publish request returns its submitted draft to draft (nothing else moves)."""
    if change.kind != ChangeKind.PUBLISH:
        return
    registry = registry_get(change.registry)
    record = lock(registry, registry.new_record(pk=change.record_id))
    if record.status == Status.IN_REVIEW:
        with history_context(user, action, change=change.pk):
            record.status = Status.DRAFT
            record_save(record, user=user)


@transaction.atomic
def change_withdraw(*, change: ChangeRequest, user) -> ChangeRequest:
    """The author takes back a pending change (a submitted draft returns to draft)."""
    if user.pk != change.author_id:
        raise NotPermitted(_("Only the author withdraws a change."))
    change = _lock_pending(change)
    _submitted_back_to_draft(change, user=user, action="withdraw")
    change.state = ChangeState.WITHDRAWN
    change.decided_at = timezone.now()
    change.save()
    return change


@transaction.atomic
def change_cancel(*, change: ChangeRequest, user, comment: str) -> ChangeRequest:
    """Close a pending change without applying it (a reviewer, e.g. when its import is
    rolled back); a submitted draft returns to draft."""
    require(user, Action.REVIEW, registry_get(change.registry))
    change = _lock_pending(change)
    _submitted_back_to_draft(change, user=user, action="cancel")
    decision_record(change, user=user, state=ChangeState.WITHDRAWN, comment=comment)
    return change
