"""The accessibility layer in Chromium: coloured (and shaped) by the need the visitor chooses,
filters that agree with the colours on every visible object, the official assessment in
words, the choice kept in the permalink, axe-core and screenshots."""

import re

import pytest

from layers.registry import registry_get
from tests.browser.test_map import LAT, LON, demo, open_map, wait_for_features  # noqa: F401

pytestmark = [pytest.mark.browser]

ACCESSIBILITY = registry_get("accessibility")
COLOURS = ACCESSIBILITY.colours
SHAPES = ACCESSIBILITY.drawing.shapes

# Every feature of the tiles on screen: its answers, the style the layer draws it with, and
# the colour of the canvas pixel at its centre (what a person sees there).
DRAWN = """() => {
  const {layers} = document.getElementById('map').mapView;
  const layer = layers.get('accessibility');
  const ratio = window.devicePixelRatio || 1;
  const hex = (d) => '#' + [d[0], d[1], d[2]].map(v => v.toString(16).padStart(2, '0')).join('');
  const found = [];
  for (const [key, tile] of Object.entries(layer._tiles)) {
    const z = tile.coords.z;
    const ctx = tile.el.getContext('2d');
    for (const f of layer._tileFeatures.get(key) || []) {
      const style = layer.options.style(f.properties, z);
      for (const [x, y] of f.rings[0]) {
        if (x < 0 || y < 0 || x >= 256 || y >= 256) continue;
        const pixel = ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
        found.push({properties: f.properties, fill: style.fill, shape: style.shape,
                    pixel: hex(pixel)});
      }
    }
  }
  return found;
}"""


def drawn(page):
    return page.evaluate(DRAWN)


def tiles_loaded(page):
    page.wait_for_function(
        "() => { const l = document.getElementById('map').mapView.layers.get('accessibility');"
        " const keys = Object.keys(l._tiles);"
        " return keys.length && keys.every(k => l._tileFeatures.has(k)); }"
    )


def assert_coloured_by(objects, profile):
    assert objects, "the view shows accessibility objects"
    wrong = [
        (o["properties"].get("name"), o["properties"][profile], o["fill"], o["shape"])
        for o in objects
        if o["fill"] != COLOURS[o["properties"][profile]]
        or o["shape"] != SHAPES[o["properties"][profile]]
    ]
    assert wrong == []


def click_first_feature(page):
    """Click the first accessibility object drawn on screen, as a person would."""
    point = page.evaluate(
        """() => {
          const {map, layers} = document.getElementById('map').mapView;
          const layer = layers.get('accessibility');
          const key = Object.keys(layer._tiles)
            .find(k => (layer._tileFeatures.get(k) || []).length);
          const [x, y, z] = key.split(':').map(Number);
          const [px, py] = layer._tileFeatures.get(key)[0].rings[0][0];
          const latlng = map.unproject([x * 256 + px, y * 256 + py], z);
          map.closePopup();
          map.panTo(latlng, {animate: false});
          const c = map.latLngToContainerPoint(latlng);
          const box = document.getElementById('map').getBoundingClientRect();
          return {x: box.left + c.x, y: box.top + c.y};
        }"""
    )
    page.mouse.click(point["x"], point["y"])


def choose(page, profile):
    page.locator(f'label[for="s-accessibility-{profile}"]').click()


def test_the_layer_is_coloured_by_wheelchair_access_and_the_chooser_changes_it(demo, page):  # noqa: F811
    open_map(page, demo, f"map=14/{LAT}/{LON}&layers=accessibility")
    wait_for_features(page, "accessibility")
    tiles_loaded(page)

    assert page.is_checked("#s-accessibility-wheelchair")
    before = drawn(page)
    assert_coloured_by(before, "wheelchair")
    assert len({o["properties"]["wheelchair"] for o in before}) > 1, "demo answers differ"

    choose(page, "low_vision")

    after = drawn(page)
    assert_coloured_by(after, "low_vision")
    assert [o["fill"] for o in after] != [o["fill"] for o in before]
    caption = page.locator('[data-legend-caption="accessibility"]').inner_text()
    assert page.locator('label[for="s-accessibility-low_vision"]').inner_text() in caption
    assert page.console_errors == []


def test_the_chooser_works_from_the_keyboard(demo, page):  # noqa: F811
    open_map(page, demo, f"map=14/{LAT}/{LON}&layers=accessibility")
    wait_for_features(page, "accessibility")

    page.focus("#s-accessibility-wheelchair")
    page.keyboard.press("ArrowDown")

    assert page.is_checked("#s-accessibility-low_vision")
    page.wait_for_function("() => location.hash.includes('style=accessibility:low_vision')")


