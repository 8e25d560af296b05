"""The map editor: a record's values and parts beside the map, and its state changes
(submit, archive, restore).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from layers.editing import services
from layers.editing.errors import StaleVersion, WorkflowError
from layers.editing.forms import VersionForm, record_copy_initial, record_form_class
from layers.editing.models import ChangeState
from layers.editing.part_forms import part_errors_apply, part_formsets, parts_from_formsets
from layers.editing.permissions import Action, user_can
from layers.editing.selectors import (
    change_queryset,
    record_get,
)
from layers.editing.titles import record_title_of
from layers.editing.views.common import (
    actions_allowed,
    duplicate_warnings,
    errors_apply,
    map_config,
    map_view_parse,
    stale_message,
    with_registry,
)
from layers.editing.views.resubmit import rejected_change_for

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


def _adds_another(registry) -> bool:
    """Registries of points (trees first) are mapped one after another from one spot."""
    return tuple(registry.geometry_types) == ("Point",)


def _field_errors(form, title: str = "") -> list[dict]:
    items = []
    for field in form:
        label = f"{title}: {field.label}" if title else field.label
        for error in field.errors:
            if field.is_hidden:
                items.append({"text": str(error)})
            else:
                items.append({"href": f"#{field.auto_id}", "label": label, "text": error})
    return items


def _error_summary(form, part_forms) -> list[dict]:
    """The errors for the summary at the top of the panel, each field's linking to it."""
    items = [{"text": str(error)} for error in form.non_field_errors()]
    items += _field_errors(form)
    for part_form in part_forms:
        if not part_form.formset.is_bound:
            continue
        title = str(part_form.part.title).capitalize()
        for error in part_form.formset.non_form_errors():
            items.append({"href": f"#{part_form.prefix}", "label": title, "text": error})
        for row in part_form.formset:
            for error in row.non_field_errors():
                items.append({"href": f"#{row.prefix}-title", "label": title, "text": error})
            items += _field_errors(row, title)
    return items


