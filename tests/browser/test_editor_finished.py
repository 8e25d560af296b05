"""The map editor as GIS staff use it: marker images that load, a named and translated
toolbar, a summary of a refused save, no lost work, near-duplicates within a few metres and
the next tree placed without leaving the map."""

import json
import math
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from layers.editing import services
from layers.editing.models import Role
from layers.models import Tree
from layers.registry import registry_get
from tests.browser.conftest import new_page
from tests.factories import CENTRE, _species, published_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-password"
NEW_TREE = "/edit/trees/new/"


def _editor():
    user = get_user_model().objects.create_user("mapper", password=PASSWORD, is_staff=True)
    services.role_grant(user=user, registry=registry_get("trees"), role=Role.EDITOR)
    return user


def _log_in(page, base, next_url=NEW_TREE):
    page.goto(f"{base}/admin/login/?next={next_url}")
    page.fill("#id_username", "mapper")
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"**{next_url}*")
    page.wait_for_selector(".leaflet-pm-toolbar")


def _east_of_centre(metres: float) -> tuple[float, float]:
    lon, lat = CENTRE
    return lon + metres / (111_320 * math.cos(math.radians(lat))), lat


def _type_point(page, lon, lat):
    page.fill("[data-coordinate=lon]", f"{lon:.7f}")
    page.fill("[data-coordinate=lat]", f"{lat:.7f}")
    page.locator("[data-coordinate=lat]").dispatch_event("change")


@pytest.fixture
def editor_site(live_server):
    call_command("load_boundary", verbosity=0)
    _species()
    _editor()
    return live_server.url


def test_marker_images_load_and_the_toolbar_is_named_in_ukrainian(
    editor_site, page, screenshot, axe_violations
):
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    _log_in(page, editor_site)
    page.locator("#edit-map").click()
    marker = page.wait_for_selector(".leaflet-marker-icon")
    page.wait_for_selector("#geometry-feedback.feedback-ok")
    config = page.evaluate("() => JSON.parse(document.getElementById('editor-config').textContent)")
    assert marker.get_attribute("src") == config["icons"]["iconUrl"]
    assert page.evaluate("() => document.querySelector('.leaflet-marker-icon').naturalWidth") > 0
    assert failed == []

    links = page.locator(".leaflet-pm-toolbar a.leaflet-buttons-control-button")
    assert links.count() >= 3
    names = [links.nth(i).get_attribute("aria-label") for i in range(links.count())]
    assert all(names), names
    assert "Малювати маркер" in names
    assert all(re.search("[а-яіїєґ]", name, re.I) for name in names), names
    # Leaflet's zoom titles are the page's (translated with the catalogue), not Leaflet's.
    zoom_in = page.locator(".leaflet-control-zoom-in")
    assert zoom_in.get_attribute("title") == config["messages"]["zoomIn"]
    assert axe_violations() == []
    screenshot("editor-finished-desktop-uk")
    assert page.console_errors == []


def test_the_editor_on_a_phone(editor_site, chromium):
    phone = new_page(
        chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        _log_in(phone, editor_site)
        phone.locator("#edit-map").click()
        phone.wait_for_selector(".leaflet-marker-icon")
        phone.wait_for_selector("#geometry-feedback.feedback-ok")
        from tests.browser.conftest import ARTIFACTS

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "editor-finished-phone-uk.png"))
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        phone.context.close()


def test_a_refused_save_moves_focus_to_the_error_summary(editor_site, page, screenshot):
    _log_in(page, editor_site)
    page.click("#record-form button[type=submit]:not([name])")
    page.wait_for_selector("#form-errors")
    # The summary is in the server's page; the editor's script moves focus to it once loaded.
    page.wait_for_function("() => document.activeElement.id === 'form-errors'", timeout=10000)
    summary = page.locator("#form-errors")
    assert summary.locator("a[href='#id_geom']").count() == 1
    assert summary.locator("a[href='#id_species']").count() == 1
    box = summary.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    screenshot("editor-finished-error-summary-uk")


