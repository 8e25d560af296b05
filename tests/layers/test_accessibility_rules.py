"""The derived values of the accessibility registry, on hand-made cases (no database)."""

from decimal import Decimal

import pytest

from layers.models.accessibility import AccessibleObject
from layers.rules.accessibility import (
    AssessmentStatus,
    Category,
    NotAssessable,
    ObjectGroup,
    ProfileAnswer,
    TrafficLight,
    assessment_status,
    category_object_group,
    hearing_answer,
    low_vision_answer,
    profile_answers,
    stroller_answer,
    traffic_light,
    wheelchair_answer,
)

Y, N, NA = "yes", "no", "not_applicable"
HIGH, MEDIUM, LOW = "high", "medium", "low"
FREE = AssessmentStatus.BARRIER_FREE
PARTIAL = AssessmentStatus.PARTIALLY
BARRIER = AssessmentStatus.NOT_BARRIER_FREE


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([(Y, HIGH)], FREE),
        ([(Y, HIGH), (Y, MEDIUM), (Y, LOW)], FREE),
        ([(Y, HIGH), (NA, HIGH)], FREE),  # "not applicable" is not counted
        ([(N, HIGH)], BARRIER),
        ([(Y, HIGH), (Y, HIGH), (N, HIGH)], BARRIER),  # one critical "no" is enough
        ([(N, HIGH), (N, LOW)], BARRIER),
        ([(Y, HIGH), (N, MEDIUM)], PARTIAL),
        ([(Y, HIGH), (N, LOW), (N, MEDIUM)], PARTIAL),
        ([(N, LOW)], PARTIAL),
        ([(NA, HIGH), (N, LOW)], PARTIAL),
    ],
)
def test_assessment_status_follows_answers_and_criticality(answers, expected):
    assert assessment_status(answers) == expected


@pytest.mark.parametrize("answers", [[], [(NA, HIGH)], [(NA, HIGH), (NA, LOW)]])
def test_assessment_without_applicable_answers_cannot_be_assessed(answers):
    with pytest.raises(NotAssessable):
        assessment_status(answers)


def test_assessment_status_refuses_unknown_answer_values():
    with pytest.raises(ValueError):
        assessment_status([("maybe", HIGH)])


def facts(**values) -> AccessibleObject:
    """An unsaved object: every attribute not given is unknown (None)."""
    return AccessibleObject(**values)


STEP_FREE = {"entrance_step_free": True}
STEPS_NO_RAMP = {"entrance_step_free": False, "entrance_steps_count": 3, "ramp_present": False}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, ProfileAnswer.UNKNOWN),
        (STEP_FREE, ProfileAnswer.YES),
        ({**STEP_FREE, "door_width_cm": 90, "threshold_height_cm": Decimal(2)}, ProfileAnswer.YES),
        ({**STEP_FREE, "door_width_cm": 85}, ProfileAnswer.LIMITED),
        ({**STEP_FREE, "door_width_cm": 75}, ProfileAnswer.NO),
        ({**STEP_FREE, "threshold_height_cm": Decimal("2.5")}, ProfileAnswer.LIMITED),
        ({**STEP_FREE, "threshold_height_cm": Decimal(10)}, ProfileAnswer.NO),
        ({"entrance_step_free": False, "ramp_present": True, "ramp_slope_percent": 8}, "yes"),
        ({"entrance_step_free": False, "ramp_present": True, "ramp_slope_percent": 10}, "limited"),
        ({"entrance_step_free": False, "ramp_present": True, "ramp_slope_percent": 15}, "no"),
        ({"entrance_step_free": False, "ramp_present": True}, ProfileAnswer.LIMITED),
        (STEPS_NO_RAMP, ProfileAnswer.NO),
        ({**STEPS_NO_RAMP, "entrance_steps_count": 1, "entrance_step_height_cm": 5}, "limited"),
        ({**STEPS_NO_RAMP, "entrance_steps_count": 1, "entrance_step_height_cm": 15}, "no"),
        ({"entrance_step_free": False}, ProfileAnswer.UNKNOWN),  # steps, ramp not surveyed
        ({"door_width_cm": 60}, ProfileAnswer.NO),  # a known barrier decides
        ({"door_width_cm": 100}, ProfileAnswer.UNKNOWN),  # a good door alone says nothing
        ({**STEP_FREE, "floors": 3, "lift_present": False}, ProfileAnswer.LIMITED),
        ({**STEP_FREE, "floors": 3, "lift_present": True, "lift_working": False}, "limited"),
        ({**STEP_FREE, "floors": 3, "lift_present": True, "lift_cabin_width_cm": 80}, "limited"),
        (
            {**STEP_FREE, "floors": 3, "lift_present": True, "lift_cabin_width_cm": 110},
            ProfileAnswer.YES,
        ),
        ({**STEP_FREE, "floors": 3}, ProfileAnswer.YES),  # lift unknown: not held against it
        ({**STEP_FREE, "floors": 1, "lift_present": False}, ProfileAnswer.YES),
    ],
)
def test_wheelchair_answer(values, expected):
    assert wheelchair_answer(facts(**values)) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, ProfileAnswer.UNKNOWN),
        (STEP_FREE, ProfileAnswer.YES),
        ({"entrance_step_free": False, "ramp_present": True, "ramp_slope_percent": 12}, "yes"),
        ({"entrance_step_free": False, "ramp_present": True, "ramp_slope_percent": 20}, "limited"),
        (STEPS_NO_RAMP, ProfileAnswer.LIMITED),  # the stroller is lifted over three steps
        ({**STEPS_NO_RAMP, "entrance_steps_count": 8}, ProfileAnswer.NO),
        ({**STEP_FREE, "door_width_cm": 80}, ProfileAnswer.YES),
        ({**STEP_FREE, "door_width_cm": 75}, ProfileAnswer.LIMITED),
        ({**STEP_FREE, "door_width_cm": 60}, ProfileAnswer.NO),
        ({**STEP_FREE, "threshold_height_cm": 5}, ProfileAnswer.YES),
        ({**STEP_FREE, "threshold_height_cm": 9}, ProfileAnswer.LIMITED),
        ({**STEP_FREE, "floors": 2, "lift_present": False}, ProfileAnswer.LIMITED),
    ],
)
def test_stroller_answer(values, expected):
    assert stroller_answer(facts(**values)) == expected


