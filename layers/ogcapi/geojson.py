"""GeoJSON built by PostGIS and streamed.

The SQL comes from the ORM: the public queryset (filtered, ordered, sliced) is asked for
``.values()`` of the public properties and of the geometry as GeoJSON text, and an outer
SELECT turns each row into one Feature's JSON text. Python only joins those texts with commas
and writes the FeatureCollection's head and tail around them. A FeatureCollection is read
with ``COPY … TO STDOUT`` (the bytes as PostgreSQL sends them, no row objects, no decoding),
files are written from a server-side cursor in batches: either way a worker's memory does not
grow with the number of features.
"""

import json
from collections.abc import Iterator

from django.db import connections, transaction
from django.db.models import F, Func, QuerySet, TextField, Value

from layers.ogcapi.crs import CRS, STORAGE_SRID
from layers.ogcapi.queryables import GEOMETRY_ATTRIBUTE
from layers.replicas import read_alias

FETCH_ROWS = 2000  # rows per round trip or per chunk sent; ~1 MB of JSON for points
# Every Feature text starts with this and its 36-character id: a page's last id is read off
# its last row.
FEATURE_HEAD = '{"type":"Feature","id":"'
_UUID_LENGTH = 36


def _geometry_sql(crs: CRS, *, multi: bool) -> tuple[str, list]:
    """``t.ogc_geometry`` as GeoJSON text in ``crs`` and its axis order, without a ``crs``
    member (options 0: RFC 7946 has none; Part 2 puts the CRS in Content-Crs); ``multi``:
    as its Multi* type (``families.promote_to_multi``).

    Computed in the outer SELECT, so rows that OFFSET skips are never serialised.
    """
    geometry, params = "t.ogc_geometry", []
    if multi:
        geometry = f"ST_Multi({geometry})"
    if crs.srid != STORAGE_SRID:
        geometry, params = f"ST_Transform({geometry}, %s)", [crs.srid]
    if crs.first_axis_north:
        geometry = f"ST_FlipCoordinates({geometry})"
    return f"ST_AsGeoJSON({geometry}, %s, 0)", [*params, crs.precision]


def _properties_sql(names: list[str]) -> tuple[str, list]:
    """The properties object as JSON text: each value as ``to_json`` writes it (what
    ``json_build_object`` writes for it, by the same rules) after its key, the keys' JSON
    text as parameters. Concatenated rather than built by ``json_build_object``, which
    costs about twice as much per row (a page of 10,000 trees with 19 properties: 72 ms
    against 40 ms, measured side by side) and takes at most 50 pairs."""
    if not names:
        return "'{}'", []
    fragments, params = [], []
    for i, name in enumerate(names):
        fragments.append(f"%s || coalesce(to_json(t.ogc_{i})::text, 'null')")
        params.append(("{" if i == 0 else ",") + json.dumps(name, ensure_ascii=False) + ":")
    return "(" + " || ".join(fragments) + " || '}')", params


def features_sql(
    queryset: QuerySet,
    *,
    properties: dict[str, str],
    crs: CRS,
    skip_geometry: bool = False,
    lists_as_text: tuple[str, ...] = (),
    multi: bool = False,
) -> tuple[str, tuple]:
    """SQL returning one Feature JSON text per row of ``queryset`` (in its order and slice).

    ``id`` is the stable ``public_id``; ``properties`` maps output names to attributes of the
    public queryset. Attributes in ``lists_as_text`` (arrays) become ``a;b`` strings, for
    file formats without list types; ``multi`` writes every geometry as its Multi* type.
    """
    columns = {
        f"ogc_{i}": (
            Func(F(attribute), Value(";"), function="array_to_string", output_field=TextField())
            if attribute in lists_as_text
            else F(attribute)
        )
        for i, attribute in enumerate(properties.values())
    }
    if not skip_geometry:
        columns["ogc_geometry"] = F(GEOMETRY_ATTRIBUTE)
    inner = queryset.annotate(**columns).values("public_id", *columns)
    inner_sql, inner_params = inner.query.sql_with_params()
    properties_sql, properties_params = _properties_sql(list(properties))
    if skip_geometry:
        geometry_sql, geometry_params = "'null'", []
    else:
        geometry_sql, geometry_params = _geometry_sql(crs, multi=multi)
        geometry_sql = f"COALESCE({geometry_sql}, 'null')"
    # Built from our own fragments; client values are only ever parameters.
    sql = (
        f"SELECT '{FEATURE_HEAD}' || t.public_id::text"  # noqa: S608
        ' || \'","geometry":\' || '
        + geometry_sql
        + " || ',\"properties\":' || "
        + properties_sql
        + " || '}' FROM ("
        + inner_sql
        + ") AS t"
    )
    # Parameters in the order of their placeholders in the text.
    return sql, (*geometry_params, *properties_params, *inner_params)


