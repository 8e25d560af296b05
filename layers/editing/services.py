"""Writes of the editing workflow. Views, the API, the admin and scripts call these; nothing
else changes a record's status, version or authorship.

Lifecycle of a new record: draft (editors change it freely, version by version) → in review
(submitted; a ``publish`` change request waits) → published (a reviewer approved) →
archived. A published record is never changed directly: an edit becomes an ``update``
change request and the record stays public and unchanged until a reviewer, never the
author, approves it. Every write names the version it was based on and is refused with
``StaleVersion`` if that is no longer current.
"""

from dataclasses import dataclass

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.editing.errors import NotPermitted, OwnChange, StaleVersion, WorkflowError
from layers.editing.models import ChangeKind, ChangeRequest, ChangeState, RegistryRole
from layers.editing.parts import parts_changes, parts_clean, parts_read, parts_write
from layers.editing.permissions import Action, permissions_forget, user_can
from layers.editing.selectors import history_entry_get, record_changes_since
from layers.editing.values import (
    editable_fields,
    record_values,
    values_apply,
    values_diff,
    values_parse,
)
from layers.models import Status
from layers.registry import Registry, registry_for_record, registry_get


@dataclass(frozen=True)
class EditResult:
    """What an edit did: changed the record itself (a draft), or proposed a change."""

    record: object
    change: ChangeRequest | None = None

    @property
    def applied(self) -> bool:
        return self.change is None


def _version_check_enabled() -> bool:
    # A switch for the concurrency test's control run only: honoured only with DEBUG on.
    unsafe = getattr(settings, "GEOPORTAL_EDITING_UNSAFE_SKIP_VERSION_CHECK", False)
    return not (unsafe and settings.DEBUG)


def _require(user, action: str, registry: Registry) -> None:
    if not user_can(user, action, registry):
        raise NotPermitted()


def _lock(registry: Registry, record):
    return registry.objects().select_for_update().get(pk=record.pk)


def _check_version(registry: Registry, record, base_version) -> None:
    if base_version is None:
        raise ValidationError(
            _("The version your change is based on is missing."), code="version_required"
        )
    if int(base_version) != record.version and _version_check_enabled():
        raise StaleVersion(
            base_version=int(base_version),
            current_version=record.version,
            changes=record_changes_since(
                registry=registry, record=record, base_version=int(base_version)
            ),
        )


def _history(user, action: str, **extra):
    return pghistory.context(user=getattr(user, "pk", None), action=action, **extra)


def _save(record, *, user, bump: bool = True, parts: dict | None = None) -> None:
    """Every save of a record by the workflow: its parts (checked ``parts_clean`` lists,
    written once the record exists), then its derived values (the registry's hook, so that
    no path leaves them stale), the snapshot of its parts for the history, and the model's
    checks."""
    registry = registry_for_record(record)
    if bump:
        record.version += 1
    record.updated_by = user
    if parts and record.pk is None:
        # A new record with parts: it must exist before they can point at it.
        record.parts_snapshot = parts_read(registry, record)
        registry.derive_values(record)
        record.full_clean()
        record.save()
    if parts:
        parts_write(registry, record, parts, user=user)
    registry.derive_values(record)
    if registry.parts:
        record.parts_snapshot = parts_read(registry, record)
    record.full_clean()
    record.save()


def _values_and_parts(payload: dict) -> tuple[dict, dict | None]:
    """A change's payload: the proposed values, and the proposed part lists if any."""
    values = {name: value for name, value in payload.items() if name != "parts"}
    return values, payload.get("parts")


@transaction.atomic
def record_create(*, registry: Registry, user, values: dict, parts: dict | None = None) -> object:
    """Create a draft of the registry from editable ``values`` (field name → value) and,
    optionally, its ``parts`` (part name → list of items, ``layers.editing.parts``)."""
    _require(user, Action.CREATE, registry)
    with _history(user, "create"):
        record = registry.new_record(status=Status.DRAFT, version=1, created_by=user)
        values_apply(registry, record, values_parse(registry, values))
        _save(record, user=user, bump=False, parts=parts_clean(registry, record, parts))
    return record


