"""Demo waste sites of Khmelnytskyi with their containers and collection days.

Most sites are courtyard container sites with mixed-waste bins, many with plastic and glass
beside them; a few are recycling reception points, battery and lamp points, bulky-waste
points, a library of things and repair points.
"""

import random

from layers.demo import DEMO_SOURCE, DemoContext
from layers.geometry import geometry_validate
from layers.models import Status
from layers.models.waste import (
    Container,
    Fraction,
    WasteSite,
    WasteSiteKind,
    default_waste_operator,
)

REGISTRY = "waste-sites"
SITE_FIELDS = ["geom", "name", "address", "status", "source", "kind", "operator", "opening_hours"]
KINDS = (
    (WasteSiteKind.CONTAINER_SITE, 700),
    (WasteSiteKind.SEPARATE_COLLECTION, 200),
    (WasteSiteKind.RECYCLING_RECEPTION, 40),
    (WasteSiteKind.HAZARDOUS, 30),
    (WasteSiteKind.BULKY, 15),
    (WasteSiteKind.LIBRARY_OF_THINGS, 4),
    (WasteSiteKind.REPAIR, 10),
)
NAMES = {
    WasteSiteKind.CONTAINER_SITE: "Контейнерний майданчик",
    WasteSiteKind.SEPARATE_COLLECTION: "Пункт роздільного збору",
    WasteSiteKind.RECYCLING_RECEPTION: "Пункт приймання вторсировини",
    WasteSiteKind.HAZARDOUS: "Пункт приймання батарейок і ламп",
    WasteSiteKind.BULKY: "Майданчик для великогабаритних відходів",
    WasteSiteKind.LIBRARY_OF_THINGS: "Бібліотека речей",
    WasteSiteKind.REPAIR: "Пункт ремонту «Полагодь, не викидай»",
}
STREETS = (
    "вул. Проскурівська",
    "вул. Кам'янецька",
    "вул. Подільська",
    "вул. Зарічанська",
    "вул. Степана Бандери",
    "вул. Інститутська",
    "вул. Прибузька",
    "вул. Пилипчука",
    "вул. Тернопільська",
    "вул. Свободи",
    "вул. Курчатова",
    "вул. Гетьмана Мазепи",
    "вул. Озерна",
    "вул. Панаса Мирного",
    "вул. Кармелюка",
    "вул. Трудова",
    "вул. Водопровідна",
    "вул. Старокостянтинівське шосе",
    "вул. Львівське шосе",
    "просп. Миру",
)
OPENING_HOURS = {
    WasteSiteKind.RECYCLING_RECEPTION: ("Mo-Fr 09:00-18:00; Sa 09:00-14:00", "Mo-Sa 08:00-17:00"),
    WasteSiteKind.HAZARDOUS: ("Mo-Fr 08:00-17:00", "Mo-Su 08:00-20:00"),
    WasteSiteKind.BULKY: ("Sa 09:00-15:00",),
    WasteSiteKind.LIBRARY_OF_THINGS: ("Tu-Sa 11:00-19:00",),
    WasteSiteKind.REPAIR: ("Mo-Fr 10:00-19:00; Sa 10:00-15:00",),
}
# Bins the utility actually sets out: (fraction, volume in litres).
MIXED_BINS = ((Fraction.MIXED, 1100), (Fraction.MIXED, 1100), (Fraction.MIXED, 240))
SEPARATE_BINS = (
    (Fraction.PLASTIC, 1100),
    (Fraction.PLASTIC, 2500),
    (Fraction.GLASS, 1500),
    (Fraction.PAPER, 1100),
    (Fraction.METAL, 240),
    (Fraction.ORGANIC, 240),
    (Fraction.TEXTILES, 2500),
)
DAY_PATTERNS = {
    Fraction.MIXED: ([1, 2, 3, 4, 5, 6, 7], [1, 3, 5], [2, 4, 6], [1, 2, 3, 4, 5, 6]),
    Fraction.ORGANIC: ([1, 4], [2, 5]),
}
SEPARATE_DAYS = ([2], [3], [4], [1, 4], [2, 5])


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _days(rng: random.Random, fraction: str) -> list[int]:
    if fraction in (Fraction.BATTERIES, Fraction.E_WASTE):
        return []  # collected on request when the box is full
    return list(rng.choice(DAY_PATTERNS.get(fraction, SEPARATE_DAYS)))


