"""Open311 GeoReport v2 at /open311/v2/ (no language prefix: machine-facing, like /ogc/):
``services``, ``services/<code>``, ``requests`` (GET with the specification's filters, POST
to create) and ``requests/<id>``, each as ``.json`` or ``.xml``. A request created here goes
the web form's way: rate limits, confirmation by email, moderation before it is public.
Media are not taken (``media_url`` would make the server fetch a client's URL; an upload
has the web form): a request with either is refused with a word saying so. ``api_key`` on a
POST: ``reports.open311_keys`` says what a key changes and why a request without one is
still taken. Service Discovery is at /open311/discovery.json|xml (``discovery``)."""

import datetime
import json
import logging
import math

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from layers.hromada import hromada_profile
from layers.registry import registry_get
from reports import open311
from reports.limits import Refused, client_address
from reports.models import ReportCategory
from reports.open311_keys import api_key_holder, api_key_sender
from reports.selectors import public_photos, reports_public
from reports.services.submit import report_submit

logger = logging.getLogger(__name__)

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DEFAULT_DAYS = 90  # the specification's default window without start_date/end_date
MAX_REQUESTS = 1000  # and its default cap


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions)
        self.status = status
        self.descriptions = descriptions


def _format(suffix: str) -> str:
    if suffix not in FORMATS:
        raise Http404("json or xml")
    return suffix


def _respond(suffix: str, kind: str, documents, status: int = 200) -> HttpResponse:
    if suffix == "xml":
        body = (
            open311.discovery_xml(documents)
            if kind == "discovery"
            else open311.to_xml(kind, documents)
        )
    else:
        body = json.dumps(documents, ensure_ascii=False)
    response = HttpResponse(body, content_type=FORMATS[suffix], status=status)
    response["Access-Control-Allow-Origin"] = "*"  # read by other sites' apps
    return response


def _error(suffix: str, error: Open311Error) -> HttpResponse:
    documents = open311.error_documents(error.status, *error.descriptions)
    return _respond(suffix, "errors", documents, status=error.status)


def _agency(category) -> str:
    try:
        return str(registry_get(category.registry).department or "")
    except LookupError:
        return ""


