"""The editing workflow in a browser: an editor places a tree on the map editor, a reviewer
approves it, and it is published (its public record page answers)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from layers.editing import services
from layers.editing.models import Role
from layers.models import Status, Tree
from layers.registry import registry_get
from layers.selectors.public import registry_public_queryset
from tests.browser.conftest import ARTIFACTS
from tests.factories import _species

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-password"


def _user(name, role):
    user = get_user_model().objects.create_user(name, password=PASSWORD, is_staff=True)
    services.role_grant(user=user, registry=registry_get("trees"), role=role)
    return user


def _log_in(page, base, name, next_url):
    page.goto(f"{base}/admin/login/?next={next_url}")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"**{next_url}*")


def test_editor_places_a_tree_and_a_reviewer_publishes_it(live_server, chromium, screenshot, page):
    call_command("load_boundary", verbosity=0)
    species = _species()
    _user("mapper", Role.EDITOR)
    _user("checker", Role.REVIEWER)
    base = live_server.url

    _log_in(page, base, "mapper", "/edit/trees/new/")
    page.wait_for_selector("#edit-map.leaflet-container")
    page.wait_for_selector(".leaflet-pm-toolbar")
    page.locator("#edit-map").click()  # the centre of the map: inside the hromada
    page.wait_for_selector(".leaflet-marker-icon")
    page.wait_for_selector("#geometry-feedback.feedback-ok")
    assert '"Point"' in page.input_value("#id_geom")
    page.select_option("#id_species", str(species.pk))
    page.fill("#id_notes", "Placed in the browser")
    screenshot("editing-map-editor")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("form[action$='/submit/'] button")
    tree = Tree.objects.get(notes="Placed in the browser")
    assert tree.status == Status.DRAFT
    page.click("form[action$='/submit/'] button")
    page.wait_for_selector(".status-in_review")

    reviewer = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    review = reviewer.new_page()
    review.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=b""),
    )
    _log_in(review, base, "checker", "/edit/review/")
    review.wait_for_selector(".review-map.leaflet-container")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    review.screenshot(path=str(ARTIFACTS / "editing-review-queue.png"), full_page=True)
    review.click("form[action$='/approve/'] button[type=submit]")
    review.wait_for_selector(".message-success")
    reviewer.close()

    tree.refresh_from_db()
    assert tree.status == Status.PUBLISHED
    assert registry_public_queryset(registry_get("trees")).filter(pk=tree.pk).exists()
    anonymous = page.context.browser.new_context().new_page()
    response = anonymous.goto(f"{base}/trees/{tree.public_id}/")
    assert response.status == 200
    anonymous.context.close()
    assert page.console_errors == []
