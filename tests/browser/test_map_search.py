"""The map's search, "near me" and the nearest question in Chromium, in Ukrainian: "скло"
finds the waste sites that take glass, "near me" turns the list nearest first with
distances in words, the nearest question flies to the right site and says so in a live
region; axe-core; screenshots on a 390 px phone."""

import re

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connections
from pytest_django.live_server_helper import LiveServer

from layers.models import Status
from layers.models.waste import Container, WasteSite
from tests.browser.conftest import ARTIFACTS, new_page
from tests.factories import CENTRE

pytestmark = [pytest.mark.browser]

LON, LAT = CENTRE
# Distances from the centre on the WGS 84 spheroid, worked out by hand as in
# tests/layers/test_map_search.py (N·cos φ·Δλ along the parallel, M·Δφ along the meridian).
SITES = (
    # name, (lon, lat), fractions, metres from the centre
    ("Папір біля дому", (LON + 0.0012, LAT), ("paper",), 87),
    ("Батарейки на розі", (LON, LAT + 0.0009), ("batteries",), 100),
    ("Змішані за рогом", (LON + 0.0020, LAT), ("mixed",), 145),
    ("Скло і пластик на Зарічанській", (LON + 0.0166, LAT), ("glass", "plastic"), 1204),
    ("Скло на Свободи", (LON + 0.0300, LAT), ("glass",), 2176),
    # Six of a name, more than the search shows of a layer; out of the near-me view.
    *((f"Майданчик {i}", (LON + 0.001 * i, LAT - 0.0200), ("mixed",), 2224) for i in range(6)),
)
GLASS_NEAREST = "Скло і пластик на Зарічанській"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
HERE = {"geolocation": {"latitude": LAT, "longitude": LON}, "permissions": ["geolocation"]}


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """A live server over the waste sites above, for the whole module (see test_map.demo)."""
    with django_db_blocker.unblock():
        call_command("load_boundary", verbosity=0)
        sites = {}
        for name, (lon, lat), fractions, _metres in SITES:
            site = WasteSite.objects.create(
                name=name,
                address="вул. Зарічанська, 10" if "Зарічанській" in name else "",
                geom=Point(lon, lat, srid=4326),
                status=Status.PUBLISHED,
            )
            for fraction in fractions:
                Container.objects.create(site=site, fraction=fraction, volume_l=1100)
            sites[name] = site
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield {"url": server.url, "sites": sites}
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            call_command("load_boundary", verbosity=0)
            connections.close_all()


@pytest.fixture
def page(chromium):
    """A desktop page that knows where the visitor is (at the centre)."""
    page = new_page(chromium, viewport={"width": 1280, "height": 800}, **HERE)
    yield page
    page.context.close()


def open_map(page, server, hash_="layers=waste-sites", lang=""):
    prefix = f"/{lang}" if lang else ""
    page.goto(f"{server['url']}{prefix}/#{hash_}")
    page.wait_for_function("() => document.getElementById('map').mapView")


def reveal_controls(page):
    """On a phone the controls are in a sheet over the map: open it and them."""
    for toggle in ("#map-sheet-toggle", "#map-controls-toggle"):
        button = page.locator(toggle)
        closed = button.count() and button.get_attribute("aria-expanded") != "true"
        if closed and button.is_visible():
            button.click()


def search(page, q):
    page.fill("#map-search-q", q)
    page.click("#map-search button[type=submit]")
    page.wait_for_selector('#map-search-results[aria-busy="false"]', state="attached")


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def map_centre(page) -> dict:
    return page.evaluate("() => document.getElementById('map').mapView.map.getCenter()")


def ask_nearest(page, fraction="glass"):
    page.select_option("#nearest-waste-sites-value", fraction)
    page.click("#nearest-waste-sites button[type=submit]")
    page.locator("#nearest-waste-sites-answer .nearest-sentence").wait_for()


def wait_until_centred_on(page, lon, lat):
    page.wait_for_function(
        "([lon, lat]) => { const c = document.getElementById('map').mapView.map.getCenter();"
        " return Math.abs(c.lng - lon) < 1e-5 && Math.abs(c.lat - lat) < 1e-5; }",
        arg=[lon, lat],
        timeout=10000,
    )


def test_searching_glass_in_ukrainian_shows_the_waste_sites_that_take_it(server, page):
    open_map(page, server)

    search(page, "скло")

    section = page.locator('#map-search-results section[data-layer="waste-sites"]')
    assert section.locator("h3").inner_text() == "Місця збору відходів"
    titles = section.locator(".record-item-title").all_inner_texts()
    assert titles == ["Скло і пластик на Зарічанській", "Скло на Свободи"]  # Ukrainian order
    assert page.locator("#map-search-results section").count() == 1
    assert page.locator("#map-search-results .search-more").count() == 0
    assert page.console_errors == []


