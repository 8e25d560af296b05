"""The public report routes that write, left out of the permission matrix's read-only walk
(tests/editing/permission_matrix.py, EXCLUDED_PREFIXES): each answers a GET (or, for an
API's POST-or-GET, both), refuses an empty POST with a message and stores nothing, and
answers 405 to every other method."""

import pytest
from django.test import Client

from reports.models import Alert, Report, ReportUpdate
from reports.tokens import CONFIRM_ALERT, CONFIRM_REPORT, UNSUBSCRIBE, token_make
from tests.editing import permission_matrix as matrix
from tests.editing.test_permission_matrix import site_routes
from tests.reports.conftest import public_report

pytestmark = pytest.mark.django_db
PREFIXES = ("reports/new/", "reports/confirm/", "reports/alerts/", "open311/v2/requests.")


def _state():
    return (
        list(Report.objects.values_list("id", "state", "moderation")),
        Alert.objects.count(),
        ReportUpdate.objects.count(),
    )


def _urls(report) -> dict[str, str]:
    alert, stop = token_make(CONFIRM_ALERT, 999), token_make(UNSUBSCRIBE, 999)
    return {
        "reports/new/": "/reports/new/",
        "reports/new/sent/": "/reports/new/sent/",
        "reports/confirm/<str:token>/": f"/reports/confirm/{token_make(CONFIRM_REPORT, 999)}/",
        "reports/alerts/": "/reports/alerts/",
        "reports/alerts/report/<int:report_id>/": f"/reports/alerts/report/{report.pk}/",
        "reports/alerts/confirm/<str:token>/": f"/reports/alerts/confirm/{alert}/",
        "reports/alerts/unsubscribe/<str:token>/": f"/reports/alerts/unsubscribe/{stop}/",
        "open311/v2/requests.<str:suffix>": "/open311/v2/requests.json",
    }


def test_the_excluded_prefixes_are_these():
    for prefix in PREFIXES:
        assert prefix in matrix.EXCLUDED_PREFIXES


def test_each_writing_public_route_refuses_an_empty_post_and_other_methods(world):
    report = public_report(world)
    urls = _urls(report)
    routes = {r for r in site_routes() if r.startswith(PREFIXES)}
    assert routes == set(urls), "a writing public route of reports this test does not check"
    for route, url in urls.items():
        client = Client()
        before = _state()
        get = client.get(url)
        if route == "reports/alerts/report/<int:report_id>/":
            assert get.status_code == 405  # POST only: the form is on the report's page
        else:
            assert get.status_code == 200, url
        if route != "reports/new/sent/":
            assert client.post(url, {}).status_code == 400, url
        for method in ("PUT", "PATCH", "DELETE"):
            assert client.generic(method, url).status_code == 405, (method, url)
        assert _state() == before, url
