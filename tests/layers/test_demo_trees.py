from collections import Counter

import pytest
from django.db import connection
from django.db.models import F, Q

from layers.demo import DEMO_SOURCE, DemoContext
from layers.demo import trees as demo_trees
from layers.hromada import hromada_profile
from layers.models.base import Status
from layers.models.trees import GreenArea, Species, Tree, TreeEvent

COUNTS = {"trees": 300, "green_areas": 3}


def generate(**counts):
    return demo_trees.generate(DemoContext(counts={**COUNTS, **counts}))


def snapshot() -> dict[str, list]:
    """Everything a run writes, timestamps included, in a stable order."""
    return {
        "species": list(Species.objects.order_by("latin_name").values()),
        "areas": list(GreenArea.objects.order_by("public_id").values()),
        "trees": list(Tree.objects.order_by("public_id").values()),
        "events": list(TreeEvent.objects.order_by("public_id").values()),
    }


def without_ids(rows: dict[str, list]) -> dict[str, list]:
    volatile = {"id", "species_id", "tree_id", "created_at", "updated_at"}
    return {
        name: [{k: v for k, v in row.items() if k not in volatile} for row in table]
        for name, table in rows.items()
    }


@pytest.mark.django_db
def test_demo_trees_have_the_requested_volumes_and_are_published_demo_data():
    result = generate()

    assert result["trees"] == 300
    assert result["green areas"] == 3
    demo = Tree.objects.filter(source=DEMO_SOURCE)
    assert demo.count() == 300
    assert GreenArea.objects.filter(source=DEMO_SOURCE).count() == 3
    assert not demo.exclude(status=Status.PUBLISHED).exists()
    assert not GreenArea.objects.exclude(status=Status.PUBLISHED).exists()
    # The real protected sites come with the demo but are not demo data.
    assert Tree.objects.filter(protected=True).exclude(source=DEMO_SOURCE).count() == 5


@pytest.mark.django_db
def test_running_the_demo_again_changes_nothing():
    generate()
    before = snapshot()

    generate()

    assert snapshot() == before


@pytest.mark.django_db
def test_the_demo_is_deterministic_from_an_empty_registry():
    generate()
    first = without_ids(snapshot())
    TreeEvent.objects.all().delete()
    Tree.objects.all().delete()
    GreenArea.objects.all().delete()

    generate()

    assert without_ids(snapshot()) == first


@pytest.mark.django_db
def test_a_smaller_count_leaves_no_trees_of_a_larger_run():
    generate(trees=400)

    generate(trees=250, green_areas=2)

    assert Tree.objects.filter(source=DEMO_SOURCE).count() == 250
    assert GreenArea.objects.filter(source=DEMO_SOURCE).count() == 2
    assert not TreeEvent.objects.exclude(tree__in=Tree.objects.all()).exists()


@pytest.mark.django_db
def test_every_demo_geometry_lies_inside_the_hromada_boundary():
    generate()

    with connection.cursor() as cursor:
        for table in ("layers_tree", "layers_greenarea"):
            cursor.execute(
                f"""
                SELECT count(*) FROM {table} r
                WHERE NOT EXISTS (
                    SELECT 1 FROM layers_hromada h
                    WHERE h.code = %s AND ST_Within(r.geom, h.geom)
                )
                """,
                [hromada_profile().code],
            )
            assert cursor.fetchone()[0] == 0, table


@pytest.mark.django_db
def test_demo_sizes_respect_the_species_maxima_and_the_mix_is_urban():
    generate(trees=1000)

    demo = Tree.objects.filter(source=DEMO_SOURCE)
    beyond = demo.filter(
        Q(height_m__gt=F("species__max_height_m"))
        | Q(trunk_diameter_cm__gt=F("species__max_trunk_diameter_cm"))
        | Q(crown_diameter_m__gt=F("species__max_crown_diameter_m"))
    )
    assert not beyond.exists()
    hazardous_share = demo.filter(is_hazardous=True).count() / demo.count()
    assert 0.02 <= hazardous_share <= 0.08
    top = Counter(demo.values_list("species__latin_name", flat=True)).most_common(3)
    assert {name for name, _ in top} <= {
        "Tilia cordata",
        "Acer platanoides",
        "Aesculus hippocastanum",
    }
    assert demo.filter(removed_on__isnull=False).exists()
    assert TreeEvent.objects.filter(tree__source=DEMO_SOURCE).exists()
