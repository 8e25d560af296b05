"""A resident reports a broken ramp, in a browser, on a phone: from the accessibility
record's page with a photo; confirms by the link mailed to them; a moderator publishes the
report, staff set it fixed with a comment; the resident's mail and the public page say so.
The form and the report's page pass axe-core (WCAG 2.1 AA) on the phone."""

import re

import pytest
from django.core import mail

from reports.models import Report
from tests.browser.conftest import ARTIFACTS, new_page
from tests.editing.conftest import PASSWORD
from tests.reports.conftest import photo_upload, world_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = "resident@example.org"
COMMENT = "Пандус відремонтовано, поручень закріплено."


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _log_in(page, base, name, next_url):
    page.goto(f"{base}/admin/login/?next={next_url}")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"**{next_url}")


def _mail_path(pattern: str, address: str) -> str:
    for message in reversed(mail.outbox):
        found = re.search(rf"https?://[^/\s]+({pattern})", message.body)
        if address in message.to and found:
            return found.group(1)
    raise AssertionError(f"no mail to {address} with {pattern}")


def test_a_resident_reports_a_broken_ramp_from_a_phone(
    live_server, chromium, axe_violations, tmp_path
):
    world = world_create()
    base = live_server.url
    photo = tmp_path / "ramp.jpg"
    photo.write_bytes(photo_upload().read())
    phone = new_page(chromium, viewport={"width": 390, "height": 844}, is_mobile=True)

    phone.goto(f"{base}/accessibility/{world.ramp.public_id}/")
    phone.click(".report-problem-link")
    phone.wait_for_url("**/reports/new/?registry=accessibility*")
    # Coming from the record: its place is filled in, its registry's categories offered.
    assert phone.input_value("#id_lat") and phone.input_value("#id_lon")
    offered = phone.eval_on_selector_all("#id_category option", "os => os.map(o => o.value)")
    assert "accessibility-ramp" in offered and "tree-fallen" not in offered
    # The form fits the phone: nothing to scroll sideways (its map sits in a fieldset).
    phone.wait_for_selector("#report-map.leaflet-container")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Sent without a description: the summary of what to correct takes the focus (a screen
    # reader reads it first), each error links its field; nothing is stored.
    phone.click(".report-form button[type=submit]")
    phone.wait_for_selector("#error-summary")
    phone.wait_for_function("() => document.activeElement.id === 'error-summary'")
    assert phone.locator("#error-summary a[href='#id_description']").count() == 1
    assert phone.get_attribute("#id_description", "aria-invalid") == "true"
    violations = _axe(phone)
    assert violations == [], violations
    assert not Report.objects.exists()
    phone.console_errors.clear()  # Chromium logs the refused form's 400 itself
    phone.select_option("#id_category", "accessibility-ramp")
    phone.fill("#id_description", "Пандус біля входу зламаний: бракує плити, поручень хитається.")
    phone.set_input_files("#id_photos", str(photo))
    phone.fill("#id_name", "Олена")
    phone.fill("#id_email", RESIDENT)
    violations = _axe(phone)
    assert violations == [], violations
    _shot(phone, "reports-form-phone")
    phone.click(".report-form button[type=submit]")
    phone.wait_for_url("**/reports/new/sent/?confirm=1")
    report = Report.objects.get()
    assert report.photos.count() == 1 and report.state == "new"

    phone.goto(base + _mail_path(r"/reports/confirm/[^/\s]+/", RESIDENT))
    phone.click("main form button[type=submit]")
    phone.wait_for_selector("main [role=status]")
    report.refresh_from_db()
    assert report.state == "confirmed"

    moderator = new_page(chromium, viewport={"width": 1280, "height": 900})
    _log_in(moderator, base, "reviewer", f"/edit/reports/{report.pk}/")
    _shot(moderator, "reports-staff-detail")
    with moderator.expect_navigation():
        moderator.click("button[name=decision][value=publish]")
    moderator.select_option("#id_state", "fixed")
    moderator.fill("#id_comment", COMMENT)
    with moderator.expect_navigation():
        moderator.click("form[action$='/answer/'] button[type=submit]")
    report.refresh_from_db()
    assert report.state == "fixed" and report.is_public

    follow_up = [m for m in mail.outbox if RESIDENT in m.to and COMMENT in m.body]
    assert len(follow_up) == 1 and f"/reports/{report.pk}/" in follow_up[0].body
    phone.goto(base + _mail_path(rf"/reports/{report.pk}/", RESIDENT))
    assert phone.locator(".report-state.state-fixed").first.is_visible()
    assert phone.get_by_text(COMMENT).is_visible()
    assert phone.locator(".photos img").count() == 1
    phone.locator(".photos img").scroll_into_view_if_needed()  # loaded lazily
    phone.wait_for_function("() => document.querySelector('.photos img').naturalWidth > 0")
    assert RESIDENT not in phone.content() and "Олена" not in phone.content()
    violations = _axe(phone)
    assert violations == [], violations
    _shot(phone, "reports-detail-phone")
    # On the public map the report is drawn when the visitor asks for the reports' layer.
    moderator.goto(f"{base}/")
    moderator.check("#reports-overlay-show")
    moderator.wait_for_selector("#reports-overlay-status:has-text('1')")
    assert moderator.locator(".leaflet-overlay-pane path.leaflet-interactive").count() >= 1
    moderator.select_option("#reports-overlay-category", "tree-fallen")
    moderator.wait_for_selector("#reports-overlay-status:has-text('0')")
    assert phone.console_errors == [], phone.console_errors
    assert moderator.console_errors == [], moderator.console_errors


def _axe(page):
    from tests.browser.test_every_page import _axe as run

    return run(page)
