"""Every HTML page of the portal, public and staff, in a real browser: axe-core finds no
serious or critical violation, and a Ukrainian page says nothing in English.

The page list is checked against the URL configuration, so a new page cannot be forgotten:
every route is either visited here or excluded with its reason (not HTML, a POST-only
action, Django's own admin)."""

import io
import re
from types import SimpleNamespace

import pytest
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError

from layers.campaigns import services as campaigns
from layers.editing import services
from layers.imports import services as imports
from layers.imports.preview import job_preview
from layers.registry import registry_get
from layers.templatetags.languages import address_in
from sdg.loading import indicators_load
from tests.browser.conftest import AXE, AXE_TAGS, new_page
from tests.campaigns.conftest import object_create
from tests.campaigns.conftest import world as campaign_world  # noqa: F401 - a fixture
from tests.editing.conftest import PASSWORD, draft_create, published_create
from tests.editing.test_permission_matrix import site_routes
from tests.factories import SAMPLE_ID, published_record, registry_resolve
from tests.imports.matrix_world import survey_csv
from tests.reports.conftest import every_page_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Routes that are not pages a person reads, each with its reason.
NOT_PAGES = {
    r"^admin/": "Django's own administration (translated by Django; not our templates)",
    r"^api/(?!docs/)": "the JSON API",
    r"^sdg/api/": "the SDG monitoring's JSON API",
    r"^tiles/": "vector tiles and TileJSON",
    r"^media/": "uploaded files",
    r"\.(json|csv|xlsx|pdf|pbf|css)$|\.<str:suffix>$": "a download, not a page",
    r"download/<str:name>$": "a download, not a page",
    r"/tiles/<str:matrix_set>/<int:z>/<int:y>/<int:x>$": "an OGC tile",
    r"^ogc$|\^\(\?P<rest>": "a redirect or the OGC catch-all for unknown paths",
    r"^ogc/catalogue$": "the DCAT catalogue (RDF), not HTML",
    r"^ogc/(passports|tileMatrixSets(/<str:matrix_set>)?)$": "JSON only: no HTML rendering",
    r"/(structure|tiles(/<str:matrix_set>)?)$": "JSON only: no HTML rendering",
    r"^healthz$|^i18n/setlang/$|^logout/$": "not a page (health check, POST-only)",
    r"/(approve|reject|withdraw|submit|archive|restore|commit|rollback|read)/$": "POST only",
    r"^barrier-free/owners/<int:stewardship_id>/$": "a POST-only decision",
    r"^barrier-free/request/<uuid:public_id>/$": "POST only (its form is on the search page)",
    r"^edit/<slug:registry>/(check|features)/$": "the editor map's JSON (geometry check, features)",
    r"^edit/imports/<uuid:public_id>/(reading|mapping|check)/$": "a POST-only step (its form is "
    "on the job's page, visited in each state)",
    r"^open311/": "Open311 GeoReport v2: JSON and XML for apps and city systems",
    r"^reports/(map\.geojson|download/.*|feeds/.*\.atom|<int:report_id>/photos/.*)$": "GeoJSON, "
    "CSV, Atom, a photo",
    r"^reports/alerts/report/<int:report_id>/$": "POST only (its form is on the report's page)",
    r"^edit/reports/<int:report_id>/(moderate|answer|change)/$": "POST only (forms on the "
    "report's staff page)",
    r"^password-reset/<uidb64>/<token>/$": "needs a mailed token (its page is tested in "
    "tests/campaigns/test_invitations.py)",
}

# Pages allowed to speak English, with the reason (axe still checks them).
ENGLISH_PAGES = {
    "/api/docs/": "the editing API's reference for developers, generated from the OpenAPI "
    "schema by Redoc, whose interface has no Ukrainian",
}

# Words that are names, not English: formats, standards, products, units, the column names
# an import recognises and the usernames and Latin species name of the test's data.
_NAMES = """
    api csv json geojson xlsx pdf ogc dcat dcat-ap qgis gdal openstreetmap osm leaflet wgs
    epsg crs cql cql2 mvt url uuid openapi html a11yjson geoman tilejson xml wms wfs django
    gis ecrs ogr crs84 zip shp gpkg geopackage kml svg png jpeg jpg webp heic utf-8 utf bbox
    okabe-ito wcag sdg oapif owslib pygeoapi postgis postgresql shapefile excel windows-1251
    lon lat longitude latitude wkt tilia cordata javascript atom
"""
LATIN_NAMES = set(_NAMES.split())


def _page_routes() -> set[str]:
    return {r for r in site_routes() if not any(re.search(rule, r) for rule in NOT_PAGES)}


