"""OpenStreetMap tags of accessible objects, from hand-made values: pure functions, no
database. The wheelchair tag is the rating's own answer (``layers.rules.accessibility``)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from layers.rules.accessibility import AccessibilityFacts, wheelchair_answer
from layers.rules.osm_tags import TAGS, metres, osm_tags

# Every attribute the rating reads, unknown: a case names only what it knows.
UNKNOWN = dict.fromkeys(AccessibilityFacts.__annotations__)


def tags_of(**values) -> dict[str, str]:
    """The tags of an object with these attributes, its wheelchair answer derived by the
    rules as the registry stores it."""
    facts = {**UNKNOWN, **values}
    return osm_tags({**facts, "wheelchair": wheelchair_answer(SimpleNamespace(**facts))})


def test_an_object_nobody_surveyed_has_every_column_and_no_tag():
    tags = tags_of()

    assert list(tags) == list(TAGS)
    assert set(tags.values()) == {""}
    assert "kerb:height" not in tags  # the registry records no kerb


def test_a_step_free_entrance_with_a_wide_automatic_door():
    tags = tags_of(
        entrance_step_free=True, ramp_present=False, door_width_cm=90, door_automatic=True
    )

    assert tags == {
        "wheelchair": "yes",
        "toilets:wheelchair": "",
        "entrance": "main",
        "door:width": "0.9",
        "ramp": "no",
        "ramp:wheelchair": "no",
        "step_count": "0",  # step-free: no steps, even uncounted
        "automatic_door": "yes",
        "capacity:disabled": "",
    }


def test_steps_without_a_ramp_are_wheelchair_no():
    tags = tags_of(entrance_step_free=False, entrance_steps_count=4, ramp_present=False)

    assert (tags["wheelchair"], tags["step_count"], tags["ramp"]) == ("no", "4", "no")
    assert tags["ramp:wheelchair"] == "no"


@pytest.mark.parametrize(
    ("slope", "wheelchair", "ramp_wheelchair"),
    [
        (Decimal("6.0"), "yes", "yes"),  # within the 8 % norm
        (Decimal("10.0"), "limited", "yes"),  # usable with help: wheelchair=limited says so
        (Decimal("15.0"), "no", "no"),  # too steep to use
        (None, "limited", ""),  # a ramp of unknown slope: usable or not, nobody knows
    ],
)
def test_a_ramp_follows_the_ratings_slope_bands(slope, wheelchair, ramp_wheelchair):
    tags = tags_of(
        entrance_step_free=False,
        entrance_steps_count=3,
        ramp_present=True,
        ramp_slope_percent=slope,
    )

    assert (tags["ramp"], tags["wheelchair"], tags["ramp:wheelchair"]) == (
        "yes",
        wheelchair,
        ramp_wheelchair,
    )


def test_a_narrow_door_lowers_wheelchair_to_limited_and_is_given_in_metres():
    tags = tags_of(entrance_step_free=True, door_width_cm=85)

    assert (tags["wheelchair"], tags["door:width"]) == ("limited", "0.85")


def test_a_single_low_step_is_limited_and_counted():
    tags = tags_of(entrance_steps_count=1, entrance_step_height_cm=Decimal("5.0"))

    assert (tags["wheelchair"], tags["step_count"], tags["entrance"]) == ("limited", "1", "main")


def test_toilets_and_parking_are_tagged_when_known():
    with_them = tags_of(toilet_accessible=True, parking_disabled_spaces=2)
    without = tags_of(toilet_accessible=False, parking_disabled_spaces=0)

    assert (with_them["toilets:wheelchair"], with_them["capacity:disabled"]) == ("yes", "2")
    assert (without["toilets:wheelchair"], without["capacity:disabled"]) == ("no", "0")
    # Neither says anything about the entrance.
    assert with_them["entrance"] == without["entrance"] == ""


def test_unknown_wheelchair_answer_is_no_tag_even_when_details_are_known():
    # The door is fine but nobody knows whether there are steps: the rating says unknown.
    tags = tags_of(door_width_cm=100, door_automatic=False)

    assert tags["wheelchair"] == ""
    assert (tags["door:width"], tags["automatic_door"], tags["entrance"]) == ("1", "no", "main")


@pytest.mark.parametrize(
    ("centimetres", "text"),
    [(90, "0.9"), (100, "1"), (85, "0.85"), (120, "1.2"), (Decimal("92.5"), "0.925")],
)
def test_door_widths_are_plain_metres(centimetres, text):
    assert metres(centimetres) == text
