"""Editors hear back, in a browser: a reviewer rejects an editor's change with a comment in
the review queue (the moved tree drawn on its small map); the editor finds the word of it
at the top of the dashboard with the comment and their values, fixes the change and
resubmits it; the dashboard, the review queue and the history pass axe-core (WCAG 2.1 AA),
on a phone and on a desktop."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from layers.editing import services
from layers.editing.models import ChangeRequest, ChangeState, Role
from layers.registry import registry_get
from tests.browser.conftest import ARTIFACTS, new_page
from tests.browser.test_editing import PASSWORD, _log_in
from tests.factories import _species

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "вул. Проскурівська, 1"
MOVED = {"type": "Point", "coordinates": [26.99675, 49.42172]}
COMMENT = "Висота 9 м, не 19: перевірте вимір."


def _user(name, role):
    user = get_user_model().objects.create_user(
        name, password=PASSWORD, is_staff=True, email=f"{name}@example.org"
    )
    services.role_grant(user=user, registry=registry_get("trees"), role=role)
    return user


@pytest.fixture
def world(live_server):
    """A published tree of the editor's, and the editor's change of it waiting for review
    (a wrong height, the tree moved a few metres)."""
    call_command("load_boundary", verbosity=0)
    trees = registry_get("trees")
    editor, reviewer = _user("mapper", Role.EDITOR), _user("checker", Role.REVIEWER)
    from tests.factories import make_record

    values = {
        "species": _species().pk,
        "geom": make_record(trees).geom,
        "address": ADDRESS,
        "inventory_number": "INV-7",
        "height_m": "8",
    }
    tree = services.record_create(registry=trees, user=editor, values=values)
    submitted = services.record_submit(
        registry=trees, record=tree, user=editor, base_version=tree.version
    )
    tree = services.change_approve(change=submitted, user=reviewer)
    services.notifications_mark_all_read(user=editor)
    change = services.record_update(
        registry=trees,
        record=tree,
        user=editor,
        values={"height_m": "19", "notes": "Виміряно після обрізки", "geom": MOVED},
        base_version=tree.version,
    ).change
    return {"base": live_server.url, "tree": tree, "change": change}


def _phone(chromium, base, name, url):
    page = new_page(chromium, viewport={"width": 390, "height": 844}, is_mobile=True)
    _log_in(page, base, name, url)
    return page


def _wide_screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_rejected_editor_reads_why_fixes_and_resubmits(
    world, chromium, page, axe_violations, screenshot
):
    base, tree, change = world["base"], world["tree"], world["change"]

    # The reviewer sees the moved tree on the small map and rejects with a comment.
    _log_in(page, base, "checker", "/edit/review/?registry=trees")
    page.wait_for_selector(".review-map.leaflet-container")
    page.wait_for_selector(".review-map path.leaflet-interactive, .review-map svg path")
    assert page.locator("details summary", has_text="GeoJSON").count() >= 2
    page.locator("details summary", has_text="GeoJSON").first.click()
    assert '"type": "Point"' in page.locator("code.geojson").first.inner_text()
    assert axe_violations() == []
    _wide_screenshot(page, "hear-back-review-desktop")
    phone_queue = _phone(chromium, base, "checker", "/edit/review/?registry=trees")
    phone_queue.wait_for_selector(".review-map.leaflet-container")
    _wide_screenshot(phone_queue, "hear-back-review-phone")
    assert phone_queue.evaluate("() => document.documentElement.scrollWidth") <= 390
    phone_queue.context.close()
    page.fill(f"#reject-comment-{change.pk}", COMMENT)
    page.click(f"form[action$='/review/{change.pk}/reject/'] button[type=submit]")
    page.wait_for_selector(".message-success")
    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED
    phone_review = _phone(chromium, base, "checker", f"/edit/changes/{change.pk}/")
    phone_review.wait_for_selector(".review-map.leaflet-container")
    _wide_screenshot(phone_review, "hear-back-change-phone")
    phone_review.context.close()
    page.context.clear_cookies()

    # The editor opens the dashboard: the rejection is at the top, with comment and values.
    _log_in(page, base, "mapper", "/edit/")
    notification = page.locator(".notification-rejected")
    notification.wait_for()
    text = notification.inner_text()
    assert "Липа серцелиста INV-7" in text and ADDRESS in text
    assert COMMENT in text
    assert "19" in text and "Виміряно після обрізки" in text
    assert page.locator(".editing-nav .nav-count").inner_text().startswith("1")
    assert axe_violations() == []
    screenshot("hear-back-dashboard-desktop")
    phone = _phone(chromium, base, "mapper", "/edit/")
    phone.locator(".notification-rejected").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "hear-back-dashboard-phone.png"), full_page=True)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways
    phone.context.close()

    # Fix and resubmit: the editor opens with the rejected values; the height is corrected.
    notification.locator("a").first.click()
    page.wait_for_url(f"**/edit/changes/{change.pk}/")
    assert COMMENT in page.locator(".review-comment").inner_text()
    page.wait_for_selector(".review-map.leaflet-container")
    assert axe_violations() == []
    page.click(".resubmit a.button")
    page.wait_for_url(f"**/edit/trees/{tree.public_id}/?resubmit={change.pk}")
    page.wait_for_selector("#edit-map.leaflet-container")
    assert COMMENT in page.locator(".resubmit-note").inner_text()
    assert page.input_value("#id_height_m").replace(",", ".") in ("19", "19.0", "19.00")
    assert page.input_value("#id_notes") == "Виміряно після обрізки"
    assert "26.99675" in page.input_value("#id_geom")
    _wide_screenshot(page, "hear-back-resubmit-desktop")
    page.fill("#id_height_m", "9")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector(".message-success")
    again = ChangeRequest.objects.get(state=ChangeState.PENDING, record_id=tree.pk)
    assert again.author.username == "mapper"
    assert float(again.payload["height_m"]) == 9
    assert again.payload["notes"] == "Виміряно після обрізки"
    assert again.payload["geom"]["coordinates"] == MOVED["coordinates"]
    tree.refresh_from_db()
    assert float(tree.height_m) == 8  # the record stays until the new change is approved

    # The history tells it in words and passes axe.
    page.goto(f"{base}/edit/trees/{tree.public_id}/history/")
    page.wait_for_selector(".history-entry")
    assert "Запропонував" in page.content() or "Proposed by" in page.content()
    assert axe_violations() == []
    _wide_screenshot(page, "hear-back-history-desktop")
    assert page.console_errors == []
