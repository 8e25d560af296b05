"""Writes of a record: create a draft, change it or propose a change, submit, archive,
restore an earlier version.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from layers.editing.errors import NotPermitted, WorkflowError
from layers.editing.models import ChangeKind, ChangeRequest, ChangeState
from layers.editing.parts import parts_changes, parts_clean, parts_read
from layers.editing.permissions import Action, user_can
from layers.editing.selectors import history_entry_get
from layers.editing.services.common import (
    EditResult,
    check_version,
    decision_record,
    history_context,
    lock,
    record_save,
    require,
)
from layers.editing.values import (
    record_values,
    values_apply,
    values_diff,
    values_parse,
)
from layers.models import Status
from layers.registry import Registry


@transaction.atomic
def record_create(*, registry: Registry, user, values: dict, parts: dict | None = None) -> object:
    """Create a draft of the registry from editable ``values`` (field name → value) and,
    optionally, its ``parts`` (part name → list of items, ``layers.editing.parts``)."""
    require(user, Action.CREATE, registry)
    with history_context(user, "create"):
        record = registry.new_record(status=Status.DRAFT, version=1, created_by=user)
        values_apply(registry, record, values_parse(registry, values))
        record_save(record, user=user, bump=False, parts=parts_clean(registry, record, parts))
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
    language: str = "",
) -> EditResult:
    """Change a draft, or propose a change to a published record.

    Only the given fields and kinds of part (each given whole) are touched. Refused for
    records in review or archived, and for a stale ``base_version``. ``language``: the
    author's (the page's), for the word of the decision.
    """
    record = lock(registry, record)
    if not user_can(user, Action.EDIT, registry):
        _require_steward_proposal(registry, record, user, values, parts)
    return _record_write(
        registry=registry,
        record=record,
        user=user,
        values=values,
        base_version=base_version,
        comment=comment,
        parts=parts,
        language=language,
    )


def _record_write(
    *,
    registry: Registry,
    record,
    user,
    values: dict,
    base_version: int,
    comment: str,
    parts: dict | None,
    language: str,
    action: str = "edit",
) -> EditResult:
    """The write of ``record_update`` on a locked record whose user was allowed it."""
    check_version(registry, record, base_version)
    parsed = values_parse(registry, values)
    if record.status == Status.DRAFT:
        with history_context(user, action):
            values_apply(registry, record, parsed)
            record_save(record, user=user, parts=parts_clean(registry, record, parts))
        return EditResult(record=record)
    if record.status == Status.PUBLISHED:
        current = record_values(registry, record)
        candidate = registry.objects().get(pk=record.pk)
        values_apply(registry, candidate, parsed)
        candidate.full_clean()
        proposed = record_values(registry, candidate)
        changed = values_diff(registry, current, proposed)
        proposed_parts = parts_clean(registry, candidate, parts)
        changed_parts = (
            {
                change.part.name: proposed_parts[change.part.name]
                for change in parts_changes(registry, parts_read(registry, record), proposed_parts)
            }
            if proposed_parts
            else {}
        )
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
            author_language=language,
        )
        change.full_clean()
        change.save()
        return EditResult(record=record, change=change)
    if record.status == Status.IN_REVIEW:
        raise WorkflowError(
            _("The record is waiting for review; it can be changed again after the review.")
        )
    raise WorkflowError(_("Archived records are not changed."))


def _require_steward_proposal(registry: Registry, record, user, values, parts) -> None:
    """Without a role, only an owner of the record proposes a change, to a published
    record, of the fields owners know (``Registry.steward_fields``), and no parts."""
    if not registry.user_stewards(user, record):
        raise NotPermitted()
    if record.status != Status.PUBLISHED:
        raise WorkflowError(_("Owners propose changes to objects on the public map only."))
    foreign = sorted(set(values) - set(registry.steward_fields))
    if foreign or parts:
        raise NotPermitted(
            _("Owners propose changes of the object's description only (not: %(fields)s).")
            % {"fields": ", ".join(foreign) or _("parts")}
        )


@transaction.atomic
def record_submit(
    *, registry: Registry, record, user, base_version: int, comment: str = "", language: str = ""
) -> ChangeRequest:
    """Send a draft for review: it becomes "in review" and a publication request waits."""
    require(user, Action.SUBMIT, registry)
    record = lock(registry, record)
    check_version(registry, record, base_version)
    if record.status != Status.DRAFT:
        raise WorkflowError(_("Only drafts are submitted for review."))
    with history_context(user, "submit"):
        record.status = Status.IN_REVIEW
        record_save(record, user=user)
    change = ChangeRequest(
        registry=registry.id,
        record_id=record.pk,
        record_public_id=record.public_id,
        kind=ChangeKind.PUBLISH,
        base_version=record.version,
        author=user,
        author_comment=comment,
        author_language=language,
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def record_archive(
    *, registry: Registry, record, user, base_version: int, comment: str = ""
) -> object:
    """Archive a record instead of deleting it: it leaves the public map and keeps its
    history; changes still waiting for it are closed."""
    require(user, Action.ARCHIVE, registry)
    record = lock(registry, record)
    check_version(registry, record, base_version)
    if record.status == Status.ARCHIVED:
        raise WorkflowError(_("The record is already archived."))
    with history_context(user, "archive", comment=comment):
        record.status = Status.ARCHIVED
        record_save(record, user=user)
    pending = ChangeRequest.objects.select_for_update().filter(
        registry=registry.id, record_id=record.pk, state=ChangeState.PENDING
    )
    for change in pending:
        decision_record(
            change,
            user=user,
            state=ChangeState.WITHDRAWN,
            comment=str(_("The record was archived.")),
        )
    return record


@transaction.atomic
def record_restore(
    *, registry: Registry, record, user, event_id: int, base_version: int, language: str = ""
) -> EditResult:
    """Bring back the values and parts of an earlier recorded state as a new change
    (applied to a draft, proposed for review on a published record). Parts come back when
    that state recorded them (``parts_snapshot``).

    Editors restore drafts and published records; reviewers published records only: their
    restore is a proposal like an editor's, which another reviewer approves, while a
    draft's values are its editors' work (a reviewer who changed a draft could later
    approve what they wrote)."""
    require(user, Action.RESTORE, registry)
    record = lock(registry, record)
    if record.status == Status.DRAFT and not user_can(user, Action.EDIT, registry):
        raise NotPermitted(
            _(
                "Reviewers bring back earlier versions of published records only; drafts are "
                "their editors' work."
            )
        )
    earlier, earlier_parts = history_entry_get(registry=registry, record=record, event_id=event_id)
    current = record_values(registry, record)
    changed = values_diff(registry, current, earlier)
    parts = {
        change.part.name: earlier_parts[change.part.name]
        for change in parts_changes(registry, parts_read(registry, record), earlier_parts or {})
    }
    if not changed and not parts:
        raise WorkflowError(_("That version has the same values as the record now."))
    return _record_write(
        registry=registry,
        record=record,
        user=user,
        values={name: earlier[name] for name in changed},
        base_version=base_version,
        comment=str(_("Restore of an earlier version.")),
        parts=parts or None,
        language=language,
        action="restore",
    )
