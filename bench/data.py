"""The benchmark's own data, made in SQL: published trees (70 % in a 4 km disc around the
centre, the rest anywhere in the hromada) and green-area polygons, plus one view per
collection with exactly the public properties of the registry list, which PostGIS alone,
pygeoapi and tipg read (our endpoints read the tables through the product's own code)."""

import json
import subprocess
import sys
import time

from bench import db
from bench.config import CENTER, POLYGONS, ROOT, URBAN_RADIUS_M, URBAN_SHARE

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
    return {"create_s": round(time.perf_counter() - started, 1), "collections": meta}


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
    """What the skipped statement trigger would have done: the layer has changed."""
    conn.execute(
        "UPDATE layers_changestamp SET changed_at = clock_timestamp(), changes = changes + 1"
        " WHERE table_name = %s",
        [table],
    )


def public_view(registry_id: str) -> dict:
    """The registry's public queryset (the product's one definition of what is public) as
    SQL with the public property names (``id``, the properties, ``geom``), and the names."""
    out = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "-m", "bench.viewsql", registry_id],
        env=db.django_env(),
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)
