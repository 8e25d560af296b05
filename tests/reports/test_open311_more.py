"""Open311 GeoReport v2, the rest of issue 19: Service Discovery at /open311/discovery.*,
the ``api_key`` of a POST (the portal's personal API tokens), the service definitions, and
that no input makes a POST answer 500 or store anything."""

import dataclasses
import datetime

import pytest
from defusedxml import ElementTree
from django.test import Client, override_settings

from layers.editing.services import api_token_issue
from layers.hromada import hromada_profile
from reports.models import Report, ReportCategory, ReportState
from tests.reports.conftest import centre

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
DISCOVERY_FIELDS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_FIELDS = {"specification", "url", "changeset", "type", "formats"}


def _is_error(documents, code):
    assert isinstance(documents, list) and documents
    for error in documents:
        assert set(error) == {"code", "description"} and error["code"] == code
        assert error["description"]


def _post(data, **headers):
    point = centre()
    body = {
        "service_code": "waste-overflowing",
        "lat": point.y,
        "long": point.x,
        "description": "Переповнено.",
        "email": "app@example.org",
        **data,
    }
    return Client(**headers).post(BASE + "/requests.json", body)


# Service Discovery


def test_discovery_in_json_names_this_endpoint_absolutely(world):
    response = Client().get("/open311/discovery.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    assert set(document) == DISCOVERY_FIELDS
    (endpoint,) = document["endpoints"]
    assert set(endpoint) == ENDPOINT_FIELDS
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    # The changeset: a W3C date and time, the same for the endpoint (its only one).
    assert datetime.datetime.fromisoformat(document["changeset"]).tzinfo is not None
    assert endpoint["changeset"] == document["changeset"]
    assert "http://testserver/edit/api-token/" in document["key_service"]
    # No open-data address in the test profile: the portal's home is the contact.
    assert document["contact"].endswith("http://testserver/")
    # A client appends the resource to the endpoint's url.
    services = Client().get(endpoint["url"].removeprefix("http://testserver") + "/services.json")
    assert services.status_code == 200 and services.json()


def test_discovery_in_xml_has_the_specification_element_names(world):
    response = Client().get("/open311/discovery.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint,) = root.find("endpoints")
    assert endpoint.tag == "endpoint"
    assert {child.tag for child in endpoint} == ENDPOINT_FIELDS
    assert endpoint.find("url").text == "http://testserver/open311/v2"
    assert endpoint.find("type").text == "production"
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
    assert {f.tag for f in endpoint.find("formats")} == {"format"}


def test_discovery_contact_is_the_hromada_open_data_address(world, monkeypatch):
    profile = dataclasses.replace(hromada_profile(), open_data_email="opendata@city.example")
    monkeypatch.setattr("reports.views.open311.hromada_profile", lambda: profile)
    document = Client().get("/open311/discovery.json").json()
    assert "opendata@city.example" in document["contact"]


def test_discovery_changeset_moves_with_an_admin_change_of_a_category(world):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    before = Client().get("/open311/discovery.json").json()["changeset"]
    category = ReportCategory.objects.get(code="waste-dump")
    entry = LogEntry.objects.create(
        user=world.actors.administrator,
        content_type=ContentType.objects.get_for_model(ReportCategory),
        object_id=str(category.pk),
        object_repr=str(category),
        action_flag=CHANGE,
    )
    LogEntry.objects.filter(pk=entry.pk).update(
        action_time=datetime.datetime(2099, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )
    after = Client().get("/open311/discovery.json").json()["changeset"]
    assert after != before and after == "2099-01-02T03:04:05Z"


def test_discovery_other_formats_and_methods(world):
    assert Client().get("/open311/discovery.txt").status_code == 404
    assert Client().post("/open311/discovery.json").status_code == 405


# Service definitions


def test_every_service_has_a_definition_without_attributes(world):
    services = Client().get(BASE + "/services.json").json()
    assert services
    for service in services:
        assert service["metadata"] is False
        code = service["service_code"]
        definition = Client().get(f"{BASE}/services/{code}.json")
        assert definition.status_code == 200
        assert definition.json() == {"service_code": code, "attributes": []}
        root = ElementTree.fromstring(Client().get(f"{BASE}/services/{code}.xml").content)
        assert root.tag == "service_definition"
        assert root.find("service_code").text == code
        assert root.find("attributes") is not None and len(root.find("attributes")) == 0
    inactive = ReportCategory.objects.get(code="waste-dump")
    inactive.active = False
    inactive.save()
    gone = Client().get(f"{BASE}/services/{inactive.service_code}.json")
    assert gone.status_code == 404
    _is_error(gone.json(), 404)


# api_key


def test_a_post_with_a_valid_api_key_is_taken_and_counted_by_the_key(world):
    key = api_token_issue(user=world.actors.editor)
    with override_settings(GEOPORTAL_REPORTS_PER_ADDRESS_HOUR=1):
        first = _post({"api_key": key}, REMOTE_ADDR="192.0.2.7")
        assert first.status_code == 200, first.content
        report = Report.objects.get(pk=int(first.json()[0]["service_request_id"]))
        # Still the public way: the reporter confirms the address, a moderator publishes.
        assert report.state == ReportState.NEW and not report.is_public
        # The hourly limit counts this key, not the address it came from ...
        again = _post({"api_key": key, "email": "b@example.org"}, REMOTE_ADDR="192.0.2.8")
        assert again.status_code == 429
        _is_error(again.json(), 429)
        # ... and the address's own count is apart from the key's.
        public = _post({"email": "c@example.org"}, REMOTE_ADDR="192.0.2.7")
        assert public.status_code == 200, public.content
    assert Report.objects.count() == 2


@pytest.mark.parametrize(
    "key",
    ["0" * 40, "not-a-key", "x" * 5000, "revoked", "inactive"],
)
def test_a_post_with_an_invalid_api_key_is_refused_with_403(world, key):
    from layers.editing.services import api_token_revoke

    if key == "revoked":
        key = api_token_issue(user=world.actors.editor)
        api_token_revoke(user=world.actors.editor)
    elif key == "inactive":
        key = api_token_issue(user=world.actors.reviewer)
        world.actors.reviewer.is_active = False
        world.actors.reviewer.save()
    response = _post({"api_key": key})
    assert response.status_code == 403
    _is_error(response.json(), 403)
    point = centre()
    xml = Client().post(
        BASE + "/requests.xml",
        {"service_code": "waste-dump", "lat": point.y, "long": point.x, "api_key": key},
    )
    assert xml.status_code == 403
    root = ElementTree.fromstring(xml.content)
    assert root.tag == "errors" and root[0].find("code").text == "403"
    assert root[0].find("description").text == "api_key is not valid"
    assert not Report.objects.exists()


def test_a_post_without_api_key_is_the_public_way(world):
    response = _post({})
    assert response.status_code == 200, response.content
    (report,) = Report.objects.all()
    assert report.state == ReportState.NEW and report.reporter_email == "app@example.org"


# No input makes a 500, nothing is stored


HUGE = "9" * 400


@pytest.mark.parametrize(
    "changes",
    [
        {"lat": "nan"},
        {"lat": "inf", "long": "-inf"},
        {"lat": "1e308"},
        {"lat": "91"},
        {"long": "-180.5"},
        {"lat": HUGE, "long": HUGE},
        {"lat": "50,4", "long": "30,5"},
        {"lat": "", "long": "", "address_string": "вул. Соборна, 1"},
        {"service_code": ""},
        {"service_code": "x" * 10_000},
        {"service_code": "waste\x00dump"},
        {"description": "опис\x00"},
        {"description": "я" * 100_000},
        {"description": ""},
        {"email": "not an address"},
        {"email": "a@" + "b" * 300 + ".org"},
        {"first_name": "І" * 5000},
        {"api_key": "\x00"},
        {"media_url": "file:///etc/passwd"},
        {"jurisdiction_id": "\x00"},
    ],
    ids=lambda changes: ",".join(f"{k}={v[:12]!r}" for k, v in changes.items()),
)
def test_fuzzed_posts_are_refused_with_an_error_document(world, changes):
    response = _post(changes)
    assert 400 <= response.status_code < 500, response.content[:300]
    if any("\x00" in value for value in changes.values()):
        # Refused before any view by the portal's one guard (layers.inputs), in its form.
        assert response.status_code == 400 and "NUL" in response.json()["error"]
    else:
        _is_error(response.json(), response.status_code)
    assert not Report.objects.exists()


def test_bodies_that_are_not_a_form_are_refused(world):
    client = Client()
    as_json = client.post(
        BASE + "/requests.json", '{"service_code": "waste-dump"}', content_type="application/json"
    )
    assert as_json.status_code == 400
    _is_error(as_json.json(), 400)
    broken = client.post(
        BASE + "/requests.xml",
        b"--x\r\nContent-Disposition: form-data; name=\r\n\r\n",
        content_type="multipart/form-data; boundary=x",
    )
    assert 400 <= broken.status_code < 500
    too_big = client.post(BASE + "/requests.json", {"description": "я" * 3_000_000})
    assert too_big.status_code == 400
    assert not Report.objects.exists()


def test_get_filters_that_name_nothing_are_empty_or_refused(world):
    assert Client().get(BASE + "/requests.json", {"service_code": "x" * 5000}).json() == []
    for bad in ({"service_request_id": "9" * 40}, {"end_date": "2026-13-45"}):
        response = Client().get(BASE + "/requests.json", bad)
        assert response.status_code == 400, bad
        _is_error(response.json(), 400)
