"""What the benchmark measures and where: sizes, ports, windows, repetitions, paths."""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
HOST = "127.0.0.1"  # loopback only: every server and every load stays on this machine
DB_NAME = "geoportal_bench"

PORTS = {"ours": 18431, "drf-gis": 18432, "pygeoapi": 18433, "tipg": 18434}
WORKERS = 2  # per server: one per core of this machine

# Map centre of the hromada profile (lat, lon) and the 1 km window around it (the urban core).
CENTER = (49.4216, 26.9965)
# Share of trees in the city (a 4 km disc around the centre); the rest anywhere in the hromada.
URBAN_SHARE = 0.7
URBAN_RADIUS_M = 4000
POLYGONS = 10_000
TILE_ZOOMS = (10, 14, 16)
WRK_CONNECTIONS = (1, 4, 16)

# A registry defined as data (fields and records in the shared table, values in JSONB), as
# big in every run: its records are placed as the trees are, in the same proportions.
DATASET_ID = "bench-playgrounds"
DATASET_RECORDS = 100_000
DATASET_VIEW = "bench_public_dataset"
DATASET_TILE_ZOOMS = (14, 16)
# Filtered pages of the OGC items endpoint: a property filter on a choice field, a CQL2
# filter on an integer field (both over values->>key casts). Full pages of 1,000.
DATASET_FILTERS = {
    "filter surface=rubber": "surface=rubber&limit=1000",
    "filter cql2 equipment_count>=90": "filter=equipment_count%3E%3D90&limit=1000",
}


FULL_SIZES = (10_000, 100_000, 500_000, 2_000_000)


@dataclass(frozen=True)
class Plan:
    quick: bool
    sizes: tuple[int, ...]
    full_repeats: int  # sequential full-collection requests per contender (after the check)
    full_budget_s: float  # ...but stop repeating once one contender has spent this long
    wrk_seconds: int
    limit_repeats: int
    slow_max_features: int  # naive contenders fetch the whole layer only up to this size
    # BENCH_ONLY=dataset: only the data-defined registry's rows (ours; one server start, no
    # trees grown), written to var/bench/results-dataset.json, not over a full run's results.
    # BENCH_ONLY=import: only the bulk import beside ogr2ogr (no server), to
    # var/bench/results-import.json.
    # BENCH_ONLY=sdg: only the SDG indicators computed live at each tree size (no server),
    # to var/bench/results-sdg.json.
    only: str = ""


ONLY = ("", "dataset", "import", "sdg")

# The import's sizes (rows of a GeoPackage of trees), side by side with ogr2ogr.
IMPORT_SIZES = {True: (10_000, 100_000), False: (10_000, 100_000, 500_000)}


def plan() -> Plan:
    quick = os.environ.get("QUICK", "") not in ("", "0")
    only = os.environ.get("BENCH_ONLY", "")
    if only not in ONLY:
        raise SystemExit(f"BENCH_ONLY={only!r}: one of {', '.join(o for o in ONLY if o)}")
    if quick:
        return Plan(True, (10_000, 100_000), 3, 10.0, 2, 3, 10_000, only)
    # 2,000,000: how the figures grow past a city's layer (issue 20; full runs only).
    sizes = FULL_SIZES
    # BENCH_SIZES=2000000: only these sizes of a full run (to measure one again; the growth
    # table needs the smallest size in the same results to say anything).
    if wanted := os.environ.get("BENCH_SIZES", ""):
        try:
            sizes = tuple(sorted({int(value) for value in wanted.split(",")}))
        except ValueError:
            raise SystemExit(f"BENCH_SIZES={wanted!r}: tree counts, comma-separated") from None
    return Plan(False, sizes, 5, 60.0, 5, 5, 500_000, only)


def bbox_1km(center: tuple[float, float] = CENTER) -> tuple[float, float, float, float]:
    """A 1 km x 1 km window (lon/lat) centred on the urban core."""
    import math

    lat, lon = center
    dlat = 500 / 111_320
    dlon = 500 / (111_320 * math.cos(math.radians(lat)))
    # Rounded as the URLs write it, so the SQL count and every server see the same window.
    return tuple(round(v, 6) for v in (lon - dlon, lat - dlat, lon + dlon, lat + dlat))
