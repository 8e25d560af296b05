"""The benchmark's own data, made in SQL: published trees (70 % in a 4 km disc around the
centre, the rest anywhere in the hromada) and green-area polygons, plus one view per
collection with exactly the public properties of the registry list, which PostGIS alone,
pygeoapi and tipg read (our endpoints read the tables through the product's own code)."""

import json
import subprocess
import sys
import time

from bench import db
from bench.config import (
    CENTER,
    DATASET_RECORDS,
    DATASET_VIEW,
    POLYGONS,
    ROOT,
    URBAN_RADIUS_M,
    URBAN_SHARE,
)

VIEWS = {"trees": "bench_public_trees", "green-areas": "bench_public_green_areas"}

_TREES_SQL = """
WITH b AS (SELECT geom FROM layers_hromada ORDER BY id LIMIT 1),
pts AS (
  SELECT (ST_Dump(ST_GeneratePoints(ST_Intersection(b.geom, ST_Buffer(
      ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(radius)s)::geometry),
      %(urban)s, %(seed)s))).geom AS geom FROM b
  UNION ALL
  SELECT (ST_Dump(ST_GeneratePoints(b.geom, %(rural)s, %(seed)s + 1))).geom FROM b
),
sp AS (SELECT array_agg(id ORDER BY id) AS ids FROM layers_species)
INSERT INTO layers_tree (public_id, name, address, status, version, created_at, updated_at,
  verified_on, source, notes, geom, trunk_diameter_cm, height_m, crown_diameter_m,
  planting_year, condition, recommended_action, inventory_number, balance_holder, protected,
  species_id)
SELECT gen_random_uuid(), '', 'вул. Тестова, ' || (1 + floor(random() * 200)::int),
  'published', 1, now(), now(), DATE '2024-01-01' + floor(random() * 600)::int, 'benchmark', '',
  pts.geom, round((5 + random() * 80)::numeric, 1), round((2 + random() * 25)::numeric, 1),
  round((1 + random() * 12)::numeric, 1), 1950 + floor(random() * 70)::int,
  (ARRAY['good', 'satisfactory', 'unsatisfactory', 'hazardous', 'dead', ''])[
    1 + floor(random() * 6)::int],
  'none', '', 'КП по зеленому будівництву', false,
  sp.ids[1 + floor(random() * array_length(sp.ids, 1))::int]
FROM pts, sp
"""

_AREAS_SQL = """
WITH b AS (SELECT geom FROM layers_hromada ORDER BY id LIMIT 1)
INSERT INTO layers_greenarea (public_id, name, address, status, version, created_at,
  updated_at, source, notes, geom, kind, balance_holder)
SELECT gen_random_uuid(), 'Сквер № ' || row_number() OVER (), '', 'published', 1, now(), now(),
  'benchmark', '',
  ST_Multi(ST_Buffer(p.geom::geography, 20 + random() * 130, 'quad_segs=4')::geometry),
  (ARRAY['park', 'square', 'boulevard', 'street_planting', 'forest_park'])[
    1 + floor(random() * 5)::int], 'КП по зеленому будівництву'
FROM (SELECT (ST_Dump(ST_GeneratePoints(b.geom, %(n)s, 7))).geom AS geom FROM b) p
"""


