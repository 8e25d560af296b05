"""Benchmark: the OGC items endpoint against PostGIS producing the same GeoJSON by itself.

Not a test. Run against the demo database (`make demo` loads 20,005 trees):

    .venv/bin/python bench/ogc_geojson.py [--collection trees] [--limit 10000] [--runs 5]

Prints, for the same features (the first LIMIT of the collection in id order): the time of
PostGIS alone (COPY of the per-feature JSON streamed to the client; json_agg of one document),
the time of our endpoint under gunicorn (one sync worker) with and without gzip, the ratio,
and the worker's peak RSS (VmHWM) after small and large requests.
"""

import sys
from pathlib import Path

# Run as a script, this folder would come first on sys.path, and bench/http.py (another
# benchmark's module) would shadow the standard library's http: put the project root there.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402


def _load_env() -> None:
    env_file = ROOT / "var" / "geoportal.env"
    if "DATABASE_URL" not in os.environ and env_file.exists():
        for line in env_file.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                os.environ.setdefault(key.strip(), value.strip())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings.base")


def _best(samples: list[float]) -> float:
    return min(samples)


def _time(function, runs: int) -> tuple[float, float]:
    function()  # warm-up: caches, plans, connections
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return _best(samples), statistics.median(samples)


def postgis_baselines(
    collection: str, limit: int, runs: int
) -> dict[str, tuple[float, float, int]]:
    from django.db import connection
    from django.db.models import F

    from layers.ogcapi.crs import default_crs
    from layers.ogcapi.geojson import features_sql
    from layers.registry import registry_get
    from layers.selectors.public import registry_public_queryset

    registry = registry_get(collection)
    page = registry_public_queryset(registry).order_by("pk")[:limit]
    sql, params = features_sql(page, properties=dict(registry.properties), crs=default_crs())
    with connection.cursor() as cursor:
        feature_sql = connection.ops.compose_sql(sql, params)
        columns = ", ".join([f"t.ogc_{i} AS {name}" for i, name in enumerate(registry.properties)])
        # The same rows as features_sql's inner query, aggregated by PostGIS in one document.
        annotations = {f"ogc_{i}": F(a) for i, a in enumerate(registry.properties.values())}
        inner = page.annotate(**annotations, ogc_geometry=F("public_geom"))
        inner_sql = connection.ops.compose_sql(
            *inner.values("public_id", *annotations, "ogc_geometry").query.sql_with_params()
        )
        agg_sql = (
            "SELECT json_build_object('type', 'FeatureCollection', 'features', "  # noqa: S608
            "json_agg(ST_AsGeoJSON(f.*, 'geom', 7)::json))::text FROM ("
            f"SELECT t.public_id, {columns}, t.ogc_geometry AS geom FROM ({inner_sql}) AS t) AS f"
        )
        raw = cursor.cursor

        def copy_stream():
            size = 0
            with raw.copy(f"COPY ({feature_sql}) TO STDOUT") as copy:
                for chunk in copy:
                    size += len(chunk)
            return size

        def json_agg():
            raw.execute(agg_sql)
            return len(raw.fetchone()[0])

        results = {}
        for name, function in (
            ("PostGIS COPY, streamed", copy_stream),
            ("PostGIS json_agg", json_agg),
        ):
            size = function()
            best, median = _time(function, runs)
            results[name] = (best, median, size)
    return results


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def _memory_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def endpoint(collection: str, limit: int, runs: int) -> tuple[dict, dict]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).parent / "gunicorn"
    master = subprocess.Popen(  # noqa: S603 - our own command line
        [
            str(gunicorn),
            "geoportal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=dict(os.environ),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        worker = _worker_pid(master.pid)

        def fetch(url: str, gzip: bool = False) -> int:
            headers = {"Accept": "application/geo+json"}
            if gzip:
                headers["Accept-Encoding"] = "gzip"
            request = urllib.request.Request(url, headers=headers)  # noqa: S310
            with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
                size = 0
                while chunk := response.read(1 << 20):
                    size += len(chunk)
            return size

        memory = {}
        small = f"{base}/ogc/collections/{collection}/items?limit=100"
        fetch(small)
        memory["after limit=100"] = _memory_kb(worker, "VmHWM")
        items = f"{base}/ogc/collections/{collection}/items?limit={limit}"
        results = {}
        for name, gzip in (("endpoint (identity)", False), ("endpoint (gzip)", True)):
            size = fetch(items, gzip)
            best, median = _time(lambda gzip=gzip: fetch(items, gzip), runs)
            results[name] = (best, median, size)
        memory[f"after limit={limit}"] = _memory_kb(worker, "VmHWM")
        whole = f"{base}/ogc/collections/{collection}/download/geojson"
        size = fetch(whole)
        best, median = _time(lambda: fetch(whole), max(1, runs // 2))
        results["whole-layer GeoJSON download"] = (best, median, size)
        memory["after whole-layer download"] = _memory_kb(worker, "VmHWM")
        return results, memory
    finally:
        master.terminate()
        master.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collection", default="trees")
    parser.add_argument("--limit", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    _load_env()
    import django

    django.setup()
    from layers.registry import registry_get
    from layers.selectors.public import registry_public_queryset

    total = registry_public_queryset(registry_get(args.collection)).count()
    limit = min(args.limit, total)
    baselines = postgis_baselines(args.collection, limit, args.runs)
    served, memory = endpoint(args.collection, limit, args.runs)
    reference = baselines["PostGIS COPY, streamed"][0]

    print(f"\n{args.collection}: {limit} of {total} features, best/median of {args.runs} runs\n")
    print(f"{'what':34} {'best s':>8} {'median s':>9} {'MB':>7} {'ratio':>6}")
    for name, (best, median, size) in {**baselines, **served}.items():
        ratio = best / reference
        if name.startswith("whole"):
            name = f"{name} ({total})"
            ratio = float("nan")
        print(f"{name:34} {best:8.3f} {median:9.3f} {size / 1e6:7.2f} {ratio:6.2f}")
    print("\nratio = best time / PostGIS COPY best time (same features, same JSON per feature)")
    print("\nworker peak RSS (VmHWM):")
    for name, kb in memory.items():
        print(f"  {name:30} {kb / 1024:7.1f} MB")


if __name__ == "__main__":
    main()
