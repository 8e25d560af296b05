"""Change stamps: kept by database triggers, so every way of changing what the public sees
moves the stamp of the registry, and reading it never scans the layer."""

import pytest
from django.db import connection, transaction

from layers.models.trees import Species
from layers.models.waste import Container
from layers.registry import registry_get
from layers.selectors.stamps import registry_stamp, stamp_tables
from tests.factories import make_record, published_record, registry_ids

pytestmark = pytest.mark.django_db


def publish(registry_id: str, **values):
    return published_record(registry_get(registry_id), **values)


def triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'layers_changestamp%'"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_every_table_a_public_layer_reads_keeps_a_stamp(registry):
    tables = set(stamp_tables(registry))
    own = registry.model._meta.db_table
    if registry.stamp_scope:
        # A table shared by the registries defined as data: its rows per registry, kept by
        # the triggers on its transition tables.
        assert f"{own}:{registry.stamp_scope}" in tables
        tables = (tables - {f"{own}:{registry.stamp_scope}"}) | {own}
    assert own in tables
    # A new join in a public queryset needs the trigger on its table (a new migration).
    assert tables <= triggered_tables(), tables - triggered_tables()


def test_stamps_of_joined_tables_are_found():
    assert "layers_species" in stamp_tables(registry_get("trees"))
    assert "layers_container" in stamp_tables(registry_get("waste-sites"))
    assert "layers_protectionzone_heritage_objects" in stamp_tables(
        registry_get("protection-zones")
    )


def test_a_change_to_a_joined_table_moves_the_registry_stamp():
    tree = publish("trees")
    trees, waste = registry_get("trees"), registry_get("waste-sites")
    site = publish("waste-sites")
    before_trees, before_waste = registry_stamp(trees), registry_stamp(waste)

    Species.objects.filter(pk=tree.species_id).update(name_uk="Липа дрібнолиста")
    Container.objects.create(site=site, fraction="glass", volume_l=1100, count=1)

    assert registry_stamp(trees) != before_trees
    assert registry_stamp(waste) != before_waste


def test_a_hard_delete_moves_the_stamp_and_a_rolled_back_change_does_not():
    trees = registry_get("trees")
    tree = publish("trees")
    before = registry_stamp(trees)

    rows = type(tree).objects.filter(pk=tree.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        rows.delete()
        raise RuntimeError("undo")
    after_rollback = registry_stamp(trees)
    rows.delete()

    assert after_rollback == before
    assert registry_stamp(trees).changes > before.changes


def test_reading_a_stamp_is_one_query_whatever_the_layer_size(django_assert_num_queries):
    for _ in range(3):
        publish("trees")
    with django_assert_num_queries(1):
        registry_stamp(registry_get("trees"))


@pytest.mark.django_db(transaction=True)
def test_other_connections_see_the_new_stamp_only_with_the_committed_data():
    import psycopg
    from django.conf import settings

    tree = publish("trees")
    db = settings.DATABASES["default"]
    other = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    )
    read = "SELECT sum(changes) FROM layers_changestamp WHERE table_name = 'layers_tree'"
    with other:
        before = other.execute(read).fetchone()[0]
        with transaction.atomic():
            tree.delete()
            during = other.execute(read).fetchone()[0]
        after = other.execute(read).fetchone()[0]

    assert during == before
    assert after == before + 1


def test_a_bulk_insert_into_a_registry_defined_as_data_moves_its_own_stamp_only():
    from tests.factories import SAMPLE_ID, registry_resolve, sample_values

    registry = registry_resolve(SAMPLE_ID)
    trees = registry_get("trees")
    before, trees_before = registry_stamp(registry), registry_stamp(trees)
    records = [make_record(registry, values=sample_values(title=f"№{i}")) for i in range(3)]
    registry.model.objects.bulk_create(records)  # one statement, three rows
    after = registry_stamp(registry)
    assert after.changes == before.changes + 1
    assert registry_stamp(trees) == trees_before
    registry.objects().filter(pk__in=[r.pk for r in records]).delete()
    assert registry_stamp(registry).changes == after.changes + 1


def test_a_tile_of_a_registry_defined_as_data_narrows_by_registry_in_the_index():
    from django.db import connection

    from layers.tiles.sql import tile_sql
    from tests.factories import SAMPLE_ID, registry_resolve

    registry = registry_resolve(SAMPLE_ID)
    sql, params = tile_sql(registry, z=14, x=9420, y=5595)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # On an empty table the planner may prefer the (definition, status) index: either way the
    # registry is an index condition, not a filter over every registry's rows.
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any("definition_id" in line for line in conditions), plan
    assert "Filter: (definition_id" not in plan, plan
