"""The Atom feed of a settlement (/reports/feeds/area.atom?settlement=<key>): exactly the
published reports inside its polygon, a valid Atom document, linked from the alerts page
and the report list; parameters that name no area are a 400 with a message."""

import pytest
from defusedxml import ElementTree
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.test import Client

from reports.models import Report
from sdg.models import Settlement
from tests.reports.conftest import centre, public_report

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/reports/feeds/area.atom"


def _settlement(key, around: Point, half: float, **kw) -> Settlement:
    square = Polygon.from_bbox((around.x - half, around.y - half, around.x + half, around.y + half))
    return Settlement.objects.create(
        key=key,
        name_uk=kw.pop("name_uk", "Тестове"),
        name_en=kw.pop("name_en", "Testove"),
        geom=MultiPolygon(square, srid=4326),
        source="test",
        **kw,
    )


def _entries(response) -> tuple[object, list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    # Atom's required elements of a feed and of each entry (RFC 4287, 4.1.1 and 4.1.2).
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None, name
    links = []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        links.append(entry.find(f"{ATOM}link").get("href"))
    return root, links


def test_a_settlement_feed_has_exactly_the_public_reports_inside_it(world):
    here = centre()
    village = _settlement("test-village", here, 0.01)
    inside = public_report(world, category="waste-dump", description="У селі.")
    near_edge = public_report(
        world,
        category="tree-fallen",
        description="Біля межі, ще в селі.",
        geom=Point(here.x + 0.009, here.y - 0.009, srid=4326),
    )
    outside = public_report(
        world,
        category="waste-dump",
        description="Поза селом.",
        geom=Point(here.x + 0.05, here.y, srid=4326),
    )
    hidden = Report.objects.create(
        category=inside.category, geom=here, description="Не опубліковано."
    )
    root, links = _entries(Client().get(FEED, {"settlement": village.key}))
    assert sorted(links) == sorted(
        f"http://testserver/reports/{r.pk}/" for r in (inside, near_edge)
    )
    assert f"/reports/{outside.pk}/" not in str(links) and f"/reports/{hidden.pk}/" not in str(
        links
    )
    # Ukrainian: the settlement's Ukrainian name (the words come with the catalogue).
    assert root.find(f"{ATOM}title").text.endswith("Тестове")
    english = ElementTree.fromstring(
        Client().get("/en" + FEED, {"settlement": village.key}).content
    )
    assert english.find(f"{ATOM}title").text == "Reports in Testove"
    # The circle feed still works beside it.
    _root, around = _entries(Client().get(FEED, {"near": f"{here.y},{here.x}", "radius": 200}))
    assert f"http://testserver/reports/{inside.pk}/" in around


def test_an_empty_settlement_is_an_empty_valid_feed(world):
    far = Point(centre().x + 0.05, centre().y, srid=4326)
    empty = _settlement("test-empty", far, 0.001)
    public_report(world, category="waste-dump")
    _root, links = _entries(Client().get(FEED, {"settlement": empty.key}))
    assert links == []


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"settlement": "nowhere"}, "settlement"),
        ({"settlement": "x" * 5000}, "settlement"),
        ({"settlement": "test-village", "near": "49.4,27.0", "radius": "500"}, "either"),
        ({"settlement": "test-village", "radius": "500"}, "either"),
        ({"settlement": "test-rest"}, "settlement"),  # the rest of the hromada: not offered
        ({}, "near"),
        ({"near": "49.4,27.0", "radius": "5"}, "radius"),
    ],
    ids=["unknown", "huge", "both", "radius-too", "remainder", "nothing", "small-radius"],
)
def test_parameters_naming_no_area_are_a_400_with_a_message(world, params, words):
    here = centre()
    _settlement("test-village", here, 0.01)
    _settlement("test-rest", here, 0.2, remainder=True, name_uk="Решта", name_en="Rest")
    response = Client().get("/en" + FEED, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert words in response.content.decode()


def test_the_settlement_feeds_are_linked_from_the_alerts_page_and_the_list(world):
    _settlement("test-village", centre(), 0.01)
    _settlement("test-rest", centre(), 0.2, remainder=True, name_uk="Решта", name_en="Rest")
    page = Client().get("/reports/alerts/").content.decode()
    assert f'href="{FEED}?settlement=test-village"' in page
    assert "Стрічка Atom: Тестове" in page
    assert "settlement=test-rest" not in page
    listing = Client().get("/reports/").content.decode()
    assert 'href="/reports/alerts/#feeds"' in listing