def test_a_cut_search_says_so_in_words(server, page):
    open_map(page, server, lang="en")

    search(page, "майданчик")

    section = page.locator('#map-search-results section[data-layer="waste-sites"]')
    assert section.locator(".record-item").count() == 5
    assert section.locator(".search-more").inner_text() == (
        "Waste sites: showing the first 5, there are more. Add a word to narrow the search."
    )


def test_near_me_lists_the_nearest_first_with_distances_in_ukrainian(server, page):
    open_map(page, server, f"map=14/{LAT + 0.01}/{LON - 0.01}&layers=waste-sites")

    page.click("#map-near-me")

    page.wait_for_selector('#map-list-body section[data-layer="waste-sites"] .record-item-distance')
    items = page.locator('#map-list-body section[data-layer="waste-sites"] .record-item')
    titles = items.locator(".record-item-title").all_inner_texts()
    distances = [plain(t) for t in items.locator(".record-item-distance").all_inner_texts()]
    # What is in view at zoom 16 around the visitor: the three nearest, nearest first.
    assert titles[:3] == ["Папір біля дому", "Батарейки на розі", "Змішані за рогом"]
    assert [d.split(" ")[0] for d in distances[:3]] == ["90", "100", "150"]
    assert all(re.match(r"^\d+ м ", d) for d in distances[:3]), distances
    numbers = [float(d.split(" ")[0].replace(",", ".")) for d in distances]
    assert numbers == sorted(numbers)
    assert page.locator("#map-list-body .list-order").count() == 1
    assert page.console_errors == []


def test_the_nearest_question_flies_to_the_nearest_site_that_takes_glass(server, page):
    open_map(page, server)
    page.click("#map-near-me")
    page.wait_for_selector("#map-list-body .record-item-distance")

    ask_nearest(page)

    site = server["sites"][GLASS_NEAREST]
    answer = page.locator("#nearest-waste-sites-answer")
    assert answer.get_attribute("aria-live") == "polite"
    sentence = plain(answer.locator(".nearest-sentence").inner_text())
    assert GLASS_NEAREST in sentence and "1,2 км" in sentence, sentence
    assert sentence.startswith("Найближчий пункт, що приймає скло") or sentence.startswith(
        "Nearest site that takes скло"
    ), sentence  # the sentence's template is translated by the lead
    link = answer.locator("a")
    assert link.inner_text() == GLASS_NEAREST
    assert link.get_attribute("href") == f"/waste-sites/{site.public_id}/"
    wait_until_centred_on(page, site.geom.x, site.geom.y)
    assert page.locator(".nearest-others .record-item-title").all_inner_texts() == [
        "Скло на Свободи"
    ]
    assert page.console_errors == []


def test_the_nearest_question_without_a_position_asks_from_the_map_centre(server, page):
    # The map centred east of every site, and no position: the glass site nearest the
    # centre (1.5 km) is another than the one nearest the visitor.
    open_map(page, server, f"map=15/{LAT}/{LON + 0.0500}&layers=waste-sites", lang="en")

    ask_nearest(page)

    sentence = plain(page.locator("#nearest-waste-sites-answer .nearest-sentence").inner_text())
    assert sentence.startswith("Nearest site that takes glass: Скло на Свободи, 1.5 km from")
    assert sentence.endswith("from the map centre.")


def test_axe_finds_no_serious_violations_with_results_and_answer(server, page, axe_violations):
    open_map(page, server)
    page.click("#map-near-me")
    page.wait_for_selector("#map-list-body .record-item-distance")
    search(page, "скло")
    ask_nearest(page)

    assert axe_violations() == []
    page.screenshot(path=str(ARTIFACTS / "map-search-desktop.png"), full_page=True)


def test_screenshots_of_search_and_the_nearest_answer_on_a_phone(server, chromium):
    phone = new_page(chromium, **PHONE, **HERE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        open_map(phone, server)
        reveal_controls(phone)
        phone.click("#map-near-me")
        phone.wait_for_function("() => document.getElementById('map').mapView.map.getZoom() >= 16")
        search(phone, "скло")
        phone.locator("#map-search-results").scroll_into_view_if_needed()
        phone.wait_for_timeout(300)
        phone.screenshot(path=str(ARTIFACTS / "map-search-phone.png"))

        ask_nearest(phone)
        site = server["sites"][GLASS_NEAREST]
        wait_until_centred_on(phone, site.geom.x, site.geom.y)
        phone.locator("#nearest-waste-sites-answer").scroll_into_view_if_needed()
        phone.wait_for_timeout(300)
        phone.screenshot(path=str(ARTIFACTS / "map-nearest-phone.png"))
        assert phone.console_errors == []
    finally:
        phone.context.close()
