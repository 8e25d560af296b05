"""Every kind of HTML page works under its Content-Security-Policy: the admin with its map
widget, the API docs (ReDoc), the OGC API's HTML and the editor — no script, style or worker
refused (Chromium reports each refusal as a console error)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from layers.registry import registry_get
from tests.browser.test_editing import PASSWORD, _log_in
from tests.editing.conftest import actors_create, published_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_docs_ogc_and_editor_pages_run_under_their_policy(live_server, page):
    call_command("load_boundary", verbosity=0)
    actors = actors_create()
    record = published_create(registry_get("trees"), actors)
    get_user_model().objects.create_superuser("boss", password=PASSWORD)
    base = live_server.url
    refusals = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refusals.append(m.text))
    # Refused on purpose: ReDoc's footer logo from its CDN (the docs make no outside request).
    intended = "https://cdn.redoc.ly/"

    _log_in(page, base, "boss", "/admin/")
    page.goto(f"{base}/admin/layers/tree/{record.pk}/change/")
    page.wait_for_selector(".leaflet-container")
    page.goto(f"{base}/api/docs/")
    page.wait_for_selector("h1", timeout=20000)  # ReDoc rendered the schema's title
    page.goto(f"{base}/ogc/collections/trees/items?f=html")
    page.wait_for_selector("main, body")
    page.goto(f"{base}/edit/trees/")
    page.wait_for_selector(".leaflet-container")
    assert [r for r in refusals if intended not in r] == []
    assert [e for e in page.console_errors if intended not in e] == []
