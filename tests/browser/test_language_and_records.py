"""The language switch and the record pages in a browser: both ways from the map, a record
page and the awards page; every registry's record page fits a 360 px phone; record pages
clean for axe-core; screenshots of a waste and an accessibility page on a phone and a desktop."""

import pytest

from layers.models.waste import Container
from layers.registry import registry_get
from tests.browser.conftest import new_page
from tests.factories import published_record, registry_ids

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True}


def _waste_site():
    site = published_record(
        registry_get("waste-sites"),
        name="Майданчик роздільного збору на вулиці Проскурівській, 139 (двір)",
        address="вул. Проскурівська, 139, Хмельницький",
        opening_hours="Mo-Fr 08:00-17:00; Sa 09:00-13:00",
    )
    for fraction, days in (("paper", [1, 4]), ("glass", [2]), ("e_waste", [])):
        Container.objects.create(
            site=site, fraction=fraction, count=2, volume_l=1100, collection_days=days
        )
    return site


def _accessible_object():
    return published_record(
        registry_get("accessibility"),
        name="Центр надання адміністративних послуг",
        phone="+380 (382) 65-12-34",
        website="https://cnap.khm.gov.ua/duzhe/dovga/adresa/storinky/bez/probiliv",
        award_year=2025,
    )


def _switch(page, to: str):
    with page.expect_navigation():
        page.get_by_role("button", name=to).click()
    page.wait_for_load_state("domcontentloaded")


@pytest.mark.parametrize("path", ["/", "/accessibility/awards/", "record"])
def test_the_language_switch_goes_both_ways(live_server, page, path):
    if path == "record":
        path = f"/accessibility/{_accessible_object().public_id}/"
    page.goto(live_server.url + "/en" + path)
    assert page.locator("html").get_attribute("lang") == "en"

    _switch(page, "Українська")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.url.split("#")[0] == live_server.url + path

    _switch(page, "English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.split("#")[0] == live_server.url + "/en" + path

    _switch(page, "Українська")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.console_errors == []


def test_the_map_keeps_its_view_across_the_switch(live_server, page):
    page.goto(live_server.url + "/en/#map=15/49.42000/26.98000&layers=waste-sites")
    page.wait_for_function("location.hash.includes('map=15')")

    _switch(page, "Українська")

    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.url.startswith(live_server.url + "/#map=15/49.42")


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_every_record_page_fits_a_360_px_phone(live_server, chromium, registry):
    if registry.id == "waste-sites":
        record = _waste_site()
    elif registry.id == "accessibility":
        record = _accessible_object()
    else:
        record = published_record(registry)
    phone = new_page(chromium, **PHONE)
    try:
        phone.goto(f"{live_server.url}/{registry.id}/{record.public_id}/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert phone.console_errors == []
    finally:
        phone.context.close()


def test_record_pages_are_clean_for_axe_and_look_right(live_server, chromium, page, axe_violations):
    waste, accessible = _waste_site(), _accessible_object()
    for record, registry_id in ((waste, "waste-sites"), (accessible, "accessibility")):
        url = f"{live_server.url}/{registry_id}/{record.public_id}/"
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        assert axe_violations() == [], registry_id
        page.screenshot(path=str(_artifact(f"record-{registry_id}-uk-1280")), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations() == [], registry_id
        page.screenshot(path=str(_artifact(f"record-{registry_id}-uk-390")), full_page=True)
    assert page.get_by_role("link", name="+380 (382) 65-12-34").get_attribute("href") == (
        "tel:+380382651234"
    )
    assert page.console_errors == []


def _artifact(name: str):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
