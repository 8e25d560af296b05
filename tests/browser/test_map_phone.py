"""The public map and a record page on a phone (390 x 844, touch, in Ukrainian): the map fills
the screen and the layers and the list are in a bottom sheet; every target is 24 x 24 CSS px
at least (WCAG 2.2, 2.5.8), points answer a tap 12 px away; the permalink is shared or copied
and says so; "open on the big map" lands on the record selected and centred; Leaflet speaks
Ukrainian; axe-core; screenshots of the phone and the desktop."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from layers.models import Tree
from layers.registry import registry_get
from tests.browser.conftest import ARTIFACTS, new_page
from tests.browser.test_map import (  # noqa: F401
    LAT,
    LON,
    demo,
    open_map,
    wait_for_features,
    wait_for_list,
)

pytestmark = [pytest.mark.browser]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def page(chromium):
    """A phone: the shared ``screenshot`` and ``axe_violations`` fixtures take this page."""
    page = new_page(chromium, **PHONE)
    yield page
    page.context.close()


def uk(msgid: str) -> str:
    with translation.override("uk"):
        return gettext(msgid)


def box(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height, bottom: r.bottom}; }"
    )


SHEET_AT = """(share) => {
  const layout = document.querySelector('.map-layout').getBoundingClientRect();
  const sheet = document.getElementById('map-sheet').getBoundingClientRect();
  return Math.abs(sheet.top - (layout.bottom - share * layout.height)) < 1;
}"""


def wait_for_sheet(page, share: float):
    """Until the sheet's top edge has come to rest at that share of the map's height."""
    page.wait_for_function(SHEET_AT, arg=share)


def open_sheet(page):
    """Tap the sheet open; wait until it is at rest and the list has followed the map, whose
    height it halved (the list is rendered again for the new extent)."""
    page.evaluate(
        "() => document.querySelectorAll('#map-list-body > *').forEach(n => n.dataset.stale = 1)"
    )
    page.locator("#map-sheet-toggle").tap()
    assert page.locator("#map-sheet-toggle").get_attribute("aria-expanded") == "true"
    wait_for_sheet(page, 0.5)
    page.wait_for_function(
        "() => { const body = document.getElementById('map-list-body');"
        " return body.ariaBusy === 'false' && body.children.length"
        " && ![...body.children].some(n => n.dataset.stale); }"
    )


def test_the_map_fills_the_phone_and_one_tap_opens_the_sheet_on_the_list(demo, page):  # noqa: F811
    open_map(page, demo, f"map=16/{LAT}/{LON}&layers=accessibility")
    wait_for_features(page, "accessibility")
    header = box(page, ".site-header")
    toggle = page.locator("#map-sheet-toggle")

    # The map: the whole width, from the header down to the sheet's heading.
    area = box(page, "#map")
    sheet = box(page, "#map-sheet")
    assert area["x"] == 0 and area["width"] == 390
    assert area["y"] == pytest.approx(header["bottom"], abs=1)
    assert area["bottom"] == pytest.approx(sheet["y"], abs=1)
    assert sheet["bottom"] == pytest.approx(844, abs=1)
    assert sheet["height"] <= 64, "collapsed to its heading"
    assert area["height"] >= 844 - header["bottom"] - 64
    # Collapsed: a real button that says so, the heading of the sheet, nothing else shown.
    assert toggle.evaluate("el => el.tagName") == "BUTTON"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "map-sheet-body"
    assert page.locator("#map-sheet-heading").inner_text() == uk("Layers and list")
    assert not page.locator("#map-list").is_visible()
    assert not page.locator("#map-layers").is_visible()

    open_sheet(page)

    wait_for_list(page, "accessibility")
    first = page.locator("#map-list-body .record-item").first
    item = first.bounding_box()
    sheet = box(page, "#map-sheet")
    assert sheet["y"] < item["y"] and item["y"] + item["height"] <= 844, "first record in view"
    # Nothing covers it: a tap on its title lands on its link.
    title = first.locator("a").first.bounding_box()
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('.record-item') !== null",
        [title["x"] + 5, title["y"] + title["height"] / 2],
    )
    assert hit
    # The map keeps the upper half, resized (the list follows what it shows).
    area = box(page, "#map")
    assert area["bottom"] == pytest.approx(sheet["y"], abs=1)
    assert page.evaluate(
        "() => document.getElementById('map').mapView.map.getSize().y"
    ) == pytest.approx(area["height"], abs=1)

    # The whole height and back, then closed from the keyboard.
    size = page.locator("#map-sheet-size")
    assert size.get_attribute("aria-pressed") == "false"
    size.tap()
    assert size.get_attribute("aria-pressed") == "true"
    wait_for_sheet(page, 1)
    assert box(page, "#map-sheet")["y"] == pytest.approx(header["bottom"], abs=1)
    size.tap()
    assert size.get_attribute("aria-pressed") == "false"
    wait_for_sheet(page, 0.5)
    first.locator("a").first.focus()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.id") == "map-sheet-toggle"
    assert not page.locator("#map-list").is_visible()
    assert page.console_errors == []


def test_the_controls_open_in_the_sheet_by_their_own_button(demo, page):  # noqa: F811
    open_map(page, demo, f"map=16/{LAT}/{LON}&layers=accessibility")
    open_sheet(page)
    disclosure = page.locator("#map-controls-toggle")
    assert disclosure.get_attribute("aria-expanded") == "false"
    assert not page.locator("#layer-trees").is_visible()

    disclosure.tap()

    assert disclosure.get_attribute("aria-expanded") == "true"
    page.locator("#layer-trees").tap()
    page.wait_for_function("() => location.hash.includes('trees')")
    assert page.is_checked("#layer-trees")
    # The keyboard goes from the sheet's toggle through what it shows, in order.
    page.focus("#map-sheet-toggle")
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("() => document.activeElement.id"))
    assert order[:2] == ["map-sheet-size", "map-controls-toggle"]
    assert page.console_errors == []


def test_the_sheet_follows_a_drag_of_its_header(demo, page):  # noqa: F811
    open_map(page, demo, f"map=16/{LAT}/{LON}&layers=accessibility")
    header = page.locator(".sheet-header").bounding_box()
    x, y = header["x"] + header["width"] / 2, header["y"] + 10

    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y - 150, steps=5)
    page.mouse.move(x, 200, steps=5)
    page.mouse.up()

    assert page.locator("#map-sheet-toggle").get_attribute("aria-expanded") == "true"
    assert page.locator("#map-sheet-size").get_attribute("aria-pressed") == "true"
    wait_for_sheet(page, 1)
    # Dragged down a little from the top it settles at half the height.
    page.mouse.move(x, 100)
    page.mouse.down()
    page.mouse.move(x, 400, steps=5)
    page.mouse.up()
    assert page.locator("#map-sheet-size").get_attribute("aria-pressed") == "false"
    wait_for_sheet(page, 0.5)
    assert page.console_errors == []


# Every target a person may tap or click, as rendered; a link around an image counts the image.
TARGETS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [tabindex]:not([tabindex="-1"])';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('[hidden], [inert]')) continue;
    let r = el.getBoundingClientRect();
    for (const img of el.querySelectorAll('img, svg')) {
      const i = img.getBoundingClientRect();
      r = {width: Math.max(r.width, i.width), height: Math.max(r.height, i.height)};
    }
    if (r.width < 23.9 || r.height < 23.9) {
      const name = (el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + el.className)
        + ' ' + (el.textContent || el.value || el.title || '').trim().slice(0, 30);
      small.push([name, Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10]);
    }
  }
  return small;
}"""


