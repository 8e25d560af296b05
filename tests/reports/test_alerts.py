"""Following by email (double opt-in, an unsubscribe link in every mail) and the Atom feeds
per category and per area."""

import re

import pytest
from django.contrib.gis.geos import Point
from django.core import mail
from django.test import Client

from reports.models import Alert, ReportState
from reports.services.handling import report_answer
from tests.reports.conftest import REPORTER, REPORTER_EMAIL, centre, public_report

pytestmark = pytest.mark.django_db
FOLLOWER = "follower@example.org"


def _path(message, pattern: str) -> str:
    found = re.search(rf"https?://[^/\s]+({pattern})", message.body)
    assert found, message.body
    return found.group(1)


def _to(address):
    return [m for m in mail.outbox if address in m.to]


def test_an_area_alert_is_confirmed_first_and_stopped_by_its_link(
    world, django_capture_on_commit_callbacks
):
    here = centre()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/alerts/",
            {"email": FOLLOWER, "lat": here.y, "lon": here.x, "radius_m": 300},
        )
    assert response.status_code == 200
    (confirmation,) = _to(FOLLOWER)
    # Nothing but the confirmation before it is confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        public_report(world, category="waste-dump")
    assert len(_to(FOLLOWER)) == 1
    link = _path(confirmation, r"/reports/alerts/confirm/[^/\s]+/")
    assert client.get(link).status_code == 200 and not Alert.objects.get().active
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 200
    assert Alert.objects.get().active
    mail.outbox.clear()
    far = Point(here.x + 0.02, here.y, srid=4326)  # about 1.5 km east
    with django_capture_on_commit_callbacks(execute=True):
        near_report = public_report(world, category="waste-dump", description="Біля мене.")
        public_report(world, category="waste-dump", description="Далеко.", geom=far)
    (news,) = _to(FOLLOWER)
    assert f"/reports/{near_report.pk}/" in news.body and "Біля мене." in news.body
    assert REPORTER not in news.body and REPORTER_EMAIL not in news.body
    stop = _path(news, r"/reports/alerts/unsubscribe/[^/\s]+/")
    assert client.post(stop).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        public_report(world, category="waste-dump")
    assert _to(FOLLOWER) == []


def test_following_a_report_mails_each_change_with_an_unsubscribe_link(
    world, django_capture_on_commit_callbacks
):
    report = public_report(world)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(f"/reports/alerts/report/{report.pk}/", {"email": FOLLOWER}).status_code
            == 200
        )
    client.post(_path(_to(FOLLOWER)[0], r"/reports/alerts/confirm/[^/\s]+/"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_answer(
            report=report,
            user=world.actors.editor,
            state=ReportState.IN_PROGRESS,
            comment="Бригада виїхала.",
        )
    (news,) = _to(FOLLOWER)
    assert "Бригада виїхала." in news.body and "/reports/alerts/unsubscribe/" in news.body
    assert len(_to(REPORTER_EMAIL)) == 1  # the reporter too, without an unsubscribe link


def test_alert_requests_are_checked(world):
    here = centre()
    client = Client()
    cases = [
        {"email": "not-an-address", "lat": here.y, "lon": here.x, "radius_m": 300},
        {"email": FOLLOWER, "lat": here.y, "lon": here.x, "radius_m": 99999},
        {"email": FOLLOWER, "lat": 50.45, "lon": 30.52, "radius_m": 300},
        {"email": FOLLOWER, "lat": here.y, "lon": here.x, "radius_m": 300, "website": "x"},
    ]
    for data in cases:
        assert client.post("/en/reports/alerts/", data).status_code == 400, data
    assert client.post("/reports/alerts/report/999999/", {"email": FOLLOWER}).status_code == 404
    assert client.post("/reports/alerts/confirm/forged/").status_code == 400
    assert client.post("/reports/alerts/unsubscribe/forged/").status_code == 400
    assert not Alert.objects.exists()


def test_atom_feeds_per_category_and_area_hold_public_reports_only(world):
    here = centre()
    shown = public_report(world, category="tree-hazardous", description="Видно.")
    far = public_report(
        world,
        category="tree-hazardous",
        description="Далеко.",
        geom=Point(here.x + 0.03, here.y, srid=4326),
    )
    from reports.services.submit import report_submit

    report_submit(category_code="tree-hazardous", geom=here, description="Не модеровано.")
    client = Client()
    feed = client.get("/reports/feeds/tree-hazardous.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert f"/reports/{shown.pk}/" in body and f"/reports/{far.pk}/" in body
    assert "Не модеровано." not in body and REPORTER not in body and REPORTER_EMAIL not in body
    area = client.get("/reports/feeds/area.atom", {"near": f"{here.y},{here.x}", "radius": 500})
    assert f"/reports/{shown.pk}/" in area.content.decode()
    assert f"/reports/{far.pk}/" not in area.content.decode()
    assert client.get("/reports/feeds/area.atom", {"near": "x", "radius": 5}).status_code == 400
    assert client.get("/reports/feeds/nothing.atom").status_code == 404


def test_a_settlement_alert_hears_of_reports_inside_its_polygon(
    world, django_capture_on_commit_callbacks
):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from sdg.models import Settlement

    here = centre()
    square = Polygon.from_bbox((here.x - 0.01, here.y - 0.01, here.x + 0.01, here.y + 0.01))
    village = Settlement.objects.create(
        key="test-village",
        name_uk="Тестове",
        name_en="Testove",
        geom=MultiPolygon(square, srid=4326),
        source="test",
    )
    client = Client()
    page = client.get("/reports/alerts/").content.decode()
    assert 'value="test-village"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/alerts/", {"email": FOLLOWER, "settlement": village.key})
    assert response.status_code == 200
    (confirmation,) = _to(FOLLOWER)
    assert "Тестове" in confirmation.body
    client.post(_path(confirmation, r"/reports/alerts/confirm/[^/\s]+/"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        inside = public_report(world, category="waste-dump", description="У селі.")
        public_report(
            world,
            category="waste-dump",
            description="Поза селом.",
            geom=Point(here.x + 0.05, here.y, srid=4326),
        )
    (news,) = _to(FOLLOWER)
    assert f"/reports/{inside.pk}/" in news.body and "/reports/alerts/unsubscribe/" in news.body
    # Neither a settlement nor a whole circle: refused, nothing stored.
    assert client.post("/en/reports/alerts/", {"email": FOLLOWER, "lat": here.y}).status_code == 400
    assert Alert.objects.count() == 1
