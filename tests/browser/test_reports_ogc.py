"""The reports' OGC API collection in Chromium: its HTML pages on a phone and a desktop,
in Ukrainian, with axe-core (WCAG 2.1 AA), and paging by the next link."""

import pytest

from reports.models import ReportState
from tests.browser.conftest import ARTIFACTS, new_page
from tests.reports.conftest import REPORTER, public_report, world_create

ITEMS = "/ogc/collections/reports/items"


# The HTML pages in a browser: a phone and a desktop, Ukrainian, axe-core (WCAG 2.1 AA).
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_html_pages_pass_axe_on_a_phone_and_a_desktop(live_server, chromium):
    from tests.browser.test_every_page import _axe

    world = world_create()
    # A category of their own: GDAL's committed reports (tests/reports/test_ogcapi.py) may be there.
    reports = [public_report(world, category="waste-dump") for _ in range(2)]
    reports.append(public_report(world, category="waste-dump", state=ReportState.FIXED))
    pages = {
        "collection": "/ogc/collections/reports",
        "items": f"{ITEMS}?limit=2&category=waste-dump",
        "item": f"{ITEMS}/{reports[2].pk}",
        "queryables": "/ogc/collections/reports/queryables",
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for device, options in {
        "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
        "desktop": {"viewport": {"width": 1280, "height": 900}},
    }.items():
        page = new_page(chromium, **options)
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert page.locator("h1").count() == 1
            assert REPORTER not in page.content()
            page.screenshot(
                path=str(ARTIFACTS / f"reports-ogc-{name}-{device}.png"), full_page=True
            )
            assert _axe(page) == [], (device, path)
            width = options["viewport"]["width"]
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        page.goto(live_server.url + pages["items"])
        page.click("a[rel=next]")
        assert page.locator(f"a[href*='items/{reports[2].pk}?f=html']").count() == 1
        assert page.console_errors == [], page.console_errors
        page.context.close()