def _containers(rng: random.Random, kind: str) -> list[tuple[str, int, int]]:
    """(fraction, count, volume) rows for a site of ``kind``; 1 to 6 rows."""
    bins: list[tuple[str, int]]
    if kind == WasteSiteKind.CONTAINER_SITE:
        bins = [rng.choice(MIXED_BINS)]
        extra = rng.choices((0, 1, 2), weights=(40, 40, 20))[0]
        bins += rng.sample([(Fraction.PLASTIC, 1100), (Fraction.GLASS, 1500)], extra)
    elif kind == WasteSiteKind.SEPARATE_COLLECTION:
        bins = rng.sample(SEPARATE_BINS[:5], rng.randint(2, 4))
        if rng.random() < 0.5:
            bins.append(rng.choice(MIXED_BINS))
        if rng.random() < 0.15:
            bins.append((Fraction.TEXTILES, 2500))
    elif kind == WasteSiteKind.RECYCLING_RECEPTION:
        bins = [(Fraction.PAPER, 1100), (Fraction.PLASTIC, 1100), (Fraction.METAL, 1100)]
        bins += rng.sample([(Fraction.GLASS, 1500), (Fraction.E_WASTE, 660)], rng.randint(0, 2))
    elif kind == WasteSiteKind.HAZARDOUS:
        bins = [(Fraction.BATTERIES, 30)]
        if rng.random() < 0.6:
            bins.append((Fraction.E_WASTE, 240))
    elif kind == WasteSiteKind.BULKY:
        bins = [(Fraction.MIXED, 8000)]
    elif kind == WasteSiteKind.LIBRARY_OF_THINGS:
        bins = [(Fraction.TEXTILES, 660)]
    else:
        bins = [(Fraction.E_WASTE, 120), (Fraction.BATTERIES, 30)]
    rows, seen = [], set()
    for fraction, volume in bins:
        if (fraction, volume) in seen:
            continue
        seen.add((fraction, volume))
        count = rng.choices((1, 2, 3, 4), weights=(50, 30, 15, 5))[0] if volume >= 660 else 1
        rows.append((str(fraction), count, volume))
    return rows[:6]


def _site(ctx: DemoContext, rng: random.Random, i: int) -> tuple[WasteSite, list[Container]]:
    # The first sites take every kind once, so that even a small run shows each of them.
    kind = KINDS[i][0] if i < len(KINDS) else _weighted(rng, KINDS)
    point_m = ctx.random_point_m(rng, core_share=0.85)
    address = f"{rng.choice(STREETS)}, {rng.randint(1, 150)}"
    operator = default_waste_operator()
    if kind in (WasteSiteKind.RECYCLING_RECEPTION, WasteSiteKind.REPAIR) and rng.random() < 0.6:
        operator = "ФОП (демо-оператор)"
    elif kind == WasteSiteKind.LIBRARY_OF_THINGS:
        operator = "Громадська організація (демо-оператор)"
    site = WasteSite(
        public_id=ctx.public_id(REGISTRY, i),
        geom=geometry_validate(ctx.to_wgs84(point_m), types=WasteSite.GEOMETRY_TYPES),
        name=f"{NAMES[kind]}, {address}",
        address=address,
        status=Status.DRAFT if i % 97 == 96 else Status.PUBLISHED,
        source=DEMO_SOURCE,
        kind=str(kind),
        operator=operator,
        opening_hours=rng.choice(OPENING_HOURS.get(kind, ("",))),
    )
    site.full_clean(validate_unique=False, validate_constraints=False)
    containers = []
    for fraction, count, volume in _containers(rng, kind):
        container = Container(
            fraction=fraction, count=count, volume_l=volume, collection_days=_days(rng, fraction)
        )
        container.full_clean(exclude=["site"], validate_constraints=False)
        containers.append(container)
    return site, containers


def _key(container: Container) -> tuple:
    return (
        container.fraction,
        container.count,
        container.volume_l,
        tuple(container.collection_days),
    )


def generate(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng_for("waste")
    pairs = [_site(ctx, rng, i) for i in range(ctx.counts.get("waste_sites", 500))]
    sites = [site for site, _containers in pairs]
    WasteSite.objects.bulk_create(
        sites, update_conflicts=True, unique_fields=["public_id"], update_fields=SITE_FIELDS
    )
    ids = dict(
        WasteSite.objects.filter(public_id__in=[s.public_id for s in sites]).values_list(
            "public_id", "pk"
        )
    )
    # Demo sites beyond this run's count (an earlier, larger run) go, containers with them.
    WasteSite.objects.filter(source=DEMO_SOURCE).exclude(pk__in=ids.values()).delete()

    # Containers are replaced per site only where they differ, so a second run with the same
    # options leaves every row (ids included) as it was.
    existing: dict[int, list[tuple]] = {}
    for container in Container.objects.filter(site_id__in=ids.values()).order_by("id"):
        existing.setdefault(container.site_id, []).append(_key(container))
    stale, new = [], []
    for site, containers in pairs:
        site.pk = ids[site.public_id]
        if existing.get(site.pk, []) == [_key(c) for c in containers]:
            continue
        stale.append(site.pk)
        for container in containers:
            container.site_id = site.pk
            new.append(container)
    Container.objects.filter(site_id__in=stale).delete()
    Container.objects.bulk_create(new)
    total = sum(len(containers) for _site, containers in pairs)
    return {"waste sites": len(sites), "containers": total}
