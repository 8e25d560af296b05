"""The award and micro-grant page in a browser: WCAG 2.1 AA by axe-core on a desktop and a
phone, and a winner's page reached from it with the link to its printable card."""

import pytest

from layers.registry import registry_get
from tests.browser.conftest import new_page
from tests.factories import published_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def winners():
    registry = registry_get("accessibility")
    return [
        published_record(registry, name="Кав'ярня «Зерно»", award_year=2025),
        published_record(registry, name="Аптека № 9", category="pharmacy", microgrant_year=2024),
    ]


def test_awards_page_is_accessible_and_leads_to_a_winners_card(
    live_server, page, axe_violations, screenshot, winners
):
    page.goto(live_server.url + "/accessibility/awards/")

    assert page.locator("h1").inner_text().startswith("Відзнака")
    assert axe_violations() == []
    screenshot("awards-uk")
    page.get_by_role("link", name="Кав'ярня «Зерно»").click()
    page.wait_for_url(f"**/accessibility/{winners[0].public_id}/")
    card = page.locator(f'a[href="/accessibility/{winners[0].public_id}/card.pdf"]')
    assert card.count() == 1
    assert axe_violations() == []
    assert page.console_errors == []


def test_awards_page_on_a_phone(live_server, chromium, winners):
    phone = new_page(chromium, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        phone.goto(live_server.url + "/en/accessibility/awards/")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "nothing scrolls sideways"
        assert phone.get_by_role("link", name="Аптека № 9").is_visible()
        assert phone.console_errors == []
    finally:
        phone.context.close()