def test_every_target_on_the_phone_map_is_24_px_or_more(demo, page):  # noqa: F811
    open_map(page, demo, f"map=17/{LAT}/{LON}&layers=accessibility,waste-sites,heritage")
    wait_for_features(page, "accessibility")
    open_sheet(page)
    page.locator("#map-controls-toggle").tap()
    wait_for_list(page, "accessibility")
    for summary in page.locator("#map-layers details summary").all():
        summary.evaluate("el => el.parentElement.open = true")

    assert page.evaluate(TARGETS) == []

    # The sheet closes for the record shown on the map: its popup's targets.
    page.locator("#map-list-body .record-item button").first.tap()
    page.locator(".leaflet-popup .popup").wait_for()
    assert page.locator("#map-sheet-toggle").get_attribute("aria-expanded") == "false"
    assert page.evaluate(TARGETS) == []


def test_every_target_on_a_desktop_map_is_24_px_or_more(demo, chromium):  # noqa: F811
    page = new_page(chromium, viewport={"width": 1280, "height": 800})
    open_map(page, demo, f"map=17/{LAT}/{LON}&layers=accessibility,waste-sites,heritage")
    wait_for_list(page, "accessibility")
    for summary in page.locator("#map-layers details summary").all():
        summary.evaluate("el => el.parentElement.open = true")
    page.locator("#map-list-body .record-item button").first.click()
    page.locator(".leaflet-popup .popup").wait_for()

    assert page.evaluate(TARGETS) == []
    # The desktop keeps its three columns: controls, map, list; no sheet is shown.
    controls, area, listed = (box(page, s) for s in ("#map-controls", "#map", "#map-list"))
    assert controls["x"] < area["x"] < listed["x"]
    assert not page.locator(".sheet-header").is_visible()
    assert not page.locator("#map-controls-toggle").is_visible()
    page.context.close()


