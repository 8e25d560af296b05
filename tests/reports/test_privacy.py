"""The reporter's name and email never appear on a public endpoint: every public route of
reports (checked against the URL configuration, so a new one cannot be forgotten) in every
format — pages in both languages, GeoJSON, Atom, Open311 JSON and XML, the OGC API
collection — is fetched for reports in every public state, with photos, updates, a linked
record and a duplicate."""

import pytest
from django.test import Client

from reports.models import ReportState
from reports.services.handling import report_answer
from reports.services.submit import RecordLink
from reports.tokens import CONFIRM_ALERT, CONFIRM_REPORT, UNSUBSCRIBE, token_make
from tests.editing.test_permission_matrix import site_routes
from tests.reports.conftest import REPORTER, REPORTER_EMAIL, centre, photo_upload, public_report

pytestmark = pytest.mark.django_db
SECRETS = (REPORTER, REPORTER_EMAIL, "olena.reporter", "Петренко")


def _public_routes() -> set[str]:
    return {r for r in site_routes() if r.startswith(("reports/", "open311/"))}


def _urls(world, reports) -> dict[str, list[str]]:
    fixed = reports[0]
    photo = fixed.photos.first()
    here = centre()
    near = f"near={here.y},{here.x}&radius=2000"
    ids = [r.pk for r in reports]
    return {
        "reports/": ["/reports/", "/reports/?state=fixed", "/reports/?category=tree-fallen"],
        "reports/new/": [
            "/reports/new/",
            f"/reports/new/?registry=accessibility&record={world.ramp.public_id}",
        ],
        "reports/new/sent/": ["/reports/new/sent/", "/reports/new/sent/?confirm=1"],
        "reports/confirm/<str:token>/": [f"/reports/confirm/{token_make(CONFIRM_REPORT, ids[0])}/"],
        "reports/map.geojson": ["/reports/map.geojson", "/reports/map.geojson?state=fixed"],
        "reports/figures/": ["/reports/figures/"],
        "reports/download/reports.csv": ["/reports/download/reports.csv"],
        "reports/download/reports.geojson": ["/reports/download/reports.geojson"],
        "reports/<int:report_id>/": [f"/reports/{pk}/" for pk in ids],
        "reports/<int:report_id>/photos/<int:photo_id>/<str:size>.jpg": [
            f"/reports/{fixed.pk}/photos/{photo.pk}/thumb.jpg"
        ],
        "reports/feeds/area.atom": [f"/reports/feeds/area.atom?{near}"],
        "reports/feeds/<slug:code>.atom": [
            "/reports/feeds/tree-fallen.atom",
            "/reports/feeds/accessibility-ramp.atom",
        ],
        "reports/alerts/": ["/reports/alerts/"],
        "reports/alerts/report/<int:report_id>/": [],  # POST only: a form on the report's page
        "reports/alerts/confirm/<str:token>/": [
            f"/reports/alerts/confirm/{token_make(CONFIRM_ALERT, 1)}/"
        ],
        "reports/alerts/unsubscribe/<str:token>/": [
            f"/reports/alerts/unsubscribe/{token_make(UNSUBSCRIBE, 1)}/"
        ],
        "open311/discovery.<str:suffix>": ["/open311/discovery.json", "/open311/discovery.xml"],
        "open311/v2/services.<str:suffix>": [
            "/open311/v2/services.json",
            "/open311/v2/services.xml",
        ],
        "open311/v2/services/<slug:code>.<str:suffix>": [
            "/open311/v2/services/tree-fallen.json",
            "/open311/v2/services/tree-fallen.xml",
        ],
        "open311/v2/requests.<str:suffix>": [
            "/open311/v2/requests.json",
            "/open311/v2/requests.xml",
            "/open311/v2/requests.json?status=closed",
        ],
        "open311/v2/requests/<int:report_id>.<str:suffix>": [
            url
            for pk in ids
            for url in (f"/open311/v2/requests/{pk}.json", f"/open311/v2/requests/{pk}.xml")
        ],
    }


def test_no_public_endpoint_shows_the_reporter(world):
    fixed = public_report(
        world,
        category="accessibility-ramp",
        state=ReportState.FIXED,
        photos=[photo_upload()],
        record=RecordLink("accessibility", str(world.ramp.public_id)),
    )
    progress = public_report(world, category="tree-fallen", state=ReportState.IN_PROGRESS)
    duplicate = public_report(world, category="tree-fallen")
    report_answer(
        report=duplicate,
        user=world.actors.editor,
        state=ReportState.DUPLICATE,
        comment="Дубль.",
        duplicate_of=progress,
    )
    urls = _urls(world, (fixed, progress, duplicate))
    assert set(urls) == _public_routes(), "a public route of reports this test does not walk"
    client = Client()
    fetched = 0
    for route, paths in urls.items():
        for path in paths:
            for prefix in ("", "/en") if path.startswith("/reports/") else ("",):
                response = client.get(prefix + path)
                assert response.status_code == 200, (prefix + path, response.status_code)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                if route.endswith(".jpg"):
                    continue
                text = body.decode()
                for secret in SECRETS:
                    assert secret not in text, (prefix + path, secret)
                fetched += 1
    assert fetched > 40
    # The OGC API collection of reports (its routes are the OGC API's, under /ogc/).
    for path in _ogc_urls(fixed):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        text = response.content.decode()
        if "/items" in path:  # the report itself is there: its page, or its public page
            assert f"items/{fixed.pk}?" in text or f"/reports/{fixed.pk}/" in text, path
        for secret in SECRETS:
            assert secret not in text, (path, secret)


def _ogc_urls(report) -> list[str]:
    items = "/ogc/collections/reports/items"
    return [
        "/ogc/collections?f=json",
        "/ogc/collections?f=html",
        "/ogc/collections/reports?f=json",
        "/ogc/collections/reports?f=html",
        f"{items}?f=json",
        f"{items}?f=html",
        f"{items}?f=json&limit=1",
        f"{items}/{report.pk}?f=json",
        f"{items}/{report.pk}?f=html",
        "/ogc/collections/reports/queryables?f=json",
        "/ogc/collections/reports/queryables?f=html",
    ]
