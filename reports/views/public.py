"""The residents' pages: the report form (from the map, near me, or a record's page), the
confirmation of the emailed link, a report's public page and the list of reports, the
report's photos. Nothing of the reporter is ever on them."""

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from layers.registry import public_registry_get
from layers.selectors.map import record_public_get, record_title
from reports.forms import FollowForm, ReportForm
from reports.limits import Refused, client_address, honeypot_check
from reports.models import ReportPhoto, ReportState
from reports.permissions import can_see
from reports.selectors import categories_active, linked_record, report_public_get, reports_public
from reports.services.submit import RecordLink, report_confirm, report_submit

PAGE_SIZE = 50


def _record_from_query(request) -> tuple[object, dict] | None:
    """The published record a report is made from (``?registry=…&record=…``)."""
    registry_id = request.GET.get("registry") or request.POST.get("record_registry") or ""
    public_id = request.GET.get("record") or request.POST.get("record_public_id") or ""
    if not registry_id or not public_id:
        return None
    try:
        registry = public_registry_get(registry_id)
        values = record_public_get(registry, public_id)
    except (LookupError, ValidationError):
        values = None
    if values is None:
        raise Http404("No such record.")
    return registry, values


def _form_context(form, record, *, message: str = "") -> dict:
    categories = list(categories_active())
    if record is not None:
        registry, _values = record
        form.fields["category"].choices = [("", _("Choose…"))] + [
            (c.code, c.title) for c in categories if c.registry == registry.id
        ]
    anonymous = [c.code for c in categories if c.anonymous_allowed]
    return {
        "form": form,
        "record": record and {"registry": record[0], "title": record_title(*record)},
        "message": message,
        "anonymous_categories": anonymous,
    }


@require_http_methods(["GET", "POST"])
def report_new(request):
    record = _record_from_query(request)
    if request.method == "GET":
        initial = {"lat": request.GET.get("lat"), "lon": request.GET.get("lon")}
        if record is not None:
            registry, values = record
            geom = values["public_geom"]
            point = geom if geom.geom_type == "Point" else geom.point_on_surface
            initial = {
                "lat": round(point.y, 6),
                "lon": round(point.x, 6),
                "record_registry": registry.id,
                "record_public_id": str(values["public_id"]),
            }
        form = ReportForm(initial=initial)
        return render(request, "reports/new.html", _form_context(form, record))
    form = ReportForm(request.POST)
    status, message = 400, ""
    try:
        # The honeypot first: a robot's post is refused whatever else it holds.
        honeypot_check(request.POST.get("website", ""))
        if form.is_valid():
            data = form.cleaned_data
            report = report_submit(
                category_code=data["category"],
                geom=Point(data["lon"], data["lat"], srid=4326),
                description=data["description"],
                name=data["name"],
                email=data["email"],
                photos=request.FILES.getlist("photos"),
                language=translation.get_language(),
                address=client_address(request),
                record=RecordLink(record[0].id, str(record[1]["public_id"])) if record else None,
            )
            waiting = report.state == ReportState.NEW
            return redirect(reverse("reports:sent") + ("?confirm=1" if waiting else ""))
    except Refused as refused:
        status, message = refused.status, str(refused.message)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            if field == "geom":
                target = "lat"
            for text in messages:
                form.add_error(target, text)
    context = _form_context(form, record, message=message)
    return render(request, "reports/new.html", context, status=status)


@require_safe
def report_sent(request):
    return render(request, "reports/sent.html", {"confirm": bool(request.GET.get("confirm"))})


@require_http_methods(["GET", "POST"])
def report_confirm_page(request, token: str):
    """GET shows a button (a mail scanner opening the link confirms nothing); POST confirms."""
    if request.method == "GET":
        return render(request, "reports/confirm.html", {"token": token})
    try:
        report = report_confirm(token=token)
    except ValidationError as error:
        return render(
            request,
            "reports/confirm.html",
            {"token": token, "error": error.messages[0]},
            status=400,
        )
    return render(request, "reports/confirm.html", {"confirmed": report})


@require_safe
def report_list(request):
    reports = reports_public().order_by("-created_at", "-id")
    category, state = request.GET.get("category", ""), request.GET.get("state", "")
    if category:
        reports = reports.filter(category__code=category)
    if state in ReportState.values:
        reports = reports.filter(state=state)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/list.html",
        {
            "page": page,
            "categories": categories_active(),
            "states": [(v, label) for v, label in ReportState.choices if v != ReportState.NEW],
            "category": category,
            "state": state,
        },
    )


@require_safe
def report_detail(request, report_id: int):
    report = report_public_get(report_id)
    if report is None:
        raise Http404("No such report.")
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "record": linked_record(report),
            "updates": report.updates.all(),
            "follow_form": FollowForm(),
            "geometry": {"type": "Point", "coordinates": [report.geom.x, report.geom.y]},
        },
    )


@require_safe
def report_figures(request):
    from reports.figures import response_times

    return render(request, "reports/figures.html", {"rows": response_times()})


@require_safe
def report_photo(request, report_id: int, photo_id: int, size: str):
    photo = (
        ReportPhoto.objects.select_related("report__category")
        .filter(pk=photo_id, report_id=report_id)
        .first()
    )
    if photo is None or size not in ("full", "thumb"):
        raise Http404("No such file.")
    public = photo.report.is_public and not photo.hidden
    if not public and not can_see(request.user, photo.report):
        raise Http404("No such file.")
    file = photo.image if size == "full" else photo.thumbnail
    if not default_storage.exists(file.name):
        raise Http404("No such file.")
    response = FileResponse(default_storage.open(file.name, "rb"), content_type="image/jpeg")
    # Re-encoded JPEGs (layers.services.photos): never sniffed as anything else.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
