"""Citizen reports as the OGC API – Features collection ``reports`` (a simple collection:
``layers/ogcapi/simple.py`` says why reports are not a registry entry).

The same reports and the same fields as the downloads: the set is ``reports_public()``
(published by a moderator, confirmed by the reporter; never the reporter's name, email or
address hash, never a photo) and each feature is the downloads' row, with the category's
title and the last change added as the map layer's popup has them. The feature id is the
report's number, as its public page ``/reports/<id>/`` has it.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layers.ogcapi.queryables import Queryable
from layers.ogcapi.simple import SimpleCollection
from reports.models import Report, ReportCategory
from reports.public_rows import public_row
from reports.selectors import reports_public, reports_public_stamp

COLLECTION_ID = "reports"
COLUMNS = ("category_title", "state", "registry", "created_at", "fixed_at")


def report_feature(report: Report) -> dict:
    """One public report as a GeoJSON Feature: the downloads' row, its lon/lat as the point."""
    row = public_row(report)
    properties = {key: value for key, value in row.items() if key not in ("id", "lat", "lon")}
    properties["category_title"] = report.category.title
    properties["updated_at"] = report.updated_at.isoformat(timespec="seconds")
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
        "properties": properties,
    }


def _queryables() -> tuple[Queryable, ...]:
    return (
        Queryable("category", "category__code", ReportCategory._meta.get_field("code")),
        Queryable("state", "state", Report._meta.get_field("state")),
    )


def _downloads() -> list[dict]:
    return [
        {
            "href": reverse("reports:download-geojson"),
            "title": "GeoJSON",
            "type": "application/geo+json",
        },
        {"href": reverse("reports:download-csv"), "title": "CSV", "type": "text/csv"},
    ]


def reports_collection() -> SimpleCollection:
    """Declared in ``GEOPORTAL_OGC_COLLECTIONS``."""
    return SimpleCollection(
        id=COLLECTION_ID,
        title=_("Citizen reports"),
        description=_(
            "Published reports of residents about problems (barriers, dangerous trees, "
            "overflowing sites, damaged monuments): category, place, description, state and "
            "the dates of the city's answer. No personal data."
        ),
        queryset=reports_public,
        feature=report_feature,
        geometry_attribute="geom",
        temporal="created_at",
        queryables=_queryables,
        stamp=reports_public_stamp,
        downloads=_downloads,
        columns=COLUMNS,
    )
