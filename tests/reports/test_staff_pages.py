"""The staff's report pages: the queue shows the reports of the registries a person has a
role in, with its filters; a report's page beside the nearest records; moderation, answers
and a change of the record through the pages, refused with a message and nothing changed."""

import datetime
import re

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import timezone

from layers.editing import services
from layers.editing.models import ChangeRequest, Role
from layers.registry import registry_get
from reports.models import Moderation, Report, ReportState
from reports.services.submit import RecordLink, report_submit
from tests.editing.conftest import PASSWORD
from tests.reports.conftest import REPORTER_EMAIL, centre, public_report

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _tree_keeper(world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("arborist", password=PASSWORD, is_staff=True)
    services.role_grant(user=user, registry=registry_get("trees"), role=Role.EDITOR)
    return user


def test_the_queue_shows_only_the_registries_of_the_person_and_filters(world):
    tree = public_report(world, category="tree-hazardous")
    ramp = public_report(world, category="accessibility-ramp")
    old = public_report(world, category="tree-fallen", state=ReportState.FIXED)
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    arborist = _client(_tree_keeper(world))
    page = arborist.get("/edit/reports/").content.decode()
    assert f"/edit/reports/{tree.pk}/" in page and f"/edit/reports/{ramp.pk}/" not in page
    assert f"/edit/reports/{old.pk}/" not in page  # fixed is not open
    assert arborist.get(f"/edit/reports/{ramp.pk}/").status_code == 404
    every = _client(world.actors.administrator)

    def listed(**params):
        body = every.get("/edit/reports/", params).content.decode()
        return {r.pk for r in (tree, ramp, old) if f"/edit/reports/{r.pk}/" in body}

    assert listed() == {tree.pk, ramp.pk}
    assert listed(state="all") == {tree.pk, ramp.pk, old.pk}
    assert listed(state="fixed") == {old.pk}
    assert listed(registry="accessibility") == {ramp.pk}
    assert listed(category="tree-hazardous") == {tree.pk}
    assert listed(state="all", older_than_days=30) == {old.pk}
    here = centre()
    assert listed(near=f"{here.y},{here.x}", radius=200) == {tree.pk, ramp.pk}
    assert listed(near=f"{here.y},{here.x + 0.05}", radius=200) == set()
    assert every.get("/edit/reports/", {"near": "nowhere"}).status_code == 400
    assert _client(world.actors.outsider).get("/edit/reports/").status_code == 403
    assert Client().get("/edit/reports/").status_code == 302


def test_a_report_is_moderated_answered_and_its_record_changed_through_the_pages(world):
    report = report_submit(
        category_code="accessibility-lift",
        geom=world.ramp.geom,
        description="Ліфт не працює. Мій телефон 067 000 00 00.",
        email=REPORTER_EMAIL,
        record=RecordLink("accessibility", str(world.ramp.public_id)),
    )
    Report.objects.filter(pk=report.pk).update(state=ReportState.CONFIRMED)
    reviewer, editor = _client(world.actors.reviewer), _client(world.actors.editor)
    page = reviewer.get(f"/edit/reports/{report.pk}/").content.decode()
    assert REPORTER_EMAIL in page  # staff may write back
    assert world.ramp.name in page  # the nearest records, the record itself among them
    url = f"/edit/reports/{report.pk}/"
    # An editor answers but does not moderate.
    assert (
        editor.post(url + "moderate/", {"decision": "publish", "description": "x"}).status_code
        == 403
    )
    refused = reviewer.post(url + "moderate/", {"decision": "maybe", "description": "x"})
    assert refused.status_code == 400
    ok = reviewer.post(url + "moderate/", {"decision": "publish", "description": "Ліфт не працює."})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.moderation == Moderation.PUBLISHED and "067" not in report.description
    assert editor.post(url + "answer/", {"state": "fixed", "comment": ""}).status_code == 400
    assert editor.post(url + "answer/", {"state": "duplicate", "comment": "Так"}).status_code == 400
    report.refresh_from_db()
    assert report.state == ReportState.CONFIRMED
    ok = editor.post(url + "answer/", {"state": "in_progress", "comment": "Викликали ліфтерів."})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.IN_PROGRESS
    assert (
        editor.post(url + "change/", {"field": "nothing", "value": "1", "comment": "x"}).status_code
        == 400
    )
    ok = editor.post(
        url + "change/",
        {"field": "lift_working", "value": "false", "comment": "Ліфт позначено як несправний."},
    )
    assert ok.status_code == 302, ok.content.decode()[:500]
    report.refresh_from_db()
    change = ChangeRequest.objects.get(pk=report.change_request_id)
    assert change.payload == {"lift_working": False} and change.author == world.actors.editor
    public = Client().get(f"/reports/{report.pk}/").content.decode()
    assert "Ліфт позначено як несправний." in public
    assert Client().post(url + "answer/", {"state": "fixed", "comment": "x"}).status_code == 302


def test_the_nearest_records_and_the_map_are_on_the_page(world):
    far = Point(world.ramp.geom.x + 0.001, world.ramp.geom.y, srid=4326)
    report = public_report(world, category="accessibility-barrier", geom=far)
    page = _client(world.actors.reviewer).get(f"/edit/reports/{report.pk}/").content.decode()
    assert 'id="report-detail-map"' in page and 'id="report-nearest"' in page
    assert world.ramp.name in page
    assert re.search(r"— \d+ (m|м)</li>", page), "the distance to the nearest record"
