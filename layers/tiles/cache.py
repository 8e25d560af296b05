"""Built tiles kept in PostgreSQL (``models.tilecache``), so a tile is built once per state
of the features it holds, in `make run` and in any deployment, behind nginx or not.

The database invalidates them (migration 0016): a write removes exactly the tiles its old
and new geometries reach, at every cached zoom, on every write path. Only the map's own
tiles are kept — no filters, zoom 16 at most — so what the cache holds is bounded by the
layer, not by what clients ask for; a filtered or street-level tile is built every time
(it costs a few milliseconds).
"""

import gzip
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections, transaction

from layers.models import ChangeStamp
from layers.registry import Registry
from layers.replicas import read_alias
from layers.selectors.stamps import stamp_tables
from layers.tiles.sql import PARALLEL_BELOW_ZOOM, tile_sql

# The zoom levels the invalidation trigger covers (migration 0016 records no rectangle
# above it), hence the only ones kept.
CACHE_MAX_ZOOM = 16


@dataclass(frozen=True)
class Kept:
    """A tile's bytes and the same gzipped (None for an empty tile, which is not kept)."""

    data: bytes
    data_gzip: bytes | None


def stamp_key(registry: Registry) -> str:
    """The change-stamp row of the registry's own table (its rows of a shared one)."""
    table = registry.model._meta.db_table
    return f"{table}:{registry.stamp_scope}" if registry.stamp_scope else table


def _others(registry: Registry) -> list[str]:
    return [name for name in stamp_tables(registry) if name != stamp_key(registry)]


@lru_cache(maxsize=256)
def cache_key(registry: Registry) -> str:
    """The registry's id and a fingerprint of the SQL that builds its tiles: a release that
    changes what a tile holds (its attributes, the thinning) never serves the tiles the
    previous one kept (they go with the next write there, or with the table)."""
    # A street-level tile's SQL and a thinned one's (below zoom 15).
    sql = "".join(tile_sql(registry, z=z, x=0, y=0)[0] for z in (CACHE_MAX_ZOOM, 10))
    return f"{registry.id}:{hashlib.sha256(sql.encode()).hexdigest()[:12]}"


def cacheable(z: int, filters: dict) -> bool:
    return z <= CACHE_MAX_ZOOM and not filters


def _other_changes(registry: Registry) -> int:
    counts = ChangeStamp.objects.filter(table_name__in=_others(registry))
    return sum(counts.values_list("changes", flat=True))


def cached_tile(registry: Registry, *, z: int, x: int, y: int) -> Kept | None:
    """The kept tile, if no write has touched it since it was built; else None."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(
            "SELECT c.data, c.data_gzip FROM layers_tilecache AS c"
            " WHERE c.registry = %s AND c.z = %s AND c.x = %s AND c.y = %s"
            " AND c.other_changes = %s"
            # A write committed after the snapshot the tile was built from.
            " AND NOT EXISTS (SELECT 1 FROM layers_tileinvalidation AS i"
            "   WHERE i.stamp_key = c.stamp_key AND i.z = c.z AND i.changes > c.built_changes"
            "   AND c.x BETWEEN i.x0 AND i.x1 AND c.y BETWEEN i.y0 AND i.y1)",
            [cache_key(registry), z, x, y, _other_changes(registry)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Kept(bytes(row[0]), bytes(row[1]) if row[1] is not None else None)


def build_and_keep(registry: Registry, *, z: int, x: int, y: int) -> Kept:
    """Build the tile and keep it with the change counters of the snapshot it was built
    from (one statement, one snapshot), unless a newer build is kept already."""
    sql, params = tile_sql(registry, z=z, x=x, y=y)
    own, others = stamp_key(registry), _others(registry)
    alias = read_alias()  # built on a replica for a public read; kept on the primary
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        if z < PARALLEL_BELOW_ZOOM:  # as tiles.sql.tile_bytes does
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 2")
        cursor.execute(
            # The tile SQL of tiles.sql: constants and the ORM's SQL, values as parameters.
            "SELECT (SELECT changes FROM layers_changestamp WHERE table_name = %s),"  # noqa: S608
            " (SELECT coalesce(sum(changes), 0) FROM layers_changestamp"
            "  WHERE table_name = ANY(%s)),"
            f" ({sql})",
            [own, others, *params],
        )
        built, other, data = cursor.fetchone()
    data = bytes(data) if data is not None else b""
    if not data:
        return Kept(b"", None)
    # As DataGZipMiddleware would, without its random padding (a tile holds no secret).
    data_gzip = gzip.compress(data, compresslevel=6, mtime=0)
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "INSERT INTO layers_tilecache"
            " (registry, stamp_key, z, x, y, data, data_gzip, built_changes, other_changes)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (registry, z, x, y) DO UPDATE SET data = EXCLUDED.data,"
            " data_gzip = EXCLUDED.data_gzip,"
            " built_changes = EXCLUDED.built_changes,"
            " other_changes = EXCLUDED.other_changes, built_at = now()"
            " WHERE layers_tilecache.built_changes <= EXCLUDED.built_changes"
            " AND layers_tilecache.other_changes <= EXCLUDED.other_changes",
            [cache_key(registry), own, z, x, y, data, data_gzip, built or 0, other],
        )
    return Kept(data, data_gzip)
