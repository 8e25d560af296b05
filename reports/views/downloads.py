"""Every public report as a file (CSV and GeoJSON), with the same fields as Open311 and the
map layer's and never the reporter: for the open-data portals and the hromada's own
analysis. Built per request; a city's reports are thousands, not millions."""

import csv
import io
import json

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from reports.public_rows import COLUMNS, public_row
from reports.selectors import reports_public


def _reports():
    return reports_public().order_by("id").iterator(chunk_size=500)


def _csv_lines():
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for report in _reports():
        writer.writerow(public_row(report))
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
        for row in map(public_row, _reports())
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
