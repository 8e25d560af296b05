"""The editing pages: the map editor, the review queue and record history.

Views only translate between HTTP and the workflow: they read with selectors, write with
services and turn the services' refusals into messages.
"""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layers.bbox import BBoxError, wgs84_bbox
from layers.editing import services
from layers.editing.errors import StaleVersion, WorkflowError
from layers.editing.forms import DecisionForm, VersionForm, record_form_class
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
    record_get,
    record_history,
    record_queryset,
)
from layers.editing.values import editable_fields, record_values, value_display
from layers.geometry import geometry_validate
from layers.models import Status
from layers.registry import registry_get
from layers.selectors.boundary import hromada_boundary_geojson

MAX_MAP_FEATURES = 2000
MAX_CHECK_BYTES = 2 * 1024 * 1024


def _registry_or_404(registry_id: str):
    try:
        return registry_get(registry_id)
    except KeyError:
        raise Http404("No such registry.") from None


def with_registry(action: str | None):
    """Resolve the ``registry`` URL argument; require ``action`` in it (if given)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, registry, *args, **kwargs):
            registry = _registry_or_404(registry)
            if action and not user_can(request.user, action, registry):
                raise PermissionDenied
            return view(request, registry, *args, **kwargs)

        return wrapper

    return decorate


def _can(request, registry) -> dict:
    return {
        a: user_can(request.user, a, registry)
        for a in ("view", "create", "edit", "submit", "review", "archive")
    }


def _map_config(request, registry, *, record=None) -> dict:
    return {
        "registry": registry.id,
        "geometryTypes": list(registry.geometry_types),
        "recordId": str(record.public_id) if record else None,
        "featuresUrl": reverse("layers:editing:features", args=[registry.id]),
        "checkUrl": reverse("layers:editing:check", args=[registry.id]),
        "boundary": hromada_boundary_geojson(),
        "messages": {
            "placed": _("Geometry set. Check the attributes and save."),
            "checking": _("Checking the geometry…"),
            "ok": _("The geometry is inside the hromada."),
            "typeRefused": _("This registry does not take this kind of geometry."),
            "centre": _("Place at the map centre"),
            "other": _("Other records (click to open)"),
        },
    }


def _stale_message(exc: StaleVersion) -> str:
    lines = [str(exc)]
    for change in exc.changes:
        lines.append(
            _("Version %(version)s by %(user)s at %(at)s: %(fields)s")
            % {
                "version": change["version"],
                "user": change["user"] or "—",
                "at": change["at"],
                "fields": ", ".join(change["fields"]) or "—",
            }
        )
    return "\n".join(lines)


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _duplicate_warnings(registry, geom, record=None) -> list[str]:
    """The registry's own check for near-duplicates (its entry names it), as messages."""
    if not registry.duplicate_check or geom is None:
        return []
    return import_string(registry.duplicate_check)(geom=geom, exclude=record)


# --- Overview ---------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request):
    """The user's registries, drafts and changes."""
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
                "can": _can(request, registry),
            }
        )
    mine = change_queryset(user=request.user).filter(author=request.user)[:20]
    return render(request, "layers/editing/dashboard.html", {"rows": rows, "my_changes": mine})


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
            "can": _can(request, registry),
            "map_config": _map_config(request, registry),
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
        geom = geometry_validate(data.get("geom"), types=registry.geometry_types)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "errors": exc.messages, "warnings": []})
    return JsonResponse(
        {"ok": True, "errors": [], "warnings": _duplicate_warnings(registry, geom, record)}
    )


# --- Editing ----------------------------------------------------------------------------


def _draw_help(registry) -> str:
    """How to draw this registry's geometry, with a mouse and without one."""
    types = registry.geometry_types
    if "Point" in types and not any(t.endswith(("Polygon", "LineString")) for t in types):
        return _(
            "Click the map to place a point; drag it to move. Without a mouse: pan the map "
            "with the arrow keys and press “Place at the map centre”, or type the coordinates."
        )
    if "Point" in types:
        return _(
            "Click the map to place a point, or draw a polygon with the tools at the top left; "
            "drag to move. Without a mouse: pan the map with the arrow keys and press “Place at "
            "the map centre”, or edit the coordinates or the GeoJSON in the form."
        )
    if any(t.endswith("LineString") for t in types):
        return _(
            "Draw the line with the tool at the top left (click each vertex, click the last "
            "one again to finish); drag vertices to change it. Without a mouse: edit the "
            "GeoJSON in the form."
        )
    return _(
        "Draw the polygon with the tools at the top left; drag vertices to change it. "
        "Without a mouse: edit the GeoJSON in the form."
    )


