"""Rules of the green-plantings registry: what follows from a tree's recorded values.

The condition scale lives here, next to the rule that reads it, because the model builds its
stored ``is_hazardous`` column from ``HAZARDOUS_CONDITIONS`` at import time; this module must
therefore not import the models.
"""

from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TreeCondition(models.TextChoices):
    """The condition categories of the national inventory instruction for green plantings
    (Order No. 226 of the State Committee for Construction, Держбуд, of 24.12.2001)."""

    GOOD = "good", _("good")
    SATISFACTORY = "satisfactory", _("satisfactory")
    UNSATISFACTORY = "unsatisfactory", _("unsatisfactory")
    # Translators: the inventory term is «аварійне».
    HAZARDOUS = "hazardous", _("hazardous")
    # Translators: the inventory term is «сухостійне» (standing dead wood).
    DEAD = "dead", _("dead")


# The one hazard rule. A standing dead tree is as much a falling risk as one assessed
# "аварійне": both are what the maintainer must make safe first, so both raise the flag.
# A tree not yet assessed (empty condition) is not flagged.
HAZARDOUS_CONDITIONS: frozenset[str] = frozenset({TreeCondition.HAZARDOUS, TreeCondition.DEAD})


def tree_is_hazardous(condition: str | None) -> bool:
    """Whether a tree in this condition is hazardous."""
    return condition in HAZARDOUS_CONDITIONS


def tree_hazardous_q(field: str = "condition") -> Q:
    """The hazard rule as a query condition (used for the stored column and for filters)."""
    return Q(**{f"{field}__in": sorted(HAZARDOUS_CONDITIONS)})


class SpeciesMaxima(Protocol):
    latin_name: str
    max_height_m: Decimal | float | None
    max_trunk_diameter_cm: Decimal | float | None
    max_crown_diameter_m: Decimal | float | None


_MEASURES: tuple[tuple[str, str, object], ...] = (
    (
        "trunk_diameter_cm",
        "max_trunk_diameter_cm",
        _(
            "A trunk diameter of %(value)s cm is more than %(species)s reaches "
            "(at most %(maximum)s cm at 1.3 m). Check the unit: centimetres, not millimetres "
            "or circumference."
        ),
    ),
    (
        "height_m",
        "max_height_m",
        _("A height of %(value)s m is more than %(species)s reaches (at most %(maximum)s m)."),
    ),
    (
        "crown_diameter_m",
        "max_crown_diameter_m",
        _(
            "A crown diameter of %(value)s m is more than %(species)s reaches "
            "(at most %(maximum)s m)."
        ),
    ),
)


def _species_label(species: SpeciesMaxima) -> str:
    name_uk = getattr(species, "name_uk", "")
    return f"{species.latin_name} ({name_uk})" if name_uk else species.latin_name


def tree_size_errors(
    *,
    species: SpeciesMaxima,
    trunk_diameter_cm: Decimal | float | None = None,
    height_m: Decimal | float | None = None,
    crown_diameter_m: Decimal | float | None = None,
) -> dict[str, ValidationError]:
    """Field name -> error for every measurement beyond the species' maximum.

    The maxima are the largest sizes the species reaches in Ukraine, so a value above them is
    almost always a typing or unit mistake rather than a remarkable tree.
    """
    values = {
        "trunk_diameter_cm": trunk_diameter_cm,
        "height_m": height_m,
        "crown_diameter_m": crown_diameter_m,
    }
    errors = {}
    for field, maximum_attr, message in _MEASURES:
        value, maximum = values[field], getattr(species, maximum_attr, None)
        if value is None or maximum is None or value <= maximum:
            continue
        errors[field] = ValidationError(
            message,
            code="above_species_maximum",
            params={"value": value, "maximum": maximum, "species": _species_label(species)},
        )
    return errors
