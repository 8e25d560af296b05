"""`make bench`: build the data, start every server, measure, stop everything, report."""

import datetime
import os
import sys
import time

from bench import client as http
from bench import data, db, first_render, imports, machine, measure, report, sdg
from bench.config import DATASET_ID, DATASET_RECORDS, IMPORT_SIZES, PORTS
from bench.config import plan as make_plan
from bench.contenders import all_contenders
from bench.growth import growth_table

NOT_AVAILABLE = (404, 405, 501)


def _probe(c, path: str | None) -> str | None:
    """None if the contender answers this kind of request, else why not."""
    if path is None:
        return "not offered"
    try:
        status = http.get(c.port, path, timeout=60).status
    except OSError as exc:
        return f"not available ({exc})"
    return f"not available (HTTP {status})" if status in NOT_AVAILABLE else None


def _ratio(r: dict, base: dict) -> float | None:
    if r.get("status") != "ok":
        return None
    median = r["median_ms"] if "median_ms" in r else r["load"][0].get("median_ms")
    return round(median / base["median_ms"], 2) if median is not None else None


def _guarded(func, *args) -> dict:
    """One measurement; a contender that breaks is reported, the run goes on."""
    try:
        return func(*args)
    except Exception as exc:
        return {"status": f"error: {type(exc).__name__}: {exc}"[:300]}


def measure_size(size: int, meta: dict, plan, contenders, servers, first: bool) -> dict:
    bbox = measure.bbox_for_core()
    collections = ["trees", "green-areas"] if first else ["trees"]
    block = {"trees": size, "limits": {}, "contenders": {}}
    with db.connect() as conn:
        for collection in collections:
            tree_bbox = bbox if collection == "trees" else None
            block["limits"][collection] = measure.limits(
                conn, collection, meta[collection], plan, tree_bbox
            )
        block["tile_limits"] = measure.tile_limits(conn, meta["trees"], plan, bbox)
    limits, tile_limits = block["limits"], block["tile_limits"]
    for c in contenders:
        server, res = servers.get(c.name), {}
        block["contenders"][c.name] = res
        if isinstance(server, str):
            for key in ("full", "bbox", *(f"tile z{z}" for z in (10, 14, 16))):
                res[f"trees:{key}"] = {"status": server}
            continue
        for collection in collections:
            # A naive endpoint has no limit: its checked first request is the probe.
            why = None if c.naive else _probe(c, c.items(collection, 1))
            want = limits[collection]["full_copy"]["features"]
            full = measure.full_collection
            r = {"status": why} if why else _guarded(full, c, server, collection, size, plan, want)
            r["ratio"] = _ratio(r, limits[collection]["full_copy"])
            res[f"{collection}:full"] = r
            print(f"  {size:>7} {c.name:9} {collection} full: {r.get('status')}", flush=True)
        why = _probe(c, c.bbox("trees", bbox, 1) if c.bbox else None)
        want = limits["trees"]["bbox_copy"]["features"]
        r = {"status": why} if why else _guarded(measure.bbox_query, c, server, bbox, want, plan)
        r["ratio"] = _ratio(r, limits["trees"]["bbox_copy"])
        res["trees:bbox 1 km"] = r
        print(f"  {size:>7} {c.name:9} bbox: {r.get('status')}", flush=True)
        for zoom, zl in tile_limits.items():
            why = _probe(c, c.tile("trees", *zl["tiles"][0]) if c.tile else None)
            r = {"status": why} if why else _guarded(measure.tile_load, c, server, zl, plan)
            r["ratio"] = _ratio(r, zl)
            res[f"trees:tile {zoom}"] = r
            print(f"  {size:>7} {c.name:9} tile {zoom}: {r.get('status')}", flush=True)
    if not isinstance(servers.get("ours"), str):
        block["first_render"] = _guarded(first_render.measure, PORTS["ours"], plan.limit_repeats)
        print(f"  {size:>7} ours      first render: done", flush=True)
    return block


# The targets for the data-defined registry: within this much of the limit's median.
DATASET_TARGET = 1.3


