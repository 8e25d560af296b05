"""Rules of the accessibility registry: the official assessment status and the public rating.

Everything the portal *derives* about accessibility is decided here, in pure functions over
plain values, and nowhere else (not in ``save()``, signals, views or templates). The
vocabularies the rules speak (answers, criticality, statuses, profile answers, traffic-light
colours) live here too and the models import them, so this module never imports the models.

Thresholds of the public rating follow DBN В.2.2-40:2018 "Інклюзивність будівель і споруд"
(see ``DOOR_MIN_WIDTH_CM`` and friends below); the official status follows the monitoring
procedure of Cabinet of Ministers Resolution No. 537 of 26.05.2021 (as restated by Resolution
No. 311 of 18.03.2025).
"""

# The official Ukrainian terms are quoted on purpose.

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

Number = int | float | Decimal


class ObjectGroup(models.TextChoices):
    """The five groups of physical-environment objects the monitoring procedure assesses,
    each with its own checklist (card) of sections and criteria."""

    BUILDINGS = "buildings_and_structures", _("buildings and structures")
    AMENITIES = "amenities", _("amenities (parks, squares, playgrounds)")
    TRANSPORT_STOPS = "public_transport_stops", _("public transport stops")
    TRANSPORT_INFRASTRUCTURE = "transport_infrastructure", _("transport infrastructure")
    STREETS = "streets_and_roads", _("streets and roads")


class Category(models.TextChoices):
    """What kind of service an accessible object provides (the map's filter and legend)."""

    ADMINISTRATIVE_SERVICES = "administrative_services", _("administrative service centre")
    HEALTH_CARE = "health_care", _("health care")
    PHARMACY = "pharmacy", _("pharmacy")
    EDUCATION = "education", _("education")
    CULTURE = "culture", _("culture")
    SPORT = "sport", _("sport")
    SOCIAL_SERVICES = "social_services", _("social services")
    SHOP = "shop", _("shop")
    CAFE = "cafe_restaurant", _("café or restaurant")
    BANK = "bank", _("bank")
    POST = "post_office", _("post office")
    HOTEL = "hotel", _("hotel")
    TRANSPORT_STOP = "transport_stop", _("public transport stop")
    TRANSPORT_HUB = "transport_hub", _("railway or bus station")
    PARK = "park", _("park or square")
    OTHER = "other", _("other")


# Which checklist card applies to an object of each category; every category not listed is
# a building or structure, which is what the procedure assumes by default.
_CATEGORY_GROUPS = {
    Category.TRANSPORT_STOP: ObjectGroup.TRANSPORT_STOPS,
    Category.TRANSPORT_HUB: ObjectGroup.TRANSPORT_INFRASTRUCTURE,
    Category.PARK: ObjectGroup.AMENITIES,
}


def category_object_group(category: str) -> ObjectGroup:
    """Return the object group (checklist card) that applies to an object of this category."""
    return _CATEGORY_GROUPS.get(category, ObjectGroup.BUILDINGS)


class Criticality(models.TextChoices):
    """How much a checklist criterion matters. The procedure calls a criterion critical when
    the object cannot be visited by people with reduced mobility without the element it
    describes; the official data set marks those ``high``."""

    HIGH = "high", _("high (critical)")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class Evidence(models.TextChoices):
    """When the answer to a criterion must carry evidence (a note or a photo) from the
    owner who fills the checklist, so that the reviewer can check it and a "no" says why."""

    NONE = "none", _("not asked")
    ON_NO = "on_no", _("a note or a photo when the answer is “no”")
    ALWAYS = "always", _("a note or a photo for every applicable answer")


def evidence_missing(rule: str, answer: str, *, note: str = "", photo: object = None) -> bool:
    """Whether an answer lacks the evidence its criterion asks for."""
    if note.strip() or photo:
        return False
    if rule == Evidence.ALWAYS:
        return answer in (Answer.YES, Answer.NO)
    if rule == Evidence.ON_NO:
        return answer == Answer.NO
    return False


