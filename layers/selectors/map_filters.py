"""The public map's filters: per layer, the keys in URLs, their labels and allowed values,
and how each narrows the public queryset. A client never names an ORM lookup: only what is
declared here (built-in registries) or built from a definition's fields (data-defined ones)
is applied. Each registry's entry names its function (``Registry.filters``).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layers.clock import current_year
from layers.models.heritage import HeritageType, Significance
from layers.models.trees import GreenAreaKind, Species, TreeCondition
from layers.models.waste import Container, Fraction, WasteSiteKind
from layers.rules.accessibility import Category, ProfileAnswer, TrafficLight
from layers.selectors.ordering import in_ukrainian_order

Choices = list[tuple[str, str]]


class MapFilterError(ValueError):
    """A filter value outside the allowlist."""


@dataclass(frozen=True)
class MapFilter:
    """One filter of one map layer: its key in URLs, its label, its allowed values and how
    it narrows the public queryset. ``multiple`` filters accept comma-separated values and
    are drawn as checkbox groups; the others as one select or (``flag``) one checkbox."""

    key: str
    label: Promise
    choices: Callable[[], Choices]
    apply: Callable[[QuerySet, list[str]], QuerySet]
    multiple: bool = True
    flag: bool = False
    # Choices read from the database may grow between page load and request; they are
    # validated as plain strings instead of against a fixed list.
    open_values: bool = False
    # What the filter's result depends on besides the data (the current year for "not
    # assessed this year"): the tiles' ETags include it, so that a tile cached on
    # 31 December is not served as the answer on 1 January.
    varies_with: Callable[[], str] | None = None


def _static(choices) -> Callable[[], Choices]:
    return lambda: [(value, str(label)) for value, label in choices]


def _in(field: str) -> Callable[[QuerySet, list[str]], QuerySet]:
    return lambda qs, values: qs.filter(**{f"{field}__in": values})


PROFILES = {
    "wheelchair": _("wheelchair users"),
    "low_vision": _("blind or low-vision visitors"),
    "hearing": _("deaf or hard-of-hearing visitors"),
    "stroller": _("parents with strollers"),
}


def _profiles(qs: QuerySet, values: list[str]) -> QuerySet:
    # Every chosen profile must be fully served: "limited" is not enough to plan a visit on.
    return qs.filter(**{profile: ProfileAnswer.YES for profile in values})


# The stored traffic light is the official status when there is an assessment (and then
# ``last_assessed_on`` is set), else a guess from the wheelchair answer. The filter is on
# the official status only, in its own words; an object never assessed is "not assessed".
OFFICIAL_STATUSES = (
    (TrafficLight.GREEN, _("barrier-free")),
    (TrafficLight.YELLOW, _("partially barrier-free")),
    (TrafficLight.RED, _("not barrier-free")),
    (TrafficLight.GREY, _("not assessed yet")),
)


def _official_status(qs: QuerySet, values: list[str]) -> QuerySet:
    condition = Q(last_assessed_on__isnull=False, traffic_light__in=values)
    if TrafficLight.GREY in values:
        condition |= Q(last_assessed_on__isnull=True)
    return qs.filter(condition)


def _species_choices() -> Choices:
    return [
        (latin, f"{name_uk} ({latin})")
        for latin, name_uk in Species.objects.order_by(in_ukrainian_order("name_uk")).values_list(
            "latin_name", "name_uk"
        )
    ]


def _fractions(qs: QuerySet, values: list[str]) -> QuerySet:
    # A site qualifies when it takes every chosen fraction ("glass and batteries").
    for fraction in values:
        qs = qs.filter(Exists(Container.objects.filter(site=OuterRef("pk"), fraction=fraction)))
    return qs


def _not_assessed_this_year(qs: QuerySet, values: list[str]) -> QuerySet:
    # Never assessed, or last assessed (officially, with a status) before 1 January.
    year_start = datetime.date(current_year(), 1, 1)
    return qs.filter(Q(last_assessed_on__isnull=True) | Q(last_assessed_on__lt=year_start))


def _not_assessed_label() -> str:
    return gettext("Not assessed in %(year)s") % {"year": current_year()}


def _flag_filter(key: str, label, apply, **options) -> MapFilter:
    return MapFilter(
        key, label, lambda: [("1", str(label))], apply, multiple=False, flag=True, **options
    )


def accessibility_filters(registry) -> tuple[MapFilter, ...]:
    return (
        MapFilter("profile", _("Fully accessible for"), _static(PROFILES.items()), _profiles),
        MapFilter("rating", _("Official assessment"), _static(OFFICIAL_STATUSES), _official_status),
        # The city's programmes (their public page: /accessibility/awards/) and freshness;
        # before the long list of categories, so that they are seen.
        _flag_filter(
            "award",
            _("“Accessible business” award winners"),
            lambda qs, values: qs.filter(award_year__isnull=False),
        ),
        _flag_filter(
            "microgrant",
            _("In the micro-grant programme"),
            lambda qs, values: qs.filter(microgrant_year__isnull=False),
        ),
        _flag_filter(
            "not_assessed",
            # Lazy in the year as in the language: the label is read when a page is drawn.
            lazy(_not_assessed_label, str)(),
            _not_assessed_this_year,
            varies_with=lambda: str(current_year()),
        ),
        MapFilter("category", _("Category"), _static(Category.choices), _in("category")),
    )


def tree_filters(registry) -> tuple[MapFilter, ...]:
    return (
        MapFilter("condition", _("Condition"), _static(TreeCondition.choices), _in("condition")),
        MapFilter(
            "species",
            _("Species"),
            _species_choices,
            _in("species__latin_name"),
            multiple=False,
            open_values=True,
        ),
        MapFilter(
            "hazardous",
            _("Hazardous trees only"),
            _static([("1", _("Hazardous trees only"))]),
            lambda qs, values: qs.filter(is_hazardous=True),
            multiple=False,
            flag=True,
        ),
    )


def green_area_filters(registry) -> tuple[MapFilter, ...]:
    return (MapFilter("kind", _("Kind"), _static(GreenAreaKind.choices), _in("kind")),)


def heritage_filters(registry) -> tuple[MapFilter, ...]:
    return (
        MapFilter(
            "type",
            _("Type"),
            _static(HeritageType.choices),
            lambda qs, values: qs.filter(types__overlap=values),
        ),
        MapFilter(
            "significance", _("Significance"), _static(Significance.choices), _in("significance")
        ),
    )


def waste_filters(registry) -> tuple[MapFilter, ...]:
    return (
        MapFilter("fraction", _("Accepts"), _static(Fraction.choices), _fractions),
        MapFilter("kind", _("Kind of site"), _static(WasteSiteKind.choices), _in("kind")),
    )


def _flag(attribute: str):
    return lambda qs, values: qs.filter(**{attribute: True})


def _overlap(attribute: str):
    return lambda qs, values: qs.filter(**{f"{attribute}__overlap": values})


def data_filters(registry) -> tuple[MapFilter, ...]:
    """A data-defined registry's filters: one per public, filterable choice or yes/no field
    (the key is the field's name, as in OGC property filters)."""
    found = []
    for spec in registry.public_specs:
        if not spec.queryable:
            continue
        choices = _static([(c.value, c.label) for c in spec.choices])
        if spec.type == "choice":
            found.append(MapFilter(spec.name, spec.label, choices, _in(spec.attribute)))
        elif spec.type == "multiple_choice":
            found.append(MapFilter(spec.name, spec.label, choices, _overlap(spec.attribute)))
        elif spec.type == "boolean":
            found.append(
                MapFilter(
                    spec.name,
                    spec.label,
                    _static([("1", spec.label)]),
                    _flag(spec.attribute),
                    multiple=False,
                    flag=True,
                )
            )
    return tuple(found)