@pytest.mark.parametrize(
    ("tactile", "braille", "staff", "expected"),
    [
        (True, True, None, ProfileAnswer.YES),
        (True, False, None, ProfileAnswer.LIMITED),
        (None, True, None, ProfileAnswer.LIMITED),
        (False, False, True, ProfileAnswer.LIMITED),
        (False, False, None, ProfileAnswer.NO),
        (False, False, False, ProfileAnswer.NO),
        (False, None, None, ProfileAnswer.UNKNOWN),
        (None, None, None, ProfileAnswer.UNKNOWN),
    ],
)
def test_low_vision_answer(tactile, braille, staff, expected):
    obj = facts(tactile_guidance=tactile, braille_signs=braille, staff_trained=staff)
    assert low_vision_answer(obj) == expected


@pytest.mark.parametrize(
    ("loop", "staff", "expected"),
    [
        (True, None, ProfileAnswer.YES),
        (True, False, ProfileAnswer.YES),
        (False, True, ProfileAnswer.LIMITED),
        (None, True, ProfileAnswer.LIMITED),
        (False, None, ProfileAnswer.NO),
        (None, None, ProfileAnswer.UNKNOWN),
        (None, False, ProfileAnswer.UNKNOWN),
    ],
)
def test_hearing_answer(loop, staff, expected):
    assert hearing_answer(facts(hearing_loop=loop, staff_trained=staff)) == expected


@pytest.mark.parametrize(
    ("latest_status", "wheelchair", "expected"),
    [
        (FREE, ProfileAnswer.NO, TrafficLight.GREEN),  # the official assessment decides
        (PARTIAL, ProfileAnswer.YES, TrafficLight.YELLOW),
        (BARRIER, ProfileAnswer.YES, TrafficLight.RED),
        (BARRIER, ProfileAnswer.UNKNOWN, TrafficLight.RED),
        (None, ProfileAnswer.YES, TrafficLight.GREEN),
        (None, ProfileAnswer.LIMITED, TrafficLight.YELLOW),
        (None, ProfileAnswer.NO, TrafficLight.RED),
        (None, ProfileAnswer.UNKNOWN, TrafficLight.GREY),
        ("", ProfileAnswer.UNKNOWN, TrafficLight.GREY),  # an assessment with no status yet
    ],
)
def test_traffic_light(latest_status, wheelchair, expected):
    assert traffic_light(latest_status=latest_status, wheelchair=wheelchair) == expected


def test_profile_answers_of_a_well_adapted_building():
    obj = facts(
        floors=4,
        entrance_step_free=True,
        door_width_cm=100,
        threshold_height_cm=Decimal(1),
        lift_present=True,
        lift_cabin_width_cm=110,
        lift_cabin_depth_cm=140,
        lift_working=True,
        tactile_guidance=True,
        braille_signs=True,
        hearing_loop=False,
        staff_trained=True,
    )

    answers = profile_answers(obj)

    assert (answers.wheelchair, answers.stroller) == (ProfileAnswer.YES, ProfileAnswer.YES)
    assert (answers.low_vision, answers.hearing) == (ProfileAnswer.YES, ProfileAnswer.LIMITED)


@pytest.mark.parametrize(
    ("category", "group"),
    [
        (Category.PHARMACY, ObjectGroup.BUILDINGS),
        (Category.ADMINISTRATIVE_SERVICES, ObjectGroup.BUILDINGS),
        (Category.TRANSPORT_STOP, ObjectGroup.TRANSPORT_STOPS),
        (Category.TRANSPORT_HUB, ObjectGroup.TRANSPORT_INFRASTRUCTURE),
        (Category.PARK, ObjectGroup.AMENITIES),
    ],
)
def test_category_decides_which_checklist_applies(category, group):
    assert category_object_group(category) == group