@transaction.atomic
def record_update(
    *,
    registry: Registry,
    record,
    user,
    values: dict,
    base_version: int,
    comment: str = "",
    parts: dict | None = None,
) -> EditResult:
    """Change a draft, or propose a change to a published record.

    Only the given fields and kinds of part (each given whole) are touched. Refused for
    records in review or archived, and for a stale ``base_version``.
    """
    _require(user, Action.EDIT, registry)
    record = _lock(registry, record)
    _check_version(registry, record, base_version)
    parsed = values_parse(registry, values)
    if record.status == Status.DRAFT:
        with _history(user, "edit"):
            values_apply(registry, record, parsed)
            _save(record, user=user, parts=parts_clean(registry, record, parts))
        return EditResult(record=record)
    if record.status == Status.PUBLISHED:
        current = record_values(registry, record)
        candidate = registry.objects().get(pk=record.pk)
        values_apply(registry, candidate, parsed)
        candidate.full_clean()
        proposed = record_values(registry, candidate)
        changed = values_diff(registry, current, proposed)
        proposed_parts = parts_clean(registry, candidate, parts)
        changed_parts = {
            change.part.name: proposed_parts[change.part.name]
            for change in parts_changes(registry, parts_read(registry, record), proposed_parts)
        }
        if not changed and not changed_parts:
            raise WorkflowError(_("Nothing was changed."))
        payload = {name: proposed[name] for name in changed}
        if changed_parts:
            payload["parts"] = changed_parts
        change = ChangeRequest(
            registry=registry.id,
            record_id=record.pk,
            record_public_id=record.public_id,
            kind=ChangeKind.UPDATE,
            payload=payload,
            base_version=record.version,
            author=user,
            author_comment=comment,
        )
        change.full_clean()
        change.save()
        return EditResult(record=record, change=change)
    if record.status == Status.IN_REVIEW:
        raise WorkflowError(
            _("The record is waiting for review; it can be changed again after the review.")
        )
    raise WorkflowError(_("Archived records are not changed."))


@transaction.atomic
def record_submit(
    *, registry: Registry, record, user, base_version: int, comment: str = ""
) -> ChangeRequest:
    """Send a draft for review: it becomes "in review" and a publication request waits."""
    _require(user, Action.SUBMIT, registry)
    record = _lock(registry, record)
    _check_version(registry, record, base_version)
    if record.status != Status.DRAFT:
        raise WorkflowError(_("Only drafts are submitted for review."))
    with _history(user, "submit"):
        record.status = Status.IN_REVIEW
        _save(record, user=user)
    change = ChangeRequest(
        registry=registry.id,
        record_id=record.pk,
        record_public_id=record.public_id,
        kind=ChangeKind.PUBLISH,
        base_version=record.version,
        author=user,
        author_comment=comment,
    )
    change.full_clean()
    change.save()
    return change


def _lock_pending(change: ChangeRequest) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.state != ChangeState.PENDING:
        raise WorkflowError(_("This change has already been decided."))
    return change


def _decide(change: ChangeRequest, *, user, state: str, comment: str) -> None:
    change.state = state
    change.reviewer = user
    change.review_comment = comment
    change.decided_at = timezone.now()
    change.full_clean()
    change.save()


@transaction.atomic
def change_approve(
    *, change: ChangeRequest, user, comment: str = "", own_explicit: bool = False
) -> object:
    """Approve a pending change: publish the draft, or apply the proposed values to the
    published record (its version goes up). Never by the change's author — except a
    reviewer's own change to a published record that they approve explicitly
    (``own_explicit``, the admin's "approve now"), which the history records as such."""
    registry = registry_get(change.registry)
    _require(user, Action.REVIEW, registry)
    change = _lock_pending(change)
    record = _lock(registry, registry.new_record(pk=change.record_id))
    own = user.pk == change.author_id or (
        change.kind == ChangeKind.PUBLISH and user.pk == record.created_by_id
    )
    if own and not (own_explicit and change.kind == ChangeKind.UPDATE):
        raise OwnChange()
    if own and not comment:
        comment = str(_("Approved by its author, a reviewer of the registry."))
    _check_version(registry, record, change.base_version)
    with _history(user, "approve", change=change.pk, author=change.author_id):
        if change.kind == ChangeKind.PUBLISH:
            if record.status != Status.IN_REVIEW:
                raise WorkflowError(_("The record is not waiting for review."))
            record.status = Status.PUBLISHED
            _save(record, user=record.updated_by)
        else:
            if record.status != Status.PUBLISHED:
                raise WorkflowError(_("Only changes to published records are approved."))
            values, parts = _values_and_parts(change.payload)
            values_apply(registry, record, values_parse(registry, values))
            # Checked again: what the parts point at (a template, a photo) may have changed.
            _save(record, user=change.author, parts=parts_clean(registry, record, parts))
    _decide(change, user=user, state=ChangeState.APPROVED, comment=comment)
    return record


