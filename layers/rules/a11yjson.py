"""An accessible object as A11yJSON (https://a11yjson.org): a ``PlaceInfo``, i.e. a GeoJSON
Feature whose ``properties`` are ``PlaceProperties`` with an ``Accessibility`` object.

Pure functions over the object's public values (the registry's property names), so that
nothing the registry does not publish can reach the document, and a hand-made dict is
enough to test them. A value the portal does not know (``None``) is left out — A11yJSON reads
a missing property as "unknown" — and so is an object that would hold nothing.

Lengths are A11yJSON ``Length`` quantities in the unit they were measured in
(``{"value": 90, "unit": "cm"}``). Texts are ``LocalizedString``s in Ukrainian, the language
records are kept in. What A11yJSON has no property for (the ramp's slope, a call button,
trained staff, the date of the last assessment, the portal's own ratings) is in ``tags``,
which A11yJSON keeps for "the custom fields" of a source, as text.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from layers.rules.accessibility import ProfileAnswer
from layers.rules.osm_tags import ENTRANCE_ATTRIBUTES

# The language of names and addresses (IETF tag): records are kept in Ukrainian.
DATA_LANGUAGE = "uk"
# Every hromada is Ukrainian (its profile has a KATOTTH code): ISO 3166-1 alpha-3.
COUNTRY_CODE = "UKR"

_GRADE = {
    ProfileAnswer.YES: "fully",
    ProfileAnswer.LIMITED: "partially",
    ProfileAnswer.NO: "not",
}
# The portal's per-profile answers as A11yJSON PersonalProfile keys (a stroller has none).
_PROFILES = {
    "wheelchair": "wheelchair",
    "low_vision": "visualImpairment",
    "hearing": "hearingImpairment",
}
# Public values A11yJSON has no property for, kept as tags under their own names.
TAGGED = (
    "ramp_slope_percent",
    "call_button",
    "staff_trained",
    "floors",
    "lift_working",
    "last_assessed_on",
    "traffic_light",
    "stroller",
)


def number(value: int | float | Decimal) -> int | float:
    """A JSON number: whole values as integers (2.0 cm → 2)."""
    if isinstance(value, Decimal):
        value = float(value)
    return int(value) if float(value).is_integer() else value


def length_cm(value) -> dict | None:
    return None if value is None else {"value": number(value), "unit": "cm"}


def localized(text: str) -> dict | None:
    return {DATA_LANGUAGE: text} if text else None


def known(**members) -> dict:
    """The members whose value is known (not None, not an empty object)."""
    return {key: value for key, value in members.items() if value is not None and value != {}}


def _stairs(values: Mapping[str, Any]) -> dict | None:
    return known(
        count=values.get("entrance_steps_count"),
        stepHeight=length_cm(values.get("entrance_step_height_cm")),
    )


def _door(values: Mapping[str, Any]) -> dict:
    return known(
        width=length_cm(values.get("door_width_cm")),
        isAutomatic=values.get("door_automatic"),
        thresholdHeight=length_cm(values.get("threshold_height_cm")),
    )


def entrance(values: Mapping[str, Any]) -> dict | None:
    """The entrance an object's attributes describe, as an A11yJSON ``Entrance``: the main
    one (see ``layers.rules.osm_tags.ENTRANCE_ATTRIBUTES``); None when nothing is known.

    ``ramp_present`` is A11yJSON's ``hasFixedRamp``: the survey records a ramp built at the
    entrance (the one whose slope DBN В.2.2-40 limits), not a portable one brought out on
    request; "no ramp" is then also "no removable ramp" only by guess, so that stays unsaid.
    The ramp's slope has no A11yJSON property (``slopeAngle`` is the ground's): see ``tags``.
    """
    if all(values.get(name) is None for name in ENTRANCE_ATTRIBUTES):
        return None
    properties = known(
        isMainEntrance=True,
        isLevel=values.get("entrance_step_free"),
        hasFixedRamp=values.get("ramp_present"),
        stairs=_stairs(values),
        door=_door(values),
    )
    return {"properties": properties}


def _lift(values: Mapping[str, Any]) -> dict | None:
    """The lift as ``EquipmentProperties`` (an elevator). Its ``isWorking`` is A11yJSON's
    live status, which a yearly survey is not: the surveyed state goes to ``tags``."""
    width, depth = values.get("lift_cabin_width_cm"), values.get("lift_cabin_depth_cm")
    present = values.get("lift_present")
    if present is False or (present is None and width is None and depth is None):
        return None
    return known(category="elevator", cabinWidth=length_cm(width), cabinLength=length_cm(depth))


def _signage(values: Mapping[str, Any]) -> dict:
    """The registry's one flag is "Braille or tactile signs". Braille is tactile, so it is
    A11yJSON's ``hasTactileSignage`` either way; only its absence also says "no Braille"."""
    signs = values.get("braille_signs")
    return known(
        hasTactileSignage=signs,
        hasBrailleSignage=False if signs is False else None,
    )