@pytest.mark.parametrize("profile", ["wheelchair", "stroller"])
def test_a_profile_filter_and_the_colours_agree_on_every_visible_object(demo, page, profile):  # noqa: F811
    open_map(page, demo, f"map=14/{LAT}/{LON}&layers=accessibility")
    wait_for_features(page, "accessibility")
    # Coloured by another need first: filtering must not leave colours that contradict it.
    choose(page, "hearing")
    page.locator('[data-layer="accessibility"] details summary').click()

    page.check(f'input[name="accessibility.profile"][value="{profile}"]')

    page.wait_for_function(
        "(p) => location.hash.includes('accessibility.profile=' + p)", arg=profile
    )
    tiles_loaded(page)
    page.wait_for_function(
        "(p) => { const l = document.getElementById('map').mapView.layers.get('accessibility');"
        " return [...l._tileFeatures.values()].flat().every(f => f.properties[p] === 'yes'); }",
        arg=profile,
    )
    assert page.is_checked(f"#s-accessibility-{profile}")
    objects = drawn(page)
    assert objects
    assert {o["properties"][profile] for o in objects} == {"yes"}
    assert {o["fill"] for o in objects} == {COLOURS["yes"]}
    # What is on the canvas: the centre of every dot has the "accessible" colour.
    assert {o["pixel"] for o in objects} == {COLOURS["yes"]}
    assert page.console_errors == []


def test_the_official_assessment_is_its_own_filter_and_a_badge_in_words(demo, page):  # noqa: F811
    open_map(page, demo, f"map=14/{LAT}/{LON}&layers=accessibility", lang="en")
    wait_for_features(page, "accessibility")
    page.locator('[data-layer="accessibility"] details summary').click()
    page.check('input[name="accessibility.rating"][value="green"]')
    page.wait_for_function("() => location.hash.includes('accessibility.rating=green')")
    tiles_loaded(page)
    # The tiles carry only what the colour reads; the filter itself is the server's.
    page.wait_for_function(
        "() => { const l = document.getElementById('map').mapView.layers.get('accessibility');"
        " return l.options.query.includes('rating=green') && !l.isLoading(); }"
    )
    objects = drawn(page)
    if not objects:
        pytest.skip("no officially barrier-free object in this view of the demo data")

    click_first_feature(page)
    badge = page.locator(".leaflet-popup .popup-badge")
    badge.wait_for()
    assert re.fullmatch(r"Official assessment \d{4}: barrier-free", badge.inner_text())
    rows = page.locator(".leaflet-popup .popup-rows").inner_text()
    assert re.search(r"wheelchair users\s*(accessible|partly accessible|not accessible)", rows)
    assert page.console_errors == []


def test_the_permalink_keeps_the_chosen_need(demo, page, chromium):  # noqa: F811
    open_map(page, demo, f"map=15/{LAT}/{LON}&layers=accessibility")
    choose(page, "stroller")
    page.wait_for_function("() => location.hash.includes('style=accessibility:stroller')")
    link = page.locator("#map-permalink").get_attribute("href")

    other = chromium.new_context(viewport={"width": 1280, "height": 800}).new_page()
    other.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    other.goto(demo["url"] + link)
    other.wait_for_function("() => document.getElementById('map').mapView")
    wait_for_features(other, "accessibility")
    tiles_loaded(other)

    assert other.is_checked("#s-accessibility-stroller")
    assert_coloured_by(drawn(other), "stroller")
    other.context.close()


def test_axe_finds_no_serious_violations_with_the_chooser_and_badge(demo, page, axe_violations):  # noqa: F811
    open_map(page, demo, f"map=16/{LAT}/{LON}&layers=accessibility")
    wait_for_features(page, "accessibility")
    page.locator('[data-layer="accessibility"] details summary').click()
    choose(page, "hearing")
    assert axe_violations() == []

    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations() == []


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_screenshots_of_the_accessibility_layer(demo, page, screenshot, width, height):  # noqa: F811
    page.set_viewport_size({"width": width, "height": height})
    open_map(page, demo, f"map=16/{LAT}/{LON}&layers=accessibility")
    wait_for_features(page, "accessibility")
    tiles_loaded(page)
    page.wait_for_timeout(300)
    screenshot(f"map-accessibility-{width}x{height}")
    if width > 1000:
        click_first_feature(page)
        page.locator(".leaflet-popup .popup-badge").wait_for()
        page.wait_for_timeout(400)  # Leaflet fades the popup in
        screenshot(f"map-accessibility-popup-{width}x{height}")
    # The panel with the chooser and the legend, as a person scrolls to it (on a phone, in
    # the bottom sheet, once it and its controls are open).
    if width < 640:
        page.click("#map-sheet-toggle")
        page.click("#map-controls-toggle")
    page.locator('[data-style-chooser="accessibility"]').scroll_into_view_if_needed()
    screenshot(f"map-accessibility-legend-{width}x{height}")
    assert page.console_errors == []