def measure_dataset(dataset: dict, plan, contenders, servers) -> dict:
    """The data-defined registry (DATASET_RECORDS records, whatever the trees' size): its
    limits, then each contender that offers it, every answer checked before it is timed.
    Laid out as a size's block is (``report`` reads both alike)."""
    bbox = measure.bbox_for_core()
    with db.connect() as conn:
        found = measure.dataset_limits(conn, dataset, plan, bbox)
    lim, tile_limits = found["limits"], found["tile_limits"]
    block = {
        "records": DATASET_RECORDS,
        "collection": DATASET_ID,
        "tile_collection": DATASET_ID,
        "definition": dataset["definition"],
        "properties": dataset["properties"],
        "tile_properties": dataset["tile_properties"],
        "limits": {DATASET_ID: lim},
        "tile_limits": tile_limits,
        "contenders": {},
        "target": DATASET_TARGET,
    }
    n = f"{DATASET_RECORDS:>7}"
    for c in contenders:
        if not c.dataset:
            continue
        server, res = servers.get(c.name), {}
        block["contenders"][c.name] = res
        if isinstance(server, str):
            res[f"{DATASET_ID}:{'/'.join(c.dataset)}"] = {"status": server}
            continue
        if "full" in c.dataset:
            want = lim["full_copy"]["features"]
            why = _probe(c, c.items(DATASET_ID, 1))
            r = {"status": why} if why else _guarded(measure.dataset_full, c, server, plan, want)
            r["ratio"] = _ratio(r, lim["full_copy"])
            res[f"{DATASET_ID}:full"] = r
            print(f"  {n} {c.name:9} {DATASET_ID} full: {r.get('status')}", flush=True)
        if "filter" in c.dataset:
            for what, want in lim["filters"].items():
                path = c.filtered(DATASET_ID, want["query"])
                r = _guarded(measure.filtered_page, c, server, path, want, plan)
                r["ratio"] = _ratio(r, want)
                r["ratio_to_page_sql"] = _ratio(r, want["page"])
                res[f"{DATASET_ID}:{what}"] = r
                print(f"  {n} {c.name:9} {what}: {r.get('status')}", flush=True)
        if "tile" in c.dataset:
            for zoom, zl in tile_limits.items():
                why = _probe(c, c.tile(DATASET_ID, *zl["tiles"][0]))
                tile_load = measure.tile_load
                r = {"status": why} if why else _guarded(tile_load, c, server, zl, plan, DATASET_ID)
                r["ratio"] = _ratio(r, zl)
                res[f"{DATASET_ID}:tile {zoom}"] = r
                print(f"  {n} {c.name:9} {DATASET_ID} tile {zoom}: {r.get('status')}", flush=True)
    for what, f in lim["filters"].items():
        f.pop("ids")  # used for the checks; the SQL stays in the results
        f["sql"] = dataset["filters"][what]["sql"]
        f["count_sql"] = dataset["filters"][what]["count_sql"]
    return block


def start_servers(contenders) -> dict:
    servers = {}
    for c in contenders:
        if c.shares:
            servers[c.name] = servers[c.shares]
            continue
        try:
            server = c.server()
            servers[c.name] = server
            server.start()
        except Exception as exc:  # a contender that cannot start is reported, not fatal
            if c.name in servers:
                servers[c.name].stop()
            servers[c.name] = f"not available (server did not start: {exc})"
    return servers


def stop_servers(servers: dict) -> None:
    for server in servers.values():
        if not isinstance(server, str):
            server.stop()