def test_every_target_on_a_record_page_is_24_px_or_more(demo, page):  # noqa: F811
    page.goto(f"{demo['url']}/accessibility/{demo['scripty'].public_id}/")
    page.wait_for_selector("#record-map .leaflet-control-zoom-in")

    assert page.evaluate(TARGETS) == []


ISOLATED_POINT = """() => {
  const {map, layers} = document.getElementById('map').mapView;
  const layer = layers.get('accessibility');
  const points = [];
  for (const [key, tile] of Object.entries(layer._tiles)) {
    const {x, y, z} = tile.coords;
    for (const f of layer._tileFeatures.get(key) || []) {
      const [px, py] = f.rings[0][0];
      const latlng = map.unproject([x * 256 + px, y * 256 + py], z);
      points.push({id: f.id, p: map.latLngToContainerPoint(latlng)});
    }
  }
  const size = map.getSize();
  const inside = points.filter(
    ({p}) => p.x > 40 && p.y > 40 && p.x < size.x - 40 && p.y < size.y - 40);
  const spaced = inside.filter(
    a => points.every(b => b === a || b.id === a.id || a.p.distanceTo(b.p) > 40));
  if (!spaced.length) return null;
  const box = document.getElementById('map').getBoundingClientRect();
  return {id: spaced[0].id, x: box.left + spaced[0].p.x, y: box.top + spaced[0].p.y};
}"""


def test_a_point_answers_a_tap_a_finger_width_away(demo, page):  # noqa: F811
    open_map(page, demo, f"map=15/{LAT}/{LON}&layers=accessibility")
    wait_for_features(page, "accessibility")
    page.wait_for_timeout(300)
    point = page.evaluate(ISOLATED_POINT)
    assert point, "an accessibility object with no other within 40 px"

    # 11 px from its centre: outside the 5.5 px dot, inside the 24 x 24 px target.
    page.touchscreen.tap(point["x"] + 11, point["y"])

    link = page.locator(".leaflet-popup .popup-link")
    link.wait_for()
    # The tile knows the record by its integer key; the popup and permalink by its public id.
    public_id = str(registry_get("accessibility").objects().get(pk=point["id"]).public_id)
    assert link.get_attribute("href").endswith(f"/{public_id}/")
    assert page.evaluate("() => document.getElementById('map').mapView.selection()") == {
        "layer": "accessibility",
        "id": public_id,
    }
    assert f"select=accessibility:{public_id}" in page.url
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")
    # Farther than that is the map, not the point.
    page.touchscreen.tap(point["x"] + 16, point["y"])
    page.wait_for_timeout(300)
    assert page.locator(".leaflet-popup").count() == 0


def _permalink_page(chromium, demo, init_script=""):  # noqa: F811
    page = new_page(chromium, **PHONE, permissions=["clipboard-read", "clipboard-write"])
    if init_script:
        page.add_init_script(init_script)
    open_map(page, demo, f"map=16/{LAT}/{LON}&layers=accessibility")
    open_sheet(page)
    page.locator("#map-controls-toggle").tap()
    return page


