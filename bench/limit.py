"""The limit: PostGIS alone producing the same documents, read through psycopg with no HTTP.

- ``copy``: one ``COPY (SELECT <feature JSON>) TO STDOUT`` streamed in blocks; the
  FeatureCollection is the header, the rows joined by commas and the footer.
- ``json_agg``: one query returning the whole FeatureCollection as one text value.
- ``mvt``: ``ST_AsMVT`` of one tile, the registry's tile properties, buffer 64 of 4096.
"""

import json
import time

import psycopg

GEOJSON_DIGITS = 7  # as our OGC API writes WGS 84 (~1 cm); each contender's bytes are recorded
MVT_BUFFER = 64


def feature_sql(view: str, properties: list[str], where: str = "TRUE") -> str:
    """One Feature's JSON text per row, written the fastest way we know: each value through
    ``to_json`` between literal key texts (``json_build_object`` writes the same document
    and costs up to twice as much per row; the portal writes it this way too)."""
    pairs = [
        f"'{',' if i else ''}\"{name}\":' || coalesce(to_json(\"{name}\")::text, 'null')"
        for i, name in enumerate(properties)
    ]
    properties_sql = " || ".join(["'{'", *pairs, "'}'"])
    geometry_sql = f"coalesce(ST_AsGeoJSON(geom, {GEOJSON_DIGITS}), 'null')"
    return (
        'SELECT \'{"type":"Feature","id":\' || to_json(id)::text'  # noqa: S608
        f" || ',\"geometry\":' || {geometry_sql}"
        f" || ',\"properties\":' || {properties_sql} || '}}' FROM {view} WHERE {where}"
    )


def bbox_where(bbox) -> str:
    minx, miny, maxx, maxy = (float(v) for v in bbox)
    # ST_Intersects, not a bare &&: the index boxes are float4, so && also takes points a few
    # decimetres outside the window, which a correct server leaves out.
    return f"ST_Intersects(geom, ST_MakeEnvelope({minx}, {miny}, {maxx}, {maxy}, 4326))"


def copy_collection(conn: psycopg.Connection, select: str) -> dict:
    """Stream the rows of ``select`` with COPY; return seconds, bytes and features."""
    started = time.perf_counter()
    nbytes = len('{"type":"FeatureCollection","features":[') + 2
    rows = 0
    with conn.cursor() as cursor, cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
        for block in copy:
            data = bytes(block)
            nbytes += len(data)
            rows += data.count(b"\n")
    return {"seconds": time.perf_counter() - started, "bytes": nbytes, "features": rows}


def copy_ids(conn: psycopg.Connection, select: str) -> list[str]:
    """The feature ids of ``select``'s rows, in order (to check an answer; not timed)."""
    ids = []
    with conn.cursor() as cursor, cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
        for row in copy.rows():
            ids.append(json.loads(row[0])["id"])
    return ids


def json_agg_collection(conn: psycopg.Connection, select: str) -> dict:
    """One query that returns the whole FeatureCollection as text."""
    started = time.perf_counter()
    sql = (
        "SELECT count(*), json_build_object('type', 'FeatureCollection', 'features', "  # noqa: S608
        f"coalesce(json_agg(f.feature), '[]'::json))::text FROM ({select}) AS f(feature)"
    )
    count, text = conn.execute(sql).fetchone()
    return {
        "seconds": time.perf_counter() - started,
        "bytes": len(text.encode()),
        "features": count,
    }


def tile_sql(view: str, tile_properties: list[str]) -> str:
    props = "".join(f', "{name}"' for name in tile_properties)
    return (
        "SELECT ST_AsMVT(t, 'layer', 4096, 'geom') FROM (SELECT ST_AsMVTGeom("  # noqa: S608
        f"ST_Transform(geom, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, {MVT_BUFFER}, "
        f"true) AS geom{props} FROM {view} WHERE geom && ST_Transform(ST_TileEnvelope("
        f"%(z)s, %(x)s, %(y)s, margin => {MVT_BUFFER / 4096}), 4326)) AS t"
    )


def tile(conn: psycopg.Connection, sql: str, z: int, x: int, y: int) -> dict:
    started = time.perf_counter()
    (data,) = conn.execute(sql, {"z": z, "x": x, "y": y}).fetchone()
    return {"seconds": time.perf_counter() - started, "bytes": len(data or b""), "data": data}


def expected_in_tile(conn: psycopg.Connection, view: str, z: int, x: int, y: int) -> tuple:
    """Features inside the tile, and inside it with the widest common buffer (256/4096)."""
    sql = (
        "SELECT count(*) FILTER (WHERE geom && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s),"  # noqa: S608
        f" 4326)), count(*) FROM {view} WHERE geom && ST_Transform("
        "ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 0.0625), 4326)"
    )
    return tuple(conn.execute(sql, {"z": z, "x": x, "y": y}).fetchone())
