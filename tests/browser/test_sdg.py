"""The SDG dashboard in a real browser: the goals page, a goal, an indicator page whose chart,
table and map show the same value, axe-core on each, on a desktop and on a phone."""

import pytest

from tests.browser.conftest import new_page
from tests.sdg import conftest as sdg
from tests.sdg.conftest import A_CENTRE, B_CENTRE, near, tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The hand-made hromada of the SDG tests (three settlements) and the shipped indicators.
sdg_settlements = sdg.settlements
sdg_indicators = sdg.indicators


@pytest.fixture
def data(sdg_settlements, sdg_indicators):
    tree(A_CENTRE, condition="hazardous")
    tree(near(A_CENTRE, 10), condition="good")
    tree(near(A_CENTRE, 20), condition="good")
    tree(B_CENTRE, condition="good")


def _number(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))


def test_dashboard_goal_and_indicator_pages(live_server, page, axe_violations, screenshot, data):
    page.goto(live_server.url + "/sdg/")
    assert page.locator(".sdg-goal").count() == 17
    assert axe_violations() == []
    screenshot("sdg-dashboard-uk")

    page.locator(".sdg-goal-15 h2 a").click()
    page.wait_for_url("**/sdg/goals/15/")
    assert axe_violations() == []
    screenshot("sdg-goal-uk")

    page.get_by_role("link", name="Частка аварійних і сухостійних дерев").click()  # data
    page.wait_for_url("**/sdg/indicators/15-kh-2/")
    page.wait_for_function("document.getElementById('sdg-map').dataset.values !== undefined")
    # The hromada's value: 1 of 4 standing trees, 25 %; in A 1 of 3, in B 0 of 1.
    chart = float(page.locator("#sdg-chart").get_attribute("data-latest"))
    drawn = page.evaluate(
        "Chart.getChart('sdg-chart').data.datasets[0].data.filter(v => v !== null)"
    )
    table_rows = page.locator("#sdg-series tbody tr")
    table = _number(table_rows.last.locator("td").first.inner_text())
    assert chart == pytest.approx(25.0) and drawn[-1] == pytest.approx(25.0)
    assert table == pytest.approx(25.0)
    mapped = page.evaluate("JSON.parse(document.getElementById('sdg-map').dataset.values)")
    by_settlement = {
        row.get_attribute("data-key"): _number(row.locator("td").last.inner_text())
        for row in page.locator("#sdg-areas tbody tr").all()
        if row.get_attribute("data-value")
    }
    assert (
        mapped["A"]
        == pytest.approx(by_settlement["A"], abs=0.05)
        == pytest.approx(100 / 3, abs=0.05)
    )
    assert mapped["B"] == pytest.approx(by_settlement["B"]) == 0
    assert mapped["C"] is None
    assert page.console_errors == []
    assert axe_violations() == []
    screenshot("sdg-indicator-uk")


def test_indicator_page_on_a_phone(live_server, chromium, data):
    phone = new_page(chromium, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        phone.goto(live_server.url + "/sdg/indicators/15-kh-2/")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the page scrolls sideways on a phone"
        phone.screenshot(path="var/test-artifacts/sdg-indicator-phone-uk.png", full_page=True)
        phone.goto(live_server.url + "/en/sdg/")
        phone.screenshot(path="var/test-artifacts/sdg-dashboard-phone-en.png")
    finally:
        phone.context.close()
