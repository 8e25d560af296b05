"""Guessing passwords: the login form (the admin's, which the editor uses too) refuses an
account, and an address, after AXES_FAILURE_LIMIT wrong passwords — even the right password
then — with a page saying why (429), logs every attempt, and an administrator can unlock."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("throttled")]

PASSWORD = "a long enough password"
LOGIN = "/admin/login/?next=/edit/"


@pytest.fixture
def throttled():
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5):
        yield


def _user(name="editor"):
    return get_user_model().objects.create_user(name, password=PASSWORD, is_staff=True)


def _attempt(client, username, password, ip="198.51.100.7"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, follow=False
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one():
    _user()
    client = Client()
    for _ in range(4):
        assert _attempt(client, "editor", "wrong password!").status_code == 200
    locked = _attempt(client, "editor", "wrong password!")
    assert locked.status_code == 429
    assert "Забагато невдалих спроб входу" in locked.content.decode()
    right = _attempt(Client(), "editor", PASSWORD, ip="203.0.113.9")  # another address too
    assert right.status_code == 429
    assert AccessFailureLog.objects.filter(username="editor").count() >= 5


def test_one_address_guessing_many_accounts_is_stopped():
    for name in ("a1", "a2", "a3", "a4", "a5", "a6"):
        _user(name)
    client = Client()
    statuses = [_attempt(client, name, "wrong password!").status_code for name in
                ("a1", "a2", "a3", "a4", "a5", "a6")]  # fmt: skip
    assert statuses[-1] == 429 and statuses[:4] == [200] * 4
    assert _attempt(Client(), "a6", PASSWORD).status_code == 429  # same address
    assert _attempt(Client(), "a6", PASSWORD, ip="203.0.113.9").status_code == 302


def test_an_administrator_unlocks_and_a_success_is_logged():
    _user()
    client = Client()
    for _ in range(5):
        _attempt(client, "editor", "wrong password!")
    assert AccessAttempt.objects.exists()
    call_command("axes_reset_username", "editor")
    call_command("axes_reset_ip", "198.51.100.7")
    ok = _attempt(client, "editor", PASSWORD)
    assert ok.status_code == 302 and ok["Location"] == "/edit/"
    assert AccessLog.objects.filter(username="editor").exists()


def test_the_english_lockout_page_and_fewer_failures_do_not_lock():
    _user()
    client = Client()
    for _ in range(3):
        _attempt(client, "editor", "wrong password!")
    assert _attempt(client, "editor", PASSWORD).status_code == 302  # and resets the count
    for _ in range(4):
        _attempt(client, "editor", "wrong password!")
    assert _attempt(client, "editor", PASSWORD).status_code == 302
    english = Client()
    for _ in range(5):
        response = english.post(
            "/en/admin/login/", {"username": "editor", "password": "x" * 12},
            REMOTE_ADDR="192.0.2.1",
        )  # fmt: skip
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_the_owners_sign_in_page_is_throttled_the_same_way():
    """Owners (not staff) sign in at /login/: the same accounts, the same throttle."""
    get_user_model().objects.create_user("owner", password=PASSWORD)
    client = Client()
    for _ in range(4):
        response = client.post("/login/", {"username": "owner", "password": "wrong password!"})
        assert response.status_code == 200
    locked = client.post("/login/", {"username": "owner", "password": "wrong password!"})
    assert locked.status_code == 429
    right = Client().post(
        "/login/", {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert right.status_code == 429
    assert AccessFailureLog.objects.filter(username="owner").count() >= 5