class Answer(models.TextChoices):
    """An answer to one checklist criterion."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class AssessmentStatus(models.TextChoices):
    """The official result of a yearly assessment."""

    # Translators: the official term is «безбар'єрний».
    BARRIER_FREE = "barrier_free", _("barrier-free")
    # Translators: the official term is «частково безбар'єрний».
    PARTIALLY = "partially_barrier_free", _("partially barrier-free")
    # Translators: the official term is «бар'єрний».
    NOT_BARRIER_FREE = "not_barrier_free", _("not barrier-free")


class NotAssessable(ValueError):
    """Raised when a checklist has no applicable answer, so no status can be derived."""


def assessment_status(answers: Iterable[tuple[str, str]]) -> AssessmentStatus:
    """Return the official status from ``(answer, criticality)`` pairs of one checklist.

    The rule, read from the procedure's own definitions:

    * "not applicable" answers are left out of the count, as the checklist card says;
    * if no answer is left, the object cannot be assessed: ``NotAssessable`` is raised
      (an empty or all-"not applicable" checklist must not pass as barrier-free);
    * any "no" on a **high** (critical) criterion means people with reduced mobility cannot
      visit the object: **not barrier-free** (бар'єрний);
    * every applicable criterion answered "yes": **barrier-free** (безбар'єрний);
    * otherwise, i.e. only medium- or low-criticality criteria answered "no": **partially
      barrier-free** (частково безбар'єрний).

    The seed checklist marks every criterion ``high``, so with it the result is barrier-free
    or not; "partially" appears once maintainers add less critical criteria.
    """
    applicable = [
        (Answer(answer), Criticality(criticality))
        for answer, criticality in answers
        if answer != Answer.NOT_APPLICABLE
    ]
    if not applicable:
        raise NotAssessable("The checklist has no applicable answer.")
    failed = [criticality for answer, criticality in applicable if answer == Answer.NO]
    if Criticality.HIGH in failed:
        return AssessmentStatus.NOT_BARRIER_FREE
    if not failed:
        return AssessmentStatus.BARRIER_FREE
    return AssessmentStatus.PARTIALLY


# --- The public rating ---------------------------------------------------------------------

# DBN В.2.2-40:2018: clear door width at least 0.9 m, thresholds at most 0.02 m, ramps no
# steeper than 1:12 (8 %), a lift cabin for a wheelchair user at least 1.1 m x 1.4 m.
DOOR_MIN_WIDTH_CM = 90
THRESHOLD_MAX_CM = 2
RAMP_MAX_SLOPE_PERCENT = 8
LIFT_MIN_WIDTH_CM = 110
LIFT_MIN_DEPTH_CM = 140
# Below the norm but still usable with effort or help ("limited", as OpenStreetMap's
# wheelchair=limited): a wheelchair passes an 80 cm door, a single step or threshold of up
# to 7 cm, and, with an assistant, a ramp of up to 12 %. Beyond these it cannot.
DOOR_LIMITED_WIDTH_CM = 80
STEP_LIMITED_CM = 7
RAMP_LIMITED_SLOPE_PERCENT = 12
# A stroller is narrower than a wheelchair, and it can be lifted over a few steps.
STROLLER_DOOR_MIN_WIDTH_CM = 70
STROLLER_MAX_STEPS_LIFTED = 3


class ProfileAnswer(models.TextChoices):
    """Can a visitor with this profile use the object (OpenStreetMap ``wheelchair=*`` style)."""

    YES = "yes", _("yes")
    LIMITED = "limited", _("limited")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("unknown")


class TrafficLight(models.TextChoices):
    """The public one-glance rating on the map."""

    GREEN = "green", _("accessible")
    YELLOW = "yellow", _("partially accessible")
    RED = "red", _("not accessible")
    GREY = "grey", _("unknown")


class AccessibilityFacts(Protocol):
    """The descriptive attributes the rating reads; ``None`` always means "not known"."""

    floors: int | None
    entrance_step_free: bool | None
    entrance_steps_count: int | None
    entrance_step_height_cm: Number | None
    ramp_present: bool | None
    ramp_slope_percent: Number | None
    door_width_cm: Number | None
    threshold_height_cm: Number | None
    lift_present: bool | None
    lift_cabin_width_cm: Number | None
    lift_cabin_depth_cm: Number | None
    lift_working: bool | None
    tactile_guidance: bool | None
    braille_signs: bool | None
    hearing_loop: bool | None
    staff_trained: bool | None


@dataclass(frozen=True)
class ProfileAnswers:
    wheelchair: ProfileAnswer
    low_vision: ProfileAnswer
    hearing: ProfileAnswer
    stroller: ProfileAnswer


_RANK = {ProfileAnswer.YES: 2, ProfileAnswer.LIMITED: 1, ProfileAnswer.NO: 0}


def _combine(entrance: ProfileAnswer, *details: ProfileAnswer | None) -> ProfileAnswer:
    """The worst of the parts. A known barrier anywhere decides ("no") even when the
    entrance is unknown; otherwise an unknown entrance leaves the whole answer unknown.
    Unknown details (``None``) never lower a known entrance: unknown is not "no"."""
    known = [d for d in details if d is not None]
    if ProfileAnswer.NO in known:
        return ProfileAnswer.NO
    if entrance == ProfileAnswer.UNKNOWN:
        return ProfileAnswer.UNKNOWN
    return min([entrance, *known], key=_RANK.__getitem__)


def _band(value: Number | None, yes_max: Number, limited_max: Number) -> ProfileAnswer | None:
    """``yes`` up to ``yes_max``, ``limited`` up to ``limited_max``, ``no`` beyond."""
    if value is None:
        return None
    if value <= yes_max:
        return ProfileAnswer.YES
    if value <= limited_max:
        return ProfileAnswer.LIMITED
    return ProfileAnswer.NO


def _width(value: Number | None, yes_min: Number, limited_min: Number) -> ProfileAnswer | None:
    if value is None:
        return None
    if value >= yes_min:
        return ProfileAnswer.YES
    if value >= limited_min:
        return ProfileAnswer.LIMITED
    return ProfileAnswer.NO


def _single_low_step(facts: AccessibilityFacts) -> bool:
    height = facts.entrance_step_height_cm
    return facts.entrance_steps_count == 1 and height is not None and height <= STEP_LIMITED_CM


def _upper_floors(facts: AccessibilityFacts, *, cabin_matters: bool) -> ProfileAnswer | None:
    """Vertical access: only the ground floor is reachable without a working lift."""
    if facts.floors is None or facts.floors < 2:
        return None
    if facts.lift_present is False or facts.lift_working is False:
        return ProfileAnswer.LIMITED
    if facts.lift_present and cabin_matters:
        width, depth = facts.lift_cabin_width_cm, facts.lift_cabin_depth_cm
        if (width is not None and width < LIFT_MIN_WIDTH_CM) or (
            depth is not None and depth < LIFT_MIN_DEPTH_CM
        ):
            return ProfileAnswer.LIMITED
    return None


def wheelchair_answer(facts: AccessibilityFacts) -> ProfileAnswer:
    """Can a wheelchair user get in and be served.

    Entrance: step-free, or a ramp of at most 8 % → yes; a ramp of unknown slope or of
    8–12 %, or a single step of at most 7 cm → limited; a steeper ramp, or steps and no
    ramp → no; nothing known → unknown. Then the door (≥ 90 cm yes, ≥ 80 cm limited, less
    no), the threshold (≤ 2 cm yes, ≤ 7 cm limited, more no) and, for 2+ floors, a missing,
    broken or small (< 110 x 140 cm) lift → limited. The worst part wins (see ``_combine``).
    """
    if facts.entrance_step_free:
        entrance = ProfileAnswer.YES
    elif facts.ramp_present:
        entrance = _band(
            facts.ramp_slope_percent, RAMP_MAX_SLOPE_PERCENT, RAMP_LIMITED_SLOPE_PERCENT
        )
        entrance = entrance or ProfileAnswer.LIMITED  # a ramp of unknown slope
    elif _single_low_step(facts):
        entrance = ProfileAnswer.LIMITED
    elif facts.entrance_step_free is False and facts.ramp_present is False:
        entrance = ProfileAnswer.NO
    else:
        entrance = ProfileAnswer.UNKNOWN
    return _combine(
        entrance,
        _width(facts.door_width_cm, DOOR_MIN_WIDTH_CM, DOOR_LIMITED_WIDTH_CM),
        _band(facts.threshold_height_cm, THRESHOLD_MAX_CM, STEP_LIMITED_CM),
        _upper_floors(facts, cabin_matters=True),
    )


def stroller_answer(facts: AccessibilityFacts) -> ProfileAnswer:
    """Can a parent with a stroller get in.

    Step-free or any ramp up to 12 % → yes (a steeper one → limited); steps without a ramp
    → limited up to three steps (the stroller is lifted), no beyond; the door ≥ 80 cm yes,
    ≥ 70 cm limited, narrower no; thresholds up to 7 cm are fine; upper floors without a
    working lift → limited.
    """
    if facts.entrance_step_free:
        entrance = ProfileAnswer.YES
    elif facts.ramp_present:
        slope = facts.ramp_slope_percent
        limited = slope is not None and slope > RAMP_LIMITED_SLOPE_PERCENT
        entrance = ProfileAnswer.LIMITED if limited else ProfileAnswer.YES
    elif facts.entrance_step_free is False and facts.ramp_present is False:
        steps = facts.entrance_steps_count
        many = steps is not None and steps > STROLLER_MAX_STEPS_LIFTED
        entrance = ProfileAnswer.NO if many else ProfileAnswer.LIMITED
    elif _single_low_step(facts):
        entrance = ProfileAnswer.LIMITED
    else:
        entrance = ProfileAnswer.UNKNOWN
    threshold = facts.threshold_height_cm
    return _combine(
        entrance,
        _width(facts.door_width_cm, DOOR_LIMITED_WIDTH_CM, STROLLER_DOOR_MIN_WIDTH_CM),
        None if threshold is None or threshold <= STEP_LIMITED_CM else ProfileAnswer.LIMITED,
        _upper_floors(facts, cabin_matters=False),
    )


def _sensory(key_features: list[bool | None], staff_trained: bool | None) -> ProfileAnswer:
    """Yes when every key feature is present; limited when some is, or staff are trained to
    assist; no when every key feature is known to be absent; unknown otherwise."""
    if all(f is True for f in key_features):
        return ProfileAnswer.YES
    if any(f is True for f in key_features) or staff_trained is True:
        return ProfileAnswer.LIMITED
    if all(f is False for f in key_features):
        return ProfileAnswer.NO
    return ProfileAnswer.UNKNOWN


def low_vision_answer(facts: AccessibilityFacts) -> ProfileAnswer:
    """Blind or low-vision visitors: tactile guidance and Braille/tactile signs are the key
    features; trained staff make a place without them usable, with limits."""
    return _sensory([facts.tactile_guidance, facts.braille_signs], facts.staff_trained)


def hearing_answer(facts: AccessibilityFacts) -> ProfileAnswer:
    """Deaf or hard-of-hearing visitors: a hearing (induction) loop is the key feature;
    staff trained to communicate otherwise make it limited."""
    return _sensory([facts.hearing_loop], facts.staff_trained)


def profile_answers(facts: AccessibilityFacts) -> ProfileAnswers:
    """All per-profile answers of one object."""
    return ProfileAnswers(
        wheelchair=wheelchair_answer(facts),
        low_vision=low_vision_answer(facts),
        hearing=hearing_answer(facts),
        stroller=stroller_answer(facts),
    )


_LIGHT_BY_STATUS = {
    AssessmentStatus.BARRIER_FREE: TrafficLight.GREEN,
    AssessmentStatus.PARTIALLY: TrafficLight.YELLOW,
    AssessmentStatus.NOT_BARRIER_FREE: TrafficLight.RED,
}
_LIGHT_BY_WHEELCHAIR = {
    ProfileAnswer.YES: TrafficLight.GREEN,
    ProfileAnswer.LIMITED: TrafficLight.YELLOW,
    ProfileAnswer.NO: TrafficLight.RED,
    ProfileAnswer.UNKNOWN: TrafficLight.GREY,
}


def traffic_light(
    *, latest_status: str | None, wheelchair: str = ProfileAnswer.UNKNOWN
) -> TrafficLight:
    """The public colour: the latest official assessment decides when there is one (it is
    the legally required, complete checklist); without one, the wheelchair answer derived
    from the descriptive attributes; grey when neither says anything."""
    if latest_status:
        return _LIGHT_BY_STATUS[AssessmentStatus(latest_status)]
    return _LIGHT_BY_WHEELCHAIR[ProfileAnswer(wheelchair)]
