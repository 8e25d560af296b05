"""How each figure grows with the layer: the median of every row of the table at each tree
size, and its growth from the smallest size to the largest beside the growth of the layer
(issue 20: no figure should grow faster than the rows it serves, which grow at most as the
layer does; a tile or a page of fixed size should hardly grow at all)."""

from bench.report import _aligned, _fmt, _rows


def growth_table(results: dict) -> str:
    sizes = sorted(int(size) for size in results.get("sizes", {}))
    if len(sizes) < 2:
        return ""
    series: dict[tuple[str, str, str], dict[int, float]] = {}
    for label, what, who, row, *_ in _rows({"sizes": results["sizes"]}):
        size, _, collection = str(label).partition(" ")
        if not size.isdigit() or not row or row.get("median_ms") is None:
            continue
        series.setdefault((collection, what, who), {})[int(size)] = row["median_ms"]
    first, last = sizes[0], sizes[-1]
    layer = last / first
    head = ("what", "who", *(f"{s:,}" for s in sizes), "growth", f"layer x{layer:,.0f}")
    lines = [head]
    for (collection, what, who), medians in series.items():
        if first not in medians or last not in medians or not medians[first]:
            continue
        growth = medians[last] / medians[first]
        verdict = "no faster than the layer" if growth <= layer else "FASTER than the layer"
        lines.append(
            (
                f"{collection} {what}",
                who,
                *(_fmt(medians.get(s)) for s in sizes),
                f"x{growth:,.1f}",
                verdict,
            )
        )
    return "Growth of the median from the smallest size to the largest (ms)\n" + _aligned(lines)
