"""The password-reset form cannot be used to fill a person's inbox: per sender's address and
per email, an hour; past either nothing is sent, the form says why with 429, and nothing of
the request is kept. An unknown email counts as a known one does (no account oracle)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from layers.models import PasswordResetRequest

pytestmark = pytest.mark.django_db

EMAIL = "owner@example.org"


@pytest.fixture
def owner():
    return get_user_model().objects.create_user("owner", EMAIL, "a-long-password-of-the-owner")


def _ask(email: str, address: str = "192.0.2.1", path: str = "/en/password-reset/", **extra):
    return Client(REMOTE_ADDR=address).post(path, {"email": email}, **extra)


@override_settings(GEOPORTAL_PASSWORD_RESETS_PER_EMAIL_HOUR=3)
def test_one_email_gets_three_mails_an_hour_from_any_number_of_addresses(owner):
    mail.outbox.clear()
    for n in range(3):
        assert _ask(EMAIL.upper(), address=f"192.0.2.{n}").status_code == 302
    assert len(mail.outbox) == 3
    kept = PasswordResetRequest.objects.count()
    refused = _ask(f" {EMAIL} ", address="198.51.100.7")
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Too many password resets were asked for this email" in body
    assert "Nothing was sent" in body and 'role="alert"' in body
    assert len(mail.outbox) == 3 and PasswordResetRequest.objects.count() == kept
    # Nothing is kept as typed: neither the email nor the address.
    for row in PasswordResetRequest.objects.values("client_hash", "email_hash"):
        assert "example" not in row["email_hash"] and "192.0.2" not in row["client_hash"]


@override_settings(GEOPORTAL_PASSWORD_RESETS_PER_ADDRESS_HOUR=2)
def test_one_address_is_refused_past_its_limit_even_for_a_real_account(owner):
    mail.outbox.clear()
    # Unknown emails count too: the limit tells nobody which emails have accounts.
    assert _ask("who@example.org").status_code == 302
    assert _ask("nobody@example.org").status_code == 302
    assert mail.outbox == []
    refused = _ask(EMAIL)
    assert refused.status_code == 429 and mail.outbox == []
    assert "Too many password resets were asked for from here" in refused.content.decode()
    # A client's own X-Forwarded-For does not make it another sender without the proxy.
    assert _ask(EMAIL, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # Another address is counted on its own.
    assert _ask(EMAIL, address="192.0.2.99").status_code == 302
    assert [m.to for m in mail.outbox] == [[EMAIL]]


@override_settings(GEOPORTAL_PASSWORD_RESETS_PER_EMAIL_HOUR=1)
def test_the_limit_lifts_after_the_hour_and_old_requests_are_forgotten(owner):
    assert _ask(EMAIL).status_code == 302
    assert _ask(EMAIL).status_code == 429
    PasswordResetRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
    stale = PasswordResetRequest.objects.create(email_hash="0" * 64)
    PasswordResetRequest.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    mail.outbox.clear()
    assert _ask(EMAIL).status_code == 302 and len(mail.outbox) == 1
    assert not PasswordResetRequest.objects.filter(pk=stale.pk).exists()


@override_settings(GEOPORTAL_PASSWORD_RESETS_PER_EMAIL_HOUR=0)
def test_the_refusal_is_in_ukrainian_on_the_ukrainian_page(owner):
    refused = _ask(EMAIL, path="/password-reset/")
    assert refused.status_code == 429
    assert "Нічого не надіслано" in refused.content.decode()
