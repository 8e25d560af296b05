"""The OGC API's HTML pages of a registry on a phone, in Ukrainian: nothing wider than the
screen (a page of features scrolls in its own focusable box), axe-core finds nothing
serious, and the page of features scrolls sideways by keyboard."""

import pytest

from layers.registry import registry_get
from tests.browser.conftest import ARTIFACTS, new_page
from tests.ogcapi.conftest import publish

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "locale": "uk-UA"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_ogc_pages_fit_a_phone(live_server, chromium):
    from tests.browser.test_every_page import _axe

    trees = registry_get("trees")
    tree = publish(trees, 3)[0]
    pages = {
        "landing": "/ogc/?f=html",
        "collections": "/ogc/collections?f=html",
        "collection": "/ogc/collections/trees?f=html",
        "items": "/ogc/collections/trees/items?f=html&limit=3",
        "item": f"/ogc/collections/trees/items/{tree.public_id}?f=html",
        "queryables": "/ogc/collections/trees/queryables?f=html",
        "conformance": "/ogc/conformance?f=html",
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = new_page(chromium, **PHONE)
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.screenshot(path=str(ARTIFACTS / f"ogc-{name}-phone-uk.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        assert _axe(page) == [], path
    # The features' table is wider than a phone: its own box scrolls, by keyboard too.
    page.goto(live_server.url + pages["items"])
    box = page.locator(".ogc-table-wrap")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.ogc-table-wrap').scrollLeft > 0")
    assert page.console_errors == [], page.console_errors
    page.context.close()
