"""The public map's first render in headless Chromium (Debian's, as the browser tests use).

Timed from the start of navigation until every layer shown on the map has drawn all its
tiles (Leaflet's ``isLoading()`` is false on each, and each has tiles), in a fresh browser
context every run: nothing cached. Base-map tiles are answered with a blank image (no
internet here, and they are not ours to measure).
"""

import base64
import os
import statistics
from pathlib import Path

from bench.config import CENTER, HOST

CHROMIUM = os.environ.get("GEOPORTAL_CHROMIUM", "/usr/bin/chromium")
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
VIEWPORT = {"width": 1280, "height": 800}  # a laptop; the map area is what is left of it
EVERY_LAYER = "accessibility,green-areas,heritage,waste-sites,trees"
# What is measured: the map as a resident first opens it (trees are off until asked for),
# and the trees switched on at the lowest zoom that draws them and at street level.
VIEWS = {
    "default view": "/",
    "trees on, z14": f"/#map=14/{CENTER[0]}/{CENTER[1]}&layers={EVERY_LAYER}",
    "trees on, z16": f"/#map=16/{CENTER[0]}/{CENTER[1]}&layers={EVERY_LAYER}",
}
DRAWN = """() => {
  const element = document.getElementById('map');
  const view = element && element.mapView;
  if (!view) return false;
  const shown = [...view.layers.values()].filter((layer) => view.map.hasLayer(layer));
  const drawn = shown.every((layer) => !layer.isLoading() && Object.keys(layer._tiles).length);
  return drawn ? performance.now() : false;
}"""
TIMEOUT_MS = 60_000
# Bytes over the wire for the page and everything it loaded by the time it has drawn (the
# Resource Timing transfer sizes: headers and the body as sent, gzipped where it was).
TRANSFERRED = """() => ['navigation', 'resource'].flatMap((t) => performance.getEntriesByType(t))
  .reduce((sum, entry) => sum + (entry.transferSize || 0), 0)"""


def _launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing (Debian package chromium)")
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    )


def _one(browser, url: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="uk-UA")
    page = context.new_page()
    tiles = {"requests": 0, "bytes": 0}

    def count(response):
        if "/tiles/trees/" in response.url and response.status == 200:
            tiles["requests"] += 1
            tiles["bytes"] += int(response.headers.get("content-length", 0))

    page.route(
        "https://*.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )
    page.on("response", count)
    try:
        page.goto(url, wait_until="commit")
        drawn_ms = page.wait_for_function(DRAWN, timeout=TIMEOUT_MS, polling=10).json_value()
        transferred = page.evaluate(TRANSFERRED)
    finally:
        context.close()
    return {"ms": drawn_ms, "transferred": transferred, **tiles}


def measure(port: int, runs: int) -> dict:
    """Median and slowest first render of each view, over ``runs`` cold runs."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            for name, path in VIEWS.items():
                url = f"http://{HOST}:{port}{path}"
                _one(browser, url)  # the server's first request of a kind is not a resident's
                samples = [_one(browser, url) for _ in range(runs)]
                times = [s["ms"] for s in samples]
                out[name] = {
                    "status": "ok",
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(max(times), 1),  # the slowest of few runs
                    "n": runs,
                    "tree_tiles": samples[-1]["requests"],
                    "tree_tile_kb": round(samples[-1]["bytes"] / 1024),
                    "transferred_kb": round(
                        statistics.median(s["transferred"] for s in samples) / 1024
                    ),
                }
        finally:
            browser.close()
    return out
