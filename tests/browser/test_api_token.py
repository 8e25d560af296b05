"""A person makes an API token in the browser, in Ukrainian and on a phone, and a script
uses it against the running portal."""

import json
import urllib.request

import pytest
from django.contrib.auth import get_user_model

from layers.editing import services
from layers.editing.models import Role
from layers.registry import registry_get

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-password"


def test_a_token_made_on_the_page_works_for_a_script(live_server, page, screenshot, axe_violations):
    user = get_user_model().objects.create_user("scripter", password=PASSWORD, is_staff=True)
    services.role_grant(user=user, registry=registry_get("trees"), role=Role.EDITOR)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/login/?next=/edit/api-token/")
    page.fill("#id_username", "scripter")
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url("**/edit/api-token/")

    assert "У вас немає токена" in page.inner_text("main")
    page.click("button[value=issue]")
    key = page.input_value("#api-token-key")
    screenshot("api-token-phone")
    request = urllib.request.Request(  # noqa: S310 - the test's own server
        f"{live_server.url}/api/changes/", headers={"Authorization": f"Token {key}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        answer = json.load(response)

    assert len(key) == 40
    assert answer["count"] == 0
    assert axe_violations() == []
    # Shown once: the page after a reload says there is one, without the key.
    page.goto(f"{live_server.url}/edit/api-token/")
    assert key not in page.content()
    assert page.locator("button[value=revoke]").is_visible()
