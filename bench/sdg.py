"""The SDG indicators computed live (``BENCH_ONLY=sdg``, and a line of the full run): every
shipped computed indicator, per settlement and per breakdown value included, on the bench's
database at its tree sizes.

Host side (``prepare``, ``measure``) and Django side (``python -m bench.sdg seed|time``, run
in the benchmark database's environment as ``bench.dataset`` is):

- ``seed``: the hromada's settlements (``load_settlements``), the shipped indicators
  (``load_indicators``) and, besides the bench's trees and green areas, the records the other
  indicators read: waste sites with containers, accessible objects (a third assessed),
  heritage objects and protection zones, placed as the trees are (mostly in the city).
- ``time``: each computed indicator through ``sdg.compute.indicator_compute`` (the function
  the pages call; its cache is bypassed), once cold and then ``REPEATS`` times; the median
  of the totals is the figure.
"""

import json
import statistics
import sys
import time

from bench import data

REPEATS = 5
SEED = {"waste": 600, "accessibility": 900, "heritage": 300, "zones": 120}


def prepare() -> None:
    data.manage("load_settlements", "-v", "0")
    data.manage("load_indicators", "-v", "0")
    out = data._django_json("bench.sdg", "seed")
    print(f"SDG: {out}", flush=True)


def measure() -> dict:
    """The live computation's times on the database as it is now (seconds)."""
    return data._django_json("bench.sdg", "time")


def _points(n: int, seed: int):
    """``n`` published-looking points: 70 % within 4 km of the centre, the rest anywhere in
    the hromada (as the bench's trees are placed)."""
    from django.db import connection

    from bench.config import CENTER, URBAN_RADIUS_M

    urban = int(n * 0.7)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH b AS (SELECT geom FROM layers_hromada ORDER BY id LIMIT 1) "
            "SELECT ST_AsText((ST_Dump(ST_GeneratePoints(ST_Intersection(b.geom, ST_Buffer("
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)::geometry), %s, %s))).geom)"
            " FROM b UNION ALL SELECT ST_AsText((ST_Dump(ST_GeneratePoints(b.geom, %s, %s))).geom)"
            " FROM b",
            [CENTER[1], CENTER[0], URBAN_RADIUS_M, urban, seed, n - urban, seed + 1],
        )
        return [row[0] for row in cursor.fetchall()]


def seed() -> dict:
    import datetime
    import random

    import django

    django.setup()
    from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
    from django.db import transaction

    from layers.models import AccessibleObject, HeritageObject, ProtectionZone, WasteSite
    from layers.models.waste import Container
    from layers.projection import in_metres, in_wgs84

    rng = random.Random(18)  # noqa: S311 - deterministic demo data, not secrets
    fractions = ["mixed", "plastic", "glass", "paper", "metal", "batteries", "textiles"]
    kinds = ["container_site", "separate_collection", "recycling_reception", "hazardous"]
    categories = ["health_care", "education", "culture", "administrative_services", "sport"]
    conditions = ["good", "satisfactory", "unsatisfactory", "emergency", "ruined"]
    with transaction.atomic():
        if WasteSite.objects.exists():
            return {"seeded": 0}
        sites = WasteSite.objects.bulk_create(
            WasteSite(
                geom=GEOSGeometry(p, srid=4326),
                name=f"Майданчик {i}",
                status="published",
                kind=rng.choice(kinds),
            )
            for i, p in enumerate(_points(SEED["waste"], 11))
        )
        Container.objects.bulk_create(
            Container(site=site, fraction=fraction, volume_l=1100)
            for site in sites
            for fraction in rng.sample(fractions, rng.randint(1, 4))
        )
        AccessibleObject.objects.bulk_create(
            AccessibleObject(
                geom=GEOSGeometry(p, srid=4326),
                name=f"Заклад {i}",
                status="published",
                category=rng.choice(categories),
                traffic_light=rng.choice(["green", "yellow", "red"]) if i % 3 == 0 else "grey",
                last_assessed_on=datetime.date(2025, 6, 1) if i % 3 == 0 else None,
            )
            for i, p in enumerate(_points(SEED["accessibility"], 13))
        )
        heritage = HeritageObject.objects.bulk_create(
            HeritageObject(
                geom=GEOSGeometry(p, srid=4326),
                name=f"Пам'ятка {i}",
                status="published",
                types=["architecture"],
                significance="local",
                condition=rng.choice(conditions),
            )
            for i, p in enumerate(_points(SEED["heritage"], 17))
        )
        for obj in heritage[: SEED["zones"]]:
            zone = in_wgs84(in_metres(obj.geom).buffer(40, quadsegs=4))
            ProtectionZone.objects.create(
                geom=MultiPolygon(zone, srid=4326),
                name=f"Охоронна зона {obj.name}",
                status="published",
                decision_date=datetime.date(2015, 1, 1) if obj.pk % 2 else None,
            )
    return {
        "waste_sites": len(sites),
        "accessible_objects": SEED["accessibility"],
        "heritage": len(heritage),
        "zones": SEED["zones"],
    }


def timed() -> dict:
    import django

    django.setup()
    from django.db import connection

    from layers.models import Tree
    from sdg.compute import indicator_compute
    from sdg.models import Indicator, IndicatorKind

    indicators = list(Indicator.objects.filter(kind=IndicatorKind.COMPUTED))

    def run_all() -> tuple[float, dict]:
        each = {}
        for indicator in indicators:
            started = time.perf_counter()
            result = indicator_compute(indicator)
            each[indicator.code] = (time.perf_counter() - started, result)
        return sum(t for t, _r in each.values()), each

    connection.ensure_connection()
    cold, _ = run_all()
    totals, per = [], {}
    for _ in range(REPEATS):
        total, each = run_all()
        totals.append(total)
        for code, (seconds, _result) in each.items():
            per.setdefault(code, []).append(seconds)
    _t, last = run_all()
    return {
        "trees": Tree.objects.count(),
        "indicators": len(indicators),
        "cold_s": round(cold, 3),
        "total_median_s": round(statistics.median(totals), 3),
        "total_max_s": round(max(totals), 3),
        "per_indicator_median_s": {c: round(statistics.median(t), 3) for c, t in per.items()},
        "areas": {code: len(result.figures.by_area) for code, (_s, result) in last.items()},
        "breakdown_values": {code: len(r.by_breakdown) for code, (_s, r) in last.items()},
        "values": {code: result.value for code, (_s, result) in last.items()},
    }


if __name__ == "__main__":
    command = sys.argv[1]
    out = seed() if command == "seed" else timed()
    sys.stdout.write(json.dumps(out))
