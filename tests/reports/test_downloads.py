"""Every public report as CSV and GeoJSON: the public ones only, their public fields."""

import csv
import io

import pytest
from django.test import Client

from reports.services.submit import report_submit
from reports.views.downloads import COLUMNS
from tests.reports.conftest import centre, public_report

pytestmark = pytest.mark.django_db


def test_csv_and_geojson_hold_every_public_report_and_nothing_else(world):
    fixed = public_report(world, category="tree-fallen", state="fixed")
    open_ = public_report(world, category="waste-dump")
    report_submit(category_code="waste-dump", geom=centre(), description="Не модеровано.")
    response = Client().get("/reports/download/reports.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert tuple(rows[0]) == COLUMNS
    assert [int(r["id"]) for r in rows] == [fixed.pk, open_.pk]
    assert rows[0]["state"] == "fixed" and rows[0]["fixed_at"]
    assert rows[0]["url"].endswith(f"/reports/{fixed.pk}/")
    document = Client().get("/reports/download/reports.geojson").json()
    assert document["type"] == "FeatureCollection" and document["license"]
    assert [f["id"] for f in document["features"]] == [fixed.pk, open_.pk]
    assert set(document["features"][0]["properties"]) == set(COLUMNS) - {"id", "lat", "lon"}
    assert Client().post("/reports/download/reports.csv").status_code == 405