def _render_editor(request, registry, form, record=None, status=200, warnings=()):
    context = {
        "draw_help": _draw_help(registry),
        "registry": registry,
        "form": form,
        "record": record,
        "can": _can(request, registry),
        "map_config": _map_config(request, registry, record=record),
        "warnings": warnings,
        "pending": (
            change_queryset(user=request.user, registry=registry, states=[ChangeState.PENDING])
            .filter(record_id=record.pk)
            .order_by("created_at")
            if record
            else []
        ),
        "version_form": VersionForm(initial={"base_version": record.version}) if record else None,
    }
    return render(request, "layers/editing/record_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@with_registry(Action.CREATE)
def record_new(request, registry):
    """Place a new record on the map and describe it: it is saved as a draft."""
    form_class = record_form_class(registry)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                record = services.record_create(
                    registry=registry, user=request.user, values=form.editable_values()
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                for warning in _duplicate_warnings(registry, record.geom, record):
                    messages.warning(request, warning)
                messages.success(request, _("The draft is saved."))
                return HttpResponseRedirect(
                    reverse("layers:editing:record", args=[registry.id, record.public_id])
                )
        return _render_editor(request, registry, form, status=400)
    return _render_editor(request, registry, form_class())


@login_required
@require_http_methods(["GET", "POST"])
@with_registry(Action.VIEW)
def record_edit(request, registry, public_id):
    """Edit a draft, or propose a change to a published record, beside the map."""
    record = record_get(registry=registry, public_id=public_id, user=request.user)
    form_class = record_form_class(registry)
    if request.method == "GET":
        form = form_class(instance=record, initial={"base_version": record.version})
        return _render_editor(request, registry, form, record)
    if not user_can(request.user, Action.EDIT, registry):
        raise PermissionDenied
    form = form_class(request.POST, instance=registry.objects().get(pk=record.pk))
    if form.is_valid():
        values = form.editable_values()
        if not values:
            messages.info(request, _("Nothing was changed."))
            return HttpResponseRedirect(request.path)
        try:
            result = services.record_update(
                registry=registry,
                record=record,
                user=request.user,
                values=values,
                base_version=form.cleaned_data["base_version"],
                comment=form.cleaned_data["comment"],
            )
        except StaleVersion as exc:
            form.add_error(None, _stale_message(exc))
            return _render_editor(request, registry, form, record, status=409)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            for warning in _duplicate_warnings(registry, result.record.geom, result.record):
                messages.warning(request, warning)
            if result.applied:
                messages.success(request, _("The draft is saved."))
            else:
                messages.success(
                    request,
                    _(
                        "Your change is waiting for review; the published record stays as it "
                        "is until a reviewer approves it."
                    ),
                )
            return HttpResponseRedirect(request.path)
    return _render_editor(request, registry, form, record, status=400)


def _version_action(request, registry, public_id, do, done_message):
    record = record_get(registry=registry, public_id=public_id, user=request.user)
    form = VersionForm(request.POST)
    target = reverse("layers:editing:record", args=[registry.id, record.public_id])
    if not form.is_valid():
        messages.error(request, _("The request was incomplete; reload the page."))
        return HttpResponseRedirect(target)
    try:
        do(record, form.cleaned_data)
    except StaleVersion as exc:
        messages.error(request, _stale_message(exc))
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, done_message)
    return HttpResponseRedirect(target)


@login_required
@require_POST
@with_registry(Action.SUBMIT)
def record_submit(request, registry, public_id):
    return _version_action(
        request,
        registry,
        public_id,
        lambda record, data: services.record_submit(
            registry=registry,
            record=record,
            user=request.user,
            base_version=data["base_version"],
            comment=data["comment"],
        ),
        _("The draft is submitted for review."),
    )


@login_required
@require_POST
@with_registry(Action.ARCHIVE)
def record_archive(request, registry, public_id):
    return _version_action(
        request,
        registry,
        public_id,
        lambda record, data: services.record_archive(
            registry=registry,
            record=record,
            user=request.user,
            base_version=data["base_version"],
            comment=data["comment"],
        ),
        _("The record is archived."),
    )


@login_required
@require_POST
@with_registry(Action.EDIT)
def record_restore(request, registry, public_id, event_id):
    return _version_action(
        request,
        registry,
        public_id,
        lambda record, data: services.record_restore(
            registry=registry,
            record=record,
            user=request.user,
            event_id=event_id,
            base_version=data["base_version"],
        ),
        _("The earlier version is brought back as a new change."),
    )


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
        messages.error(request, _stale_message(exc))
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