@pytest.fixture
def site(live_server, campaign_world):  # noqa: F811 - the fixture imported above
    """Something in every state a page can show: records of every registry, a pending
    change, a decided one, an import in review, an open campaign with an owner."""
    w = campaign_world
    actors = w.actors
    registry_resolve(SAMPLE_ID)
    records = {}
    for registry_id in ("trees", "green-areas", "heritage", "protection-zones", "waste-sites"):
        records[registry_id] = published_create(registry_get(registry_id), actors)
    records["accessibility"] = w.clinic
    unstewarded = object_create(actors, "Школа № 5")
    records[SAMPLE_ID] = published_record(registry_get(SAMPLE_ID))
    trees = registry_get("trees")
    pending = draft_create(trees, actors.editor)
    pending_change = services.record_submit(
        registry=trees, record=pending, user=actors.editor, base_version=pending.version
    )
    refused = draft_create(trees, actors.editor)
    rejected_change = services.change_reject(
        change=services.record_submit(
            registry=trees, record=refused, user=actors.editor, base_version=refused.version
        ),
        user=actors.reviewer,
        comment="Вкажіть інвентарний номер з бирки.",
    )
    # The worker writes an import's messages in the site's language, Ukrainian.
    with translation.override("uk"):
        job = imports.import_create(
            registry=trees, user=actors.editor, upload=io.BytesIO(survey_csv()), file_name="a.csv"
        )
        job_preview(job)
        job = imports.import_commit(job=imports.import_check(job=job), user=actors.editor)
        uploaded_job = imports.import_create(
            registry=trees,
            user=actors.editor,
            upload=io.BytesIO(survey_csv(offset=0.01)),
            file_name="b.csv",
        )
        job_preview(uploaded_job)
    indicators_load()  # the SDG dashboard's indicators (data/sdg/)
    submission = campaigns.submission_start(
        campaign=w.campaign, accessible_object=w.clinic, user=w.owner
    )
    report = every_page_report(actors, w.clinic)
    return SimpleNamespace(
        url=live_server.url,
        world=w,
        records=records,
        job=job,
        uploaded_job=uploaded_job,
        unstewarded=unstewarded,
        pending_change=pending_change,
        rejected_change=rejected_change,
        submission=submission,
        report=report,
    )


def _record_urls(site, prefix: str, suffix: str = "") -> list[str]:
    return [
        f"{prefix}{registry_id}/{record.public_id}/{suffix}"
        for registry_id, record in site.records.items()
    ]