def _render_editor(
    request,
    registry,
    form,
    record=None,
    status=200,
    warnings=(),
    part_forms=None,
    view=None,
    resubmit=None,
):
    if record is not None and part_forms is None:
        part_forms = part_formsets(registry, record)
    context = {
        "part_forms": part_forms or [],
        "draw_help": _draw_help(registry),
        "registry": registry,
        "form": form,
        "error_summary": _error_summary(form, part_forms or []) if form.is_bound else [],
        "record": record,
        "record_title": record_title_of(registry, record) if record else "",
        "can": actions_allowed(request, registry),
        "map_config": map_config(request, registry, record=record, view=view),
        "adds_another": record is None and _adds_another(registry),
        "warnings": warnings,
        "pending": (
            change_queryset(user=request.user, registry=registry, states=[ChangeState.PENDING])
            .filter(record_id=record.pk)
            .order_by("created_at")
            if record
            else []
        ),
        "version_form": VersionForm(initial={"base_version": record.version}) if record else None,
        "resubmit": resubmit,
    }
    return render(request, "layers/editing/record_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@with_registry(Action.CREATE)
def record_new(request, registry):
    """Place a new record on the map and describe it: it is saved as a draft.

    "Save and add another" comes back here with the map where it was (``view``) and the
    saved record's shared values (``copy``), so the next tree is placed without re-zooming.
    """
    form_class = record_form_class(registry)
    if request.method == "POST":
        form = form_class(request.POST)
        view = map_view_parse(request.POST.get("map_view"))
        if form.is_valid():
            try:
                record = services.record_create(
                    registry=registry, user=request.user, values=form.editable_values()
                )
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                for warning in duplicate_warnings(registry, record.geom, record):
                    messages.warning(request, warning)
                if request.POST.get("then") == "another" and _adds_another(registry):
                    messages.success(
                        request,
                        _("The draft “%(record)s” is saved; place the next one on the map.")
                        % {"record": record},
                    )
                    query = urlencode(
                        {
                            "copy": record.public_id,
                            **({"view": ",".join(map(str, view))} if view else {}),
                        }
                    )
                    return HttpResponseRedirect(
                        reverse("layers:editing:new", args=[registry.id]) + "?" + query
                    )
                messages.success(request, _("The draft is saved."))
                return HttpResponseRedirect(
                    reverse("layers:editing:record", args=[registry.id, record.public_id])
                )
        return _render_editor(request, registry, form, status=400, view=view)
    initial = {}
    if request.GET.get("copy"):
        try:
            source = record_get(registry=registry, public_id=request.GET["copy"], user=request.user)
        except (Http404, ValidationError, ValueError):
            source = None
        if source is not None:
            initial = record_copy_initial(registry, source)
    view = map_view_parse(request.GET.get("view"))
    return _render_editor(request, registry, form_class(initial=initial), view=view)


@login_required
@require_http_methods(["GET", "POST"])
@with_registry(Action.VIEW)
def record_edit(request, registry, public_id):
    """Edit a draft, or propose a change to a published record, beside the map."""
    record = record_get(registry=registry, public_id=public_id, user=request.user)
    form_class = record_form_class(registry)
    # Fixing a rejected change (``?resubmit=``): its values fill the form, its comment stays
    # in sight while the fix is refused and corrected.
    resubmit = rejected_change_for(request, registry, record)
    if request.method == "GET":
        initial = {"base_version": record.version}
        part_forms = None
        if resubmit is not None:
            initial.update(resubmit.initial)
            part_forms = part_formsets(registry, record, proposed=resubmit.parts)
        form = form_class(instance=record, initial=initial)
        return _render_editor(
            request, registry, form, record, part_forms=part_forms, resubmit=resubmit
        )
    if not user_can(request.user, Action.EDIT, registry):
        raise PermissionDenied
    form = form_class(request.POST, instance=registry.objects().get(pk=record.pk))
    part_forms = part_formsets(registry, record, request.POST, request.FILES)
    if form.is_valid() and all(f.formset.is_valid() for f in part_forms if f.formset.is_bound):
        try:
            # One change: the record's values and its parts (new photos stored staged first;
            # refused, nothing of it stays).
            with transaction.atomic():
                values = form.editable_values()
                parts = parts_from_formsets(part_forms, record=record, user=request.user)
                if not values and not parts:
                    messages.info(request, _("Nothing was changed."))
                    return HttpResponseRedirect(request.path)
                result = services.record_update(
                    registry=registry,
                    record=record,
                    user=request.user,
                    values=values,
                    parts=parts,
                    base_version=form.cleaned_data["base_version"],
                    comment=form.cleaned_data["comment"],
                    language=request.LANGUAGE_CODE,
                )
        except StaleVersion as exc:
            form.add_error(None, stale_message(exc))
            return _render_editor(
                request,
                registry,
                form,
                record,
                status=409,
                part_forms=part_forms,
                resubmit=resubmit,
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            rest = part_errors_apply(part_forms, exc)
            if rest is not None:
                errors_apply(form, rest)
        else:
            for warning in duplicate_warnings(registry, result.record.geom, result.record):
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
    if not form.errors and any(f.formset.errors or f.formset.non_form_errors() for f in part_forms):
        form.add_error(None, _("Some rows of the record's parts need correcting (see below)."))
    return _render_editor(
        request, registry, form, record, status=400, part_forms=part_forms, resubmit=resubmit
    )


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
        messages.error(request, stale_message(exc))
    except (WorkflowError, ValidationError) as exc:
        if getattr(exc, "http_status", None) == 403:  # the role does not allow it here
            raise PermissionDenied(str(exc)) from None
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
            language=request.LANGUAGE_CODE,
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
@with_registry(Action.RESTORE)
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
            language=request.LANGUAGE_CODE,
        ),
        _("The earlier version is brought back as a new change."),
    )
