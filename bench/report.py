"""The printed table and the results file."""

import json

from bench.config import DATASET_ID, DATASET_RECORDS, FULL_SIZES, VAR

RESULTS = VAR / "results.json"


def _fmt(value, digits=1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _target(r: dict, target: float | None) -> str:
    if target is None or r.get("ratio") is None:
        return ""
    return f"target {target}x: {'met' if r['ratio'] <= target else 'missed'}"


def _rows(results: dict):
    for size, block in results["sizes"].items():
        yield from _block_rows(size, block)
    # The data-defined registry: one block, laid out as a size's, labelled by its records.
    dataset = results.get("dataset")
    if dataset and "status" in dataset:  # it broke while measuring: say so, go on
        label = f"{DATASET_RECORDS} {DATASET_ID}"
        yield (label, "data-defined registry", "", None, None, None, dataset["status"], None)
    elif dataset:
        yield from _block_rows(dataset["records"], dataset)


def _block_rows(size, block: dict):
    target = block.get("target")
    for collection, lim in block["limits"].items():
        n = f"{size} {collection}"
        for key in ("full_copy", "full_json_agg"):
            if key in lim:
                r = lim[key]
                feats = round(r["features"] / (r["median_ms"] / 1000))
                yield (n, "full", f"PostGIS {key[5:]}", r, feats, None, None, 1.0)
        if "bbox_copy" in lim:
            yield (n, "bbox 1 km", "PostGIS copy", lim["bbox_copy"], None, None, None, 1.0)
        for what, r in lim.get("filters", {}).items():
            feats = round(r["features"] / (r["median_ms"] / 1000))
            extra = f"{r['features']:,} features, numberMatched {r['matched']:,}"
            yield (n, what, "PostGIS page+count", r, feats, None, extra, 1.0)
            yield (n, what, "PostGIS page alone", r["page"], None, None, "our page SQL", None)
            yield (n, what, "PostGIS count alone", r["count"], None, None, "our count SQL", None)
    tile_label = f"{size} {block.get('tile_collection', 'trees')}"
    for zoom, r in block.get("tile_limits", {}).items():
        yield (tile_label, f"tile {zoom}", "PostGIS ST_AsMVT", r, None, None, None, 1.0)
    for view, r in block.get("first_render", {}).items():
        if not isinstance(r, dict):  # an error while measuring: {"status": "..."}
            yield (
                f"{size} trees",
                "first render",
                "ours (Chromium)",
                None,
                None,
                None,
                r,
                None,
            )
            continue
        extra = f"{r['tree_tiles']} tree tiles, {r['tree_tile_kb']:,} KB"
        if "transferred_kb" in r:  # runs before 2 December did not count it
            extra += f"; {r['transferred_kb']:,} KB transferred in all"
        yield (
            f"{size} trees",
            f"first render, {view}",
            "ours (Chromium)",
            r,
            None,
            None,
            extra,
            None,
        )
    for name, res in block["contenders"].items():
        for what, r in res.items():
            collection, kind = what.split(":", 1)
            label = f"{size} {collection}"
            if r.get("status") != "ok":
                yield (label, kind, name, None, None, None, r.get("status"), None)
                continue
            rss = r.get("peak_rss", {}).get("max_process_mb")
            if "load" in r:
                if r.get("answer", "complete") != "complete":
                    yield (label, kind, name, None, None, None, r["answer"], None)
                for run in r["load"]:
                    if not run["requests"]:
                        shown = f"{name} c={run['connections']}"
                        yield (label, kind, shown, None, None, None, "no answer in time", None)
                        continue
                    row = {"median_ms": run["median_ms"], "p95_ms": run["p95_ms"]}
                    shown = f"{name} c={run['connections']}"
                    extra = f"{run['requests_per_s']:,.0f} req/s"
                    if run["errors"]:
                        extra += f", {run['errors']} errors"
                    yield (label, kind, shown, row, run["features_per_s"], rss, extra, None)
                if r.get("ratio") is not None:
                    yield (
                        label,
                        kind,
                        f"{name} c=1 vs limit",
                        None,
                        None,
                        None,
                        "; ".join(
                            t
                            for t in (
                                _target(r, target),
                                f"{r['ratio_to_page_sql']:.2f}x the page SQL alone"
                                if r.get("ratio_to_page_sql") is not None
                                else "",
                            )
                            if t
                        ),
                        r["ratio"],
                    )
            else:
                extra = f"{r['pages']} pages" if r.get("pages", 1) > 1 else _target(r, target)
                yield (label, kind, name, r, r["features_per_s"], rss, extra, r.get("ratio"))


def table(results: dict, *, offered_only: bool = False) -> str:
    """The results as a text table; ``offered_only`` leaves out what a server does not offer."""
    head = ("size", "what", "who", "median ms", "p95 ms", "features/s", "RSS MB", "x limit", "")
    lines = [head]
    for label, kind, who, r, feats, rss, extra, ratio in _rows(results):
        if offered_only and extra == "not offered":
            continue
        lines.append(
            (
                label,
                kind,
                who,
                _fmt(r["median_ms"]) if r else "",
                _fmt(r["p95_ms"]) if r else "",
                _fmt(feats),
                _fmt(rss),
                _fmt(ratio, 2) if ratio is not None else "",
                extra or "",
            )
        )
    return _aligned(lines)


def results_path(results: dict):
    """A narrowed run (BENCH_ONLY, BENCH_SIZES) is written beside a full run's results, not
    over them."""
    plan = results.get("plan", {})
    if plan.get("only"):
        return VAR / f"results-{plan['only']}.json"
    if not plan.get("quick") and tuple(plan.get("sizes", FULL_SIZES)) != FULL_SIZES:
        return VAR / "results-sizes.json"
    return RESULTS


def write(results: dict) -> None:
    path = results_path(results)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":  # python -m bench.report [file]: the last results again, for the README
    import sys
    from pathlib import Path

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS
    print(table(json.loads(path.read_text(encoding="utf-8")), offered_only=True))


def import_table(block: dict) -> str:
    """The import's rows: ogr2ogr beside ours (read + check, commit), seconds and ratio."""
    head = ("rows", "file MB", "ogr2ogr s", "ours check s", "ours commit s", "x ogr2ogr", "RSS MB")
    lines = [head]
    for rows, r in block.items():
        if not isinstance(r, dict) or "limit" not in r:
            continue
        lines.append(
            (
                f"{int(rows):,}",
                _fmt(r["file_mb"], 1),
                _fmt(r["limit"]["seconds"], 2),
                _fmt(r["check_s"], 1),
                _fmt(r["commit_s"], 1),
                _fmt(r["ratio"], 1),
                _fmt(r["peak_rss_mb"]),
            )
        )
    return _aligned(lines)


def _aligned(lines: list[tuple]) -> str:
    """Rows as a text table, the first one the head, columns padded to their widest cell."""
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(lines[0]))]
    out = []
    for i, row in enumerate(lines):
        out.append(" | ".join(str(cell).ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def sdg_line(block: dict) -> str:
    """The SDG indicators' live computation at one size, in one line."""
    if "total_median_s" not in block:
        return block.get("status", "not measured")
    return (
        f"{block['indicators']} SDG indicators computed live (per settlement and breakdown "
        f"included): median {block['total_median_s']:.2f} s, max {block['total_max_s']:.2f} s, "
        f"first {block['cold_s']:.2f} s"
    )
