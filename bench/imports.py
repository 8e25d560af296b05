"""The bulk import beside what GDAL alone needs: a GeoPackage of N trees (made here, seeded)
is loaded by ``ogr2ogr -f PostgreSQL`` into a bare table (the limit: no checks, no review,
no history), then imported into the trees registry through the product's own services —
read, every row checked, committed as drafts for review — in a process of its own, as the
worker runs it (``bench.import_run``), whose peak memory is read from the kernel.

Run by ``make bench`` after the serving measurements, and alone by ``BENCH_ONLY=import``.
"""

import csv
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import db
from bench.config import CENTER, ROOT, URBAN_RADIUS_M, URBAN_SHARE, VAR

OGR2OGR = shutil.which("ogr2ogr") or "/usr/bin/ogr2ogr"
# Columns as a survey's spreadsheet names them, with the values written as people write them
# (conditions in Ukrainian, species by Latin name, decimals with a comma).
CONDITIONS = ["добрий", "задовільний", "незадовільний", "аварійне", "сухостійне", ""]
COLUMNS = [
    "Порода",
    "Діаметр стовбура, см",
    "Висота, м",
    "Рік посадки",
    "Стан",
    "Інвентарний номер",
    "Адреса",
]
MAPPING = {
    "species": "Порода",
    "trunk_diameter_cm": "Діаметр стовбура, см",
    "height_m": "Висота, м",
    "planting_year": "Рік посадки",
    "condition": "Стан",
    "inventory_number": "Інвентарний номер",
    "address": "Адреса",
}


def _species() -> list[str]:
    with db.connect() as conn:
        return [row[0] for row in conn.execute("SELECT latin_name FROM layers_species ORDER BY id")]


def _points(rows: int) -> list[tuple[float, float]]:
    """Points in the city's disc and anywhere in the hromada (as the trees of the serving
    measurements), seeded: every row's position is valid."""
    urban = int(rows * URBAN_SHARE)
    with db.connect() as conn:
        return conn.execute(
            """
            WITH b AS (SELECT ST_Buffer(geom, -0.001) AS geom FROM layers_hromada
                       ORDER BY id LIMIT 1)
            SELECT ST_X(p.geom), ST_Y(p.geom) FROM (
              SELECT (ST_Dump(ST_GeneratePoints(ST_Intersection(b.geom, ST_Buffer(
                  ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography,
                  %(radius)s)::geometry), %(urban)s, 11))).geom FROM b
              UNION ALL
              SELECT (ST_Dump(ST_GeneratePoints(b.geom, %(rural)s, 12))).geom FROM b) p
            """,
            {
                "lon": CENTER[1],
                "lat": CENTER[0],
                "radius": URBAN_RADIUS_M,
                "urban": urban,
                "rural": rows - urban,
            },
        ).fetchall()


def make_geopackage(rows: int, directory: Path) -> Path:
    """A GeoPackage layer of ``rows`` tree points in the city (EPSG:4326), seeded."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"trees-{rows}.gpkg"
    species = _species()
    rng = random.Random(rows)  # noqa: S311 - test data, not secrets
    points = _points(rows)
    source = directory / f"trees-{rows}.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["lon", "lat", *COLUMNS])
        for n, (lon, lat) in enumerate(points):
            writer.writerow(
                [
                    f"{lon:.7f}",
                    f"{lat:.7f}",
                    rng.choice(species),
                    f"{rng.uniform(5, 25):.1f}".replace(".", ","),
                    f"{rng.uniform(2, 8):.1f}",
                    rng.randint(1950, 2024),
                    rng.choice(CONDITIONS),
                    f"INV-{n:07d}",
                    f"вул. Тестова, {rng.randint(1, 200)}",
                ]
            )
    # fmt: off
    subprocess.run(  # noqa: S603 - GDAL's own tool, our file names
        [OGR2OGR, "-f", "GPKG", str(target), str(source), "-nln", "trees", "-a_srs",
         "EPSG:4326", "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat",
         "-oo", "KEEP_GEOM_COLUMNS=NO", "-oo", "AUTODETECT_TYPE=YES"],
        check=True,
        capture_output=True,
    )
    # fmt: on
    source.unlink()
    return target


def limit(path: Path) -> dict:
    """``ogr2ogr -f PostgreSQL`` into a bare table (GDAL's COPY path and spatial index)."""
    pg = db.pg_facts()
    destination = (
        f"PG:host=127.0.0.1 port={pg['port']} dbname={db.DB_NAME} user={pg['user']} "
        f"password={pg['password']}"
    )
    started = time.perf_counter()
    # fmt: off
    subprocess.run(  # noqa: S603 - GDAL's own tool, our file names
        [OGR2OGR, "-f", "PostgreSQL", destination, str(path), "-nln", "bench_import_bare",
         "-lco", "GEOMETRY_NAME=geom", "-overwrite"],
        check=True,
        capture_output=True,
    )
    # fmt: on
    seconds = time.perf_counter() - started
    with db.connect() as conn:
        (count,) = conn.execute("SELECT count(*) FROM bench_import_bare").fetchone()
        conn.execute("DROP TABLE bench_import_bare")
    return {"seconds": round(seconds, 2), "rows": count}


def ours(path: Path) -> dict:
    """The product's import of the file in a process of its own: seconds per step, the rows
    written, and the process's peak resident memory (its own VmHWM)."""
    process = subprocess.Popen(  # noqa: S603 - our own module, our file name
        [sys.executable, "-m", "bench.import_run", str(path)],
        env=db.django_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    out = process.stdout.read()
    if process.wait():
        raise RuntimeError(f"bench.import_run exited with {process.returncode}")
    import json

    return json.loads(out.strip().splitlines()[-1])  # its peak memory measured by itself


def _empty_registry() -> None:
    """Remove what an earlier size imported (this throwaway database only)."""
    with db.connect() as conn:
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute(
            "DELETE FROM layers_changerequest WHERE import_job_id IS NOT NULL;"
            " DELETE FROM layers_importrow; DELETE FROM layers_importprogress;"
            " DELETE FROM layers_importjob;"
            " DELETE FROM layers_tree WHERE status = 'in_review';"
        )
    with db.connect(autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE layers_tree")


def measure(sizes: tuple[int, ...]) -> dict:
    """Each size: the limit, then ours, side by side, the registry emptied in between."""
    directory = VAR / "import-files"
    shutil.rmtree(directory, ignore_errors=True)  # made afresh: no file of an older generator
    block = {}
    for rows in sizes:
        path = make_geopackage(rows, directory)
        bare = limit(path)
        _empty_registry()
        mine = ours(path)
        if mine["committed"] != rows or bare["rows"] != rows:
            raise RuntimeError(f"import of {rows}: {mine['committed']} committed, {bare} bare")
        total = mine["check_s"] + mine["commit_s"]
        mine["ratio"] = round(total / bare["seconds"], 2)
        block[str(rows)] = {"file_mb": round(path.stat().st_size / 1e6, 1), "limit": bare, **mine}
        print(
            f"  import {rows:>7}: ogr2ogr {bare['seconds']:.1f} s; ours read+check "
            f"{mine['check_s']:.1f} s + commit {mine['commit_s']:.1f} s = {mine['ratio']}x, "
            f"peak {mine['peak_rss_mb']} MB",
            flush=True,
        )
        _empty_registry()
    return block
