"""Measurements of one table size: the limits, then each contender, checked before timed."""

import json
import math
import statistics
import time

import psycopg

from bench import client as http
from bench import limit, mvt
from bench.config import (
    DATASET_ID,
    DATASET_RECORDS,
    DATASET_TILE_ZOOMS,
    DATASET_VIEW,
    TILE_ZOOMS,
    WRK_CONNECTIONS,
    Plan,
    bbox_1km,
)
from bench.contenders import Contender
from bench.data import VIEWS
from bench.procs import Server


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {"median_ms": _ms(statistics.median(ordered)), "p95_ms": _ms(p95), "n": len(ordered)}


def tiles_covering(bbox, z: int) -> list[tuple[int, int, int]]:
    def tile_xy(lon, lat):
        n = 2**z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return x, y

    x0, y0 = tile_xy(bbox[0], bbox[3])
    x1, y1 = tile_xy(bbox[2], bbox[1])
    return [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


# --- the limit ---------------------------------------------------------------------------

JSON_AGG_MAX_BYTES = 900 * 1024 * 1024  # below PostgreSQL's 1 GB limit of one value


def limits(
    conn: psycopg.Connection, collection: str, meta: dict, plan: Plan, bbox, view: str = ""
) -> dict:
    view, props = view or VIEWS[collection], meta["properties"]
    out = {}
    select = limit.feature_sql(view, props)
    for name, func in (("copy", limit.copy_collection), ("json_agg", limit.json_agg_collection)):
        if name == "json_agg" and out["full_copy"]["bytes"] > JSON_AGG_MAX_BYTES:
            # One text value of PostgreSQL holds at most 1 GB: 2,000,000 trees do not fit.
            continue
        runs = [func(conn, select) for _ in range(plan.limit_repeats)]
        out[f"full_{name}"] = {
            **summary([r["seconds"] for r in runs]),
            "features": runs[0]["features"],
            "bytes": runs[0]["bytes"],
        }
    if bbox is not None:
        runs = [
            limit.copy_collection(conn, limit.feature_sql(view, props, limit.bbox_where(bbox)))
            for _ in range(plan.limit_repeats * 3)
        ]
        out["bbox_copy"] = {
            **summary([r["seconds"] for r in runs]),
            "features": runs[0]["features"],
        }
    return out


def tile_limits(
    conn, meta: dict, plan: Plan, bbox, view: str = VIEWS["trees"], zooms=TILE_ZOOMS
) -> dict:
    sql = limit.tile_sql(view, meta["tile_properties"])
    out = {}
    for z in zooms:
        tiles = tiles_covering(bbox, z)
        samples, features, nbytes = [], [], []
        for z_, x, y in tiles:
            runs = [limit.tile(conn, sql, z_, x, y) for _ in range(plan.limit_repeats)]
            samples += [r["seconds"] for r in runs]
            features.append(sum(mvt.feature_counts(runs[0]["data"] or b"").values()))
            nbytes.append(runs[0]["bytes"])
        expected = [limit.expected_in_tile(conn, view, *t) for t in tiles]
        out[f"z{z}"] = {
            **summary(samples),
            "tiles": [list(t) for t in tiles],
            "features_per_tile": round(statistics.mean(features), 1),
            "bytes_per_tile": round(statistics.mean(nbytes)),
            "expected": [list(e) for e in expected],
        }
    return out


# --- the contenders ----------------------------------------------------------------------


def _features(pages: list[http.Response]) -> int | None:
    total = 0
    for page in pages:
        if page.status != 200:
            return None
        total += len(json.loads(page.body)["features"])
    return total


def full_collection(c: Contender, server: Server, collection: str, size: int, plan: Plan, want):
    """The whole collection: the first request is checked (count), then repeated in budget."""
    if c.naive and size > plan.slow_max_features:
        return {"status": f"skipped above {plan.slow_max_features:,} features (too slow)"}
    server.reset_peaks()
    started = time.perf_counter()
    # One more than the layer holds: a server that allows it answers in one page, no ``next``.
    pages, seconds = http.get_all_pages(c.port, c.items(collection, size + 1))
    got = _features(pages)
    if got != want:
        status = pages[-1].status
        return {"status": f"wrong answer: HTTP {status}, {got} features, expected {want}"}
    first = json.loads(pages[0].body)["features"][:1]
    properties = sorted(first[0]["properties"]) if first else []
    samples = [seconds]
    while len(samples) < plan.full_repeats and time.perf_counter() - started < plan.full_budget_s:
        samples.append(http.get_all_pages(c.port, c.items(collection, size + 1))[1])
    stats = summary(samples)
    return {
        "status": "ok",
        **stats,
        "features": got,
        "pages": len(pages),
        "bytes": sum(len(p.body) for p in pages),
        "features_per_s": round(got / (stats["median_ms"] / 1000)),
        "peak_rss": server.peak_rss(),
        "properties": properties,
    }


def _load(c: Contender, server: Server, paths: list[str], features: float, plan: Plan) -> dict:
    server.reset_peaks()
    runs = []
    for connections in WRK_CONNECTIONS:
        run = http.wrk(c.port, paths, connections, plan.wrk_seconds)
        if not run["requests"]:
            runs.append({"connections": connections, "requests": 0, "errors": 0})
            continue
        rps = run["requests"] / (run["duration_us"] / 1e6)
        errors = sum(run[k] for k in run if k.endswith("_errors")) + run["timeouts"]
        runs.append(
            {
                "connections": connections,
                "requests": run["requests"],
                "median_ms": round(run["p50_us"] / 1000, 2),
                "p95_ms": round(run["p95_us"] / 1000, 2),
                "p99_ms": round(run["p99_us"] / 1000, 2),
                "requests_per_s": round(rps, 1),
                "features_per_s": round(rps * features),
                "errors": errors,
            }
        )
    return {"status": "ok", "load": runs, "peak_rss": server.peak_rss()}


def bbox_query(c: Contender, server: Server, bbox, want: int, plan: Plan) -> dict:
    """The 1 km window in one page, under load; or, where the window holds more than the
    server's largest page (31,000 trees at 2,000,000), all of it through ``next`` links,
    timed as the whole collection is: a client reads every page of it either way."""
    path = c.bbox("trees", bbox, max(want, 10))
    resp = http.get(c.port, path)
    got = _features([resp])
    if got != want and resp.status == 200 and http.next_path(resp.body, c.port):
        return _bbox_pages(c, server, path, want, plan)
    if got != want:
        return {"status": f"wrong answer: HTTP {resp.status}, {got} features, expected {want}"}
    return {"path": path, "features": got, **_load(c, server, [path], got, plan)}


def _bbox_pages(c: Contender, server: Server, path: str, want: int, plan: Plan) -> dict:
    server.reset_peaks()
    started = time.perf_counter()
    pages, seconds = http.get_all_pages(c.port, path)
    got = _features(pages)
    if got != want:
        status = pages[-1].status
        return {"status": f"wrong answer: HTTP {status}, {got} features in pages, expected {want}"}
    samples = [seconds]
    while len(samples) < plan.full_repeats and time.perf_counter() - started < plan.full_budget_s:
        samples.append(http.get_all_pages(c.port, path)[1])
    stats = summary(samples)
    return {
        "status": "ok",
        "path": path,
        **stats,
        "features": got,
        "pages": len(pages),
        "features_per_s": round(got / (stats["median_ms"] / 1000)),
        "peak_rss": server.peak_rss(),
    }


# A tile's edge is computed by each server in its own way (envelope in 3857 or 4326, float
# rounding): a point within a hair of the edge may fall either side. Allowed: this share.
EDGE_TOLERANCE = 0.01


def tiles(
    c: Contender, server: Server, zoom: dict, collection: str = "trees"
) -> tuple[list[str], float, str] | str:
    """Check every tile of a zoom; return the paths, mean features and "complete" or
    "thinned" (fewer points than the tile holds, by design: one per pixel), or what is wrong.
    """
    paths, counts, kind = [], [], "complete"
    for (z, x, y), (inner, buffered) in zip(zoom["tiles"], zoom["expected"], strict=True):
        path = c.tile(collection, z, x, y)
        resp = http.get(c.port, path)
        if resp.status not in (200, 204):
            return f"wrong answer: HTTP {resp.status} for {path}"
        got = sum(mvt.feature_counts(resp.body).values()) if resp.body else 0
        if got > buffered * (1 + EDGE_TOLERANCE) or (inner and not got):
            return f"wrong answer: {got} features in {z}/{x}/{y}, expected {inner}..{buffered}"
        if got < inner * (1 - EDGE_TOLERANCE):
            kind = f"thinned: {got:,} of {inner:,} features in {z}/{x}/{y}"
        paths.append(path)
        counts.append(got)
    return paths, statistics.mean(counts), kind


def tile_load(
    c: Contender, server: Server, zoom: dict, plan: Plan, collection: str = "trees"
) -> dict:
    checked = tiles(c, server, zoom, collection)
    if isinstance(checked, str):
        return {"status": checked}
    paths, features, kind = checked
    return {
        "features_per_tile": round(features, 1),
        "answer": kind,
        **_load(c, server, paths, features, plan),
    }


def bbox_for_core():
    return bbox_1km()


# --- the data-defined registry -----------------------------------------------------------


def dataset_limits(conn: psycopg.Connection, dataset: dict, plan: Plan, bbox) -> dict:
    """The limits of the data-defined registry: the whole layer from its public view (as for
    the trees), each filtered page as the SQL our endpoint runs for it (COPY, streamed) and
    that page's count, and the tiles from the view."""
    out = limits(conn, DATASET_ID, dataset, plan, None, view=DATASET_VIEW)
    out["filters"] = {}
    for what, f in dataset["filters"].items():
        # The document our endpoint answers holds the page and, the page being full and the
        # query filtered, its numberMatched: the limit runs both of its queries, one after
        # the other (the page alone and the count alone are reported too).
        pages, counts, both = [], [], []
        for _ in range(plan.limit_repeats * 3):
            page = limit.copy_collection(conn, f["sql"])
            started = time.perf_counter()
            (matched,) = conn.execute(f["count_sql"]).fetchone()
            count_s = time.perf_counter() - started
            pages.append(page["seconds"])
            counts.append(count_s)
            both.append(page["seconds"] + count_s)
        out["filters"][what] = {
            **summary(both),
            "query": f["query"],
            "features": page["features"],
            "bytes": page["bytes"],
            "ids": limit.copy_ids(conn, f["sql"]),
            "matched": matched,
            "page": summary(pages),
            "count": summary(counts),
        }
    tiles = tile_limits(conn, dataset, plan, bbox, view=DATASET_VIEW, zooms=DATASET_TILE_ZOOMS)
    return {"limits": out, "tile_limits": tiles}


def filtered_page(c: Contender, server: Server, path: str, want: dict, plan: Plan) -> dict:
    """A filtered page: checked (the same features in the same order as the limit's), then
    under load as the bbox is."""
    resp = http.get(c.port, path)
    if resp.status != 200:
        return {"status": f"wrong answer: HTTP {resp.status}"}
    document = json.loads(resp.body)
    ids = [feature["id"] for feature in document["features"]]
    if ids != want["ids"]:
        return {"status": f"wrong answer: {len(ids)} features, expected {want['features']}"}
    if document.get("numberMatched") != want["matched"]:
        got = document.get("numberMatched")
        return {"status": f"wrong answer: numberMatched {got}, expected {want['matched']}"}
    return {"path": path, "features": len(ids), **_load(c, server, [path], len(ids), plan)}


def dataset_full(c: Contender, server: Server, plan: Plan, want: int) -> dict:
    return full_collection(c, server, DATASET_ID, DATASET_RECORDS, plan, want)
