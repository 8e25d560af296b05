"""Reads of reports: what the public sees (never the reporter), the staff's queue and its
filters, the records nearest a report, the linked record's title."""

import datetime
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance
from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import timezone

from layers.registry import registry_get
from layers.selectors.distance import by_distance, point_parse
from layers.selectors.map import record_title, record_url
from layers.selectors.map_filters import MapFilterError
from layers.selectors.public import registry_public_queryset
from layers.selectors.stamps import Stamp
from reports.models import (
    ALERT_RADIUS_MAX_M,
    OPEN_STATES,
    Report,
    ReportCategory,
    ReportPhoto,
    ReportState,
)

# Fixed reports stay on the public map this long after the fix.
RECENTLY_FIXED_DAYS = 30
# The only fields of a report anyone outside its registry's staff ever reads.
PUBLIC_FIELDS = (
    "id",
    "category_id",
    "geom",
    "description",
    "state",
    "record_registry",
    "record_public_id",
    "duplicate_of_id",
    "created_at",
    "published_at",
    "first_response_at",
    "fixed_at",
    "updated_at",
)


def categories_active() -> QuerySet:
    return ReportCategory.objects.filter(active=True)


def public_photos():
    return Prefetch("photos", queryset=ReportPhoto.objects.filter(hidden=False), to_attr="shown")


def reports_public() -> QuerySet:
    """Public reports with only their public fields loaded (``.only``): the reporter's
    name and email are not even read for a public page, feed or API."""
    return Report.objects.public().select_related("category").only(*PUBLIC_FIELDS, "category")


def followable_settlements() -> QuerySet:
    """The settlements one can follow (the alert form's list, a feed's ``settlement=``): not
    the rest of the hromada, whose polygon is the boundary minus the villages rather than a
    place people name."""
    from sdg.models import Settlement  # sdg reads reports' figures: imported when asked

    return Settlement.objects.filter(remainder=False)


def reports_public_stamp() -> Stamp:
    """What changes whenever a public report may read differently: the public set's last
    change and size (a report leaving it, hidden or back to unconfirmed, changes its size),
    and the categories' last change (a renamed category renames it in every report). Reports
    have no trigger-kept stamp row; this is two small aggregates. The OGC collection, the
    catalogue and the SDG snapshots all take it from here."""
    figures = Report.objects.public().aggregate(n=Count("id"), last=Max("updated_at"))
    moments = [figures["last"], ReportCategory.objects.aggregate(last=Max("updated_at"))["last"]]
    moments = [moment for moment in moments if moment is not None]
    return Stamp(max(moments) if figures["n"] and moments else None, figures["n"])


def report_public_get(pk) -> Report | None:
    return (
        reports_public()
        .prefetch_related(public_photos(), "updates")
        .filter(pk=pk)
        .select_related("category")
        .first()
    )


def reports_on_map(*, category: str = "", state: str = "") -> QuerySet:
    """Open reports and those fixed in the last ``RECENTLY_FIXED_DAYS``."""
    since = timezone.now() - datetime.timedelta(days=RECENTLY_FIXED_DAYS)
    queryset = reports_public().filter(state__in=OPEN_STATES) | reports_public().filter(
        state=ReportState.FIXED, fixed_at__gte=since
    )
    if category:
        queryset = queryset.filter(category__code=category)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.select_related("category").order_by("-created_at")


@dataclass(frozen=True)
class Area:
    centre: object  # a Point
    radius_m: int


def area_parse(near: str, radius: str) -> Area:
    """``lat,lon`` and a radius in metres → an area; ``MapFilterError`` if not."""
    point = point_parse(near, name="near")
    try:
        radius_m = int(radius)
    except (TypeError, ValueError):
        raise MapFilterError("radius: metres, a whole number") from None
    if not 50 <= radius_m <= ALERT_RADIUS_MAX_M:
        raise MapFilterError(f"radius: from 50 to {ALERT_RADIUS_MAX_M} metres")
    return Area(point, radius_m)


def within(queryset: QuerySet, area: Area) -> QuerySet:
    return queryset.annotate(distance_m=Distance("geom", area.centre)).filter(
        distance_m__lte=area.radius_m
    )


@dataclass(frozen=True)
class QueueFilters:
    registry: str = ""
    category: str = ""
    state: str = "open"  # "open", "all" or one state
    older_than_days: int | None = None
    area: Area | None = None


def queue(registries: list[str], filters: QueueFilters) -> QuerySet:
    """The reports of the registries a staff member handles, oldest waiting first."""
    queryset = Report.objects.filter(category__registry__in=registries).select_related("category")
    if filters.registry:
        queryset = queryset.filter(category__registry=filters.registry)
    if filters.category:
        queryset = queryset.filter(category__code=filters.category)
    if filters.state == "open":
        queryset = queryset.filter(state__in=(ReportState.NEW, *OPEN_STATES))
    elif filters.state != "all":
        queryset = queryset.filter(state=filters.state)
    if filters.older_than_days:
        cutoff = timezone.now() - datetime.timedelta(days=filters.older_than_days)
        queryset = queryset.filter(created_at__lte=cutoff)
    if filters.area is not None:
        queryset = within(queryset, filters.area)
    return queryset.order_by("created_at", "id")


def linked_record(report: Report) -> dict | None:
    """The title and public page of the record a report is about, if it is published."""
    if not report.record_public_id:
        return None
    try:
        registry = registry_get(report.record_registry)
    except LookupError:
        return None
    row = registry_public_queryset(registry).filter(public_id=report.record_public_id).first()
    if row is None:
        return None
    return {
        "registry": registry,
        "title": _title(registry, row),
        "url": record_url(registry, report.record_public_id),
        "public_id": report.record_public_id,
    }


def nearest_records(report: Report, *, count: int = 5) -> list[dict]:
    """The published records of the report's registry nearest to it, with metres."""
    registry = registry_get(report.category.registry)
    rows = by_distance(registry_public_queryset(registry), report.geom)[:count]
    return [
        {
            "title": _title(registry, row),
            "url": record_url(registry, row.public_id),
            "distance_m": round(row.distance_m),
            "public_id": row.public_id,
            "coordinates": _point(row.public_geom),
        }
        for row in rows
    ]


def _point(geom) -> list[float] | None:
    if geom is None:
        return None
    point = geom if geom.geom_type == "Point" else geom.point_on_surface
    return [point.x, point.y]


def _title(registry, row) -> str:
    names = ("name", *registry.title_properties)
    values = {name: getattr(row, registry.properties.get(name, name), None) for name in names}
    return record_title(registry, values)
