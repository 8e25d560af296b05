"""The staff's pages of reports, beside the editing pages (/edit/reports/): the queue of the
registries they handle with its filters, and a report with its map beside the nearest
records, where they moderate it, answer it and start a change of its record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from layers.editing.errors import WorkflowError
from layers.editing.values import editable_fields
from layers.registry import registry_get
from layers.selectors.map_filters import MapFilterError
from reports.forms import AnswerForm, ModerationForm
from reports.models import Report, ReportState
from reports.permissions import can_answer, can_moderate, can_see, handled_registries
from reports.selectors import QueueFilters, area_parse, linked_record, nearest_records, queue
from reports.services.handling import report_answer, report_moderate, report_record_change

QUEUE_PAGE_SIZE = 50
# Fields staff do not set from a report: the place and what the editor's own pages handle.
_NOT_FROM_REPORT = (models.FileField, models.JSONField)


def _report_for(request, report_id: int) -> Report:
    report = Report.objects.select_related("category").filter(pk=report_id).first()
    if report is None or not can_see(request.user, report):
        raise Http404("No such report.")  # another registry's report is not even named
    return report


def _filters(request) -> tuple[QueueFilters, str]:
    """The queue's filters from the query; the message of a malformed one ("" if none)."""
    get = request.GET
    area, error = None, ""
    if get.get("near"):
        try:
            area = area_parse(get["near"], get.get("radius") or "500")
        except MapFilterError as exc:
            error = str(exc)
    try:
        older = int(get.get("older_than_days") or 0) or None
    except ValueError:
        older, error = None, _("The age is a number of days.")
    state = get.get("state") or "open"
    if state not in ("open", "all", *ReportState.values):
        state = "open"
    return (
        QueueFilters(
            registry=get.get("registry", ""),
            category=get.get("category", ""),
            state=state,
            older_than_days=older,
            area=area,
        ),
        error,
    )


@login_required
@require_safe
def report_queue(request):
    registries = handled_registries(request.user)
    if not registries:
        raise PermissionDenied
    filters, error = _filters(request)
    reports = queue(registries, filters)
    page = Paginator(reports, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    from reports.models import ReportCategory

    return render(
        request,
        "reports/staff/queue.html",
        {
            "page": page,
            "filters": filters,
            "error": error,
            "registries": [registry_get(r) for r in registries],
            "categories": ReportCategory.objects.filter(registry__in=registries),
            "states": ReportState.choices,
            "near": request.GET.get("near", ""),
            "radius": request.GET.get("radius", ""),
        },
        status=400 if error else 200,
    )


def _record_fields(report) -> list:
    if not report.record_public_id:
        return []
    registry = registry_get(report.record_registry)
    return [
        field
        for field in editable_fields(registry)
        if not isinstance(field, _NOT_FROM_REPORT) and field.name != "geom"
    ]


def _detail(request, report, *, answer_form=None, moderation_form=None, status=200):
    nearest = nearest_records(report)
    return render(
        request,
        "reports/staff/detail.html",
        {
            "report": report,
            "photos": report.photos.all(),
            "updates": report.updates.select_related("author", "change_request"),
            "record": linked_record(report),
            "nearest": nearest,
            "nearest_points": [
                {"title": row["title"], "coordinates": row["coordinates"]} for row in nearest
            ],
            "may_answer": can_answer(request.user, report),
            "may_moderate": can_moderate(request.user, report),
            "answer_form": answer_form or AnswerForm(),
            "moderation_form": moderation_form
            or ModerationForm(initial={"description": report.description}),
            "record_fields": _record_fields(report),
            "history": report.history.order_by("pgh_id"),
            "geometry": {"type": "Point", "coordinates": [report.geom.x, report.geom.y]},
        },
        status=status,
    )


@login_required
@require_safe
def report_staff_detail(request, report_id: int):
    return _detail(request, _report_for(request, report_id))


@login_required
@require_POST
def report_moderate_view(request, report_id: int):
    report = _report_for(request, report_id)
    if not can_moderate(request.user, report):
        raise PermissionDenied
    form = ModerationForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("publish", "hide") or not form.is_valid():
        if decision not in ("publish", "hide"):
            form.add_error(None, _("Choose to publish or to hide the report."))
        return _detail(request, report, moderation_form=form, status=400)
    hidden = [pk for pk in request.POST.getlist("hide_photo") if pk.isdigit()]
    try:
        report_moderate(
            report=report,
            user=request.user,
            publish=decision == "publish",
            description=form.cleaned_data["description"],
            hidden_photos=hidden,
        )
    except ValidationError as error:
        for text in error.messages:
            form.add_error(None, text)
        return _detail(request, report, moderation_form=form, status=400)
    messages.success(request, _("Saved."))
    return redirect("reports_staff:detail", report.pk)


@login_required
@require_POST
def report_answer_view(request, report_id: int):
    report = _report_for(request, report_id)
    if not can_answer(request.user, report):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, answer_form=form, status=400)
    original = None
    if form.cleaned_data.get("duplicate_of"):
        original = Report.objects.filter(
            pk=form.cleaned_data["duplicate_of"], category__registry=report.category.registry
        ).first()
    try:
        report_answer(
            report=report,
            user=request.user,
            state=form.cleaned_data["state"],
            comment=form.cleaned_data["comment"],
            duplicate_of=original,
        )
    except (ValidationError, WorkflowError) as error:
        texts = error.messages if isinstance(error, ValidationError) else [str(error)]
        for text in texts:
            form.add_error(None, text)
        return _detail(request, report, answer_form=form, status=400)
    messages.success(request, _("The report's state was changed; the reporter was told."))
    return redirect("reports_staff:detail", report.pk)


_YES, _NO = {"true", "yes", "так", "1"}, {"false", "no", "ні", "0"}


def _yes_no(raw: str):
    """A yes-or-no field's value as staff type it; None (unknown) when empty."""
    word = raw.strip().lower()
    if not word:
        return None
    if word in _YES | _NO:
        return word in _YES
    raise ValidationError(_("For yes or no: write yes or no."))


@login_required
@require_POST
def report_change_view(request, report_id: int):
    report = _report_for(request, report_id)
    if not can_answer(request.user, report):
        raise PermissionDenied
    fields = {field.name: field for field in _record_fields(report)}
    name = request.POST.get("field", "")
    field = fields.get(name)
    raw = request.POST.get("value", "")
    try:
        if field is None:
            raise ValidationError(_("Choose the field to change."))
        value = _yes_no(raw) if isinstance(field, models.BooleanField) else raw
        report_record_change(
            report=report,
            user=request.user,
            values={name: value},
            comment=request.POST.get("comment", ""),
            language=translation.get_language(),
        )
    except (ValidationError, WorkflowError) as error:
        texts = error.messages if isinstance(error, ValidationError) else [str(error)]
        for text in texts:
            messages.error(request, text)
        return _detail(request, report, status=400)
    messages.success(request, _("The change of the record waits for review."))
    return redirect("reports_staff:detail", report.pk)
