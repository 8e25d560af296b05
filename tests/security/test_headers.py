"""Headers on every response class: a Content-Security-Policy on every HTML page — the
portal's pages, the OGC API's HTML, the API docs, the editor and the admin — that keeps
foreign scripts, plugins, framing and foreign form targets out; nosniff, a Referrer-Policy
and a Permissions-Policy on every response."""

import pytest
from django.test import Client

from layers.registry import registry_get
from tests.editing.conftest import actors_create, published_create

pytestmark = pytest.mark.django_db


def _pages(record) -> list[str]:
    return [
        "/",
        "/en/",
        f"/trees/{record.public_id}/",
        "/ogc/?f=html",
        "/ogc/collections?f=html",
        "/ogc/collections/trees/items?f=html",
        "/api/docs/",
        "/edit/",
        "/edit/trees/",
        f"/edit/trees/{record.public_id}/",
        "/edit/review/",
        "/admin/",
        f"/admin/layers/tree/{record.pk}/change/",
    ]


def test_every_html_page_has_a_policy_and_every_response_the_headers():
    actors = actors_create()
    record = published_create(registry_get("trees"), actors)
    client = Client()
    client.force_login(actors.administrator)
    for path in [*_pages(record), "/admin/login/"]:
        response = (Client() if path == "/admin/login/" else client).get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html"), path
        policy = response["Content-Security-Policy"]
        for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'",
                          "form-action 'self'", "default-src 'self'"):  # fmt: skip
            assert directive in policy, (path, directive)
        if "/admin/" not in path:
            assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], path
    for path in ("/ogc/collections/trees/items", "/api/trees/records/", "/healthz",
                 "/tiles/trees/14/9420/5625.pbf", "/map/layers.css"):  # fmt: skip
        response = client.get(path)
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert "camera=()" in response["Permissions-Policy"], path
        assert response["Referrer-Policy"], path