def _changeset() -> str:
    """When the services last changed: the categories file they are loaded from, or the
    latest admin change of a category (the admin logs each), whichever is later."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from reports.services.categories import CATEGORIES_FILE

    times = []
    if CATEGORIES_FILE.exists():
        times.append(datetime.datetime.fromtimestamp(CATEGORIES_FILE.stat().st_mtime, datetime.UTC))
    kind = ContentType.objects.get_for_model(ReportCategory)
    logged = LogEntry.objects.filter(content_type=kind).order_by("-action_time").first()
    if logged is not None:
        times.append(logged.action_time)
    if not times:
        return ""
    return max(times).astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@require_safe
def discovery(request, suffix: str):
    """Service Discovery: this portal's one GeoReport v2 endpoint, its URL absolute from the
    request (the address the client reached), the contact and how to get a key."""
    suffix = _format(suffix)
    services_url = request.build_absolute_uri(reverse("open311:services", args=["xml"]))
    email = hromada_profile().open_data_email
    contact = (
        f"Open data of the hromada: {email}"
        if email
        else f"The portal: {request.build_absolute_uri(reverse('layers:home'))}"
    )
    key_service = (
        "POST requests.json|xml takes an api_key: the personal API token of a member of the "
        "city's staff, made at "
        f"{request.build_absolute_uri(reverse('layers:editing:api-token'))} (or with manage.py "
        "api_token). Without a key a request is taken as the portal's public form takes it "
        "(email confirmation, moderation); an invalid key is refused."
    )
    document = open311.discovery_document(
        changeset=_changeset(),
        contact=contact,
        key_service=key_service,
        url=services_url.removesuffix("/services.xml"),  # the specification's base URL
    )
    return _respond(suffix, "discovery", document)


@require_safe
def services(request, suffix: str):
    suffix = _format(suffix)
    categories = ReportCategory.objects.filter(active=True)
    return _respond(suffix, "services", [open311.service_document(c) for c in categories])


@require_safe
def service_definition(request, code: str, suffix: str):
    suffix = _format(suffix)
    category = ReportCategory.objects.filter(service_code=code, active=True).first()
    if category is None:
        return _error(suffix, Open311Error(404, f"service_code {code} not found"))
    return _respond(suffix, "definition", open311.definition_document(category))


def _media_url(request, report) -> str:
    photo = next(iter(report.shown), None)
    if photo is None:
        return ""
    return request.build_absolute_uri(reverse("reports:photo", args=[report.pk, photo.pk, "full"]))


def _documents(request, reports) -> list[dict]:
    rows = reports.prefetch_related("updates", public_photos())
    return [
        open311.request_document(
            report, media_url=_media_url(request, report), agency=_agency(report.category)
        )
        for report in rows
    ]


def _date(name: str, raw: str) -> datetime.datetime:
    value = parse_datetime(raw) if raw else None
    if raw and value is None:
        raise Open311Error(400, f"{name}: a W3C date and time, e.g. 2026-05-01T00:00:00Z")
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _filtered(request):
    get = request.GET
    reports = reports_public()
    if get.get("service_request_id"):
        ids = [part.strip() for part in get["service_request_id"].split(",")]
        if not all(part.isdigit() and len(part) < 19 for part in ids):
            raise Open311Error(400, "service_request_id: numbers separated by commas")
        return reports.filter(pk__in=[int(part) for part in ids])
    if get.get("service_code"):
        reports = reports.filter(category__service_code__in=get["service_code"].split(","))
    if get.get("status"):
        statuses = get["status"].split(",")
        if not set(statuses) <= set(open311.STATUS_STATES):
            raise Open311Error(400, "status: open or closed")
        states = [s for status in statuses for s in open311.STATUS_STATES[status]]
        reports = reports.filter(state__in=states)
    start = _date("start_date", get.get("start_date", ""))
    end = _date("end_date", get.get("end_date", ""))
    if start is None and end is None:
        start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
    if start is not None:
        reports = reports.filter(created_at__gte=start)
    if end is not None:
        reports = reports.filter(created_at__lte=end)
    return reports.order_by("-created_at")[:MAX_REQUESTS]


@csrf_exempt  # a machine interface: no session, no cookie to forge a request with
@require_http_methods(["GET", "POST"])
def requests(request, suffix: str):
    suffix = _format(suffix)
    try:
        if request.method == "POST":
            return _create(request, suffix)
        return _respond(suffix, "requests", _documents(request, _filtered(request)))
    except Open311Error as error:
        return _error(suffix, error)


def _coordinate(name: str, raw: str, limit: float) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise Open311Error(400, "lat and long are required (address_string is not used)") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise Open311Error(400, f"{name}: a number from -{limit:g} to {limit:g} (WGS 84 degrees)")
    return value


def _create(request, suffix: str) -> HttpResponse:
    post = request.POST
    address = client_address(request)
    key = post.get("api_key", "")
    if key:
        holder = api_key_holder(key)
        if holder is None:
            raise Open311Error(403, "api_key is not valid")
        logger.info("Open311 request with the api_key of %s", holder.get_username())
        address = api_key_sender(holder)
    if post.get("media_url") or request.FILES:
        raise Open311Error(
            400, "media: not accepted here; add photos with the portal's report form"
        )
    if not post.get("service_code"):
        raise Open311Error(400, "service_code is required")
    category = ReportCategory.objects.filter(service_code=post["service_code"], active=True).first()
    if category is None:
        raise Open311Error(404, "service_code not found")
    lat = _coordinate("lat", post.get("lat", ""), 90)
    lon = _coordinate("long", post.get("long", ""), 180)
    name = " ".join(p for p in (post.get("first_name", ""), post.get("last_name", "")) if p)
    try:
        report = report_submit(
            category_code=category.code,
            geom=Point(lon, lat, srid=4326),
            description=post.get("description", ""),
            name=name,
            email=post.get("email", ""),
            address=address,
        )
    except Refused as refused:
        raise Open311Error(refused.status, str(refused.message)) from None
    except ValidationError as error:
        descriptions = [
            f"{'lat/long' if key == 'geom' else key}: {text}"
            for key, texts in error.message_dict.items()
            for text in texts
        ]
        raise Open311Error(400, *descriptions) from None
    return _respond(suffix, "requests", [open311.created_document(report)])


@require_safe
def request_detail(request, report_id: int, suffix: str):
    suffix = _format(suffix)
    documents = _documents(request, reports_public().filter(pk=report_id))
    if not documents:
        return _error(suffix, Open311Error(404, f"service_request_id {report_id} not found"))
    return _respond(suffix, "requests", documents)
