import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def boundary():
    # A transactional test that ran before empties the tables, the boundary included.
    call_command("load_boundary", verbosity=0)


def test_home_page_shows_the_hromada_on_a_map(live_server, page, screenshot):
    page.goto(live_server.url + "/")

    page.wait_for_selector("#map.leaflet-container path.leaflet-interactive, #map path")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.title() == "Геопортал Хмельницької міської громади"
    assert page.locator("#map path").count() >= 1
    screenshot("home-uk")
    assert page.console_errors == []


def test_home_page_works_when_base_map_tiles_cannot_load(live_server, page):
    page.unroute("https://tile.openstreetmap.org/**")
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())

    page.goto(live_server.url + "/en/")

    page.wait_for_selector("#map path")
    assert page.title() == "Khmelnytskyi Geoportal"
