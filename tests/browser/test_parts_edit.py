"""A record's parts in the browser: an editor adds a glass container to a published waste
site on the editor page (the empty row) and proposes it, the reviewer sees it marked
"added" in the review queue and approves, and the site's public page lists the fraction."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from layers.editing import services
from layers.editing.models import Role
from layers.editing.parts import parts_read
from layers.registry import registry_get
from tests.browser.conftest import new_page
from tests.browser.test_editing import PASSWORD, _log_in
from tests.factories import CENTRE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(name, role):
    user = get_user_model().objects.create_user(name, password=PASSWORD, is_staff=True)
    services.role_grant(user=user, registry=registry_get("waste-sites"), role=role)
    return user


def test_a_container_added_in_the_editor_is_public_once_approved(live_server, page, screenshot):
    call_command("load_boundary", verbosity=0)
    editor = _person("yard-keeper", Role.EDITOR)
    reviewer = _person("yard-checker", Role.REVIEWER)
    registry = registry_get("waste-sites")
    record = services.record_create(
        registry=registry,
        user=editor,
        values={
            "name": "Майданчик на Зарічанській",
            "geom": {"type": "Point", "coordinates": list(CENTRE)},
        },
    )
    change = services.record_submit(
        registry=registry, record=record, user=editor, base_version=record.version
    )
    record = services.change_approve(change=change, user=reviewer)
    base = live_server.url

    _log_in(page, base, "yard-keeper", f"/edit/waste-sites/{record.public_id}/")
    row = "#part-containers .part-row-new"
    page.select_option(f"{row} select[name$='-fraction']", "glass")
    page.fill(f"{row} input[name$='-count']", "2")
    page.fill(f"{row} input[name$='-volume_l']", "1100")
    page.check(f"{row} input[name$='-collection_days'][value='2']")
    screenshot("parts-container-added")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector(".message-success")
    assert parts_read(registry, record)["containers"] == []  # waits for review

    review = new_page(page.context.browser, viewport={"width": 390, "height": 844})
    _log_in(review, base, "yard-checker", "/edit/review/?registry=waste-sites")
    added = review.locator("tr.part-added")
    assert added.count() == 1 and "1100" in added.inner_text()
    review.click("form[action$='/approve/'] button[type=submit]")
    review.wait_for_selector(".message-success")
    review.context.close()

    public = new_page(page.context.browser)
    public.goto(f"{base}/en/waste-sites/{record.public_id}/")
    assert "glass" in public.locator("main").inner_text().lower()
    public.context.close()
    assert [c["fraction"] for c in parts_read(registry, record)["containers"]] == ["glass"]
    assert page.console_errors == []
