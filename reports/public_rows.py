"""A published report as the public sees it in files and the OGC API: one row, the same
fields everywhere (the downloads' columns; Open311 and the map layer name the same facts in
their own words). Never the reporter's name, email or address hash."""

from django.conf import settings
from django.urls import reverse

COLUMNS = (
    "id",
    "category",
    "service_code",
    "registry",
    "state",
    "lat",
    "lon",
    "description",
    "record_registry",
    "record_public_id",
    "duplicate_of",
    "created_at",
    "published_at",
    "first_response_at",
    "fixed_at",
    "url",
)


def _when(value) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def public_row(report) -> dict:
    """What the public may know of a published report: never the reporter."""
    return {
        "id": report.pk,
        "category": report.category.code,
        "service_code": report.category.service_code,
        "registry": report.category.registry,
        "state": report.state,
        "lat": round(report.geom.y, 6),
        "lon": round(report.geom.x, 6),
        "description": report.description,
        "record_registry": report.record_registry,
        "record_public_id": str(report.record_public_id or ""),
        "duplicate_of": report.duplicate_of_id or "",
        "created_at": _when(report.created_at),
        "published_at": _when(report.published_at),
        "first_response_at": _when(report.first_response_at),
        "fixed_at": _when(report.fixed_at),
        "url": settings.GEOPORTAL_SITE_URL + reverse("reports:detail", args=[report.pk]),
    }
