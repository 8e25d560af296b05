"""How fresh an accessible object's data is: its latest official assessment (with its
status) and its on-site verification on the record page, the map's filter of objects not
assessed this year, and the date of last assessment in open data."""

import datetime

import pytest
from django.utils import formats, translation

from layers.clock import current_year
from layers.registry import registry_get
from layers.selectors.map import map_filters_parse, map_queryset
from layers.tiles.sql import tile_etag
from tests.factories import assessment_record, published_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    return registry_get("accessibility")


def page(client, record, lang="") -> str:
    prefix = f"/{lang}" if lang else ""
    response = client.get(f"{prefix}/accessibility/{record.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def date_in(lang: str, value: datetime.date) -> str:
    """A date as the page in ``lang`` writes it (1 січня 2026 р., Jan. 1, 2026)."""
    with translation.override(lang):
        return formats.date_format(value, "DATE_FORMAT")


def test_fresh_object_shows_this_years_assessment_with_its_status_and_the_verification(
    client, registry
):
    this_year = current_year()
    new_year = datetime.date(this_year, 1, 1)
    obj = published_record(registry, name="ЦНАП", verified_on=new_year)
    assessment_record(obj, year=this_year, assessed_on=new_year)

    html = page(client, obj)
    english = page(client, obj, "en")

    assert obj.last_assessed_on == new_year
    assert f"{this_year}: безбар&#x27;єрний" in html  # the status, in Ukrainian
    assert date_in("uk", new_year) in html
    assert "Not assessed in" not in english
    assert f"{this_year}: barrier-free (assessed on {date_in('en', new_year)}" in english
    assert f"Last verified on site: {date_in('en', new_year)}" in english


def test_stale_object_says_plainly_that_it_was_not_assessed_this_year(client, registry):
    this_year = current_year()
    obj = published_record(registry, name="Бібліотека")
    assessment_record(obj, year=this_year - 2, assessed_on=datetime.date(this_year - 2, 3, 9))
    last = datetime.date(this_year - 1, 7, 20)
    assessment_record(obj, year=this_year - 1, fail=1, assessed_on=last)

    html = page(client, obj, "en")

    assert f"Not assessed in {this_year}." in html
    assert f"{this_year - 1}: not barrier-free (assessed on {date_in('en', last)}" in html
    assert "Not yet verified on site." in html
    assert date_in("uk", last) in page(client, obj)


def test_never_assessed_object_says_so(client, registry):
    obj = published_record(registry, name="Кав'ярня", verified_on="2024-05-04")

    html = page(client, obj, "en")

    assert f"Not assessed in {current_year()}." in html
    assert "No official assessment has been published yet." in html
    assert "Last verified on site: May 4, 2024" in html
    assert html.count("Last verified on site") == 1


def _names(registry, **params) -> set[str]:
    filters = map_filters_parse(registry, params)
    return set(map_queryset(registry, filters=filters).values_list("name", flat=True))


def test_map_filter_shows_objects_not_assessed_this_year_or_never(registry):
    this_year = current_year()
    fresh = published_record(registry, name="fresh")
    assessment_record(fresh, year=this_year, assessed_on=datetime.date(this_year, 1, 1))
    stale = published_record(registry, name="stale")
    assessment_record(stale, year=this_year - 1)
    published_record(registry, name="never")

    assert _names(registry, not_assessed="1") == {"stale", "never"}
    assert _names(registry) == {"fresh", "stale", "never"}


def test_not_assessed_filter_label_names_the_current_year(client):
    html = client.get("/en/").content.decode()

    assert f"Not assessed in {current_year()}" in html
    assert 'name="accessibility.not_assessed"' in html


def test_tiles_of_the_not_assessed_filter_change_with_the_year(registry, monkeypatch):
    filters = {"not_assessed": ["1"]}
    before = tile_etag(registry, z=14, x=9420, y=5604, filters=filters)
    other = tile_etag(registry, z=14, x=9420, y=5604, filters={"award": ["1"]})

    monkeypatch.setattr("layers.selectors.map_filters.current_year", lambda: 2099)

    assert tile_etag(registry, z=14, x=9420, y=5604, filters=filters) != before
    assert tile_etag(registry, z=14, x=9420, y=5604, filters={"award": ["1"]}) == other


def test_date_of_last_assessment_is_a_public_property_in_open_data(client, registry):
    obj = published_record(registry)
    assessment_record(obj, year=2024, assessed_on=datetime.date(2024, 6, 3))

    feature = client.get(f"/ogc/collections/accessibility/items/{obj.public_id}").json()
    queryables = client.get("/ogc/collections/accessibility/queryables").json()

    assert feature["properties"]["last_assessed_on"] == "2024-06-03"
    assert "last_assessed_on" in queryables["properties"]


def test_record_page_shows_the_last_change_in_the_hromadas_time_zone(client, registry):
    obj = published_record(registry)
    moment = datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC)  # 1 July in Kyiv
    type(obj).objects.filter(pk=obj.pk).update(updated_at=moment)

    html = page(client, obj, "en")

    assert "July 1, 2026, 1:30 a.m." in html