def main() -> int:
    plan = make_plan()
    started = time.perf_counter()
    results = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": plan.quick,
        "plan": plan.__dict__,
        "sizes": {},
    }
    print(f"Benchmark ({'QUICK' if plan.quick else 'full'}): building the database...", flush=True)
    if plan.only == "import":
        return _import_only(plan, results, started)
    if plan.only == "sdg":
        return _sdg_only(plan, results, started)
    created = data.create()
    meta = created.pop("collections")
    dataset = created.pop("dataset")
    sdg.prepare()  # the settlements, indicators and the records the SDG indicators read
    data.manage("collectstatic", "--no-input", "-v", "0")
    results["machine"] = machine.facts()
    results["setup"] = created
    contenders = all_contenders()
    if plan.only == "dataset":
        contenders = [c for c in contenders if c.dataset]
    results["contenders"] = {c.name: c.note for c in contenders}
    current, servers = 0, {}
    try:
        for i, size in enumerate(plan.sizes[:1] if plan.only else plan.sizes):
            if plan.only:
                print("Only the data-defined registry; starting our server", flush=True)
            else:
                grow_s = data.grow_trees(size, current)
                current = size
                print(f"{size:,} trees ready in {grow_s:.1f} s; starting the servers", flush=True)
            servers = start_servers(contenders)
            load_before = os.getloadavg()[0]
            if not plan.only:
                block = measure_size(size, meta, plan, contenders, servers, first=i == 0)
                block["fill_s"] = round(grow_s, 1)
                # Every shipped SDG indicator computed live, per settlement included.
                block["sdg"] = _guarded(sdg.measure)
                print(f"  {size:>7} ours      SDG indicators: done", flush=True)
                # Anything else busy on this 2-core machine shows here and skews the numbers.
                block["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
                results["sizes"][str(size)] = block
            if i == 0:
                # Once, with the first size's servers: the registry's size does not change.
                load_before = os.getloadavg()[0]
                results["dataset"] = _guarded(measure_dataset, dataset, plan, contenders, servers)
                results["dataset"]["measured_with_trees"] = 0 if plan.only else size
                results["dataset"]["load_average_1min"] = [
                    round(load_before, 2),
                    round(os.getloadavg()[0], 2),
                ]
            stop_servers(servers)
            servers = {}
            report.write(results)
        # Last, with every server stopped: the bulk import into the registry as it now is.
        print("The bulk import beside ogr2ogr", flush=True)
        results["import"] = _guarded(imports.measure, IMPORT_SIZES[plan.quick])
        results["import"]["registry_trees"] = current
    finally:
        stop_servers(servers)
        results["elapsed_s"] = round(time.perf_counter() - started, 1)
        report.write(results)
        print(report.table(results, offered_only=True))
        if growth := growth_table(results):
            print("\n" + growth)
        if "import" in results:
            print("\n" + report.import_table(results["import"]))
        for size, block in results["sizes"].items():
            if "sdg" in block:
                print(f"{int(size):,} trees: {report.sdg_line(block['sdg'])}")
        print(f"\nResults: {report.results_path(results)} ({results['elapsed_s']:.0f} s)")
    return 0


def _import_only(plan, results: dict, started: float) -> int:
    """BENCH_ONLY=import: a database with no trees, the import's sizes, no server."""
    results["setup"] = {"create_s": data.create_minimal()}
    results["machine"] = machine.facts()
    load_before = os.getloadavg()[0]
    try:
        results["import"] = imports.measure(IMPORT_SIZES[plan.quick])
        results["import"]["registry_trees"] = 0
    finally:
        results["import_load_average_1min"] = [
            round(load_before, 2),
            round(os.getloadavg()[0], 2),
        ]
        results["elapsed_s"] = round(time.perf_counter() - started, 1)
        report.write(results)
    print(report.import_table(results["import"]))
    print(f"\nResults: {report.results_path(results)} ({results['elapsed_s']:.0f} s)")
    return 0


def _sdg_only(plan, results: dict, started: float) -> int:
    """BENCH_ONLY=sdg: the SDG indicators computed live at each tree size, no server."""
    results["setup"] = {"create_s": data.create_minimal()}
    data.add_green_areas()
    sdg.prepare()
    results["machine"] = _guarded(machine.facts)  # (wrk, which run.sh installs, is not used)
    current = 0
    try:
        for size in plan.sizes:
            grow_s = data.grow_trees(size, current)
            current = size
            load_before = os.getloadavg()[0]
            block = {"trees": size, "fill_s": round(grow_s, 1), "sdg": sdg.measure()}
            block["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            results["sizes"][str(size)] = block
            report.write(results)
            print(f"{size:,} trees: {report.sdg_line(block['sdg'])}", flush=True)
    finally:
        results["elapsed_s"] = round(time.perf_counter() - started, 1)
        report.write(results)
    print(f"\nResults: {report.results_path(results)} ({results['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
