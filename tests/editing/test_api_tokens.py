"""API tokens: made on the person's own page or by a command, shown once, revoked."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.editing.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _works(key: str) -> int:
    return Client().get("/api/changes/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_a_token_is_made_shown_once_replaced_and_revoked_on_the_page(actors):
    page = _logged_in(actors.editor)

    made = page.post("/edit/api-token/", {"action": "issue"})
    key = made.context["key"]
    later = page.get("/edit/api-token/")
    replaced = page.post("/edit/api-token/", {"action": "issue"}).context["key"]

    assert made.status_code == 200 and key in made.content.decode()
    assert "no-store" in made["Cache-Control"] or "max-age=0" in made["Cache-Control"]
    assert key not in later.content.decode()  # never shown again
    assert _works(key) == 401 and _works(replaced) == 200  # the new one replaced it
    page.post("/edit/api-token/", {"action": "revoke"})
    assert _works(replaced) == 401
    assert not Token.objects.filter(user=actors.editor).exists()


def test_the_page_needs_a_login_and_a_known_action(actors):
    assert Client().get("/edit/api-token/").status_code == 302
    assert _logged_in(actors.editor).post("/edit/api-token/", {"action": "x"}).status_code == 400


def test_the_command_prints_a_working_token_and_revokes_it(actors, capsys):
    call_command("api_token", actors.reviewer.username)
    key = capsys.readouterr().out.strip()

    assert _works(key) == 200
    call_command("api_token", actors.reviewer.username, "--revoke")
    assert "revoked" in capsys.readouterr().out
    assert _works(key) == 401
    with pytest.raises(CommandError, match="no user"):
        call_command("api_token", "nobody")
