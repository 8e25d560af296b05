"""The review queue: changes waiting for review, old and new side by side, and the
decisions on them.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from layers.editing import services
from layers.editing.errors import StaleVersion, WorkflowError
from layers.editing.forms import DecisionForm
from layers.editing.models import ChangeKind, ChangeState
from layers.editing.parts import parts_changes, parts_read
from layers.editing.permissions import Action, user_can, user_registries
from layers.editing.selectors import (
    change_get,
    change_part_changes,
    change_queryset,
    change_record,
    change_value_changes,
    pending_counts,
)
from layers.editing.values import editable_fields, record_values, value_display
from layers.editing.views.common import (
    stale_message,
)

# --- Review -----------------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request):
    """Changes waiting for review, per registry: old and new values side by side."""
    registries = user_registries(request.user, Action.REVIEW) or user_registries(
        request.user, Action.VIEW
    )
    if not registries:
        raise PermissionDenied
    counts = pending_counts(user=request.user)
    selected = request.GET.get("registry")
    selected = next((r for r in registries if r.id == selected), registries[0])
    pending = change_queryset(
        user=request.user, registry=selected, states=[ChangeState.PENDING]
    ).order_by("created_at")[:30]
    cards = []
    for change in pending:
        record = change_record(change)
        if record is None:
            continue
        if change.kind == ChangeKind.PUBLISH:
            values = record_values(selected, record)
            rows = [
                {
                    "label": f.verbose_name,
                    "old": None,
                    "new": value_display(selected, f.name, values[f.name]),
                    "geometry": f.name == "geom",
                }
                for f in editable_fields(selected)
                if values.get(f.name) not in (None, "", [])
            ]
            geometry = {"old": None, "new": values.get("geom")}
            part_changes = parts_changes(selected, {}, parts_read(selected, record))
        else:
            diffs = change_value_changes(change, record)
            rows = [
                {"label": d.label, "old": d.old, "new": d.new, "geometry": d.is_geometry}
                for d in diffs
            ]
            geo = next((d for d in diffs if d.name == "geom"), None)
            current_geom = json.loads(record.geom.json)
            geometry = {"old": current_geom, "new": geo.new if geo else current_geom}
            part_changes = change_part_changes(change, record)
        cards.append(
            {
                "change": change,
                "record": record,
                "rows": rows,
                "part_changes": part_changes,
                "geometry": geometry,
                "map_id": f"geometry-{change.pk}",
                "stale": change.kind == ChangeKind.UPDATE and record.version != change.base_version,
                "own": change.author_id == request.user.pk
                or (change.kind == ChangeKind.PUBLISH and record.created_by_id == request.user.pk),
                "can_review": user_can(request.user, Action.REVIEW, selected),
            }
        )
    tabs = [
        {"registry": r, "count": counts.get(r.id, 0), "selected": r == selected} for r in registries
    ]
    return render(
        request,
        "layers/editing/review_queue.html",
        {"tabs": tabs, "registry": selected, "cards": cards, "form": DecisionForm()},
    )


def _decision(request, change_id, decide, done):
    change = change_get(user=request.user, change_id=change_id)
    form = DecisionForm(request.POST)
    target = reverse("layers:editing:review") + f"?registry={change.registry}"
    if not form.is_valid():
        messages.error(request, _("The comment is too long."))
        return HttpResponseRedirect(target)
    try:
        decide(change, form.cleaned_data["comment"])
    except StaleVersion as exc:
        messages.error(request, stale_message(exc))
    except (WorkflowError, ValidationError) as exc:
        if getattr(exc, "http_status", None) == 403:
            raise PermissionDenied(str(exc)) from None
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(target)


@login_required
@require_POST
def change_approve(request, change_id):
    return _decision(
        request,
        change_id,
        lambda change, comment: services.change_approve(
            change=change, user=request.user, comment=comment
        ),
        _("The change is approved."),
    )


@login_required
@require_POST
def change_reject(request, change_id):
    return _decision(
        request,
        change_id,
        lambda change, comment: services.change_reject(
            change=change, user=request.user, comment=comment
        ),
        _("The change is rejected; its author sees your comment."),
    )


@login_required
@require_POST
def change_withdraw(request, change_id):
    change = change_get(user=request.user, change_id=change_id)
    try:
        services.change_withdraw(change=change, user=request.user)
    except WorkflowError as exc:
        if exc.http_status == 403:
            raise PermissionDenied(str(exc)) from None
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The change is withdrawn."))
    return HttpResponseRedirect(reverse("layers:editing:dashboard"))
