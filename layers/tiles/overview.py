"""Low-zoom tiles of big point layers as counts per cell, from the overview table the
database keeps current (``models.tilecache.TileOverview``, migration 0017).

A z10 tile of 500,000 trees built from the trees themselves scans most of the layer (about
a second); built from the overview it sums at most a few thousand cells of ~400 m: a few
milliseconds whatever the layer's size. Each tile holds one point per occupied cell of 32
screen pixels (8 x 8 per tile), at the centre of its trees (the count-weighted mean of the
~400 m cells), with the property ``count``; the map draws the number. A filtered layer is
not counted: its low-zoom tiles are built from its records as before.
"""

from django.db import connections

from layers.registry import Registry
from layers.replicas import read_alias
from layers.tiles.cache import stamp_key
from layers.tiles.sql import EXTENT

# The zoom of the overview's cells (migration 0017 counts in tiles of this zoom).
OVERVIEW_CELL_ZOOM = 16
# 2^3 = 8 cells across a tile: a count every 32 pixels.
CELLS_ACROSS_LOG2 = 3


def overview_applies(registry: Registry, z: int, filters: dict) -> bool:
    return bool(registry.overview_below_zoom) and z < registry.overview_below_zoom and not filters


def overview_sql(registry: Registry, *, z: int, x: int, y: int) -> tuple[str, list]:
    shift = OVERVIEW_CELL_ZOOM - z  # a tile is 2^shift overview cells across
    group = max(shift - CELLS_ACROSS_LOG2, 0)
    scale = float(2**shift)
    sql = (
        # Constants only are formatted in; every value is a parameter.
        f"SELECT ST_AsMVT(cell, %s, {EXTENT}, 'geom') FROM ("  # noqa: S608
        " SELECT ST_MakePoint("
        f"   round((sum(count * (cx + 0.5)) / sum(count) / %s - %s) * {EXTENT}),"
        f"   round((sum(count * (cy + 0.5)) / sum(count) / %s - %s) * {EXTENT})) AS geom,"
        "   sum(count)::int AS count"
        " FROM layers_tileoverview"
        # The tile's cells and a ring of cells around it: a disc near the edge is drawn
        # whole, half by each tile (the ring lies outside the extent, in the buffer).
        " WHERE stamp_key = %s AND cx >= %s AND cx < %s AND cy >= %s AND cy < %s"
        " GROUP BY cx >> %s, cy >> %s"
        ") AS cell"
    )
    params = [
        registry.id,
        scale,
        x,
        scale,
        y,
        stamp_key(registry),
        (x << shift) - (1 << group),
        ((x + 1) << shift) + (1 << group),
        (y << shift) - (1 << group),
        ((y + 1) << shift) + (1 << group),
        group,
        group,
    ]
    return sql, params


def overview_bytes(registry: Registry, *, z: int, x: int, y: int) -> bytes:
    sql, params = overview_sql(registry, z=z, x=x, y=y)
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""