def _rows(sql: str, params: tuple) -> Iterator[list[tuple]]:
    """Batches of rows from a server-side cursor, inside a transaction of their own (a
    cursor WITHOUT HOLD, so PostgreSQL streams rather than materialises the result)."""
    alias = read_alias()  # a public read: a replica when there is one (layers/replicas.py)
    with transaction.atomic(using=alias), connections[alias].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH_ROWS):
            yield batch


def _copy_chunks(
    sql: str, params: tuple, *, parallel: bool = False
) -> Iterator[tuple[bytes, int, memoryview]]:
    """The Feature texts of ``sql`` streamed by COPY: (up to FETCH_ROWS of them joined by
    commas, how many, the last one).

    COPY's text format ends each row with a newline and writes a backslash as two; nothing
    else is escaped, because JSON from PostgreSQL has no raw control characters. So a chunk
    is the rows with the backslashes halved and the newlines turned into commas.
    """
    alias = read_alias()
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        # A scan that joins another one already running on a big table starts where that
        # one is: two downloads of the same state would then differ in order.
        cursor.execute("SET LOCAL synchronize_seqscans = off")
        if parallel:  # the portal's connections run without (settings); PostgreSQL's default
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 2")
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
            rows: list[memoryview] = []
            for row in copy:  # one message per row (the COPY protocol's own rule)
                rows.append(row)
                if len(rows) == FETCH_ROWS:
                    yield _join_copied(rows), len(rows), rows[-1]
                    rows = []
            if rows:
                yield _join_copied(rows), len(rows), rows[-1]


def _join_copied(rows: list) -> bytes:
    return b"".join(rows)[:-1].replace(b"\\\\", b"\\").replace(b"\n", b",")


def feature_batches(sql: str, params: tuple) -> Iterator[list[str]]:
    """Feature texts in batches, streamed (for writing files)."""
    for batch in _rows(sql, params):
        yield [row[0] for row in batch]


def feature_texts(sql: str, params: tuple) -> list[str]:
    """All feature texts of a small query (one item, an HTML page)."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def stream_feature_collection(
    sql: str,
    params: tuple,
    *,
    head: dict,
    tail: callable,
    whole_layer: bool = False,
) -> Iterator[bytes]:
    """The FeatureCollection as byte chunks: ``head`` members, the features, then the
    members ``tail(number_returned, last_feature_id)`` gives (numberReturned, links, …).
    ``whole_layer``: a scan of the whole table, which parallel workers speed up."""
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    yield (opening + (", " if head else "") + '"features":[').encode()
    returned, last_id = 0, None
    for chunk, rows, last_row in _copy_chunks(sql, params, parallel=whole_layer):
        yield (b"," if returned else b"") + chunk
        returned += rows
        start = len(FEATURE_HEAD)
        last_id = bytes(last_row[start : start + _UUID_LENGTH]).decode()
    closing = json.dumps(tail(returned, last_id), ensure_ascii=False)[1:]
    yield ("]" + (", " if closing != "}" else "") + closing).encode()
