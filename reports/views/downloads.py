"""Every public report as a file (CSV and GeoJSON), with the same fields as Open311 and the
map layer's and never the reporter: for the open-data portals and the hromada's own
analysis. Built per request; a city's reports are thousands, not millions."""

import csv
import io
import json

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from reports.selectors import reports_public

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


def _row(report) -> dict:
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


def _reports():
    return reports_public().order_by("id").iterator(chunk_size=500)


def _csv_lines():
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for report in _reports():
        writer.writerow(_row(report))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@require_safe
def download_csv(request):
    response = StreamingHttpResponse(_csv_lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reports.csv"'
    return response


@require_safe
def download_geojson(request):
    features = [
        {
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {k: v for k, v in row.items() if k not in ("id", "lat", "lon")},
        }
        for row in map(_row, _reports())
    ]
    document = {
        "type": "FeatureCollection",
        "license": settings.GEOPORTAL_DATA_LICENSE,
        "features": features,
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type="application/geo+json"
    )
    response["Content-Disposition"] = 'attachment; filename="reports.geojson"'
    return response