def test_a_near_duplicate_at_3_m_states_the_distance(editor_site, page):
    published_record(registry_get("trees"))
    _log_in(page, editor_site)
    _type_point(page, *_east_of_centre(2.5))
    page.wait_for_selector("#geometry-feedback.feedback-warning")
    text = page.inner_text("#geometry-feedback")
    assert re.search(r"2[.,][45]", text), text


def test_save_and_add_another_keeps_the_species_and_the_map(editor_site, page, screenshot):
    species = _species()
    _log_in(page, editor_site)
    page.locator("#edit-map").click()
    page.wait_for_selector("#geometry-feedback.feedback-ok")
    page.select_option("#id_species", str(species.pk))
    page.select_option("#id_condition", index=1)
    condition = page.input_value("#id_condition")
    page.click("button[name=then][value=another]")
    page.wait_for_url("**/edit/trees/new/?copy=*")
    page.wait_for_selector(".leaflet-pm-toolbar")
    assert Tree.objects.count() == 1
    assert page.input_value("#id_species") == str(species.pk)
    assert page.input_value("#id_condition") == condition
    assert page.input_value("#id_geom") == ""
    assert "view=" in page.url
    # The next tree, placed on the same view.
    lon, lat = _east_of_centre(10)
    _type_point(page, lon, lat)
    page.wait_for_selector("#geometry-feedback.feedback-ok")
    screenshot("editor-finished-add-another-uk")
    page.click("button[name=then][value=another]")
    page.wait_for_url("**/edit/trees/new/?copy=*")
    assert Tree.objects.filter(species=species).count() == 2


def test_opening_another_record_with_unsaved_changes_asks(editor_site, page):
    other = published_record(registry_get("trees"))
    lon, lat = CENTRE
    _log_in(page, editor_site, f"{NEW_TREE}?view={lat},{lon},19")
    page.wait_for_selector("#edit-map path.leaflet-interactive")
    _type_point(page, *_east_of_centre(15))
    page.wait_for_selector("#geometry-feedback.feedback-ok")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("#edit-map path.leaflet-interactive").first.click()
    page.wait_for_timeout(300)
    assert asked and "/new/" in page.url
    assert '"Point"' in page.input_value("#id_geom")
    page.once("dialog", lambda dialog: asked.append(dialog.message) or dialog.accept())
    page.locator("#edit-map path.leaflet-interactive").first.click()
    page.wait_for_timeout(1500)
    assert len(asked) == 2 and str(other.public_id) in page.url, (
        asked,
        page.url,
        page.console_errors,
    )


def _point_of(page):
    value = page.input_value("#id_geom")
    return json.loads(value)["coordinates"] if value else None


def test_undo_takes_back_each_geometry_step_in_turn(editor_site, page):
    _log_in(page, editor_site)
    undo = page.locator("[data-undo]")
    assert undo.is_disabled()
    first, second = _east_of_centre(10), _east_of_centre(30)
    _type_point(page, *first)
    page.wait_for_selector("#geometry-feedback.feedback-ok")
    _type_point(page, *second)
    page.wait_for_function(
        "(lon) => (document.getElementById('id_geom').value || '').includes(lon)",
        arg=f"{second[0]:.6f}"[:9],
    )
    # The second point's check is answered before the undo (or its answer would land after).
    page.wait_for_selector("#geometry-feedback.feedback-ok")
    assert _point_of(page) == pytest.approx(list(second), abs=1e-6)

    undo.click()
    assert _point_of(page) == pytest.approx(list(first), abs=1e-6)
    page.wait_for_selector("#geometry-feedback:has-text('скасовано')")
    # The marker on the map went back too: one marker, at the first point.
    assert page.locator("#edit-map .leaflet-marker-icon").count() == 1
    assert not undo.is_disabled()

    undo.click()
    assert page.input_value("#id_geom") == ""
    assert page.locator("#edit-map .leaflet-marker-icon").count() == 0
    assert undo.is_disabled()
    assert page.console_errors == []