NO_SHARE = "delete Navigator.prototype.share; delete navigator.share;"


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(NO_SHARE, id="clipboard"),
        pytest.param(
            NO_SHARE + "navigator.clipboard.writeText = () => Promise.reject(new Error('no'));",
            id="select-and-copy",
        ),
    ],
)
def test_the_permalink_is_copied_and_the_copy_announced(demo, chromium, script):  # noqa: F811
    page = _permalink_page(chromium, demo, script)
    button = page.locator("#map-permalink-share")
    assert button.inner_text() == uk("Copy the link")

    button.tap()

    status = page.locator("#map-permalink-status")
    assert status.get_attribute("role") == "status"
    page.wait_for_function("() => document.getElementById('map-permalink-status').textContent")
    assert status.inner_text() == "Посилання скопійовано."
    href = page.locator("#map-permalink").get_attribute("href")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == demo["url"] + href
    assert "#map=16/" in copied and "layers=accessibility" in copied
    assert page.console_errors == []
    page.context.close()


def test_the_permalink_is_shared_where_the_phone_can_share(demo, chromium):  # noqa: F811
    page = _permalink_page(
        chromium, demo, "navigator.share = async (data) => { window.sharedLink = data; };"
    )
    button = page.locator("#map-permalink-share")
    assert button.inner_text() == uk("Share the link")

    button.tap()

    page.wait_for_function("() => window.sharedLink")
    shared = page.evaluate("() => window.sharedLink")
    assert shared["url"] == demo["url"] + page.locator("#map-permalink").get_attribute("href")
    page.wait_for_function("() => document.getElementById('map-permalink-status').textContent")
    assert page.locator("#map-permalink-status").inner_text() == uk("The link is shared.")
    page.context.close()


def _centre_distance(page, lat, lon) -> float:
    return page.evaluate(
        """([lat, lon]) => { const m = document.getElementById('map').mapView.map;
        const p = m.latLngToContainerPoint([lat, lon]); const s = m.getSize();
        return Math.hypot(p.x - s.x / 2, p.y - s.y / 2); }""",
        [lat, lon],
    )


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_open_on_the_big_map_lands_on_the_record_selected_and_centred(demo, chromium, viewport):  # noqa: F811
    options = PHONE if viewport == "phone" else {"viewport": {"width": 1280, "height": 800}}
    page = new_page(chromium, **options)
    # A tree: its layer is not on by default, the link switches it on.
    tree = Tree.objects.filter(status="published").order_by("pk").first()
    page.goto(f"{demo['url']}/trees/{tree.public_id}/")
    link = page.get_by_role("link", name="Відкрити на великій карті")

    link.click()

    page.wait_for_function(
        "() => document.getElementById('map') && document.getElementById('map').mapView"
    )
    popup_link = page.locator(".leaflet-popup .popup-link")
    popup_link.wait_for(timeout=15000)
    assert popup_link.get_attribute("href").endswith(f"/trees/{tree.public_id}/")
    assert page.is_checked("#layer-trees")
    assert page.evaluate("() => document.getElementById('map').mapView.selection()") == {
        "layer": "trees",
        "id": str(tree.public_id),
    }
    assert f"select=trees:{tree.public_id}" in page.url
    assert _centre_distance(page, tree.geom.y, tree.geom.x) < 40
    # Outlined on the map: the selection's rings are drawn over the layers.
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 0
    assert page.locator(".leaflet-overlay-pane path").count() >= 3  # boundary + two rings
    # Closing the popup drops the selection from the map and the link.
    page.locator(".leaflet-popup-close-button").click()
    page.wait_for_function("() => !location.hash.includes('select=')")
    assert page.evaluate("() => document.getElementById('map').mapView.selection()") is None
    assert page.console_errors == []
    page.context.close()


