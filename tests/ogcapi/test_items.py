import datetime as dt
import zoneinfo

import pytest
from django.contrib.gis.geos import Point

from layers.models import Status
from layers.registry import registry_get
from tests.ogcapi import schemas
from tests.ogcapi.conftest import json_body, publish

pytestmark = pytest.mark.django_db


def test_items_are_a_geojson_feature_collection_of_public_properties(get, registry):
    publish(registry, 3)

    response = get(f"/ogc/collections/{registry.id}/items")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    assert response["Content-Crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    document = json_body(response)
    schemas.validate(document, schemas.FEATURE_COLLECTION)
    assert document["numberMatched"] == document["numberReturned"] == 3
    for feature in document["features"]:
        assert set(feature["properties"]) == set(registry.properties)


def test_paging_covers_the_whole_collection_once(get, registry):
    records = publish(registry, 7)
    seen, url, pages = [], f"/ogc/collections/{registry.id}/items?limit=3", 0

    while url:
        document = json_body(get(url))
        assert document["numberMatched"] == 7
        assert document["numberReturned"] == len(document["features"]) <= 3
        seen += [feature["id"] for feature in document["features"]]
        url = next((x["href"] for x in document["links"] if x["rel"] == "next"), None)
        pages += 1

    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == {str(record.public_id) for record in records}


def test_prev_link_goes_back_a_page(get):
    publish(registry_get("trees"), 5)

    document = json_body(get("/ogc/collections/trees/items?limit=2&offset=2"))

    prev = next(link["href"] for link in document["links"] if link["rel"] == "prev")
    assert "offset=0" in prev and "limit=2" in prev


def test_limit_above_the_maximum_is_served_as_the_maximum(get):
    publish(registry_get("trees"), 2)

    response = get("/ogc/collections/trees/items?limit=1000000")

    assert response.status_code == 200
    assert json_body(response)["numberReturned"] == 2


def test_unpublished_records_never_appear(get, client, registry):
    (published,) = publish(registry, 1)
    hidden = [
        publish(registry, 1, status=status)[0] for status in Status if status != Status.PUBLISHED
    ]

    items = json_body(get(f"/ogc/collections/{registry.id}/items"))
    collection = json_body(get(f"/ogc/collections/{registry.id}"))

    assert [f["id"] for f in items["features"]] == [str(published.public_id)]
    assert items["numberMatched"] == 1
    for record in hidden:
        response = get(f"/ogc/collections/{registry.id}/items/{record.public_id}")
        assert response.status_code == 404
        schemas.validate(json_body(response), schemas.EXCEPTION)
    assert collection["extent"]["spatial"]["bbox"]


def test_one_item_by_public_id(get, registry):
    (record,) = publish(registry, 1)

    response = get(f"/ogc/collections/{registry.id}/items/{record.public_id}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    feature = json_body(response)
    schemas.validate(feature, schemas.FEATURE)
    assert feature["id"] == str(record.public_id)
    assert {link["rel"] for link in feature["links"]} >= {"self", "alternate", "collection"}


def test_sensitive_heritage_is_generalised_and_has_no_address(get):
    heritage = registry_get("heritage")
    exact = Point(26.99651, 49.42163, srid=4326)
    (site,) = publish(heritage, 1, geom=exact, location_sensitive=True, address="вул. Таємна, 1")

    feature = json_body(get(f"/ogc/collections/heritage/items/{site.public_id}"))
    collection = json_body(get("/ogc/collections/heritage/items"))

    lon, lat = feature["geometry"]["coordinates"]
    expected = site.public_geom()
    assert (lon, lat) == pytest.approx((expected.x, expected.y), abs=1e-6)
    assert (lon, lat) != pytest.approx((exact.x, exact.y), abs=1e-5)
    assert feature["properties"]["address"] == ""
    assert "Таємна" not in str(collection)


def test_equality_filters_sortby_properties_and_skip_geometry(get):
    trees = registry_get("trees")
    publish(trees, 2, condition="good", height_m=5)
    publish(trees, 1, condition="dead", height_m=9)

    hazardous = json_body(get("/ogc/collections/trees/items?is_hazardous=true"))
    sorted_desc = json_body(get("/ogc/collections/trees/items?sortby=-height_m"))
    slim = json_body(get("/ogc/collections/trees/items?properties=height_m&skipGeometry=true"))

    assert hazardous["numberMatched"] == 1
    assert hazardous["features"][0]["properties"]["condition"] == "dead"
    assert [f["properties"]["height_m"] for f in sorted_desc["features"]] == [9, 5, 5]
    assert all(f["geometry"] is None for f in slim["features"])
    assert all(set(f["properties"]) == {"height_m"} for f in slim["features"])


def test_list_properties_filter_by_containment(get):
    heritage = registry_get("heritage")
    publish(heritage, 1, types=["archaeology", "history"])
    publish(heritage, 1, types=["architecture"])

    document = json_body(get("/ogc/collections/heritage/items?types=history"))

    assert document["numberMatched"] == 1
    assert document["features"][0]["properties"]["types"] == ["archaeology", "history"]


@pytest.mark.parametrize(
    ("cql", "expected"),
    [
        ("height_m > 6", 1),
        ("height_m >= 5 AND condition = 'good'", 2),
        ("condition IN ('dead', 'hazardous')", 1),
        ("NOT condition = 'good'", 1),
        ("height_m BETWEEN 4 AND 6", 2),
        ("name LIKE 'Клен%'", 1),
        ("planting_year IS NULL", 3),
        ("S_INTERSECTS(geometry, BBOX(26.9, 49.3, 27.1, 49.5))", 3),
        ("S_INTERSECTS(geometry, POINT(0 0)) OR height_m < 6", 2),
        ("S_WITHIN(geometry, POLYGON((26.9 49.3, 27.1 49.3, 27.1 49.5, 26.9 49.5, 26.9 49.3)))", 3),
        ("updated_at > TIMESTAMP('2000-01-01T00:00:00Z')", 3),
    ],
)
def test_cql2_text_filters(get, cql, expected):
    trees = registry_get("trees")
    publish(trees, 2, condition="good", height_m=5)
    publish(trees, 1, condition="dead", height_m=9, name="Клен гостролистий")

    response = get("/ogc/collections/trees/items", data={"filter": cql, "filter-lang": "cql2-text"})

    assert response.status_code == 200, json_body(response)
    assert json_body(response)["numberMatched"] == expected


@pytest.mark.parametrize(
    ("datetime", "expected"),
    [
        # A tree's time is its life: planted_on to removed_on, an empty end still open.
        ("2000-01-01T00:00:00Z/..", {"old", "young", "felled", "unknown"}),
        ("2021-06-01", {"old", "young", "unknown"}),  # the felled one was gone by then
        ("../2009-12-31", {"old", "felled", "unknown"}),  # before the young one was planted
        ("2015-01-01/2016-01-01", {"old", "felled", "unknown"}),
        # GDAL's forms: a date with a bare T, an hour without minutes.
        ("2021-06-01T/..", {"old", "young", "unknown"}),
        ("../2009-12-31T10Z", {"old", "felled", "unknown"}),
    ],
)
def test_datetime_selects_on_the_registrys_own_time(get, datetime, expected):
    trees = registry_get("trees")
    records = {
        "old": publish(trees, 1, planted_on=dt.date(1990, 4, 1))[0],
        "young": publish(trees, 1, planted_on=dt.date(2020, 4, 1))[0],
        "felled": publish(trees, 1, planted_on=dt.date(2001, 4, 1), removed_on=dt.date(2019, 3, 1))[
            0
        ],
        "unknown": publish(trees, 1)[0],  # planted before the records began
    }
    names = {str(record.public_id): name for name, record in records.items()}

    response = get("/ogc/collections/trees/items", data={"datetime": datetime})

    assert response.status_code == 200, json_body(response)
    assert {names[f["id"]] for f in json_body(response)["features"]} == expected


def test_datetime_on_an_instant_and_on_the_last_change(get):
    heritage = registry_get("heritage")
    listed = publish(heritage, 1, listing_date=dt.date(1965, 7, 21))[0]
    publish(heritage, 1, listing_date=None)  # no listing date: outside every interval
    publish(registry_get("waste-sites"), 2)  # no time of its own: its last change

    in_1965 = json_body(get("/ogc/collections/heritage/items?datetime=1965-07-21"))
    later = json_body(get("/ogc/collections/heritage/items?datetime=1966-01-01/.."))
    waste_now = json_body(
        get("/ogc/collections/waste-sites/items?datetime=2000-01-01T00:00:00Z/..")
    )
    waste_then = json_body(
        get("/ogc/collections/waste-sites/items?datetime=../2000-01-01T00:00:00Z")
    )

    assert [f["id"] for f in in_1965["features"]] == [str(listed.public_id)]
    assert later["numberMatched"] == 0
    assert (waste_now["numberMatched"], waste_then["numberMatched"]) == (2, 0)


def test_a_bare_date_is_the_whole_day_of_the_hromada_on_a_date_time(get):
    """waste-sites has no time of its own, so its time is the last change (a date-time):
    ``datetime=2026-05-01`` takes the whole of that day in Kyiv, from its first moment to its
    last, and not only midnight in UTC."""
    waste = registry_get("waste-sites")
    kyiv = zoneinfo.ZoneInfo("Europe/Kyiv")
    moments = {
        "morning": dt.datetime(2026, 5, 1, 9, 30, tzinfo=kyiv),
        "last minute": dt.datetime(2026, 5, 1, 23, 59, tzinfo=kyiv),
        "first minute": dt.datetime(2026, 5, 1, 0, 1, tzinfo=kyiv),
        "day before": dt.datetime(2026, 4, 30, 23, 59, tzinfo=kyiv),  # 20:59 UTC
        "day after": dt.datetime(2026, 5, 2, 0, 1, tzinfo=kyiv),  # 21:01 UTC on 1 May
    }
    names = {}
    for name, moment in moments.items():
        record = publish(waste, 1)[0]
        waste.model.objects.filter(pk=record.pk).update(updated_at=moment)
        names[str(record.public_id)] = name

    def found(datetime):
        response = get("/ogc/collections/waste-sites/items", data={"datetime": datetime})
        assert response.status_code == 200, json_body(response)
        return {names[f["id"]] for f in json_body(response)["features"]}

    assert found("2026-05-01") == {"morning", "last minute", "first minute"}
    assert found("2026-05-01/2026-05-02") == {
        "morning", "last minute", "first minute", "day after"
    }  # fmt: skip
    assert found("../2026-04-30") == {"day before"}
    assert found("2026-05-01T09:30:00+03:00") == {"morning"}  # an instant stays an instant
    assert (
        get("/ogc/collections/waste-sites/items", data={"datetime": "2026-02-30"}).status_code
        == 400
    )


@pytest.mark.parametrize(
    "datetime", ["2026-01-01/2020-01-01", "2026-01-01T10:00:00Z/2026-01-01T09:00:00Z"]
)
def test_an_interval_that_ends_before_it_starts_is_400(get, datetime):
    response = get("/ogc/collections/trees/items", data={"datetime": datetime})

    assert response.status_code == 400
    assert "ends before it starts" in json_body(response)["description"]


def test_the_temporal_extent_spans_the_registrys_own_time(get):
    trees = registry_get("trees")
    publish(trees, 1, planted_on=dt.date(1990, 4, 1))
    publish(trees, 1, planted_on=dt.date(2020, 4, 1), removed_on=dt.date(2024, 1, 1))

    extent = json_body(get("/ogc/collections/trees"))["extent"]["temporal"]

    # One tree still stands: the interval is open at its end.
    assert extent["interval"] == [["1990-04-01T00:00:00Z", None]]


def test_only_a_full_page_counts_the_matches(get):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish(registry_get("trees"), 5, condition="good")
    url = "/ogc/collections/trees/items?condition=good&limit=3"

    with CaptureQueriesContext(connection) as full_page:
        first = json_body(get(url))
    with CaptureQueriesContext(connection) as last_page:
        last = json_body(get(url + "&offset=3"))

    assert (first["numberMatched"], first["numberReturned"]) == (5, 3)
    assert (last["numberMatched"], last["numberReturned"]) == (5, 2)
    counts = [q["sql"] for q in full_page.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1
    assert not [q for q in last_page.captured_queries if "COUNT(" in q["sql"]]


def test_the_cached_layer_count_follows_a_hard_delete(get):
    trees = publish(registry_get("trees"), 4)
    url = "/ogc/collections/trees/items?limit=2"
    before = json_body(get(url))["numberMatched"]

    type(trees[0]).objects.filter(pk=trees[0].pk).delete()
    response = get(url)

    assert before == 4
    assert json_body(response)["numberMatched"] == 3


def _next(document) -> str | None:
    return next((x["href"] for x in document["links"] if x["rel"] == "next"), None)


def test_next_links_start_after_the_last_feature_in_the_default_order(get):
    publish(registry_get("trees"), 5)

    first = json_body(get("/ogc/collections/trees/items?limit=2"))
    second = json_body(get(_next(first)))

    assert f"after={first['features'][-1]['id']}" in _next(first)
    assert "offset=2" in _next(first)  # the page number still shows, for people and prev
    assert second["numberMatched"] == 5
    prev = next(x["href"] for x in second["links"] if x["rel"] == "prev")
    assert "after=" not in prev and "offset=0" in prev


def test_keyset_pages_skip_nothing_when_an_earlier_feature_goes(get):
    trees = publish(registry_get("trees"), 6)
    first = json_body(get("/ogc/collections/trees/items?limit=3"))

    # Between the pages the first feature is archived: an offset would now skip one.
    trees[0].status = Status.ARCHIVED
    trees[0].save()
    second = json_body(get(_next(first)))

    seen = [f["id"] for f in first["features"] + second["features"]]
    assert seen == [str(t.public_id) for t in trees]


def test_sorted_pages_use_offset(get):
    publish(registry_get("trees"), 3)

    document = json_body(get("/ogc/collections/trees/items?limit=2&sortby=-height_m"))

    assert "after=" not in _next(document) and "offset=2" in _next(document)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("after=not-a-uuid", "feature id"),
        ("after=2f1d0c56-0000-4000-8000-000000000000", "no longer exists"),
        ("after=2f1d0c56-0000-4000-8000-000000000000&sortby=height_m", "default order"),
    ],
)
def test_bad_keyset_anchors_are_refused(get, query, message):
    publish(registry_get("trees"), 1)

    response = get(f"/ogc/collections/trees/items?{query}")

    assert response.status_code == 400
    assert message in json_body(response)["description"]


@pytest.mark.parametrize(
    "path", ["/ogc/collections/trees/items", "/ogc/collections/trees/download/geojson"]
)
def test_text_with_backslashes_quotes_and_control_characters_arrives_intact(get, path):
    # The collection is streamed with COPY, whose text format escapes backslashes and
    # control characters: what the client parses must be exactly what was saved.
    address = 'вул. "Лісова" \\ 5\nкорпус\t2 \\n \\\\ \x01 😀'
    publish(registry_get("trees"), 1, address=address)

    document = json_body(get(path))

    assert [f["properties"]["address"] for f in document["features"]] == [address]


def test_no_feature_is_lost_when_a_record_leaves_the_set_between_pages(get):
    trees = publish(registry_get("trees"), 7)
    first = json_body(get("/ogc/collections/trees/items?limit=3"))

    trees[0].status = Status.ARCHIVED
    trees[0].save()
    seen, url = [f["id"] for f in first["features"]], _next(first)
    while url:
        document = json_body(get(url))
        seen += [f["id"] for f in document["features"]]
        url = _next(document)

    # The client's offset (3 + 3) now equals the count (6), yet one tree is still to come.
    assert seen == [str(t.public_id) for t in trees]


def test_a_layer_of_whole_pages_ends_without_an_empty_page(get):
    publish(registry_get("trees"), 6)

    second = json_body(get(_next(json_body(get("/ogc/collections/trees/items?limit=3")))))

    assert second["numberReturned"] == 3
    assert _next(second) is None
