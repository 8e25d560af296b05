"""A record's history: every recorded state with what changed, who and when."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from layers.editing.forms import VersionForm
from layers.editing.parts import parts_changes, parts_read
from layers.editing.permissions import Action, user_can
from layers.editing.selectors import (
    record_get,
    record_history,
)
from layers.editing.values import record_values
from layers.editing.views.common import with_registry
from layers.models import Status


@require_GET
@with_registry(None)
def record_history_view(request, registry, public_id):
    """Every recorded state of a record with what changed, who and when. The public sees
    the published states of published records only."""
    record = record_get(registry=registry, public_id=public_id, user=request.user)
    staff = user_can(request.user, Action.VIEW, registry)
    entries = record_history(registry=registry, record=record, public=not staff)
    current = record_values(registry, record)
    can_restore = user_can(request.user, Action.EDIT, registry) and record.status in (
        Status.DRAFT,
        Status.PUBLISHED,
    )
    current_parts = parts_read(registry, record)
    rows = []
    for entry in reversed(entries):
        maps = [c for c in entry.changes if c.is_geometry]
        parts_differ = entry.parts is not None and parts_changes(
            registry, current_parts, entry.parts
        )
        rows.append(
            {
                "entry": entry,
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
            "rows": rows,
            "staff": staff,
            "version_form": VersionForm(initial={"base_version": record.version}),
        },
    )