def _pages(site) -> dict[str, list[tuple[str, str]]]:
    """Route → [(who, path)]: who is "public", "staff" (the administrator), "editor" (whose
    change was rejected) or "owner"."""
    clinic = site.world.clinic.public_id
    year = site.world.campaign.year
    job = site.job.public_id
    tree = site.records["trees"]
    every_registry = list(site.records)
    return {
        "": [("public", "/")],
        "<slug:collection>/<uuid:public_id>/": [("public", p) for p in _record_urls(site, "/")],
        "accessibility/awards/": [("public", "/accessibility/awards/")],
        "sdg/": [("public", "/sdg/")],
        "sdg/goals/<int:number>/": [("public", "/sdg/goals/11/"), ("public", "/sdg/goals/1/")],
        "sdg/indicators/<slug:code>/": [
            ("public", "/sdg/indicators/15-kh-2/"),
            ("public", "/sdg/indicators/12-5-kh-1/"),
        ],
        "login/": [("public", "/login/")],
        "password-reset/": [("public", "/password-reset/")],
        "password-reset/sent/": [("public", "/password-reset/sent/")],
        "password-reset/done/": [("public", "/password-reset/done/")],
        "ogc/": [("public", "/ogc/")],
        "ogc/api": [("public", "/ogc/api")],
        "ogc/conformance": [("public", "/ogc/conformance")],
        "ogc/collections": [("public", "/ogc/collections")],
        # A registry's collection and the citizen reports' (a simple collection, own views).
        "ogc/collections/<str:collection_id>": [
            ("public", "/ogc/collections/trees"),
            ("public", "/ogc/collections/reports"),
        ],
        "ogc/collections/<str:collection_id>/items": [
            ("public", "/ogc/collections/trees/items"),
            ("public", "/ogc/collections/reports/items"),
        ],
        "ogc/collections/<str:collection_id>/items/<str:feature_id>": [
            ("public", f"/ogc/collections/trees/items/{tree.public_id}"),
            ("public", f"/ogc/collections/reports/items/{site.report.pk}"),
        ],
        "ogc/collections/<str:collection_id>/queryables": [
            ("public", "/ogc/collections/trees/queryables"),
            ("public", "/ogc/collections/reports/queryables"),
        ],
        "api/docs/": [("public", "/api/docs/")],
        "edit/": [("staff", "/edit/"), ("editor", "/edit/")],
        "edit/changes/<int:change_id>/": [
            ("staff", f"/edit/changes/{site.pending_change.pk}/"),
            ("editor", f"/edit/changes/{site.rejected_change.pk}/"),
        ],
        "edit/review/": [("staff", "/edit/review/")],
        "edit/api-token/": [("staff", "/edit/api-token/")],
        "edit/<slug:registry>/": [("staff", f"/edit/{r}/") for r in every_registry],
        "edit/<slug:registry>/new/": [("staff", f"/edit/{r}/new/") for r in every_registry],
        "edit/<slug:registry>/<uuid:public_id>/": [
            ("staff", p) for p in _record_urls(site, "/edit/")
        ],
        "edit/<slug:registry>/<uuid:public_id>/history/": [
            ("staff", f"/edit/trees/{tree.public_id}/history/"),
            ("staff", f"/edit/accessibility/{clinic}/history/"),
        ],
        "edit/<slug:registry>/import/": [("staff", "/edit/trees/import/")],
        "edit/imports/<uuid:public_id>/": [
            ("staff", f"/edit/imports/{job}/"),
            ("staff", f"/edit/imports/{site.uploaded_job.public_id}/"),
        ],
        "edit/imports/<uuid:public_id>/review/": [("staff", f"/edit/imports/{job}/review/")],
        "barrier-free/campaigns/": [("staff", "/barrier-free/campaigns/")],
        "barrier-free/campaigns/<int:year>/": [("staff", f"/barrier-free/campaigns/{year}/")],
        "barrier-free/campaigns/<int:year>/review/<int:submission_id>/": [
            ("staff", f"/barrier-free/campaigns/{year}/review/{site.submission.pk}/")
        ],
        "barrier-free/owners/": [("staff", "/barrier-free/owners/")],
        "barrier-free/": [("owner", "/barrier-free/")],
        "barrier-free/request/": [
            ("owner", "/barrier-free/request/"),
            ("owner", "/barrier-free/request/?q=Школа"),
        ],
        "barrier-free/objects/<uuid:public_id>/<int:year>/": [
            ("owner", f"/barrier-free/objects/{clinic}/{year}/")
        ],
        "barrier-free/objects/<uuid:public_id>/<int:year>/<int:number>/": [
            ("owner", f"/barrier-free/objects/{clinic}/{year}/1/")
        ],
        "barrier-free/objects/<uuid:public_id>/describe/": [
            ("owner", f"/barrier-free/objects/{clinic}/describe/")
        ],
        **_report_pages(site),
    }


def _report_pages(site) -> dict[str, list[tuple[str, str]]]:
    from reports.tokens import CONFIRM_ALERT, CONFIRM_REPORT, UNSUBSCRIBE, token_make

    report = site.report.pk
    return {
        "reports/": [("public", "/reports/")],
        "reports/new/": [
            ("public", "/reports/new/"),
            (
                "public",
                f"/reports/new/?registry=accessibility&record={site.world.clinic.public_id}",
            ),
        ],
        "reports/new/sent/": [("public", "/reports/new/sent/?confirm=1")],
        "reports/confirm/<str:token>/": [
            ("public", f"/reports/confirm/{token_make(CONFIRM_REPORT, report)}/")
        ],
        "reports/<int:report_id>/": [("public", f"/reports/{report}/")],
        "reports/alerts/": [("public", "/reports/alerts/")],
        "reports/figures/": [("public", "/reports/figures/")],
        "reports/alerts/confirm/<str:token>/": [
            ("public", f"/reports/alerts/confirm/{token_make(CONFIRM_ALERT, 1)}/")
        ],
        "reports/alerts/unsubscribe/<str:token>/": [
            ("public", f"/reports/alerts/unsubscribe/{token_make(UNSUBSCRIBE, 1)}/")
        ],
        "edit/reports/": [("staff", "/edit/reports/")],
        "edit/reports/<int:report_id>/": [("staff", f"/edit/reports/{report}/")],
    }


def test_every_page_is_visited_or_excluded_with_a_reason(site):
    listed = set(_pages(site))
    routes = _page_routes()
    assert routes - listed == set(), "pages nobody checks; add them to _pages or NOT_PAGES"
    assert listed - routes == set(), "pages listed here that the site no longer has"


