"""The editing overview: the dashboard, a registry's records, and the map editor's reads
(other records as GeoJSON, a geometry check).
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from layers.bbox import BBoxError, wgs84_bbox
from layers.editing.models import ChangeState
from layers.editing.notifications import notifications_unread, notifications_unread_count
from layers.editing.permissions import Action, user_registries
from layers.editing.selectors import (
    change_queryset,
    pending_counts,
    record_queryset,
)
from layers.editing.titles import change_titles
from layers.editing.views.common import (
    actions_allowed,
    duplicate_warnings,
    map_config,
    with_registry,
)
from layers.geometry import geometry_validate
from layers.models import Status
from layers.models.boundary import geometry_inside_hromada

MAX_MAP_FEATURES = 2000
MAX_CHECK_BYTES = 2 * 1024 * 1024
DASHBOARD_ROWS = 10  # changes to review and recent decisions; the queue has the rest


# --- Overview ---------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request):
    """The user's unread notifications first, then their registries, their changes, the
    changes waiting for their review and the latest decisions — each named by its record."""
    registries = user_registries(request.user, Action.VIEW)
    if not registries:
        raise PermissionDenied
    counts = pending_counts(user=request.user)
    rows = []
    for registry in registries:
        rows.append(
            {
                "registry": registry,
                "pending": counts.get(registry.id, 0),
                "drafts": registry.objects().filter(status=Status.DRAFT).count(),
                "can": actions_allowed(request, registry),
            }
        )
    changes = change_queryset(user=request.user)
    mine = list(changes.filter(author=request.user)[:20])
    reviewed = [r.id for r in user_registries(request.user, Action.REVIEW)]
    to_review = list(
        changes.filter(state=ChangeState.PENDING, registry__in=reviewed)
        .exclude(author=request.user)
        .order_by("created_at")[:DASHBOARD_ROWS]
    )
    decided = list(
        changes.filter(state__in=[ChangeState.APPROVED, ChangeState.REJECTED]).order_by(
            "-decided_at", "-id"
        )[:DASHBOARD_ROWS]
    )
    titles = change_titles([*mine, *to_review, *decided])
    return render(
        request,
        "layers/editing/dashboard.html",
        {
            "rows": rows,
            "notifications": notifications_unread(user=request.user),
            "unread": notifications_unread_count(request.user),
            "my_changes": _named(mine, titles),
            "to_review": _named(to_review, titles),
            "decided": _named(decided, titles),
        },
    )


def _named(changes, titles) -> list[dict]:
    return [{"change": change, "title": titles.get(change.pk, "")} for change in changes]


@login_required
@require_GET
@with_registry(Action.VIEW)
def record_list(request, registry):
    """The registry's map editor: its records on the map and in a list."""
    queryset = record_queryset(registry=registry, user=request.user).exclude(status=Status.ARCHIVED)
    status = request.GET.get("status")
    if status in Status.values:
        queryset = registry.objects().filter(status=status)
    records = queryset.order_by("-updated_at")[:50]
    return render(
        request,
        "layers/editing/record_list.html",
        {
            "registry": registry,
            "records": records,
            "status": status,
            "statuses": Status.choices,
            "can": actions_allowed(request, registry),
            "map_config": map_config(request, registry),
        },
    )


@login_required
@require_GET
@with_registry(Action.VIEW)
def features(request, registry):
    """GeoJSON of the registry's records in a bounding box, for the map editor."""
    queryset = registry.objects().exclude(status=Status.ARCHIVED)
    if request.GET.get("bbox"):
        from django.contrib.gis.geos import Polygon

        try:
            box = wgs84_bbox(request.GET["bbox"])
        except BBoxError as exc:
            return JsonResponse({"error": f"bbox: {exc}"}, status=400)
        queryset = queryset.filter(geom__intersects=Polygon.from_bbox(box))
    items = []
    for record in queryset.order_by("id")[:MAX_MAP_FEATURES]:
        items.append(
            {
                "type": "Feature",
                "geometry": json.loads(record.geom.json),
                "properties": {
                    "id": str(record.public_id),
                    "name": str(record),
                    "status": record.status,
                    "status_label": record.get_status_display(),
                    "url": reverse("layers:editing:record", args=[registry.id, record.public_id]),
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": items})


@login_required
@require_POST
@with_registry(Action.EDIT)
def check(request, registry):
    """Check a geometry before saving: errors (outside the hromada, invalid) and warnings
    (a near-duplicate tree)."""
    if len(request.body) > MAX_CHECK_BYTES:
        return JsonResponse({"errors": [_("The geometry is too large.")]}, status=413)
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        return JsonResponse({"errors": [_("The request is not valid JSON.")]}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"errors": [_("The request is not valid JSON.")]}, status=400)
    record = None
    if data.get("exclude"):
        try:
            record = registry.objects().filter(public_id=data["exclude"]).first()
        except ValidationError:
            record = None
    try:
        geom = geometry_inside_hromada(
            geometry_validate(data.get("geom"), types=registry.geometry_types)
        )
    except ValidationError as exc:
        return JsonResponse({"ok": False, "errors": exc.messages, "warnings": []})
    return JsonResponse(
        {"ok": True, "errors": [], "warnings": duplicate_warnings(registry, geom, record)}
    )
