"""OpenStreetMap tags of an accessible object, for mappers to compare with the map (nothing
is uploaded): pure functions over the object's public values, so that a hand-made dict is
enough to test them and the models are never imported.

Every tag is written only when the portal knows its value; an unknown value is an empty
cell, never a guess. The tags follow the OSM wiki (Key:wheelchair, Key:toilets:wheelchair,
Key:entrance, Key:door:width, Key:ramp, Key:ramp:wheelchair, Key:step_count,
Key:automatic_door, Key:capacity:disabled).

``kerb:height`` is not among them: the registry records no kerb (the object's entrance,
door, ramp and steps, but not the kerb on the way to it), so the table has no such column
rather than one that is always empty.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from layers.rules.accessibility import RAMP_LIMITED_SLOPE_PERCENT, ProfileAnswer

# The columns of the table, in order: the tags (the key is the column's name).
TAGS = (
    "wheelchair",
    "toilets:wheelchair",
    "entrance",
    "door:width",
    "ramp",
    "ramp:wheelchair",
    "step_count",
    "automatic_door",
    "capacity:disabled",
)

# What the entrance attributes describe. The registry records one entrance per object: the
# one a visitor arrives at, which the monitoring checklist surveys as the building's
# "entrance group" (вхідна група) — the main entrance. So the door, step and ramp tags are
# those of the entrance=main node; a mapper compares them there.
ENTRANCE_ATTRIBUTES = (
    "entrance_step_free",
    "entrance_steps_count",
    "entrance_step_height_cm",
    "ramp_present",
    "ramp_slope_percent",
    "door_width_cm",
    "threshold_height_cm",
    "door_automatic",
)

_WHEELCHAIR = {
    ProfileAnswer.YES: "yes",
    ProfileAnswer.LIMITED: "limited",
    ProfileAnswer.NO: "no",
}


def yes_no(value: bool | None) -> str:
    """``yes``/``no`` for a known flag, empty for an unknown one."""
    if value is None:
        return ""
    return "yes" if value else "no"


def metres(centimetres: int | float | Decimal | None) -> str:
    """A length in centimetres as OSM's plain number of metres: 90 → ``0.9``, 100 → ``1``."""
    if centimetres is None:
        return ""
    return format((Decimal(str(centimetres)) / 100).normalize(), "f")


def wheelchair_tag(answer: str | None) -> str:
    """``wheelchair=*`` from the derived wheelchair answer; unknown is no tag."""
    return _WHEELCHAIR.get(answer, "")


def entrance_tag(values: Mapping[str, Any]) -> str:
    """``main`` when anything is known about the entrance (see ``ENTRANCE_ATTRIBUTES``)."""
    return "main" if any(values.get(name) is not None for name in ENTRANCE_ATTRIBUTES) else ""


def ramp_wheelchair_tag(values: Mapping[str, Any]) -> str:
    """``ramp:wheelchair=*``: is there a ramp a wheelchair can use.

    No ramp → ``no``. A ramp of known slope up to 12 % → ``yes`` (the rating's limit of a
    usable ramp, with help beyond 8 %: ``wheelchair=limited`` says that part); steeper → ``no``
    (the rating calls it impassable). A ramp of unknown slope may be either: no tag.
    """
    present = values.get("ramp_present")
    if present is None:
        return ""
    if not present:
        return "no"
    slope = values.get("ramp_slope_percent")
    if slope is None:
        return ""
    return "yes" if slope <= RAMP_LIMITED_SLOPE_PERCENT else "no"


def step_count_tag(values: Mapping[str, Any]) -> str:
    """``step_count=*``: the counted steps; a step-free entrance has none (the registry
    refuses a step-free entrance with steps), so it is ``0`` even when nobody counted."""
    count = values.get("entrance_steps_count")
    if count is not None:
        return str(count)
    return "0" if values.get("entrance_step_free") else ""


def capacity_disabled_tag(spaces: int | None) -> str:
    """``capacity:disabled=*``: the number of parking spaces for people with disabilities.

    On OSM the key belongs to the car park (``amenity=parking``) that serves the object, not
    to the building; the table is for comparing, so it is given here for the mapper to check
    on that car park.
    """
    return "" if spaces is None else str(spaces)


def osm_tags(values: Mapping[str, Any]) -> dict[str, str]:
    """The tags of one object, from its public values (the registry's property names:
    ``wheelchair`` is the derived answer of ``layers.rules.accessibility``). Every key of
    ``TAGS`` is present; an unknown value is ``""``."""
    return {
        "wheelchair": wheelchair_tag(values.get("wheelchair")),
        "toilets:wheelchair": yes_no(values.get("toilet_accessible")),
        "entrance": entrance_tag(values),
        "door:width": metres(values.get("door_width_cm")),
        "ramp": yes_no(values.get("ramp_present")),
        "ramp:wheelchair": ramp_wheelchair_tag(values),
        "step_count": step_count_tag(values),
        "automatic_door": yes_no(values.get("door_automatic")),
        "capacity:disabled": capacity_disabled_tag(values.get("parking_disabled_spaces")),
    }
