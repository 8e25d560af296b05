"""A change as the review queue and the change's own page show it: its record's title, the
values now beside the proposed ones (a geometry as GeoJSON text), what it does to the
parts, and both geometries for the small map."""

import json

from layers.editing.models import ChangeKind, ChangeRequest, ChangeState
from layers.editing.parts import parts_changes, parts_read
from layers.editing.permissions import Action, user_can
from layers.editing.selectors import change_part_changes, change_record, change_value_changes
from layers.editing.values import editable_fields, record_values, value_display
from layers.registry import Registry


def change_card(request, change: ChangeRequest, registry: Registry, title: str) -> dict | None:
    """What the templates need to show ``change``; None when its record is gone."""
    record = change_record(change)
    if record is None:
        return None
    if change.kind == ChangeKind.PUBLISH:
        values = record_values(registry, record)
        rows = [
            {
                "label": f.verbose_name,
                "old": None,
                "new": value_display(registry, f.name, values[f.name]),
                "geometry": f.name == "geom",
            }
            for f in editable_fields(registry)
            if values.get(f.name) not in (None, "", [])
        ]
        geometry = {"old": None, "new": values.get("geom")}
        part_changes = parts_changes(registry, {}, parts_read(registry, record))
    else:
        diffs = change_value_changes(change, record)
        rows = [
            {"label": d.label, "old": d.old, "new": d.new, "geometry": d.is_geometry} for d in diffs
        ]
        proposed = next((d for d in diffs if d.name == "geom"), None)
        current = json.loads(record.geom.json) if record.geom is not None else None
        geometry = {"old": current, "new": proposed.new if proposed else current}
        part_changes = change_part_changes(change, record)
    pending = change.state == ChangeState.PENDING
    return {
        "change": change,
        "record": record,
        "title": title,
        "rows": rows,
        "part_changes": part_changes,
        "geometry": geometry,
        "map_id": f"geometry-{change.pk}",
        "stale": pending
        and change.kind == ChangeKind.UPDATE
        and record.version != change.base_version,
        "own": change.author_id == request.user.pk
        or (change.kind == ChangeKind.PUBLISH and record.created_by_id == request.user.pk),
        "can_review": pending and user_can(request.user, Action.REVIEW, registry),
    }
