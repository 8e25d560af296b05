"""Fix and resubmit: the editor opened on a record with a rejected change of it
(``?resubmit=<change id>``) is filled with the values that change proposed, so the editor
corrects what the reviewer said and proposes it again. Nothing is written until then: the
record keeps its current values, and the new proposal is an ordinary change for review."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import Http404

from layers.editing.models import ChangeKind, ChangeRequest, ChangeState
from layers.editing.part_kinds import PhotoPart
from layers.editing.permissions import Action, user_can
from layers.editing.selectors import change_get, change_value_changes
from layers.editing.services.common import values_and_parts
from layers.editing.values import editable_fields, values_parse


@dataclass
class Resubmit:
    change: ChangeRequest
    initial: dict = field(default_factory=dict)  # form field → the rejected value
    parts: dict = field(default_factory=dict)  # part name → the rejected list
    rows: list = field(default_factory=list)  # ValueChange: now (old) beside rejected (new)
    photos_left_out: bool = False  # its photos are not brought back (see below)


def rejected_change_for(request, registry, record) -> Resubmit | None:
    """The rejected change named by ``?resubmit=``, when it is of this record and the user
    may propose again; None otherwise (a stale or foreign link just opens the editor)."""
    wanted = request.GET.get("resubmit")
    if not wanted or not user_can(request.user, Action.EDIT, registry):
        return None
    try:
        change = change_get(user=request.user, change_id=wanted)
    except Http404:
        return None
    if (
        change.registry != registry.id
        or change.record_id != record.pk
        or change.state != ChangeState.REJECTED
    ):
        return None
    if change.kind == ChangeKind.PUBLISH:
        # The rejected draft is a draft again and holds its values: only the comment to show.
        return Resubmit(change=change)
    values, parts = values_and_parts(change.payload)
    photos = {part.name for part in registry.parts if isinstance(part, PhotoPart)}
    return Resubmit(
        change=change,
        initial=_form_initial(registry, values),
        # Photos of a rejected change were staged and may since have been purged (after a
        # week): they are uploaded again, not brought back.
        parts={name: items for name, items in (parts or {}).items() if name not in photos},
        rows=change_value_changes(change, record),
        photos_left_out=bool(photos & set(parts or {})),
    )


def _form_initial(registry, values: dict) -> dict:
    """The form's initial values for the rejected JSON values, field by field; a value the
    field no longer takes (its definition changed since) is left as the record has it."""
    names = {f.name for f in editable_fields(registry)}
    initial = {}
    for name, value in values.items():
        if name not in names:
            continue
        try:
            parsed = values_parse(registry, {name: value})[name]
        except ValidationError:
            continue
        initial[name] = parsed
    return initial
