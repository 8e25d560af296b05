"""The trees below the zoom their dots start at: counts per cell, drawn as numbered discs
(what the overview the database keeps holds), and the trees themselves from that zoom on;
a count clicked brings the map closer."""

import pytest

from tests.browser.conftest import ARTIFACTS, new_page
from tests.browser.test_map import LAT, LON, demo, open_map, wait_for_features  # noqa: F401

pytestmark = [pytest.mark.browser]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# The features of the tiles of the zoom on screen, once every one of them has loaded.
TREES = """() => {
  const layer = document.getElementById('map').mapView.layers.get('trees');
  const keys = Object.keys(layer._tiles)
    .filter((k) => layer._tiles[k].coords.z === layer._tileZoom);
  const zoom = document.getElementById('map').mapView.map.getZoom();
  if (!keys.length || layer.isLoading() || layer._tileZoom !== zoom) return null;
  if (!keys.every((k) => layer._tileFeatures.has(k))) return null;
  return keys.flatMap((k) => layer._tileFeatures.get(k)).map((f) => ({id: f.id, p: f.properties}));
}"""

# The pixel under the first count on screen, and where it is on the page.
FIRST_COUNT = """() => {
  const {map, layers} = document.getElementById('map').mapView;
  const layer = layers.get('trees');
  const ratio = window.devicePixelRatio || 1;
  for (const [key, tile] of Object.entries(layer._tiles)) {
    for (const f of layer._tileFeatures.get(key) || []) {
      const [px, py] = f.rings[0][0];
      if (px < 0 || py < 0 || px >= 256 || py >= 256) continue;
      const latlng = layer.latLngOf(f);
      const p = map.latLngToContainerPoint(latlng);
      const size = map.getSize();
      if (p.x < 30 || p.y < 30 || p.x > size.x - 30 || p.y > size.y - 30) continue;
      const [r, g, b, a] = tile.el.getContext('2d').getImageData(
        Math.round((px + 12) * ratio), Math.round(py * ratio), 1, 1).data;
      const box = document.getElementById('map').getBoundingClientRect();
      return {count: f.properties.count, alpha: a, rgb: [r, g, b],
              x: box.left + p.x, y: box.top + p.y};
    }
  }
  return null;
}"""


def _trees(page):
    page.wait_for_function(TREES, timeout=20000)
    return page.evaluate(TREES)


def test_counts_below_the_switch_zoom_and_trees_from_it(demo, page, screenshot):  # noqa: F811
    open_map(page, demo, f"map=12/{LAT}/{LON}&layers=trees")
    wait_for_features(page, "trees")

    counted = _trees(page)
    assert counted and all(set(f["p"]) == {"count"} and f["id"] is None for f in counted)
    assert sum(f["p"]["count"] for f in counted) > 100  # the demo's 2,000 trees, counted
    assert page.locator("#layer-trees-zoom").count() == 0  # no "zoom in" note: counts show
    first = page.evaluate(FIRST_COUNT)
    assert first and first["alpha"] > 0  # a disc is drawn around each count
    screenshot("map-trees-counts-z12")

    # A count clicked: closer, towards it.
    page.mouse.click(first["x"], first["y"])
    page.wait_for_function("() => document.getElementById('map').mapView.map.getZoom() === 14")

    trees = _trees(page)
    assert trees and all("count" not in f["p"] and isinstance(f["id"], int) for f in trees)
    screenshot("map-trees-points-z14")
    assert page.console_errors == []


def test_counts_on_a_phone(demo, chromium):  # noqa: F811
    phone = new_page(chromium, **PHONE)
    try:
        open_map(phone, demo, f"map=11/{LAT}/{LON}&layers=trees")
        wait_for_features(phone, "trees")
        counted = _trees(phone)
        assert counted and all("count" in f["p"] for f in counted)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "map-trees-counts-phone.png"))
        assert phone.console_errors == []
    finally:
        phone.context.close()
