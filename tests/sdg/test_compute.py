"""Each shipped computed indicator on a hand-made set of records (tests/sdg/conftest.py: A has
1,000 residents, B 500, C an unknown number) gives the value worked out by hand, for the
hromada and for each settlement."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from layers.models.waste import Container
from layers.registry import registry_get
from sdg.compute import indicator_compute
from sdg.models import Indicator, Settlement
from sdg.services import indicator_upsert
from tests.factories import published_record
from tests.sdg.conftest import A_CENTRE, B_CENTRE, C_CENTRE, TODAY, metres_from, near, square, tree

pytestmark = pytest.mark.django_db

THIS_YEAR = TODAY.year
LAST_YEAR_DAY = datetime.date(THIS_YEAR - 1, 6, 1)
THIS_YEAR_DAY = datetime.date(THIS_YEAR, 1, 1)


def _areas(result) -> dict:
    return {key: figures["value"] for key, figures in result.figures.by_area.items()}


def test_trees_per_thousand_residents(settlements, indicators):
    for point in (A_CENTRE, near(A_CENTRE, 10), near(A_CENTRE, 20)):
        tree(point, condition="good")
    tree(near(A_CENTRE, 30), condition="good", removed_on=datetime.date(2024, 5, 1))
    for point in (B_CENTRE, near(B_CENTRE, 10)):
        tree(point, condition="good")
    for metres in (0, 10, 20, 30):
        tree(near(C_CENTRE, metres), condition="good")

    result = indicator_compute(indicators["15-kh-1"])

    # The settlements whose population is known: (3 + 2) trees / 1,500 residents × 1,000.
    assert result.value == pytest.approx(5 / 1500 * 1000)
    assert _areas(result) == {"A": pytest.approx(3.0), "B": pytest.approx(4.0), "C": None}


def test_share_of_hazardous_or_dead_trees(settlements, indicators):
    tree(A_CENTRE, condition="hazardous")
    tree(near(A_CENTRE, 10), condition="dead")
    tree(near(A_CENTRE, 20), condition="good")
    # Removed: not a standing tree, in neither count.
    tree(near(A_CENTRE, 30), condition="hazardous", removed_on=datetime.date(2024, 5, 1))
    tree(B_CENTRE, condition="good")
    tree(near(B_CENTRE, 10), condition="satisfactory")
    tree(C_CENTRE, condition="hazardous")
    for metres in (10, 20, 30):
        tree(near(C_CENTRE, metres), condition="good")

    result = indicator_compute(indicators["15-kh-2"])

    assert result.value == pytest.approx(3 / 9 * 100)  # 3 of the 9 standing trees
    assert _areas(result) == {
        "A": pytest.approx(200 / 3),
        "B": pytest.approx(0.0),
        "C": pytest.approx(25.0),
    }


def test_trees_planted_per_tree_removed(settlements, indicators):
    planted = datetime.date(2025, 4, 1)
    tree(A_CENTRE, condition="good", planted_on=planted)
    tree(near(A_CENTRE, 10), condition="good", planted_on=planted)
    tree(near(A_CENTRE, 20), condition="good", removed_on=datetime.date(2025, 9, 1))
    tree(near(A_CENTRE, 30), condition="good", planted_on=datetime.date(2024, 4, 1))
    tree(B_CENTRE, condition="good", planted_on=planted)

    result = indicator_compute(indicators["15-kh-3"], year=2025)

    assert result.value == pytest.approx(3.0)  # 3 planted in 2025, 1 removed
    assert _areas(result) == {"A": pytest.approx(2.0), "B": None, "C": None}  # none removed
    assert indicator_compute(indicators["15-kh-3"], year=2024).value is None


def test_green_area_per_resident(settlements, indicators):
    green = registry_get("green-areas")
    published_record(green, geom=square(A_CENTRE, 50, dx=0), name="A", kind="park")  # 10,000 m²
    published_record(green, geom=square(B_CENTRE, 25), name="B", kind="square")  # 2,500 m²
    published_record(green, geom=square(C_CENTRE, 25), name="C", kind="square")
    # Half inside B (its square ends 200 m east of the centre): 50 × 100 m counts there.
    published_record(green, geom=square(B_CENTRE, 50, dx=200), name="edge", kind="square")

    result = indicator_compute(indicators["11-7-kh-5"])

    expected_b = 2500 + 5000
    assert result.value == pytest.approx((10000 + expected_b) / 1500, rel=1e-3)
    areas = _areas(result)
    assert areas["A"] == pytest.approx(10000 / 1000, rel=1e-3)
    assert areas["B"] == pytest.approx(expected_b / 500, rel=1e-3)
    assert areas["C"] is None


def _site(point, kind, *fractions):
    site = published_record(registry_get("waste-sites"), geom=point, kind=kind)
    for fraction in fractions:
        Container.objects.create(site=site, fraction=fraction, volume_l=1100)
    return site


def test_residents_within_300_m_of_a_separate_collection_point(settlements, indicators):
    _site(A_CENTRE, "container_site", "glass", "plastic")  # its 300 m cover all of A's square
    _site(B_CENTRE, "separate_collection", "paper")
    _site(C_CENTRE, "container_site", "glass")  # C's residents are not known: not counted
    _site(near(B_CENTRE, 100), "bulky", "glass")  # not a separate-collection kind

    result = indicator_compute(indicators["11-6-kh-1"])

    assert result.value == pytest.approx(100.0)
    assert _areas(result) == {"A": pytest.approx(100.0), "B": pytest.approx(100.0), "C": None}
    glass = result.by_breakdown["glass"]
    assert glass.value == pytest.approx(1000 / 1500 * 100)
    assert {k: v["value"] for k, v in glass.by_area.items()} == {
        "A": pytest.approx(100.0),
        "B": pytest.approx(0.0),
        "C": None,
    }
    assert result.by_breakdown["paper"].value == pytest.approx(500 / 1500 * 100)
    assert result.by_breakdown["batteries"].value == pytest.approx(0.0)
    assert "mixed" not in result.by_breakdown  # not a separately collected fraction


def test_residents_half_covered(settlements, indicators):
    # A site 200 m east of A's centre, on its edge: the buffer covers the square's east part.
    # Worked by hand: the disc (r = 300) inside x ∈ [-400, 0], y ∈ [-200, 200] around the site
    # is the half disc minus the two caps beyond |y| > 200 — see the formula below.
    import math

    _site(near(A_CENTRE, 200), "separate_collection", "glass")
    result = indicator_compute(indicators["11-6-kh-1"])

    r, h = 300.0, 200.0
    # Area of the disc with |y| <= h and x <= 0: half of the band of the disc between ±h.
    band = 2 * (h * math.sqrt(r * r - h * h) + r * r * math.asin(h / r))
    covered_share = (band / 2) / (400 * 400)
    assert _areas(result)["A"] == pytest.approx(covered_share * 100, rel=0.01)
    assert result.value == pytest.approx(covered_share * 1000 / 1500 * 100, rel=0.01)


def _object(point, light, category, assessed_on):
    return published_record(
        registry_get("accessibility"),
        geom=point,
        traffic_light=light,
        category=category,
        last_assessed_on=assessed_on,
    )


@pytest.fixture
def assessed(settlements):
    _object(A_CENTRE, "green", "health_care", THIS_YEAR_DAY)
    _object(near(A_CENTRE, 10), "green", "education", LAST_YEAR_DAY)
    _object(near(A_CENTRE, 20), "yellow", "health_care", THIS_YEAR_DAY)
    _object(B_CENTRE, "red", "education", LAST_YEAR_DAY)
    _object(C_CENTRE, "grey", "education", None)  # never assessed


def test_share_of_assessed_buildings_by_status(assessed, indicators):
    green = indicator_compute(indicators["11-7-kh-1"])
    assert green.value == pytest.approx(50.0)  # 2 of the 4 assessed
    assert _areas(green) == {"A": pytest.approx(200 / 3), "B": pytest.approx(0.0), "C": None}
    assert green.by_breakdown["health_care"].value == pytest.approx(50.0)
    assert green.by_breakdown["education"].value == pytest.approx(50.0)
    assert green.by_breakdown["pharmacy"].value is None  # none assessed
    assert indicator_compute(indicators["11-7-kh-2"]).value == pytest.approx(25.0)
    red = indicator_compute(indicators["11-7-kh-3"])
    assert red.value == pytest.approx(25.0)
    assert _areas(red)["B"] == pytest.approx(100.0)


def test_share_assessed_this_year(assessed, indicators):
    result = indicator_compute(indicators["11-7-kh-4"], year=THIS_YEAR)
    assert result.value == pytest.approx(40.0)  # 2 of the 5 registered objects
    assert _areas(result) == {
        "A": pytest.approx(200 / 3),
        "B": pytest.approx(0.0),
        "C": pytest.approx(0.0),
    }


def test_heritage_condition_and_protection_zones(settlements, indicators):
    heritage = registry_get("heritage")
    zones = registry_get("protection-zones")
    values = {"types": ["architecture"], "significance": "local"}
    first = published_record(heritage, geom=A_CENTRE, condition="unsatisfactory", **values)
    published_record(heritage, geom=near(A_CENTRE, 100), condition="good", **values)
    second = published_record(heritage, geom=B_CENTRE, condition="emergency", **values)
    published_record(heritage, geom=C_CENTRE, condition="good", **values)
    published_record(zones, geom=square(first.geom, 30), decision_date=datetime.date(2020, 1, 1))
    published_record(zones, geom=square(second.geom, 30))  # no approving decision

    condition = indicator_compute(indicators["11-4-kh-1"])
    assert condition.value == pytest.approx(50.0)
    assert _areas(condition) == {
        "A": pytest.approx(50.0),
        "B": pytest.approx(100.0),
        "C": pytest.approx(0.0),
    }
    zoned = indicator_compute(indicators["11-4-kh-2"])
    assert zoned.value == pytest.approx(25.0)
    assert _areas(zoned) == {
        "A": pytest.approx(50.0),
        "B": pytest.approx(0.0),
        "C": pytest.approx(0.0),
    }


def test_unpublished_records_do_not_count(settlements, indicators):
    tree(A_CENTRE, condition="good")
    published_record(registry_get("trees"), geom=near(A_CENTRE, 10), status="draft")
    assert indicator_compute(indicators["15-kh-1"]).figures.numerator == 1


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("notes = 'x'", "notes"),  # a staff-only field
        ("description LIKE '%x%'", "description"),  # long text: shown, not queryable
        ("no_such_field > 3", "no_such_field"),
    ],
)
def test_a_filter_naming_a_non_queryable_property_is_refused_at_save(indicators, text, named):
    indicator = indicators["11-4-kh-1"]
    computation = {**indicator.computation}
    computation["numerator"] = {**computation["numerator"], "filter": text}
    values = {"computation": computation}
    with pytest.raises(ValidationError) as caught:
        indicator_upsert(code=indicator.code, values=values)
    message = " ".join(caught.value.message_dict["computation"])
    assert f"{named!r} is not a queryable property" in message
    indicator.refresh_from_db()
    assert indicator.computation["numerator"]["filter"] != text  # nothing changed


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"numerator": {"aggregate": "median", "registry": "trees"}}, "aggregate must be one of"),
        ({"numerator": {"aggregate": "count", "registry": "nowhere"}}, "no public registry"),
        ({"numerator": {"aggregate": "sum", "registry": "trees", "field": "name"}}, "numeric"),
        ({"numerator": {"aggregate": "area", "registry": "trees"}}, "no polygon geometries"),
        ({"breakdown": "height_m"}, "list of values"),
        ({"scale": -1}, "positive number"),
        ({"numerator": {"aggregate": "count", "registry": "trees", "filter": "a = "}}, "refused"),
    ],
)
def test_a_malformed_computation_is_refused(indicators, change, message):
    indicator = indicators["15-kh-1"]
    with pytest.raises(ValidationError) as caught:
        indicator_upsert(
            code=indicator.code, values={"computation": {**indicator.computation, **change}}
        )
    assert message in " ".join(caught.value.message_dict["computation"])


def test_a_changed_definition_raises_the_version(indicators):
    indicator = indicators["15-kh-1"]
    version = indicator.definition_version
    indicator_upsert(code=indicator.code, values={"title_en": "Trees per thousand residents"})
    assert Indicator.objects.get(pk=indicator.pk).definition_version == version
    computation = {**indicator.computation, "scale": 100}
    indicator_upsert(code=indicator.code, values={"computation": computation})
    assert Indicator.objects.get(pk=indicator.pk).definition_version == version + 1


def test_loading_twice_changes_nothing(indicators):
    from sdg.loading import indicators_load

    counts = indicators_load()
    assert counts["created"] == counts["changed"] == 0


def test_the_remainder_area_counts_what_no_other_area_holds(settlements, indicators):
    # A as the rest of the hromada (as the city is): its figures are the total minus B's and
    # C's, so a record outside every polygon (here 1 km north of A) counts in it.
    Settlement.objects.filter(key="A").update(remainder=True)
    tree(A_CENTRE, condition="good")
    tree(near(A_CENTRE, 10), condition="good")
    tree(metres_from(A_CENTRE, 0, 1000), condition="good")
    tree(B_CENTRE, condition="good")
    tree(C_CENTRE, condition="good")

    result = indicator_compute(indicators["15-kh-1"])

    assert _areas(result) == {"A": pytest.approx(3.0), "B": pytest.approx(2.0), "C": None}
    assert result.value == pytest.approx(4 / 1500 * 1000)


def test_a_polygon_registry_as_the_areas(settlements, indicators):
    green = registry_get("green-areas")
    park = published_record(green, geom=square(A_CENTRE, 50), name="Парк", kind="park")
    empty = published_record(green, geom=square(B_CENTRE, 50), name="Сквер", kind="square")
    tree(A_CENTRE, condition="hazardous")
    tree(near(A_CENTRE, 20), condition="good")
    tree(near(A_CENTRE, 500), condition="good")  # in no park
    indicator = indicators["15-kh-2"]
    indicator.computation = {**indicator.computation, "areas": "green-areas"}

    result = indicator_compute(indicator)

    assert result.value == pytest.approx(100 / 3)
    assert _areas(result) == {str(park.public_id): pytest.approx(50.0), str(empty.public_id): None}


def test_the_admin_refuses_a_filter_on_a_property_that_is_not_queryable(indicators, admin_client):
    indicator = indicators["15-kh-1"]
    url = f"/en/admin/sdg/indicator/{indicator.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    computation = {
        **indicator.computation,
        "numerator": {"aggregate": "count", "registry": "trees", "filter": "notes = 'x'"},
    }
    import json

    data["computation"] = json.dumps(computation)
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the message; no 500
    assert "&#x27;notes&#x27; is not a queryable property" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.computation["numerator"]["filter"] == "removed_on IS NULL"
