"""Browser tests: Playwright driving Debian's Chromium (Playwright cannot fetch its own here)."""

import base64
import os
import time
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from playwright.sync_api import sync_playwright

from geoportal.env import BASE_DIR

CHROMIUM = os.environ.get("GEOPORTAL_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = BASE_DIR / "var" / "test-artifacts"
# A 1x1 transparent PNG stands in for base-map tiles: the test machines have no internet.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


# Another session of the test database still at work: a statement running, or a transaction
# open between statements (a tile being built, then kept).
BUSY_SESSIONS = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND backend_type = 'client backend' AND state IN ('active', 'idle in transaction')
"""
QUIET_WAIT_S = 5.0


@pytest.fixture(autouse=True)
def live_server_done(request, _django_db_helper):
    """Let the live server finish what a closed page still asked (a tile being built and
    kept) before the transactional test empties the tables: TRUNCATE against a tile
    query's locks can deadlock, and then the flush fails. Asked of PostgreSQL itself, so a
    request that never said it ended costs nothing."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return  # no flush follows this test
    deadline = time.monotonic() + QUIET_WAIT_S
    try:
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(BUSY_SESSIONS)
                if not cursor.fetchone()[0]:
                    break
                time.sleep(0.02)
    except DatabaseError:  # a test without the database, or one that closed it
        pass


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    # Playwright's sync API runs an event loop in this thread; the test code around it is
    # still synchronous, so Django's async-safety guard would refuse the database.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def new_page(browser, **options):
    """A page in a fresh context (Ukrainian unless told otherwise) that records console
    errors in ``page.console_errors`` and gets blank base-map tiles; close its context."""
    context = browser.new_context(**{"locale": "uk-UA", **options})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )
    return page


@pytest.fixture
def page(chromium, request):
    """A fresh browser page that records console errors and serves blank base-map tiles."""
    page = new_page(chromium, viewport={"width": 1280, "height": 800})
    yield page
    page.context.close()


@pytest.fixture
def screenshot(page):
    """Save a screenshot under var/test-artifacts/ for a person to look at."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# What WCAG 2.1 AA asks; axe's "best-practice" rules are advice, not the standard.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe_violations(page):
    """Run axe-core in the page; return its serious and critical violations (id, targets).

    The script is evaluated through DevTools, which the page's CSP does not govern, so the
    policy stays exactly as production serves it.
    """

    def run() -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
            ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))",
            AXE_TAGS,
        )
        return [v for v in result if v["impact"] in ("serious", "critical")]

    return run
