"""Reads of the editing workflow: what a user may see, pending changes, history."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.gis.db.models import GeometryField
from django.db.models import QuerySet
from django.http import Http404

from layers.editing.models import ChangeRequest, ChangeState
from layers.editing.parts import PartChanges, parts_changes, parts_read
from layers.editing.permissions import Action, user_can, user_registries
from layers.editing.values import editable_fields, record_values, value_display, values_diff
from layers.models import Status
from layers.registry import Registry, registry_get
from layers.selectors.public import registry_public_queryset


def history_model(registry: Registry):
    """The event model that database triggers fill for the registry's table."""
    return registry.history_model


def record_queryset(*, registry: Registry, user) -> QuerySet:
    """The records of a registry that ``user`` may see: all of them for its editors,
    reviewers and administrators, the public queryset (published only) for everyone else."""
    if user_can(user, Action.VIEW, registry):
        return registry.objects()
    return registry_public_queryset(registry)


def record_get(*, registry: Registry, public_id, user):
    """One record by public id, as ``record_queryset`` allows; Http404 otherwise."""
    try:
        return record_queryset(registry=registry, user=user).get(public_id=public_id)
    except (registry.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such record.") from exc


def change_queryset(*, user, registry: Registry | None = None, states=None) -> QuerySet:
    """Change requests in the registries where ``user`` may see unpublished work."""
    ids = [r.id for r in user_registries(user, Action.VIEW)]
    if registry is not None:
        ids = [i for i in ids if i == registry.id]
    queryset = ChangeRequest.objects.filter(registry__in=ids).select_related("author", "reviewer")
    if states is not None:
        queryset = queryset.filter(state__in=states)
    return queryset


def change_get(*, user, change_id, own: bool = False) -> ChangeRequest:
    """A change the user may see; with ``own``, also one they proposed without a role in
    its registry (an owner's proposal), so that the word of its decision leads somewhere."""
    queryset = change_queryset(user=user)
    if own and getattr(user, "is_authenticated", False):
        queryset = queryset | ChangeRequest.objects.filter(author=user).select_related(
            "author", "reviewer"
        )
    try:
        return queryset.get(pk=change_id)
    except (ChangeRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such change.") from exc


def change_record(change: ChangeRequest):
    registry = registry_get(change.registry)
    return registry.objects().filter(pk=change.record_id).first()


@dataclass
class ValueChange:
    name: str
    label: str
    old: Any
    new: Any
    is_geometry: bool = False


@dataclass
class HistoryEntry:
    id: int
    label: str
    at: Any
    user: str  # who wrote this state (for an approval: the reviewer)
    version: int
    status: str
    values: dict
    changes: list[ValueChange] = field(default_factory=list)
    part_changes: list[PartChanges] = field(default_factory=list)
    parts: dict | None = None  # the parts in this state; None: not recorded
    context: dict = field(default_factory=dict)
    schema_version: int | None = None  # of a data-defined registry, when this was written
    author: str = ""  # for an approved change: who proposed it


def _value_changes(registry, old: dict, new: dict, names: list[str]) -> list[ValueChange]:
    fields = {f.name: f for f in editable_fields(registry)}
    return [
        ValueChange(
            name=name,
            label=str(fields[name].verbose_name),
            old=value_display(registry, name, old.get(name)),
            new=value_display(registry, name, new.get(name)),
            is_geometry=isinstance(fields[name], GeometryField),
        )
        for name in names
    ]


def change_value_changes(change: ChangeRequest, record) -> list[ValueChange]:
    """Old (the record now) and new (proposed) values of a change, field by field."""
    registry = registry_get(change.registry)
    current = record_values(registry, record)
    names = [f.name for f in editable_fields(registry) if f.name in change.payload]
    return _value_changes(registry, current, change.payload, names)


def change_part_changes(change: ChangeRequest, record) -> list[PartChanges]:
    """What a change does to the record's parts: items added, changed, removed, per kind."""
    registry = registry_get(change.registry)
    proposed = change.payload.get("parts") or {}
    if not proposed:
        return []
    return parts_changes(registry, parts_read(registry, record), proposed)


def _usernames(ids) -> dict:
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))


