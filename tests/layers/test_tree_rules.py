from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils import translation

from layers.models.trees import Species, Tree
from layers.rules.trees import (
    HAZARDOUS_CONDITIONS,
    TreeCondition,
    tree_is_hazardous,
    tree_size_errors,
)
from layers.services.trees import species_seed

CENTRE = Point(26.9965, 49.4216, srid=4326)

LINDEN = SimpleNamespace(
    latin_name="Tilia cordata",
    name_uk="липа серцелиста",
    max_height_m=Decimal("30"),
    max_trunk_diameter_cm=Decimal("250"),
    max_crown_diameter_m=Decimal("25"),
)


@pytest.mark.parametrize(
    ("condition", "hazardous"),
    [
        (TreeCondition.GOOD, False),
        (TreeCondition.SATISFACTORY, False),
        (TreeCondition.UNSATISFACTORY, False),
        (TreeCondition.HAZARDOUS, True),
        (TreeCondition.DEAD, True),
        ("", False),  # not yet inspected
        (None, False),
    ],
)
def test_hazard_flag_follows_the_condition(condition, hazardous):
    assert tree_is_hazardous(condition) is hazardous


def test_the_hazardous_conditions_belong_to_the_inventory_scale():
    assert set(TreeCondition.values) >= HAZARDOUS_CONDITIONS


def test_sizes_within_the_species_maxima_pass():
    assert (
        tree_size_errors(
            species=LINDEN,
            trunk_diameter_cm=Decimal("250"),
            height_m=Decimal("30"),
            crown_diameter_m=Decimal("12"),
        )
        == {}
    )


def test_unknown_sizes_are_not_errors():
    assert tree_size_errors(species=LINDEN) == {}


@pytest.mark.parametrize(
    ("field", "value", "maximum"),
    [
        ("trunk_diameter_cm", Decimal("400"), "250"),
        ("height_m", Decimal("31.5"), "30"),
        ("crown_diameter_m", Decimal("26"), "25"),
    ],
)
def test_a_size_above_the_species_maximum_names_the_species_and_the_maximum(field, value, maximum):
    errors = tree_size_errors(species=LINDEN, **{field: value})

    assert list(errors) == [field]
    with translation.override("en"):
        message = errors[field].messages[0]
    assert "Tilia cordata (липа серцелиста)" in message
    assert maximum in message
    assert errors[field].code == "above_species_maximum"


def test_a_species_without_a_crown_maximum_accepts_any_crown():
    species = SimpleNamespace(**{**vars(LINDEN), "max_crown_diameter_m": None})

    assert tree_size_errors(species=species, crown_diameter_m=Decimal("39")) == {}


@pytest.mark.django_db
def test_tree_validation_rejects_a_diameter_typed_in_millimetres():
    species_seed()
    birch = Species.objects.get(latin_name="Betula pendula")  # at most 100 cm
    tree = Tree(
        geom=CENTRE, species=birch, condition=TreeCondition.GOOD, trunk_diameter_cm=Decimal("350")
    )

    with pytest.raises(ValidationError) as caught:
        tree.full_clean()

    assert set(caught.value.message_dict) == {"trunk_diameter_cm"}
    assert "Betula pendula" in caught.value.message_dict["trunk_diameter_cm"][0]
    assert Tree.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("condition", [*TreeCondition.values, ""])
def test_the_stored_hazard_flag_is_the_rule(condition):
    species_seed()
    tree = Tree.objects.create(
        geom=CENTRE, species=Species.objects.get(latin_name="Tilia cordata"), condition=condition
    )

    stored = Tree.objects.values_list("is_hazardous", flat=True).get(pk=tree.pk)

    assert stored is tree_is_hazardous(condition)
    assert Tree.objects.filter(is_hazardous=True).exists() is tree_is_hazardous(condition)
