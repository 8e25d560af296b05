"""The city's accessibility programmes: the public page of the "Accessible business" award
winners and the micro-grant participants, and the map's filters for them."""

import pytest
from django.test import override_settings
from django.utils.html import escape

from layers.hromada import hromada_profile
from layers.models import Status
from layers.registry import registry_get
from layers.selectors.map import map_filters_parse, map_queryset
from layers.selectors.map_filters import MapFilterError
from tests.factories import published_record

pytestmark = pytest.mark.django_db

AWARDS = "/accessibility/awards/"


@pytest.fixture
def registry():
    return registry_get("accessibility")


def _names(groups) -> list[tuple[int, list[str]]]:
    return [(group.year, [item["title"] for item in group.records]) for group in groups]


def test_awards_page_lists_the_published_winners_per_year_newest_first(client, registry):
    older = published_record(registry, name="Аптека «Добробут»", award_year=2024)
    cafe = published_record(registry, name="Кав'ярня «Зерно»", award_year=2025)
    bank = published_record(registry, name="Банк «Поділля»", award_year=2025)
    published_record(registry, name="Без відзнаки")
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        published_record(registry, name=f"Прихований {status}", award_year=2025, status=status)

    response = client.get(f"/en{AWARDS}")

    assert response.status_code == 200
    assert _names(response.context["winners"]) == [
        (2025, ["Банк «Поділля»", "Кав'ярня «Зерно»"]),
        (2024, ["Аптека «Добробут»"]),
    ]
    html = response.content.decode()
    assert html.index('id="award-2025"') < html.index('id="award-2024"')
    for record in (older, cafe, bank):
        assert f'href="/en/accessibility/{record.public_id}/"' in html
    assert "Прихований" not in html
    assert "Без відзнаки" not in html
    assert "Content-Security-Policy" in response.headers


def test_awards_page_lists_the_micro_grant_participants_per_year(client, registry):
    shop = published_record(registry, name="Крамниця", category="shop", microgrant_year=2023)
    published_record(registry, name="Перукарня", microgrant_year=2026, award_year=2026)
    published_record(registry, name="Чернетка", microgrant_year=2023, status=Status.DRAFT)

    response = client.get(AWARDS)

    assert _names(response.context["participants"]) == [(2026, ["Перукарня"]), (2023, ["Крамниця"])]
    assert _names(response.context["winners"]) == [(2026, ["Перукарня"])]
    html = response.content.decode()
    assert '<html lang="uk">' in html
    assert f'href="/accessibility/{shop.public_id}/"' in html
    assert "магазин" in html  # the category, in Ukrainian
    assert "Чернетка" not in html


def test_awards_page_states_the_criteria_of_the_award_in_the_page_language(client):
    award = hromada_profile().award

    uk = client.get(AWARDS).content.decode()
    en = client.get(f"/en{AWARDS}").content.decode()

    assert award.criteria_uk and award.criteria_en
    assert all(f"<li>{escape(criterion)}</li>" in uk for criterion in award.criteria_uk)
    assert all(f"<li>{escape(criterion)}</li>" in en for criterion in award.criteria_en)
    assert escape(award.criteria_uk[0]) not in en


@pytest.fixture
def profile_without_programmes():
    hromada_profile.cache_clear()
    with override_settings(GEOPORTAL_HROMADA="kamianets-podilskyi"):
        yield hromada_profile()
    hromada_profile.cache_clear()


def test_awards_page_says_so_when_the_hromada_has_not_published_criteria(
    client, profile_without_programmes
):
    assert profile_without_programmes.award.criteria == ()

    html = client.get(f"/en{AWARDS}").content.decode()

    assert "has not published the criteria of the award yet" in html
    assert "No winners of the award are published yet." in html


def test_awards_page_is_linked_from_the_layer_on_the_map_and_from_record_pages(client, registry):
    record = published_record(registry)

    home = client.get("/en/").content.decode()
    page = client.get(f"/en/accessibility/{record.public_id}/").content.decode()

    assert f'href="/en{AWARDS}"' in home
    assert f'href="/en{AWARDS}"' in page
    assert 'id="f-accessibility-award"' in home
    assert 'id="f-accessibility-microgrant"' in home


def _filtered(registry, **params) -> set[str]:
    filters = map_filters_parse(registry, params)
    return set(map_queryset(registry, filters=filters).values_list("name", flat=True))


def test_map_filters_select_award_winners_and_micro_grant_participants(registry):
    published_record(registry, name="winner", award_year=2025)
    published_record(registry, name="participant", microgrant_year=2024)
    published_record(registry, name="both", award_year=2024, microgrant_year=2023)
    published_record(registry, name="neither")
    published_record(registry, name="draft winner", award_year=2025, status=Status.DRAFT)

    assert _filtered(registry, award="1") == {"winner", "both"}
    assert _filtered(registry, microgrant="1") == {"participant", "both"}
    assert _filtered(registry, award="1", microgrant="1") == {"both"}
    assert _filtered(registry) == {"winner", "participant", "both", "neither"}


def test_map_list_and_tiles_take_the_programme_filters(client, registry):
    winner = published_record(registry, name="winner", award_year=2025)
    published_record(registry, name="neither")

    body = client.get("/map/list.json", {"collection": "accessibility", "award": "1"}).json()
    tile = client.get("/tiles/accessibility/14/9420/5604.pbf", {"microgrant": "1"})

    assert [row["id"] for row in body["results"]] == [str(winner.public_id)]
    assert tile.status_code in (200, 204)


@pytest.mark.parametrize("params", [{"award": "yes"}, {"microgrant": "1,1"}])
def test_programme_filters_refuse_other_values(registry, params):
    with pytest.raises(MapFilterError):
        map_filters_parse(registry, params)
