"""Abuse resistance without third-party services: the honeypot and the rate limits (per
address — the one the login throttle counts, so a client's X-Forwarded-For counts for
nothing without the proxy — and per email) refuse with a clear message and store nothing;
hostile photos, oversized text, too many photos, a place outside the hromada are refused."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings

from reports.models import Report, ReportPhoto
from tests.layers.test_photos import png_header, upload
from tests.reports.conftest import centre, photo_upload

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    point = centre()
    return {
        "category": "waste-overflowing",
        "description": "Майданчик переповнений третій день.",
        "lat": point.y,
        "lon": point.x,
        "email": "resident@example.org",
        **changes,
    }


def _media() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _post(client, data, **extra):
    # In English: the Ukrainian catalogue is merged after the issue (tests/reports/ reads
    # the English words of the messages it checks).
    return client.post("/en/reports/new/", data, **extra)


def _nothing_stored(before_media) -> None:
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()
    assert _media() == before_media
    assert mail.outbox == []


def test_the_honeypot_refuses_with_a_message_and_stores_nothing(world):
    before = _media()
    response = _post(Client(), _form(website="http://spam.example", photos=[photo_upload()]))
    assert response.status_code == 400
    assert "a field meant to stay empty was filled" in response.content.decode()
    _nothing_stored(before)


@override_settings(GEOPORTAL_REPORTS_PER_ADDRESS_HOUR=2)
def test_the_address_limit_counts_the_real_address_not_a_forwarded_one(
    world, django_capture_on_commit_callbacks
):
    client = Client(REMOTE_ADDR="192.0.2.10")
    for n in range(2):
        data = _form(email=f"r{n}@example.org")
        # A client's own X-Forwarded-For changes nothing without the proxy in front.
        response = _post(client, data, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert response.status_code == 302
    mail.outbox.clear()
    before = set(Report.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        refused = _post(client, _form(email="r3@example.org"), HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert refused.status_code == 429
    assert "Too many reports were sent from here" in refused.content.decode()
    assert set(Report.objects.values_list("pk", flat=True)) == before and mail.outbox == []
    # Another address is counted on its own; the stored hash is not the address.
    assert _post(Client(REMOTE_ADDR="192.0.2.11"), _form(email="r4@example.org")).status_code == 302
    assert not Report.objects.filter(client_hash__contains="192.0.2").exists()


@override_settings(
    GEOPORTAL_REPORTS_PER_ADDRESS_HOUR=1,
    GEOPORTAL_CLIENT_ADDRESS_HEADERS=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
)
def test_behind_the_proxy_its_forwarded_address_is_counted(world):
    # The portal's nginx overwrites X-Forwarded-For with the client's (public) address.
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    first = _post(proxy, _form(email="a@example.org"), HTTP_X_FORWARDED_FOR="185.10.20.1")
    other = _post(proxy, _form(email="b@example.org"), HTTP_X_FORWARDED_FOR="185.10.20.2")
    again = _post(proxy, _form(email="c@example.org"), HTTP_X_FORWARDED_FOR="185.10.20.1")
    assert (first.status_code, other.status_code, again.status_code) == (302, 302, 429)


@override_settings(GEOPORTAL_REPORTS_PER_EMAIL_HOUR=1)
def test_the_email_limit_refuses_whatever_the_address(world):
    assert _post(Client(REMOTE_ADDR="192.0.2.20"), _form()).status_code == 302
    refused = _post(Client(REMOTE_ADDR="192.0.2.21"), _form(email="Resident@Example.org"))
    assert refused.status_code == 429
    assert "with this email address" in refused.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<?php system($_GET['c']); ?>", "not a JPEG, PNG or WebP image"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "JPEG"),
        (png_header(100_000, 100_000), "pixels"),
    ],
    ids=["php-named-jpg", "svg", "pixel-bomb"],
)
def test_a_hostile_photo_is_refused_and_nothing_is_stored(world, content, words):
    before = _media()
    good, bad = photo_upload(), upload(content, "photo.jpg")
    response = _post(Client(), _form(photos=[good, bad]))
    assert response.status_code == 400
    assert words in response.content.decode()
    _nothing_stored(before)


def test_oversized_text_too_many_photos_and_a_far_place_are_refused(world):
    before = _media()
    cases = {
        "description": _form(description="я" * 2001),
        "photos": _form(photos=[photo_upload(f"{n}.jpg") for n in range(4)]),
        "outside": _form(lat=50.45, lon=30.52),  # Kyiv
        "email": _form(email="", category="waste-overflowing"),
    }
    texts = {
        "description": "2000",
        "photos": "At most 3 photos",
        "outside": "outside the hromada",
        "email": "This category needs an email address",
    }
    for name, data in cases.items():
        response = _post(Client(), data)
        assert response.status_code == 400, name
        assert texts[name] in response.content.decode(), name
    _nothing_stored(before)


def test_a_category_that_allows_it_takes_an_anonymous_report(world):
    response = _post(Client(), _form(email="", category="waste-dump", name=""))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter_email == "" and report.state == "confirmed"
