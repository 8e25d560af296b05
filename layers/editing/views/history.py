"""A record's history: every recorded state with what changed, who and when, in words."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from layers.editing.forms import VersionForm
from layers.editing.parts import parts_changes, parts_read
from layers.editing.permissions import Action, user_can
from layers.editing.selectors import HistoryEntry, record_get, record_history
from layers.editing.titles import record_title_of
from layers.editing.values import record_values
from layers.editing.views.common import with_registry
from layers.models import Status

# The workflow's actions (the history context's ``action``) as the page says them.
ACTION_WORDS = {
    "create": gettext_lazy("created as a draft"),
    "edit": gettext_lazy("edited"),
    "restore": gettext_lazy("an earlier version brought back"),
    "submit": gettext_lazy("submitted for review"),
    "reject": gettext_lazy("rejected by a reviewer: a draft again"),
    "withdraw": gettext_lazy("withdrawn by its author: a draft again"),
    "cancel": gettext_lazy("closed without being applied: a draft again"),
    "archive": gettext_lazy("archived"),
    "import": gettext_lazy("written by a file import"),
    "schema_conversion": gettext_lazy("converted to the registry's new field type"),
    "accept_checklist": gettext_lazy("barrier-free checklist accepted"),
}


def entry_action(entry: HistoryEntry) -> str:
    """What happened in this state, in words (not the stored code)."""
    action = entry.context.get("action")
    if action == "approve":
        if entry.changes or entry.part_changes:
            return _("proposed change approved")
        return _("approved and published")
    if action in ACTION_WORDS:
        return str(ACTION_WORDS[action])
    # Written outside the workflow (a script, the demo data), or shown to the public.
    return _("created") if entry.label == "insert" else _("changed")


def entry_credits(entry: HistoryEntry) -> list[str]:
    """Who did it: the author and the reviewer of an approved change, each named; for the
    rest, who wrote the state."""
    action = entry.context.get("action")
    if action == "approve":
        credits = []
        if entry.author:
            credits.append(_("Proposed by: %(name)s") % {"name": entry.author})
        if entry.user:
            credits.append(_("Approved by: %(name)s") % {"name": entry.user})
        return credits
    if not entry.user:
        return []
    if action == "reject":
        return [_("Rejected by: %(name)s") % {"name": entry.user}]
    return [_("By: %(name)s") % {"name": entry.user}]


def _restorable_statuses(user, registry) -> tuple[str, ...]:
    """Where the user may bring back an earlier version: editors in drafts and published
    records; reviewers in published records only (as a change another reviewer approves)."""
    if not user_can(user, Action.RESTORE, registry):
        return ()
    if user_can(user, Action.EDIT, registry):
        return (Status.DRAFT, Status.PUBLISHED)
    return (Status.PUBLISHED,)


@require_GET
@with_registry(None)
def record_history_view(request, registry, public_id):
    """Every recorded state of a record with what changed, who and when. The public sees
    the published states of published records only."""
    record = record_get(registry=registry, public_id=public_id, user=request.user)
    staff = user_can(request.user, Action.VIEW, registry)
    entries = record_history(registry=registry, record=record, public=not staff)
    current = record_values(registry, record)
    can_restore = record.status in _restorable_statuses(request.user, registry)
    current_parts = parts_read(registry, record)
    statuses = dict(Status.choices)
    rows = []
    for entry in reversed(entries):
        maps = [c for c in entry.changes if c.is_geometry]
        parts_differ = entry.parts is not None and parts_changes(
            registry, current_parts, entry.parts
        )
        rows.append(
            {
                "entry": entry,
                "action": entry_action(entry),
                "status": statuses.get(entry.status, entry.status),
                "credits": entry_credits(entry),
                "geometry": {"old": maps[0].old, "new": maps[0].new} if maps else None,
                "map_id": f"geometry-{entry.id}",
                "restorable": can_restore and (entry.values != current or bool(parts_differ)),
            }
        )
    return render(
        request,
        "layers/editing/history.html",
        {
            "registry": registry,
            "record": record,
            # Staff read the title with its address; the public as before (a sensitive
            # place's address is not theirs to read).
            "record_title": record_title_of(registry, record) if staff else str(record),
            "rows": rows,
            "staff": staff,
            "version_form": VersionForm(initial={"base_version": record.version}),
        },
    )
