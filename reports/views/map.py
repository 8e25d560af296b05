"""The public map's layer of reports: open ones and those fixed lately, as GeoJSON with
what the popup needs (never the reporter). A GeoJSON overlay rather than vector tiles: a
city has hundreds of open reports, not hundreds of thousands of records, and the map's
registry layers (their entries, styles, legend and filters) stay untouched."""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from reports.models import ReportState
from reports.selectors import reports_on_map

MAP_LIMIT = 2000


@require_safe
def map_geojson(request):
    category = request.GET.get("category", "")
    state = request.GET.get("state", "")
    if state and state not in (ReportState.CONFIRMED, ReportState.IN_PROGRESS, ReportState.FIXED):
        return JsonResponse({"error": "state: confirmed, in_progress or fixed"}, status=400)
    features = [
        {
            "type": "Feature",
            "id": report.pk,
            "geometry": {"type": "Point", "coordinates": [report.geom.x, report.geom.y]},
            "properties": {
                "category": report.category.code,
                "category_title": report.category.title,
                "state": report.state,
                "state_title": str(report.get_state_display()),
                "created_at": report.created_at.isoformat(timespec="seconds"),
                "url": reverse("reports:detail", args=[report.pk]),
            },
        }
        for report in reports_on_map(category=category, state=state)[:MAP_LIMIT]
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Content-Type"] = "application/geo+json"
    return response
