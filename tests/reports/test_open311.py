"""Open311 GeoReport v2 at /open311/v2/: the documents carry the specification's fields
(JSON and XML, its element names), the GET filters work, a POST creates a report the web
form's way, and every error is in the specification's error form."""

import datetime

import pytest
from defusedxml import ElementTree
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from reports.models import Report, ReportState
from tests.reports.conftest import REPORTER, REPORTER_EMAIL, centre, public_report

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
# GeoReport v2: the fields of a service (GET Service List) and of a service request (GET
# Service Requests), and of the answer to POST Service Request.
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
CREATED_FIELDS = {"service_request_id", "service_notice", "account_id"}


def _json(path, **params):
    response = Client().get(BASE + path, params)
    return response.status_code, response.json()


def _xml(path, **params):
    response = Client().get(BASE + path, params)
    assert response["Content-Type"].startswith("text/xml")
    return response.status_code, ElementTree.fromstring(response.content)


def _is_error(documents, code):
    assert isinstance(documents, list) and documents
    for error in documents:
        assert set(error) == {"code", "description"} and error["code"] == code
        assert error["description"]


def test_services_one_per_category_in_json_and_xml(world):
    status, services = _json("/services.json")
    assert status == 200
    assert {s["service_code"] for s in services} >= {"accessibility-ramp", "tree-hazardous"}
    for service in services:
        assert set(service) == SERVICE_FIELDS
        assert service["metadata"] is False and service["type"] == "realtime"
    status, root = _xml("/services.xml")
    assert root.tag == "services" and {child.tag for child in root} == {"service"}
    assert {field.tag for field in root[0]} == SERVICE_FIELDS
    status, definition = _json("/services/tree-hazardous.json")
    assert definition == {"service_code": "tree-hazardous", "attributes": []}
    status, root = _xml("/services/tree-hazardous.xml")
    assert root.tag == "service_definition"
    status, error = _json("/services/nothing.json")
    assert status == 404
    _is_error(error, 404)
    status, root = _xml("/services/nothing.xml")
    assert root.tag == "errors" and root[0].tag == "error" and root[0].find("code").text == "404"
    assert Client().get(BASE + "/services.txt").status_code == 404


def test_requests_carry_the_specification_fields_and_never_the_reporter(world):
    fixed = public_report(world, category="tree-hazardous", state=ReportState.FIXED)
    open_ = public_report(world, category="waste-dump", state=ReportState.IN_PROGRESS)
    Report.objects.create(category=open_.category, geom=centre(), description="прихований")
    status, requests = _json("/requests.json")
    assert status == 200
    assert {r["service_request_id"] for r in requests} == {str(fixed.pk), str(open_.pk)}
    for request in requests:
        assert set(request) == REQUEST_FIELDS
        assert isinstance(request["lat"], float) and isinstance(request["long"], float)
        assert REPORTER not in str(request) and REPORTER_EMAIL not in str(request)
    by_id = {r["service_request_id"]: r for r in requests}
    assert by_id[str(fixed.pk)]["status"] == "closed"
    assert by_id[str(fixed.pk)]["status_notes"] == "Стан: fixed"
    assert by_id[str(open_.pk)]["status"] == "open"
    assert by_id[str(open_.pk)]["service_code"] == "waste-dump"
    assert datetime.datetime.fromisoformat(by_id[str(open_.pk)]["requested_datetime"])
    # The filters of the specification.
    assert [r["service_request_id"] for r in _json("/requests.json", status="open")[1]] == [
        str(open_.pk)
    ]
    closed = _json("/requests.json", status="closed", service_code="tree-hazardous")[1]
    assert [r["service_request_id"] for r in closed] == [str(fixed.pk)]
    picked = _json("/requests.json", service_request_id=f"{fixed.pk},{open_.pk + 99}")[1]
    assert [r["service_request_id"] for r in picked] == [str(fixed.pk)]
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert _json("/requests.json", start_date=tomorrow)[1] == []
    assert len(_json("/requests.json", end_date=tomorrow)[1]) == 2
    for bad in ({"start_date": "yesterday"}, {"status": "pending"}, {"service_request_id": "x"}):
        status, error = _json("/requests.json", **bad)
        assert status == 400, bad
        _is_error(error, 400)
    # One request, and XML.
    status, one = _json(f"/requests/{fixed.pk}.json")
    assert status == 200 and len(one) == 1 and one[0]["service_request_id"] == str(fixed.pk)
    status, root = _xml(f"/requests/{fixed.pk}.xml")
    assert root.tag == "service_requests" and root[0].tag == "request"
    assert {field.tag for field in root[0]} == REQUEST_FIELDS
    hidden = Report.objects.get(description="прихований")
    status, error = _json(f"/requests/{hidden.pk}.json")
    assert status == 404
    _is_error(error, 404)


def test_post_creates_a_report_that_waits_for_confirmation(
    world, django_capture_on_commit_callbacks
):
    point = centre()
    data = {
        "service_code": "tree-hazardous",
        "lat": point.y,
        "long": point.x,
        "description": "Сухе дерево нахилилося над зупинкою.",
        "email": "app-user@example.org",
        "first_name": "Іван",
        "last_name": "Коваль",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(BASE + "/requests.json", data)
    assert response.status_code == 200, response.content
    (created,) = response.json()
    assert set(created) == CREATED_FIELDS
    report = Report.objects.get(pk=int(created["service_request_id"]))
    assert report.reporter_name == "Іван Коваль" and report.state == ReportState.NEW
    assert [m.to for m in mail.outbox] == [["app-user@example.org"]]
    # Not listed before it is confirmed and published.
    assert _json("/requests.json")[1] == []
    xml = Client().post(BASE + "/requests.xml", {**data, "email": "other@example.org"})
    root = ElementTree.fromstring(xml.content)
    assert root.tag == "service_requests" and root[0].find("service_request_id").text


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"service_code": "nothing"}, 404),
        ({"lat": ""}, 400),
        ({"lat": "50.45", "long": "30.52"}, 400),  # outside the hromada
        ({"media_url": "http://169.254.169.254/latest/meta-data"}, 400),
        ({"description": "я" * 2001}, 400),
        ({"email": ""}, 400),  # the category needs an address
    ],
    ids=["unknown-service", "no-lat", "outside", "media-url", "long-text", "no-email"],
)
def test_a_refused_post_is_an_error_document_and_stores_nothing(world, changes, status):
    point = centre()
    data = {
        "service_code": "waste-overflowing",
        "lat": point.y,
        "long": point.x,
        "description": "Переповнено.",
        "email": "app@example.org",
        **changes,
    }
    response = Client().post(BASE + "/requests.json", data)
    assert response.status_code == status, response.content
    _is_error(response.json(), status)
    assert not Report.objects.exists()


@override_settings(GEOPORTAL_REPORTS_PER_ADDRESS_HOUR=1)
def test_the_rate_limit_applies_to_open311_too(world):
    point = centre()
    data = {"service_code": "waste-dump", "lat": point.y, "long": point.x, "description": "Є."}
    client = Client(REMOTE_ADDR="192.0.2.50")
    assert client.post(BASE + "/requests.json", data).status_code == 200
    refused = client.post(BASE + "/requests.json", data)
    assert refused.status_code == 429
    _is_error(refused.json(), 429)
    assert Report.objects.count() == 1