# Text in another language (lang), code and what is marked not to be translated (the
# columns of an imported file: translate="no") is not the page's own.
_SCAN = """
() => {
  const skip = (node) => node.closest(
    '[lang]:not([lang^="uk"]), [translate="no"], code, pre, kbd, samp, script, style,'
    + ' noscript, template'
  );
  const shown = (el) => el.checkVisibility ? el.checkVisibility() : true;
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || skip(parent)) continue;
    if (!shown(parent) && parent.tagName !== "OPTION") continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  const attrs = ["aria-label", "title", "alt", "placeholder", "aria-roledescription"];
  for (const el of document.querySelectorAll(attrs.map((a) => `[${a}]`).join(","))) {
    if (skip(el)) continue;
    for (const a of attrs) if (el.getAttribute(a)) texts.push(el.getAttribute(a));
  }
  for (const el of document.querySelectorAll("input[type=submit], input[type=button]")) {
    if (!skip(el) && el.value) texts.push(el.value);
  }
  texts.push(document.title);
  return texts;
}
"""

_NOT_WORDS = re.compile(
    r"https?://\S+|\S+@\S+|\S+\.(?i:csv|json|xlsx|pdf|zip|gpkg|geojson|shp|png|jpe?g)\b"
    # Names of standards and licences, and identifiers (snake_case, camelCase: A11yJSON's
    # properties, OSM's keys) and the OSM opening_hours syntax in examples.
    r"|OGC API – Features|Creative Commons Attribution[\w .]*"
    r"|\b[A-Za-z]+_[\w]+\b|\b[a-z]+[A-Z]\w*\b"
    r"|\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)(-(Mo|Tu|We|Th|Fr|Sa|Su))?\b"
    r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]")


def english_words(texts: list[str], allowed: set[str]) -> list[tuple[str, str]]:
    """(word, the text it is in) for every Latin-script word that is not a known name."""
    found = []
    for text in texts:
        # GeoJSON in a geometry field, and the labels the factory's data-defined sample
        # registry writes as English words marked "(uk)": data, not the page's words.
        if text.lstrip().startswith("{") or "(uk)" in text:
            continue
        for word in _LATIN_WORD.findall(_NOT_WORDS.sub(" ", text)):
            if len(word) < 3 or word.lower() in allowed or word.isupper():
                continue
            found.append((word, text[:120]))
    return found


def test_the_english_word_scanner_finds_english():
    texts = ["Zoom in", "Збільшити", "Формат GeoJSON", "EPSG:4326", "ключ isLevel", "Mo-Fr"]
    found = english_words([*texts, "Close popup"], LATIN_NAMES)
    assert [w for w, _ in found] == ["Zoom", "Close", "popup"], found


def _visit(browser, who, path, site):
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    if who != "public":
        user = {
            "staff": site.world.actors.administrator,
            "editor": site.world.actors.editor,
            "owner": site.world.owner,
        }[who]
        page.goto(f"{site.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click(".login-form button[type=submit]")
    try:
        response = page.goto(site.url + path)
    except PlaywrightError as exc:  # a 4xx/5xx that Chromium refuses to show
        return page, SimpleNamespace(status=str(exc).split("\n")[0])
    page.wait_for_load_state("networkidle")
    return page, response


def _axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact,"
        " targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        AXE_TAGS,
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_every_page_is_clean_for_axe_and_says_nothing_in_english(site, chromium):
    """…and its language switch leads to the same page in English (the round trip by
    clicking is tested in test_language_and_records.py)."""
    usernames = {u.lower() for u in ("editor", "reviewer", "administrator", "owner", "owner2")}
    allowed = LATIN_NAMES | usernames
    problems = {}
    visited = switches = 0
    for visits in _pages(site).values():
        for who, path in visits:
            page, response = _visit(chromium, who, path, site)
            try:
                if response is None or response.status != 200:
                    problems[path] = f"HTTP {response.status if response else '?'}"
                    continue
                if page.locator("html").get_attribute("lang") != "uk":
                    problems[path] = "not a Ukrainian page"
                    continue
                english = (
                    [] if path in ENGLISH_PAGES else english_words(page.evaluate(_SCAN), allowed)
                )
                violations = _axe(page)
                # The language switch leads to this same page in English (the server moves
                # ``next`` into the chosen language, as address_in does).
                switch = page.locator(".lang-switch input[name=next]")
                if switch.count():
                    target = re.split(r"[?#]", address_in(switch.get_attribute("value"), "en"))[0]
                    if target != "/en" + path.split("?")[0]:
                        problems[path] = f"the switch to English leads to {target}"
                        continue
                    switches += 1
                if english or violations:
                    words = sorted({f"{word} ({text})" for word, text in english})
                    problems[path] = {"english": words, "axe": violations}
                visited += 1
            finally:
                page.context.close()
    assert not problems, "\n".join(f"{path}: {detail}" for path, detail in problems.items())
    assert visited >= 50
    assert switches >= visited - len(ENGLISH_PAGES)
