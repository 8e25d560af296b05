"""The public map in Chromium against demo data: layers, filters, list, popups, record
pages, the permalink, text-only feature properties and axe-core."""

import pytest
from django.core.management import call_command
from django.db import connections
from pytest_django.live_server_helper import LiveServer

from layers.models import AccessibleObject, Status
from layers.registry import BUILTIN_REGISTRIES
from tests.browser.conftest import ARTIFACTS
from tests.factories import CENTRE

pytestmark = [pytest.mark.browser]

SCRIPTY = "<img src=x onerror=alert(1)>"
LAT, LON = CENTRE[1], CENTRE[0]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A live server over small demo data plus a published accessible object whose name
    looks like HTML, for the whole module.

    pytest-django's ``live_server`` makes every test transactional and empties the tables
    after each one; generating the demo data once per module and serving it from our own
    server thread keeps the module fast. The tables are emptied (and the boundary loaded
    again, as the session set-up left it) when the module ends.
    """
    with django_db_blocker.unblock():
        # Transactional tests that ran before may have emptied the tables, boundary included.
        call_command("load_boundary", verbosity=0)
        call_command("load_registries", verbosity=0)
        call_command(
            "generate_demo_data",
            trees=2000,
            green_areas=12,
            accessible_objects=80,
            heritage_objects=40,
            protection_zones=6,
            waste_sites=80,
            verbosity=0,
        )
        scripty = AccessibleObject.objects.create(
            name=SCRIPTY,
            address="вул. Проскурівська, 1",
            geom=f"SRID=4326;POINT({LON + 0.0004} {LAT + 0.0003})",
            status=Status.PUBLISHED,
        )
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield {"scripty": scripty, "url": server.url}
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            call_command("load_boundary", verbosity=0)
            # The server thread's connection must not keep the test database open.
            connections.close_all()


def open_map(page, demo, hash_="", lang=""):
    prefix = f"/{lang}" if lang else ""
    page.goto(f"{demo['url']}{prefix}/{'#' + hash_ if hash_ else ''}")
    page.wait_for_function("() => document.getElementById('map').mapView")


def features(page, layer_id: str) -> int:
    return page.evaluate(
        "(id) => document.getElementById('map').mapView.layers.get(id).featureCount()", layer_id
    )


def wait_for_features(page, layer_id: str):
    page.wait_for_function(
        "(id) => document.getElementById('map').mapView.layers.get(id).featureCount() > 0",
        arg=layer_id,
        timeout=15000,
    )


# Every layer on the map has tiles and none is still loading (as bench/first_render.py).
DRAWN = """() => {
  const view = document.getElementById('map').mapView;
  const shown = [...view.layers.values()].filter((layer) => view.map.hasLayer(layer));
  return shown.length && shown.every((l) => !l.isLoading() && Object.keys(l._tiles).length);
}"""


def wait_for_list(page, layer_id: str):
    page.wait_for_selector(f'#map-list-body section[data-layer="{layer_id}"]')
    page.wait_for_function("() => document.getElementById('map-list-body').ariaBusy === 'false'")


@pytest.mark.parametrize(
    ("lang", "title", "heading"),
    [
        ("", "Геопортал Хмельницької міської громади", "Дерева"),
        ("en", "Khmelnytskyi Geoportal", "Trees"),
    ],
)
def test_map_loads_with_layers_and_list_in_both_languages(demo, page, lang, title, heading):
    open_map(page, demo, lang=lang)

    wait_for_features(page, "accessibility")
    wait_for_list(page, "accessibility")
    assert page.title() == title
    assert page.locator("html").get_attribute("lang") == (lang or "uk")
    assert page.locator('label[for="layer-trees"]').inner_text() == heading
    assert page.locator("#map-list-body .record-item").count() > 0
    assert page.console_errors == []


# The built-in layers and shipped registries defined as data of each geometry kind (their
# definitions are loaded from data/registries/ with the demo).
SPARSE = ("green-areas", "protection-zones", "heritage", "road-excavations", "improvement-objects")
LAYERS = (
    *(r.id for r in BUILTIN_REGISTRIES),
    "playgrounds",
    "road-excavations",
    "improvement-objects",
)


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_can_be_switched_on_and_shows_features(demo, page, layer):
    open_map(page, demo, f"map=14/{LAT}/{LON}&layers=")
    assert features(page, layer) == 0

    page.check(f"#layer-{layer}")

    if layer in SPARSE:
        page.evaluate("() => document.getElementById('map').mapView.map.setZoom(12)")
    wait_for_features(page, layer)
    wait_for_list(page, layer)
    assert page.locator(f'#map-list-body section[data-layer="{layer}"] .record-item').count() > 0
    assert page.console_errors == []


def test_the_map_asks_no_tile_away_from_a_layers_records(demo, page):
    """Each layer knows its records' extent: away from it (here 60 km west of the hromada)
    its tiles are drawn empty without a request; over the city they are asked for."""
    every = ",".join(r.id for r in BUILTIN_REGISTRIES)
    asked = []
    page.on("request", lambda request: "/tiles/" in request.url and asked.append(request.url))
    open_map(page, demo, f"map=14/{LAT}/{LON - 0.8}&layers={every}")
    page.wait_for_function(DRAWN)
    assert asked == []
    assert all(features(page, r.id) == 0 for r in BUILTIN_REGISTRIES)

    page.evaluate(f"() => document.getElementById('map').mapView.map.setView([{LAT}, {LON}], 14)")
    wait_for_features(page, "trees")
    assert {url.split("/tiles/")[1].split("/")[0] for url in asked} == {
        r.id for r in BUILTIN_REGISTRIES
    }
    assert page.console_errors == []


def test_a_filter_changes_what_map_and_list_show(demo, page):
    open_map(page, demo, f"map=14/{LAT}/{LON}&layers=trees")
    wait_for_features(page, "trees")
    wait_for_list(page, "trees")
    before = features(page, "trees")

    page.locator('[data-layer="trees"] details summary').click()
    page.check('input[name="trees.condition"][value="hazardous"]')

    page.wait_for_function(
        "(n) => { const l = document.getElementById('map').mapView.layers.get('trees');"
        " return l.featureCount() < n"
        " && Object.keys(l._tiles).every(k => l._tileFeatures.has(k)); }",
        arg=before,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('#map-list-body .record-item')].every("
        "li => li.textContent.includes('аварійне'))"
    )
    assert features(page, "trees") > 0
    assert page.locator("#map-list-body .record-item").count() > 0
    assert "trees.condition=hazardous" in page.url
    assert page.console_errors == []


def test_a_popup_opens_from_the_map_and_leads_to_the_record_page(demo, page):
    open_map(page, demo, f"map=17/{LAT}/{LON}&layers=accessibility")
    wait_for_features(page, "accessibility")
    point = page.evaluate(
        """() => {
          const {map, layers} = document.getElementById('map').mapView;
          const layer = layers.get('accessibility');
          const key = Object.keys(layer._tiles)
            .find(k => (layer._tileFeatures.get(k) || []).length);
          const [x, y, z] = key.split(':').map(Number);
          const [px, py] = layer._tileFeatures.get(key)[0].rings[0][0];
          const latlng = map.unproject([x * 256 + px, y * 256 + py], z);
          const p = map.latLngToContainerPoint(latlng);
          const box = document.getElementById('map').getBoundingClientRect();
          map.panTo(latlng, {animate: false});
          const c = map.latLngToContainerPoint(latlng);
          return {x: box.left + c.x, y: box.top + c.y, before: [p.x, p.y]};
        }"""
    )
    page.mouse.click(point["x"], point["y"])

    popup = page.locator(".leaflet-popup .popup")
    popup.wait_for()
    title = popup.locator(".popup-title").inner_text()
    popup.locator(".popup-link").click()
    page.wait_for_url("**/accessibility/*/")
    assert page.locator("h1").inner_text() == title
    assert page.console_errors == []


def test_the_permalink_restores_view_layers_and_filters(demo, page, chromium):
    open_map(page, demo, f"map=15/{LAT}/{LON}&layers=accessibility")
    page.check("#layer-heritage")
    page.uncheck("#layer-accessibility")
    page.locator('[data-layer="heritage"] details summary').click()
    page.check('input[name="heritage.significance"][value="local"]')
    page.evaluate("() => document.getElementById('map').mapView.map.setView([49.43, 27.01], 16)")
    page.wait_for_function("() => location.hash.includes('map=16/')")
    link = page.locator("#map-permalink").get_attribute("href")

    other = chromium.new_context(viewport={"width": 1280, "height": 800}).new_page()
    other.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    other.goto(demo["url"] + link)
    other.wait_for_function("() => document.getElementById('map').mapView")

    view = other.evaluate(
        "() => { const m = document.getElementById('map').mapView.map;"
        " return [m.getZoom(), m.getCenter().lat, m.getCenter().lng]; }"
    )
    assert view[0] == 16
    assert view[1] == pytest.approx(49.43, abs=1e-4) and view[2] == pytest.approx(27.01, abs=1e-4)
    assert other.is_checked("#layer-heritage") and not other.is_checked("#layer-accessibility")
    assert other.is_checked('input[name="heritage.significance"][value="local"]')
    assert not other.is_checked('input[name="heritage.significance"][value="national"]')
    other.context.close()


def test_a_name_that_looks_like_html_is_shown_as_text(demo, page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_map(page, demo, f"map=18/{LAT + 0.0003}/{LON + 0.0004}&layers=accessibility")
    wait_for_list(page, "accessibility")

    item = page.locator("#map-list-body .record-item", has_text="onerror")
    assert item.locator("a").first.inner_text() == SCRIPTY
    item.get_by_role("button").click()
    popup_title = page.locator(".leaflet-popup .popup-title")
    popup_title.wait_for()
    assert popup_title.inner_text() == SCRIPTY

    page.fill("#map-search-q", "onerror")
    page.click("#map-search button[type=submit]")
    page.locator("#map-search-results .record-item").first.wait_for()
    assert page.locator("#map-search-results .record-item a").first.inner_text() == SCRIPTY

    page.locator(".leaflet-popup .popup-link").click()
    page.wait_for_url(f"**/{demo['scripty'].public_id}/")
    assert page.locator("h1").inner_text() == SCRIPTY
    assert page.locator('img[src="x"]').count() == 0
    assert dialogs == []


def test_near_me_centres_the_map_on_the_visitor(demo, chromium):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800},
        geolocation={"latitude": 49.41, "longitude": 27.02},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    open_map(page, demo, lang="en")

    page.click("#map-near-me")

    page.wait_for_function("() => document.getElementById('map').mapView.map.getZoom() >= 16")
    centre = page.evaluate("() => document.getElementById('map').mapView.map.getCenter()")
    assert centre["lat"] == pytest.approx(49.41, abs=1e-4)
    assert page.locator("#map-near-me-status").inner_text() == "The map shows your location."
    context.close()


def test_map_controls_work_from_the_keyboard(demo, page):
    open_map(page, demo, f"map=14/{LAT}/{LON}&layers=accessibility")

    page.focus("#map")
    page.keyboard.press("+")
    page.wait_for_function("() => document.getElementById('map').mapView.map.getZoom() === 15")
    page.focus("#layer-waste-sites")
    page.keyboard.press("Space")
    wait_for_features(page, "waste-sites")
    assert "waste-sites" in page.url


def test_axe_finds_no_serious_violations_on_map_list_and_record_page(demo, page, axe_violations):
    open_map(page, demo, f"map=15/{LAT}/{LON}&layers=accessibility,waste-sites,heritage")
    wait_for_features(page, "accessibility")
    wait_for_list(page, "accessibility")
    page.locator('[data-layer="accessibility"] details summary').click()
    assert axe_violations() == []

    page.locator("#map-list-body .record-item button").first.click()
    page.locator(".leaflet-popup .popup").wait_for()
    assert axe_violations() == []

    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations() == []

    page.goto(demo["url"] + f"/en/accessibility/{demo['scripty'].public_id}/")
    assert axe_violations() == []
    assert page.console_errors == []


def test_screenshots_of_the_map_with_every_layer(demo, page, screenshot):
    every = ",".join(LAYERS)
    open_map(page, demo, f"map=15/{LAT}/{LON}&layers={every}")
    for layer in LAYERS:
        if layer not in SPARSE:
            wait_for_features(page, layer)
    wait_for_list(page, "trees")
    page.wait_for_timeout(300)

    path = screenshot("map-all-layers")

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    screenshot("map-all-layers-phone")
    assert path.exists() and path.parent == ARTIFACTS
    assert page.console_errors == []
