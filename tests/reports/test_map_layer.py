"""The public map's layer of reports: open ones and those fixed in the last 30 days, as
GeoJSON, filtered by category and state; nothing unpublished."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from reports.models import Report
from reports.services.submit import report_submit
from tests.reports.conftest import centre, public_report

pytestmark = pytest.mark.django_db


def _ids(**params):
    response = Client().get("/reports/map.geojson", params)
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    return {feature["id"] for feature in response.json()["features"]}


def test_open_and_recently_fixed_reports_only(world):
    open_ = public_report(world, category="tree-hazardous")
    fixed = public_report(world, category="tree-fallen", state="fixed")
    old = public_report(world, category="tree-fallen", state="fixed")
    Report.objects.filter(pk=old.pk).update(fixed_at=timezone.now() - datetime.timedelta(days=31))
    closed = public_report(world, category="tree-fallen", state="closed")
    report_submit(category_code="tree-fallen", geom=centre(), description="Не модеровано.")
    assert _ids() == {open_.pk, fixed.pk}
    assert _ids(state="fixed") == {fixed.pk}
    assert _ids(category="tree-hazardous") == {open_.pk}
    assert closed.pk not in _ids()
    feature = Client().get("/reports/map.geojson").json()["features"][0]
    assert set(feature["properties"]) == {
        "category",
        "category_title",
        "state",
        "state_title",
        "created_at",
        "url",
    }
    assert Client().get("/reports/map.geojson", {"state": "new"}).status_code == 400
