# Ukrainian inventory numbers and names are meant, not look-alike Latin letters.

import datetime
import math
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

import layers.admin.trees  # noqa: F401  (registers the admin until layers/admin/__init__ does)
from layers.models.base import Status
from layers.models.trees import (
    GreenArea,
    GreenAreaKind,
    Species,
    Tree,
    TreeCondition,
    TreeEvent,
    TreeEventKind,
)
from layers.selectors.trees import green_area_tree_counts, tree_neighbours_within
from layers.services.trees import (
    protected_sites_load,
    species_seed,
    tree_remove,
)

LON, LAT = 26.9965, 49.4216  # the centre of Khmelnytskyi
M_PER_DEG_LAT = 111_250.0  # near 49.4° N
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT))


def at(east_m: float = 0.0, north_m: float = 0.0) -> Point:
    """A point so many metres east and north of the centre."""
    return Point(LON + east_m / M_PER_DEG_LON, LAT + north_m / M_PER_DEG_LAT, srid=4326)


def square(side_m: float, *, east_m: float = 0.0, north_m: float = 0.0) -> Polygon:
    corners = [(0, 0), (side_m, 0), (side_m, side_m), (0, side_m), (0, 0)]
    return Polygon([at(east_m + x, north_m + y).coords for x, y in corners], srid=4326)


@pytest.fixture
def species(db):
    species_seed()
    return Species.objects.get(latin_name="Tilia cordata")


def make_tree(species, geom=None, **fields):
    fields.setdefault("condition", TreeCondition.GOOD)
    fields.setdefault("status", Status.PUBLISHED)
    return Tree.objects.create(geom=geom or at(), species=species, **fields)


# --- Species catalogue --------------------------------------------------------------------


@pytest.mark.django_db
def test_species_seed_loads_the_catalogue_and_running_it_again_changes_nothing():
    count = species_seed()
    before = list(Species.objects.order_by("latin_name").values())

    assert species_seed() == count
    assert list(Species.objects.order_by("latin_name").values()) == before
    assert count >= 25
    linden = Species.objects.get(latin_name="Tilia cordata")
    assert (linden.name_uk, linden.name_en) == ("липа серцелиста", "small-leaved lime")
    assert Species.objects.filter(max_crown_diameter_m__isnull=True).count() == 0


