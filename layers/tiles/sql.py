"""Mapbox Vector Tiles built by PostGIS from the public queryset of a registry.

The records of a tile are selected by the ORM (``selectors.map.map_queryset``: published
only, sensitive heritage places generalised, map filters applied, a bbox on the published
geometry so the GiST index serves it); this module only wraps that query's SQL in
``ST_AsMVTGeom`` / ``ST_AsMVT``, so no rule about what is public is written twice.
"""

import hashlib
import math

from django.contrib.postgres.fields import ArrayField
from django.db import connection, connections, transaction
from django.db.models import (
    DateField,
    DateTimeField,
    DecimalField,
    F,
    UUIDField,
)

from layers.registry import Registry
from layers.replicas import read_alias
from layers.selectors.map import map_filters, map_queryset
from layers.selectors.stamps import registry_stamp

MIN_ZOOM = 0
MAX_ZOOM = 22
EXTENT = 4096
BUFFER = 64
# Below this zoom a point layer keeps one feature per square of its registry's
# ``tile_point_spacing_px`` screen pixels (a pixel is EXTENT / 256 tile units): visually the
# same map, but a city-wide tile of 500,000 trees stays small. From here on every point is
# kept: at street level each one must be there to be clicked.
THIN_POINTS_BELOW_ZOOM = 15
# A tile below this zoom covers a district or the whole hromada and scans that much of the
# table: parallel workers (PostgreSQL's default two) halve it. Street-level tiles are short
# queries, for which starting a worker costs more than it saves.
PARALLEL_BELOW_ZOOM = 13
# The column ST_AsMVT encodes as each feature's integer ``id`` (not as an attribute).
FEATURE_ID = "fid"


class TileOutOfRange(ValueError):
    """z outside 0–22 or x/y outside the zoom level's grid."""


def tile_check(z: int, x: int, y: int) -> None:
    if not MIN_ZOOM <= z <= MAX_ZOOM:
        raise TileOutOfRange(f"zoom {z} outside {MIN_ZOOM}–{MAX_ZOOM}")
    if not (0 <= x < 2**z and 0 <= y < 2**z):
        raise TileOutOfRange(f"tile {x}/{y} outside zoom {z}")


def _lon(x: float, z: int) -> float:
    return x / 2**z * 360.0 - 180.0


def _lat(y: float, z: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2**z))))


def tile_bbox_wgs84(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The tile's bounds in WGS 84 grown by the MVT buffer, for the index lookup."""
    margin = BUFFER / EXTENT
    west = max(_lon(x - margin, z), -180.0)
    east = min(_lon(x + 1 + margin, z), 180.0)
    north = min(_lat(max(y - margin, 0), z), 90.0)
    south = max(_lat(min(y + 1 + margin, 2**z), z), -90.0)
    return west, south, east, north


def _is_point_layer(registry: Registry) -> bool:
    return registry.geometry_kind == "point"


def _outer_column(alias: str, output_field) -> str:
    """Cast a column to a type ST_AsMVT encodes: text, number or boolean."""
    column = connection.ops.quote_name(alias)
    if isinstance(output_field, ArrayField):
        return f"array_to_string({column}, ',')"
    if isinstance(output_field, DecimalField):
        return f"{column}::double precision"
    if isinstance(output_field, DateField | DateTimeField | UUIDField):
        return f"{column}::text"
    return column


def tile_sql(
    registry: Registry, *, z: int, x: int, y: int, filters: dict | None = None
) -> tuple[str, list]:
    """The SQL (and parameters) returning one MVT tile of a registry as one bytea value.

    Each feature's MVT ``id`` is the record's primary key (a varint of 3-4 bytes, where the
    36-character public id was half of a tree tile); the map resolves it to the public
    record when a popup opens (``tiles.features``). Attributes: only the registry's
    ``tile_properties`` (what the style needs); arrays are comma-joined text, decimals are
    doubles.
    """
    tile_check(z, x, y)
    queryset = map_queryset(registry, filters=filters, bbox=tile_bbox_wgs84(z, x, y))
    columns = {"p_fid": F("pk")}
    for name in registry.tile_properties:
        columns[f"p_{name}"] = F(registry.properties[name])
    columns["p_geom"] = F("public_geom")
    inner = queryset.order_by().values(**columns)
    inner_sql, inner_params = inner.query.sql_with_params()

    qn = connection.ops.quote_name
    selected = [f"{qn('p_fid')} AS {qn(FEATURE_ID)}"]
    for name in registry.tile_properties:
        output_field = inner.query.annotations[f"p_{name}"].output_field
        selected.append(f"{_outer_column(f'p_{name}', output_field)} AS {qn(name)}")
    geometry = (
        f"ST_AsMVTGeom(ST_Transform(src.{qn('p_geom')}, 3857), "
        f"ST_TileEnvelope(%s, %s, %s), {EXTENT}, {BUFFER}, true)"
    )
    distinct = order = ""
    if _is_point_layer(registry) and z < THIN_POINTS_BELOW_ZOOM:
        # One integer per grid cell: sorting on it costs a fraction of sorting geometries.
        cell = EXTENT // 256 * registry.tile_point_spacing_px
        key = f"floor(ST_X(geom) / {cell})::bigint * {EXTENT} + floor(ST_Y(geom) / {cell})::bigint"
        # The same point of each cell every time, so a tile's bytes follow its ETag.
        distinct, order = f"DISTINCT ON ({key}) ", f" ORDER BY {key}, {FEATURE_ID}"
    # ST_AsMVT skips the rows whose clipped geometry is NULL, so no WHERE is needed (one
    # would make PostgreSQL compute ST_AsMVTGeom twice per row).
    # Only constants, quoted column names from the registry list and the ORM's own compiled
    # SQL are formatted in; every value travels as a parameter.
    sql = (
        f"SELECT ST_AsMVT(tile, %s, {EXTENT}, 'geom', '{FEATURE_ID}') FROM ("  # noqa: S608
        f"SELECT {distinct}* FROM ("
        f"SELECT {geometry} AS geom, {', '.join(selected)} FROM ({inner_sql}) AS src"
        f") AS features{order}) AS tile"
    )
    return sql, [registry.id, *[z, x, y], *inner_params]


def tile_bytes(registry: Registry, *, z: int, x: int, y: int, filters: dict | None = None) -> bytes:
    """One tile of a registry (b'' when no published feature falls in it)."""
    sql, params = tile_sql(registry, z=z, x=x, y=y, filters=filters)
    alias = read_alias()  # a public read: a replica when there is one (layers/replicas.py)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        if z < PARALLEL_BELOW_ZOOM:  # the portal's connections run without (settings)
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 2")
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def tile_etag(registry: Registry, *, z: int, x: int, y: int, filters: dict) -> str:
    filter_part = "&".join(f"{k}={','.join(v)}" for k, v in sorted(filters.items()))
    # A filter whose result moves with something besides the data (the year) says so.
    varies = "".join(
        f"|{spec.key}:{spec.varies_with()}"
        for spec in map_filters(registry)
        if spec.key in filters and spec.varies_with is not None
    )
    raw = f"{registry.id}/{z}/{x}/{y}?{filter_part}@{registry_stamp(registry)}{varies}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'