def record_history(*, registry: Registry, record, public: bool = False) -> list[HistoryEntry]:
    """Every recorded state of a record, oldest first, each with what changed from the
    previous one, who (from the history context) and when.

    ``public`` keeps only published states and the fields the registry publishes (without
    geometry for location-sensitive records) and hides who made them.
    """
    events = list(
        history_model(registry)
        .objects.filter(pgh_obj_id=record.pk)
        .select_related("pgh_context")
        .order_by("pgh_id")
    )
    contexts = [(e.pgh_context.metadata or {}) for e in events if e.pgh_context_id]
    users = _usernames([c.get("user") for c in contexts] + [c.get("author") for c in contexts])
    entries: list[HistoryEntry] = []
    previous: dict = {}
    previous_parts: dict | None = None
    for event in events:
        values = record_values(registry, event)
        context = (event.pgh_context.metadata or {}) if event.pgh_context_id else {}
        names = values_diff(registry, previous, values) if previous else list(values)
        parts = event.parts_snapshot if registry.parts else None
        # Parts not recorded in either state (written by a bulk load): nothing to compare.
        compared = parts is not None and (previous_parts is not None or not entries)
        part_changes = parts_changes(registry, previous_parts, parts) if compared else []
        if (
            entries
            and not compared
            and parts is not None
            and not names
            and (event.status == entries[-1].status)
        ):
            # Only the recording of parts loaded in bulk (``record_save``): no version of its
            # own, but what the next one is compared with.
            previous_parts = parts
            continue
        entries.append(
            HistoryEntry(
                id=event.pgh_id,
                label=event.pgh_label,
                at=event.pgh_created_at,
                user=users.get(context.get("user"), ""),
                version=event.version,
                status=event.status,
                values=values,
                changes=_value_changes(registry, previous, values, names),
                part_changes=part_changes,
                parts=parts,
                context=context,
                schema_version=getattr(event, "schema_version", None),
                author=users.get(context.get("author"), ""),
            )
        )
        previous = values
        previous_parts = parts
    if public:
        entries = _public_history(registry, record, entries)
    return entries


def _public_history(registry: Registry, record, entries: list[HistoryEntry]) -> list:
    # Attributes of built-in properties, and the names of data-defined public fields.
    shown = set(registry.properties.values()) | set(registry.properties) | {"geom"}
    if getattr(record, "location_sensitive", False):
        shown.discard("geom")
        shown.discard("address")
    public = []
    for entry in entries:
        if entry.status != Status.PUBLISHED:
            continue
        entry.changes = [c for c in entry.changes if c.name in shown]
        # Parts are staff data (who inspected a tree, an assessment's answers): their
        # public form is the record's page, not its history.
        entry.part_changes, entry.parts = [], None
        entry.values = {k: v for k, v in entry.values.items() if k in shown}
        entry.user = entry.author = ""
        entry.context = {}
        public.append(entry)
    return public


def history_entry_get(*, registry: Registry, record, event_id) -> tuple[dict, dict | None]:
    """The editable values and the parts (None if not recorded) of one recorded state of
    the record; Http404 if there is none."""
    event = history_model(registry).objects.filter(pgh_obj_id=record.pk, pgh_id=event_id).first()
    if event is None:
        raise Http404("No such version.")
    return record_values(registry, event), event.parts_snapshot if registry.parts else None


def record_changes_since(*, registry: Registry, record, base_version: int) -> list[dict]:
    """What changed in a record after ``base_version``: one dict per later recorded state
    (``version``, ``user``, ``at``, changed ``fields``), for a stale-version refusal."""
    changes = []
    previous_status = None
    for entry in record_history(registry=registry, record=record):
        fields = [c.name for c in entry.changes]
        fields += [f"parts.{c.part.name}" for c in entry.part_changes]
        if previous_status is not None and entry.status != previous_status:
            fields.append("status")
        previous_status = entry.status
        if entry.version > base_version and entry.label != "insert":
            changes.append(
                {
                    "version": entry.version,
                    "user": entry.user,
                    "at": entry.at.isoformat(),
                    "status": entry.status,
                    "fields": fields,
                }
            )
    return changes


def pending_counts(*, user) -> dict[str, int]:
    """Registry id → number of changes waiting for review, for the user's registries."""
    counts: dict[str, int] = {}
    for registry_id in change_queryset(user=user, states=[ChangeState.PENDING]).values_list(
        "registry", flat=True
    ):
        counts[registry_id] = counts.get(registry_id, 0) + 1
    return counts