@transaction.atomic
def change_reject(*, change: ChangeRequest, user, comment: str) -> ChangeRequest:
    """Reject a pending change with a comment for its author. A rejected draft goes back
    to the draft state; a published record stays as it is."""
    registry = registry_get(change.registry)
    _require(user, Action.REVIEW, registry)
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the change is rejected.")})
    change = _lock_pending(change)
    if change.kind == ChangeKind.PUBLISH:
        record = _lock(registry, registry.new_record(pk=change.record_id))
        if record.status == Status.IN_REVIEW:
            with _history(user, "reject", change=change.pk):
                record.status = Status.DRAFT
                _save(record, user=record.updated_by)
    _decide(change, user=user, state=ChangeState.REJECTED, comment=comment)
    return change


def _submitted_back_to_draft(change: ChangeRequest, *, user, action: str) -> None:
    """A closed publish request returns its submitted draft to draft (nothing else moves)."""
    if change.kind != ChangeKind.PUBLISH:
        return
    registry = registry_get(change.registry)
    record = _lock(registry, registry.new_record(pk=change.record_id))
    if record.status == Status.IN_REVIEW:
        with _history(user, action, change=change.pk):
            record.status = Status.DRAFT
            _save(record, user=user)


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
    _require(user, Action.REVIEW, registry_get(change.registry))
    change = _lock_pending(change)
    _submitted_back_to_draft(change, user=user, action="cancel")
    _decide(change, user=user, state=ChangeState.WITHDRAWN, comment=comment)
    return change


@transaction.atomic
def record_archive(
    *, registry: Registry, record, user, base_version: int, comment: str = ""
) -> object:
    """Archive a record instead of deleting it: it leaves the public map and keeps its
    history; changes still waiting for it are closed."""
    _require(user, Action.ARCHIVE, registry)
    record = _lock(registry, record)
    _check_version(registry, record, base_version)
    if record.status == Status.ARCHIVED:
        raise WorkflowError(_("The record is already archived."))
    with _history(user, "archive", comment=comment):
        record.status = Status.ARCHIVED
        _save(record, user=user)
    pending = ChangeRequest.objects.select_for_update().filter(
        registry=registry.id, record_id=record.pk, state=ChangeState.PENDING
    )
    for change in pending:
        _decide(
            change,
            user=user,
            state=ChangeState.WITHDRAWN,
            comment=str(_("The record was archived.")),
        )
    return record


@transaction.atomic
def record_restore(
    *, registry: Registry, record, user, event_id: int, base_version: int
) -> EditResult:
    """Bring back the values and parts of an earlier recorded state as a new change
    (applied to a draft, proposed for review on a published record). Parts come back when
    that state recorded them (``parts_snapshot``)."""
    earlier, earlier_parts = history_entry_get(registry=registry, record=record, event_id=event_id)
    current = record_values(registry, record)
    changed = values_diff(registry, current, earlier)
    parts = {
        change.part.name: earlier_parts[change.part.name]
        for change in parts_changes(registry, parts_read(registry, record), earlier_parts or {})
    }
    if not changed and not parts:
        raise WorkflowError(_("That version has the same values as the record now."))
    return record_update(
        registry=registry,
        record=record,
        user=user,
        values={name: earlier[name] for name in changed},
        base_version=base_version,
        comment=str(_("Restore of an earlier version.")),
        parts=parts or None,
    )


@transaction.atomic
def role_grant(*, user, registry: Registry, role: str) -> RegistryRole:
    """Give ``user`` a role in a registry (idempotent)."""
    grant, _created = RegistryRole.objects.get_or_create(user=user, registry=registry.id, role=role)
    permissions_forget(user)
    return grant


@transaction.atomic
def role_revoke(*, user, registry: Registry, role: str) -> None:
    RegistryRole.objects.filter(user=user, registry=registry.id, role=role).delete()
    permissions_forget(user)


__all__ = [
    "EditResult",
    "change_approve",
    "change_cancel",
    "change_reject",
    "change_withdraw",
    "editable_fields",
    "record_archive",
    "record_create",
    "record_restore",
    "record_submit",
    "record_update",
    "role_grant",
    "role_revoke",
]