def _profiles(values: Mapping[str, Any]) -> tuple[dict, dict]:
    """``accessibleWith`` and ``partiallyAccessibleWith`` from the per-profile answers: yes
    is accessible, limited is partially, no is neither; unknown says nothing."""
    fully, partially = {}, {}
    for name, profile in _PROFILES.items():
        answer = values.get(name)
        if answer == ProfileAnswer.YES:
            fully[profile] = True
        elif answer == ProfileAnswer.LIMITED:
            fully[profile], partially[profile] = False, True
        elif answer == ProfileAnswer.NO:
            fully[profile], partially[profile] = False, False
    return fully, partially


def accessibility(values: Mapping[str, Any]) -> dict:
    """The A11yJSON ``Accessibility`` of an object (only what is known)."""
    toilet = values.get("toilet_accessible")
    spaces = values.get("parking_disabled_spaces")
    lift = _lift(values)
    door_and_steps = entrance(values)
    fully, partially = _profiles(values)
    return known(
        entrances=[door_and_steps] if door_and_steps else None,
        # "No accessible toilet" is read as a restroom one cannot use in a wheelchair, as
        # A11yJSON's own example of a place does.
        restrooms=None if toilet is None else [{"isAccessibleWithWheelchair": toilet}],
        parking=None if spaces is None else {"forWheelchairUsers": {"count": spaces}},
        availableEquipment=[lift] if lift else None,
        hasTactileGuideStrips=values.get("tactile_guidance"),
        hasInductionLoop=values.get("hearing_loop"),
        wheelchairAccessibilityGrade=_GRADE.get(values.get("wheelchair")),
        accessibleWith=fully,
        partiallyAccessibleWith=partially,
        **_signage(values),
    )


def _tag_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(number(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def tags(values: Mapping[str, Any]) -> dict[str, str]:
    """The public values A11yJSON has no property for (``TAGGED``), as text; an unknown
    answer or rating is left out like any unknown value."""
    return {
        name: _tag_text(values[name])
        for name in TAGGED
        if values.get(name) is not None and values[name] not in (ProfileAnswer.UNKNOWN, "grey")
    }


def place_properties(values: Mapping[str, Any], *, public_id: str, info_url: str = "") -> dict:
    """A11yJSON ``PlaceProperties`` of an object from its public values. Only keys present
    in ``values`` are read: a property the registry does not publish (the contact email is
    staff-only) is never written."""
    address = values.get("address")
    return known(
        originalId=public_id,
        name=localized(values.get("name") or ""),
        category=values.get("category") or "other",
        address=known(text=localized(address), countryCode=COUNTRY_CODE) if address else None,
        phoneNumber=values.get("phone") or None,
        emailAddress=values.get("email") or None,
        placeWebsiteUrl=values.get("website") or None,
        infoPageUrl=info_url or None,
        accessibility=accessibility(values),
        tags=tags(values),
    )


def place_info(
    values: Mapping[str, Any], *, public_id: str, lon: float, lat: float, info_url: str = ""
) -> dict:
    """An object as an A11yJSON ``PlaceInfo``: a GeoJSON Feature with its public id."""
    return {
        "type": "Feature",
        "id": public_id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": place_properties(values, public_id=public_id, info_url=info_url),
    }