def test_leaflet_speaks_ukrainian_on_the_record_page_and_the_map(demo, page):  # noqa: F811
    page.goto(f"{demo['url']}/accessibility/{demo['scripty'].public_id}/")
    page.wait_for_selector("#record-map .leaflet-control-zoom-in")
    record_map = page.locator("#record-map")
    assert record_map.locator(".leaflet-control-zoom-in").get_attribute("title") == "Наблизити"
    assert record_map.locator(".leaflet-control-zoom-out").get_attribute("title") == "Віддалити"
    credit = record_map.locator('.leaflet-control-attribution a[href="https://leafletjs.com"]')
    assert credit.get_attribute("title") == uk("A JavaScript library for interactive maps")

    open_map(page, demo, f"map=17/{LAT}/{LON}&layers=accessibility")
    assert page.locator("#map .leaflet-control-zoom-in").get_attribute("title") == "Наблизити"
    assert page.locator("#map .leaflet-control-zoom-out").get_attribute("title") == "Віддалити"
    credit = page.locator('#map .leaflet-control-attribution a[href="https://leafletjs.com"]')
    assert credit.get_attribute("title") == uk("A JavaScript library for interactive maps")
    open_sheet(page)
    wait_for_list(page, "accessibility")
    page.locator("#map-list-body .record-item button").first.tap()
    close = page.locator(".leaflet-popup-close-button")
    close.wait_for()
    assert close.get_attribute("aria-label") == uk("Close the popup")


def test_axe_finds_no_serious_violations_on_the_phone(demo, page, axe_violations):  # noqa: F811
    open_map(page, demo, f"map=16/{LAT}/{LON}&layers=accessibility,waste-sites")
    wait_for_features(page, "accessibility")
    assert axe_violations() == []

    open_sheet(page)
    page.locator("#map-controls-toggle").tap()
    wait_for_list(page, "accessibility")
    page.locator('[data-layer="accessibility"] details summary').tap()
    assert axe_violations() == []

    page.locator("#map-list-body .record-item button").first.tap()
    page.locator(".leaflet-popup .popup").wait_for()
    assert axe_violations() == []

    page.goto(f"{demo['url']}/accessibility/{demo['scripty'].public_id}/")
    assert axe_violations() == []
    tree = Tree.objects.filter(status="published").order_by("pk").first()
    page.goto(f"{demo['url']}/trees/{tree.public_id}/")
    assert axe_violations() == []
    assert page.console_errors == []


def test_screenshots_of_the_phone_and_the_desktop(demo, page, screenshot, chromium):  # noqa: F811
    every = "accessibility,waste-sites,heritage,trees,playgrounds"
    open_map(page, demo, f"map=16/{LAT}/{LON}&layers={every}")
    wait_for_features(page, "accessibility")
    page.wait_for_timeout(500)
    screenshot("phone-map-sheet-collapsed")

    open_sheet(page)
    wait_for_list(page, "accessibility")
    page.wait_for_timeout(400)
    screenshot("phone-map-sheet-half")

    page.locator("#map-sheet-size").tap()
    page.locator("#map-controls-toggle").tap()
    page.wait_for_timeout(400)
    screenshot("phone-map-sheet-full-controls")
    # The legends of areas (hatching), lines (dashes) and points and areas together.
    for layer in ("green-areas", "road-excavations", "heritage"):
        page.locator(f'#map-layers [data-layer="{layer}"]').scroll_into_view_if_needed()
        screenshot(f"phone-map-legend-{layer}")

    page.locator("#map-sheet-size").tap()
    page.locator("#map-list-body .record-item button").first.tap()
    page.locator(".leaflet-popup .popup").wait_for()
    page.wait_for_timeout(400)
    screenshot("phone-map-popup")

    tree = Tree.objects.filter(status="published").order_by("pk").first()
    page.goto(f"{demo['url']}/trees/{tree.public_id}/")
    page.wait_for_selector("#record-map .leaflet-control-zoom-in")
    screenshot("phone-record-tree")
    page.goto(f"{demo['url']}/accessibility/{demo['scripty'].public_id}/")
    page.wait_for_selector("#record-map .leaflet-control-zoom-in")
    page.screenshot(path=str(ARTIFACTS / "phone-record-accessibility-full.png"), full_page=True)

    desktop = new_page(chromium, viewport={"width": 1280, "height": 800})
    open_map(desktop, demo, f"map=16/{LAT}/{LON}&layers={every}")
    wait_for_features(desktop, "accessibility")
    wait_for_list(desktop, "accessibility")
    desktop.wait_for_timeout(500)
    desktop.screenshot(path=str(ARTIFACTS / "desktop-map-1280.png"))
    desktop.context.close()
    assert page.console_errors == []
