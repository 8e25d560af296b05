"""Derived values in the browser: an editor corrects a published building's entrance (not
step-free after all) in the map editor, a reviewer approves, and the public map's traffic
light and wheelchair answer change at once — the rating is derived on the editor's path as
on every other."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from layers.editing import services
from layers.editing.models import Role
from layers.registry import registry_get
from tests.browser.conftest import new_page
from tests.browser.test_editing import PASSWORD, _log_in
from tests.factories import CENTRE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LON, LAT = CENTRE
# The record's features in the tiles on screen (by their integer id, the record's key).
TILE_FEATURES = """(fid) => {
  const layer = document.getElementById('map').mapView.layers.get('accessibility');
  return Array.from(layer._tileFeatures.values()).flat().filter((f) => f.id === fid)
    .map((f) => f.properties);
}"""
# What its popup reads: the record behind that id.
POPUP_RECORD = """async (fid) => {
  const response = await fetch(`/tiles/accessibility/features/${fid}.json`);
  return (await response.json()).properties;
}"""


def _person(name, role):
    user = get_user_model().objects.create_user(name, password=PASSWORD, is_staff=True)
    services.role_grant(user=user, registry=registry_get("accessibility"), role=role)
    return user


def _published(editor, reviewer):
    registry = registry_get("accessibility")
    record = services.record_create(
        registry=registry,
        user=editor,
        values={
            "name": "ЦНАП на Соборній",
            "geom": {"type": "Point", "coordinates": [LON, LAT]},
            "entrance_step_free": True,
            "ramp_present": False,
            "door_width_cm": 100,
            "threshold_height_cm": 1,
            "floors": 1,
        },
    )
    change = services.record_submit(
        registry=registry, record=record, user=editor, base_version=record.version
    )
    return services.change_approve(change=change, user=reviewer)


def _public_answers(browser, base, record):
    public = new_page(browser, viewport={"width": 390, "height": 844})
    public.goto(f"{base}/#map=17/{LAT}/{LON}&layers=accessibility")
    public.wait_for_function(f"() => ({TILE_FEATURES})({record.pk}).length > 0", timeout=20000)
    found = public.evaluate(TILE_FEATURES, record.pk)
    popup = public.evaluate(POPUP_RECORD, record.pk)
    public.context.close()
    return {(popup["traffic_light"], p["wheelchair"]) for p in found}


def test_an_entrance_corrected_in_the_editor_changes_the_public_light(
    live_server, page, screenshot
):
    call_command("load_boundary", verbosity=0)
    editor = _person("mapper", Role.EDITOR)
    reviewer = _person("checker", Role.REVIEWER)
    record = _published(editor, reviewer)
    base = live_server.url
    browser = page.context.browser
    assert _public_answers(browser, base, record) == {("green", "yes")}

    _log_in(page, base, "mapper", f"/edit/accessibility/{record.public_id}/")
    page.wait_for_selector("#edit-map.leaflet-container")
    page.select_option("#id_entrance_step_free", "false")
    screenshot("accessibility-entrance-corrected")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector(".message-success, .message-info")
    record.refresh_from_db()
    assert (record.entrance_step_free, record.wheelchair) == (True, "yes")  # waits for review

    review = new_page(browser, viewport={"width": 1280, "height": 900})
    _log_in(review, base, "checker", "/edit/review/")
    review.click("form[action$='/approve/'] button[type=submit]")
    review.wait_for_selector(".message-success")
    review.context.close()

    record.refresh_from_db()
    assert (record.entrance_step_free, record.wheelchair, record.traffic_light) == (
        False,
        "no",
        "red",
    )
    assert _public_answers(browser, base, record) == {("red", "no")}
    assert page.console_errors == []