# The records of the data-defined registry (``bench.dataset`` defines it): placed as the
# trees are, numbered in that order, every value a function of the number (deterministic),
# stored in the form the product stores them (``layers.datasets.values``: integers and
# booleans as JSON, decimals and dates as text, an empty value as no key at all).
_DATASET_SQL = """
WITH b AS (SELECT geom FROM layers_hromada ORDER BY id LIMIT 1),
pts AS (
  SELECT row_number() OVER () AS n, p.geom FROM (
    SELECT (ST_Dump(ST_GeneratePoints(ST_Intersection(b.geom, ST_Buffer(
        ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(radius)s)::geometry),
        %(urban)s, %(seed)s))).geom AS geom FROM b
    UNION ALL
    SELECT (ST_Dump(ST_GeneratePoints(b.geom, %(rural)s, %(seed)s + 1))).geom FROM b
  ) AS p
)
INSERT INTO layers_datarecord (public_id, name, address, status, version, created_at,
  updated_at, verified_on, source, notes, geom, definition_id, values, schema_version)
SELECT md5('bench-dataset-' || n)::uuid, 'Майданчик № ' || n, 'вул. Тестова, ' || (1 + n %% 200),
  'published', 1, now(), now(), DATE '2024-01-01' + (n %% 600)::int, 'benchmark', '', pts.geom,
  %(definition)s,
  jsonb_strip_nulls(jsonb_build_object(
    %(k_code)s::text, 'PG-' || lpad(n::text, 6, '0'),
    %(k_count)s::text, (n * 7) %% 101,
    %(k_area)s::text, CASE WHEN n %% 7 <> 0
      THEN round(10 + ((n * 7919) %% 199900) / 10.0, 1)::text END,
    %(k_inclusive)s::text, n %% 3 = 0,
    %(k_surface)s::text, (%(surfaces)s::text[])[(1 + n %% %(n_surfaces)s)::int],
    %(k_date)s::text, CASE WHEN n %% 10 <> 0
      THEN to_char(DATE '2020-01-01' + ((n * 13) %% 2000)::int, 'YYYY-MM-DD') END
  )),
  %(schema_version)s
FROM pts
"""


# The tables whose point counts the portal keeps for low-zoom tiles (migration 0017).
OVERVIEW_TABLES = ("layers_tree",)


def manage(*args: str) -> None:
    """Run manage.py on the benchmark database. System checks are skipped: they import the
    whole URLconf, and the benchmark must run (reporting our endpoints as not available)
    while a part of the product is being rebuilt."""
    skip = [] if args[0] == "shell" else ["--skip-checks"]
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args, *skip],
        env=db.django_env(),
        check=True,
    )


def create_minimal() -> float:
    """A fresh database with the schema, the boundary and the species only (for the import's
    measurements, which bring their own rows). Returns seconds."""
    started = time.perf_counter()
    db.recreate()
    manage("migrate", "--no-input", "-v", "0")
    manage("load_boundary")
    manage("shell", "-c", "from layers.services.trees import species_seed; species_seed()")
    return round(time.perf_counter() - started, 1)


def add_green_areas() -> None:
    """The benchmark's green areas (as ``create`` makes them), for a minimal database."""
    with db.connect() as conn:
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute("SELECT setseed(0.42)")
        conn.execute(_AREAS_SQL, {"n": POLYGONS})
        _touch_stamp(conn, "layers_greenarea")


def create() -> dict:
    """A fresh database: schema, boundary, species, the polygons, the views. Returns timings."""
    started = time.perf_counter()
    db.recreate()
    manage("migrate", "--no-input", "-v", "0")
    manage("load_boundary")
    manage("shell", "-c", "from layers.services.trees import species_seed; species_seed()")
    with db.connect() as conn:
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute("SELECT setseed(0.42)")
        conn.execute(_AREAS_SQL, {"n": POLYGONS})
        _touch_stamp(conn, "layers_greenarea")
        meta = {}
        for registry_id, view in VIEWS.items():
            meta[registry_id] = public_view(registry_id)
            conn.execute(f"CREATE VIEW {view} AS {meta[registry_id]['sql']}")
    create_s = time.perf_counter() - started
    dataset = load_dataset()
    return {
        "create_s": round(create_s, 1),
        "dataset_fill_s": dataset.pop("fill_s"),
        "collections": meta,
        "dataset": dataset,
    }