# --- Database constraints -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"trunk_diameter_cm": Decimal("600")},
        {"trunk_diameter_cm": Decimal("0")},
        {"height_m": Decimal("61")},
        {"height_m": Decimal("-1")},
        {"crown_diameter_m": Decimal("41")},
        {"planting_year": 1200},
        {"planted_on": datetime.date(2020, 5, 1), "removed_on": datetime.date(2019, 5, 1)},
    ],
    ids=lambda fields: ",".join(fields),
)
def test_the_database_refuses_values_out_of_range(species, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_tree(species, **fields)

    assert Tree.objects.count() == 0


@pytest.mark.django_db
def test_validation_explains_an_impossible_height_before_the_database_refuses_it(species):
    tree = Tree(geom=at(), species=species, condition=TreeCondition.GOOD, height_m=Decimal("70"))

    with pytest.raises(ValidationError) as caught:
        tree.full_clean()

    assert "Tilia cordata" in caught.value.message_dict["height_m"][0]


@pytest.mark.django_db
def test_inventory_numbers_are_unique_when_given(species):
    make_tree(species, inventory_number="")
    make_tree(species, inventory_number="")
    make_tree(species, inventory_number="ХМ-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_tree(species, inventory_number="ХМ-1")


@pytest.mark.django_db
def test_a_tree_outside_the_hromada_is_refused_with_a_message_and_not_saved(species):
    with pytest.raises(ValidationError) as caught:
        Tree(geom=Point(30.52, 50.45, srid=4326), species=species).full_clean()  # Kyiv

    assert "outside the hromada" in str(caught.value)
    assert Tree.objects.count() == 0


# --- Services -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_removed_tree_keeps_its_record_and_its_removal_act(species):
    from layers.editing import services
    from layers.editing.models import Role
    from layers.registry import registry_get

    registry = registry_get("trees")
    user = get_user_model().objects.create_user("arborist")
    services.role_grant(user=user, registry=registry, role=Role.EDITOR)
    tree = services.record_create(
        registry=registry,
        user=user,
        values={
            "geom": at(),
            "species": species,
            "condition": TreeCondition.HAZARDOUS,
            "planted_on": datetime.date(1975, 4, 10),
        },
        parts={"events": [{"kind": "citizen_alert", "occurred_on": "2024-03-01"}]},
    )

    tree_remove(
        tree=tree,
        removed_on=datetime.date(2024, 4, 2),
        act_number="АВ-2024/17",
        user=user,
        base_version=tree.version,
    )

    tree.refresh_from_db()
    assert tree.removed_on == datetime.date(2024, 4, 2)
    assert tree.is_hazardous is True
    assert list(tree.events.values_list("kind", "act_number")) == [
        (TreeEventKind.REMOVAL_ACT, "АВ-2024/17"),
        (TreeEventKind.CITIZEN_ALERT, ""),
    ]
    assert {e.recorded_by for e in tree.events.all()} == {user}
    assert tree.version == 2  # one change: the date and the act together


@pytest.mark.django_db
def test_an_event_cannot_be_dated_in_the_future(species):
    from layers.editing.parts import parts_clean
    from layers.registry import registry_get

    tree = make_tree(species)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        parts_clean(
            registry_get("trees"),
            tree,
            {"events": [{"kind": "inspection", "occurred_on": tomorrow.isoformat()}]},
        )
    assert "events.0.occurred_on" in refused.value.message_dict
    assert TreeEvent.objects.count() == 0


# --- Near-duplicate trees -----------------------------------------------------------------


@pytest.mark.django_db
def test_neighbours_within_the_configured_distance_are_found_nearest_first(species):
    here = make_tree(species, geom=at())
    close = make_tree(species, geom=at(east_m=0.6))
    closer = make_tree(species, geom=at(north_m=0.3))
    make_tree(species, geom=at(east_m=4.0))
    make_tree(species, geom=at(east_m=0.5), removed_on=datetime.date(2020, 1, 1))

    found = list(tree_neighbours_within(geom=here.geom, exclude=here))

    assert [t.pk for t in found] == [closer.pk, close.pk]
    assert found[0].distance == pytest.approx(0.3, abs=0.02)
    assert found[1].distance == pytest.approx(0.6, abs=0.02)


@pytest.mark.django_db
def test_the_duplicate_distance_comes_from_settings_or_the_argument(species):
    make_tree(species, geom=at(east_m=4.0))

    assert not tree_neighbours_within(geom=at()).exists()  # the default: 3 m
    with override_settings(GEOPORTAL_TREE_DUPLICATE_DISTANCE_M=5.0):
        assert tree_neighbours_within(geom=at()).count() == 1
    assert tree_neighbours_within(geom=at(), distance_m=3.9).count() == 0
    assert tree_neighbours_within(geom=at(), distance_m=4.1).count() == 1


# --- Green areas and public counts --------------------------------------------------------


@pytest.mark.django_db
def test_green_area_area_is_derived_by_the_database():
    area = GreenArea(name="Сквер", kind=GreenAreaKind.SQUARE, geom=MultiPolygon(square(100)))
    area.full_clean()
    area.save()

    area.refresh_from_db()
    assert area.area_m2 == pytest.approx(10_000, rel=0.01)
    assert GreenArea.objects.filter(area_m2__gt=9_000, area_m2__lt=11_000).count() == 1


@pytest.mark.django_db
def test_public_counts_by_condition_and_species_inside_a_green_area(species):
    maple = Species.objects.get(latin_name="Acer platanoides")
    area = GreenArea.objects.create(
        name="Сквер", kind=GreenAreaKind.SQUARE, geom=MultiPolygon(square(100))
    )
    make_tree(species, geom=at(10, 10))
    make_tree(species, geom=at(20, 10), condition=TreeCondition.HAZARDOUS)
    make_tree(maple, geom=at(30, 30), condition=TreeCondition.DEAD)
    make_tree(maple, geom=at(300, 300))  # outside
    make_tree(maple, geom=at(40, 40), status=Status.DRAFT)  # not public yet
    make_tree(maple, geom=at(50, 50), removed_on=datetime.date(2024, 1, 1))  # gone

    counts = green_area_tree_counts(green_area=area)

    assert counts["area_m2"] == pytest.approx(10_000, rel=0.01)
    assert counts["total"] == 3
    assert counts["hazardous"] == 2
    assert counts["by_condition"] == {"good": 1, "hazardous": 1, "dead": 1}
    assert [(row["species__latin_name"], row["count"]) for row in counts["by_species"]] == [
        ("Tilia cordata", 2),
        ("Acer platanoides", 1),
    ]


# --- Real protected natural sites ---------------------------------------------------------


@pytest.mark.django_db
def test_the_real_protected_sites_are_loaded_once_with_their_source(species):
    first = protected_sites_load()
    snapshot = list(Tree.objects.order_by("public_id").values("public_id", "geom", "updated_at"))
    second = protected_sites_load()

    assert (first["trees"], first["green_areas"]) == (5, 2)
    assert {number for number, _name, _reason in first["skipped"]} == {"П-2401", "П-835"}
    assert second["trees"] == 5
    assert (
        list(Tree.objects.order_by("public_id").values("public_id", "geom", "updated_at"))
        == snapshot
    )
    assert Tree.objects.filter(protected=True).count() == 5
    beech = Tree.objects.filter(name="Бук червоний", species__latin_name="Fagus sylvatica")
    assert beech.count() == 2
    assert all("CC BY 4.0" in t.source and "реєстр" in t.source.lower() for t in beech)
    square_ = GreenArea.objects.get(name="Сквер ім. Т.Г. Шевченка")
    assert square_.kind == GreenAreaKind.SQUARE
    assert "лише точку" in square_.notes


# --- Admin --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["tree", "greenarea", "species", "treeevent"])
def test_admin_lists_and_forms_render(admin_client, species, model):
    tree = make_tree(species, inventory_number="ХМ-7")
    TreeEvent.objects.create(
        tree=tree, kind=TreeEventKind.INSPECTION, occurred_on=datetime.date.today()
    )
    GreenArea.objects.create(name="Сквер", kind=GreenAreaKind.SQUARE, geom=MultiPolygon(square(50)))

    changelist = admin_client.get(f"/admin/layers/{model}/", {"q": "ХМ"})
    add = admin_client.get(f"/admin/layers/{model}/add/")

    assert changelist.status_code == 200
    # The log is added to on its tree's page, through the workflow.
    assert add.status_code == (403 if model == "treeevent" else 200)
