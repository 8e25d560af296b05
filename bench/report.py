"""The printed table and the results file."""

import json

from bench.config import VAR

RESULTS = VAR / "results.json"


def _fmt(value, digits=1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _rows(results: dict):
    for size, block in results["sizes"].items():
        for collection, lim in block["limits"].items():
            n = f"{size} {collection}"
            for key in ("full_copy", "full_json_agg"):
                if key in lim:
                    r = lim[key]
                    feats = round(r["features"] / (r["median_ms"] / 1000))
                    yield (n, "full", f"PostGIS {key[5:]}", r, feats, None, None, 1.0)
            if "bbox_copy" in lim:
                yield (n, "bbox 1 km", "PostGIS copy", lim["bbox_copy"], None, None, None, 1.0)
        for zoom, r in block.get("tile_limits", {}).items():
            yield (f"{size} trees", f"tile {zoom}", "PostGIS ST_AsMVT", r, None, None, None, 1.0)
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
                            None,
                            r["ratio"],
                        )
                else:
                    pages = f"{r['pages']} pages" if r.get("pages", 1) > 1 else ""
                    yield (label, kind, name, r, r["features_per_s"], rss, pages, r.get("ratio"))


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
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(head))]
    out = []
    for i, row in enumerate(lines):
        out.append(" | ".join(str(cell).ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def write(results: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":  # python -m bench.report: the last results again, for the README
    print(table(json.loads(RESULTS.read_text()), offered_only=True))