def _django_json(*args: str) -> dict:
    out = subprocess.run(  # noqa: S603 - our own modules with fixed arguments
        [sys.executable, "-m", *args],
        env=db.django_env(),
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


def load_dataset() -> dict:
    """The data-defined registry: defined through the product's services, its records
    inserted in one statement, ANALYZEd, a sample checked by the product's validation, and
    a view of its public queryset. Returns what ``bench.dataset describe`` prints, the
    definition and the seconds the fill took."""
    started = time.perf_counter()
    defined = _django_json("bench.dataset", "define")
    keys = defined["keys"]
    urban = int(DATASET_RECORDS * URBAN_SHARE)
    with db.connect() as conn:
        # As for the trees, the fill bypasses triggers, in this throwaway database and this
        # transaction only: these rows are not edits. Here it is also needed: with triggers on,
        # the INSERT fails at its end (the change-stamp statement trigger of migration 0005
        # proposes one stamp row per inserted record, SELECT DISTINCT over a per-row
        # clock_timestamp(), and ON CONFLICT DO UPDATE refuses to touch a row twice: any
        # multi-row INSERT of one registry fails so), and django-pghistory's row trigger
        # grows quadratically without a pghistory context (10,000 rows 2 s, 30,000 rows 19 s,
        # 100,000 about 3 minutes). The stamp is touched by hand below.
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute(
            _DATASET_SQL,
            {
                "lon": CENTER[1],
                "lat": CENTER[0],
                "radius": URBAN_RADIUS_M,
                "urban": urban,
                "rural": DATASET_RECORDS - urban,
                "seed": 4242,
                "definition": defined["definition_id"],
                "schema_version": defined["schema_version"],
                "k_code": keys["inventory_code"],
                "k_count": keys["equipment_count"],
                "k_area": keys["area"],
                "k_inclusive": keys["inclusive"],
                "k_surface": keys["surface"],
                "k_date": keys["last_inspection"],
                "surfaces": defined["surfaces"],
                "n_surfaces": len(defined["surfaces"]),
            },
        )
        # What the skipped statement trigger does: the registry's own rows have changed.
        conn.execute(
            "INSERT INTO layers_changestamp (table_name, changed_at, changes)"
            " VALUES (%s, clock_timestamp(), 1) ON CONFLICT (table_name) DO UPDATE"
            " SET changed_at = EXCLUDED.changed_at, changes = layers_changestamp.changes + 1",
            [f"layers_datarecord:{defined['definition_id']}"],
        )
    with db.connect(autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE layers_datarecord")
    fill_s = time.perf_counter() - started
    described = _django_json("bench.dataset", "describe")
    with db.connect() as conn:
        conn.execute(f"CREATE VIEW {DATASET_VIEW} AS {described['sql']}")
        (count,) = conn.execute(f"SELECT count(*) FROM {DATASET_VIEW}").fetchone()  # noqa: S608
    if count != DATASET_RECORDS:
        raise RuntimeError(f"bench dataset: {count} public records, expected {DATASET_RECORDS}")
    return {**described, "definition": defined, "fill_s": round(fill_s, 1)}


def grow_trees(total: int, current: int) -> float:
    """Add published trees until the table holds ``total``; VACUUM ANALYZE. Returns seconds."""
    started = time.perf_counter()
    add = total - current
    urban = int(add * URBAN_SHARE)
    with db.connect() as conn:
        # The benchmark's data are not edits: skip the history triggers (django-pghistory's
        # per-row insert trigger makes a 400,000-row fill take many minutes). Superuser only,
        # as the local cluster's user is; this transaction only.
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute("SELECT setseed(%s)", [1 / (1 + total)])
        conn.execute(
            _TREES_SQL,
            {
                "lon": CENTER[1],
                "lat": CENTER[0],
                "radius": URBAN_RADIUS_M,
                "urban": urban,
                "rural": add - urban,
                "seed": total,
            },
        )
        _touch_stamp(conn, "layers_tree")
    with db.connect(autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE layers_tree")
        conn.execute("VACUUM ANALYZE layers_greenarea")
    return time.perf_counter() - started


def _touch_stamp(conn, table: str) -> None:
    """What the skipped statement triggers would have done: the layer has changed (its
    stamp), none of its kept tiles holds (a fill is everywhere: migration 0016's trigger
    would forget them all), and its overview counts again (0017)."""
    conn.execute(
        "UPDATE layers_changestamp SET changed_at = clock_timestamp(), changes = changes + 1"
        " WHERE table_name = %s",
        [table],
    )
    conn.execute("DELETE FROM layers_tilecache WHERE stamp_key = %s", [table])
    if table in OVERVIEW_TABLES:
        conn.execute("SELECT layers_tileoverview_rebuild(%s)", [table])


def public_view(registry_id: str) -> dict:
    """The registry's public queryset (the product's one definition of what is public) as
    SQL with the public property names (``id``, the properties, ``geom``), and the names."""
    return _django_json("bench.viewsql", registry_id)
