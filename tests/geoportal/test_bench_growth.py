"""The benchmark's growth table says, per row, whether a figure grew faster than the layer."""

from bench.growth import growth_table


def _block(tile_ms: float, full_ms: float) -> dict:
    run = {"connections": 1, "requests": 10, "median_ms": tile_ms, "p95_ms": tile_ms}
    run |= {"requests_per_s": 1.0, "features_per_s": 1, "errors": 0}
    full = {"median_ms": full_ms, "p95_ms": full_ms, "features": 9}
    return {
        "limits": {"trees": {"full_copy": full}},
        "contenders": {"ours": {"trees:tile z14": {"status": "ok", "load": [run]}}},
    }


def test_each_row_is_compared_with_the_layers_growth():
    table = growth_table({"sizes": {"10000": _block(3.0, 10.0), "2000000": _block(4.0, 3000.0)}})

    rows = {line.split("|")[0].strip(): line for line in table.splitlines()[3:]}
    assert "layer x200" in table.splitlines()[1]
    assert "x300.0" in rows["trees full"] and "FASTER than the layer" in rows["trees full"]
    assert "x1.3" in rows["trees tile z14"] and "no faster" in rows["trees tile z14"]


def test_one_size_has_no_growth():
    assert growth_table({"sizes": {"10000": _block(3.0, 10.0)}}) == ""
