# Ukrainian text: its one-letter words (year, village abbreviations) are Cyrillic on purpose.
"""Demo heritage objects and protection zones of Khmelnytskyi (historically Проскурів).

Most objects stand in the old centre around вул. Проскурівська; archaeological sites lie in
the outer villages and are marked ``location_sensitive``. Zones are drawn around groups of
central objects and linked to the objects they cover.
"""

import datetime
import math
import random

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

from layers.demo import DEMO_SOURCE, DemoContext
from layers.geometry import geometry_validate
from layers.models import Status
from layers.models.heritage import (
    HeritageCondition,
    HeritageObject,
    HeritageType,
    ProtectionZone,
    ProtectionZoneKind,
    Significance,
)

REGISTRY = "heritage"
ZONE_REGISTRY = "protection-zones"
CITY_COUNCIL = "Хмельницька міська рада"
OBLAST_ADMINISTRATION = "Хмельницька обласна державна адміністрація"
MINISTRY = "Міністерство культури України"

# (for addresses, for names: "Будинок по вул. Проскурівській")
STREETS = (
    ("вул. Проскурівська", "вул. Проскурівській"),
    ("вул. Кам'янецька", "вул. Кам'янецькій"),
    ("вул. Соборна", "вул. Соборній"),
    ("вул. Подільська", "вул. Подільській"),
    ("вул. Шевченка", "вул. Шевченка"),
    ("вул. Володимирська", "вул. Володимирській"),
    ("вул. Пушкіна", "вул. Пушкіна"),
    ("вул. Героїв Майдану", "вул. Героїв Майдану"),
    ("вул. Грушевського", "вул. Грушевського"),
    ("вул. Староміська", "вул. Староміській"),
    ("вул. Зарічанська", "вул. Зарічанській"),
    ("вул. Свободи", "вул. Свободи"),
    ("вул. Театральна", "вул. Театральній"),
    ("вул. Козацька", "вул. Козацькій"),
)
VILLAGES = (
    "Олешин",
    "Іванківці",
    "Мацьківці",
    "Лезневе",
    "Шаровечка",
    "Масівці",
    "Пирогівці",
    "Бахматівці",
    "Давидківці",
    "Ружичанка",
)
# (name, types, significance, dating, year_from, year_to, footprint?) - the named landmarks.
LANDMARKS = (
    (
        "Свято-Покровська церква",
        [HeritageType.ARCHITECTURE, HeritageType.HISTORY],
        Significance.LOCAL,
        "1838 р.",
        1838,
        1838,
        True,
    ),
    (
        "Будівля Хмельницького обласного музично-драматичного театру",
        [HeritageType.ARCHITECTURE, HeritageType.HISTORY],
        Significance.LOCAL,
        "1950-ті рр.",
        1950,
        1959,
        True,
    ),
    (
        "Будівля колишньої Проскурівської чоловічої гімназії",
        [HeritageType.ARCHITECTURE, HeritageType.HISTORY],
        Significance.LOCAL,
        "1906–1910 рр.",
        1906,
        1910,
        True,
    ),
    (
        "Будинок Проскурівської міської думи",
        [HeritageType.ARCHITECTURE, HeritageType.HISTORY],
        Significance.LOCAL,
        "кінець XIX ст.",
        1880,
        1900,
        True,
    ),
    (
        "Будівля колишнього готелю «Бристоль»",
        [HeritageType.ARCHITECTURE],
        Significance.LOCAL,
        "початок XX ст.",
        1900,
        1915,
        True,
    ),
    (
        "Пам'ятник Тарасові Шевченку",
        [HeritageType.MONUMENTAL_ART, HeritageType.HISTORY],
        Significance.LOCAL,
        "1969 р.",
        1969,
        1969,
        False,
    ),
    (
        "Пам'ятник Богданові Хмельницькому",
        [HeritageType.MONUMENTAL_ART],
        Significance.LOCAL,
        "1954 р.",
        1954,
        1954,
        False,
    ),
    (
        "Водонапірна башта",
        [HeritageType.SCIENCE_TECHNOLOGY, HeritageType.ARCHITECTURE],
        Significance.LOCAL,
        "1914 р.",
        1914,
        1914,
        False,
    ),
    (
        "Будівля залізничного вокзалу станції Проскурів",
        [HeritageType.ARCHITECTURE, HeritageType.SCIENCE_TECHNOLOGY, HeritageType.HISTORY],
        Significance.LOCAL,
        "1950-ті рр.",
        1950,
        1955,
        True,
    ),
    (
        "Історична забудова вул. Проскурівської",
        [HeritageType.URBAN_PLANNING, HeritageType.ARCHITECTURE],
        Significance.LOCAL,
        "кінець XIX – початок XX ст.",
        1880,
        1914,
        True,
    ),
    (
        "Братська могила радянських воїнів",
        [HeritageType.HISTORY],
        Significance.LOCAL,
        "1944 р.",
        1944,
        1944,
        False,
    ),
    (
        "Меморіал пам'яті загиблих у російсько-українській війні",
        [HeritageType.HISTORY, HeritageType.MONUMENTAL_ART],
        Significance.NEWLY_IDENTIFIED,
        "2015 р.",
        2015,
        2015,
        False,
    ),
)
BUILDING_PURPOSES = (
    "Житловий будинок",
    "Прибутковий будинок",
    "Будинок купця",
    "Садиба",
    "Будівля колишнього банку",
    "Будівля колишньої аптеки",
    "Будівля колишнього училища",
    "Будівля колишньої синагоги",
    "Будівля колишньої пошти",
)
DATINGS = (
    ("кінець XIX ст.", 1880, 1900),
    ("початок XX ст.", 1900, 1915),
    ("1900-ті рр.", 1900, 1909),
    ("1910-ті рр.", 1910, 1919),
    ("друга половина XIX ст.", 1850, 1900),
    ("1890-ті рр.", 1890, 1899),
    ("1920-ті рр.", 1920, 1929),
)
MEMORIALS = (
    ("Пам'ятний знак на честь", "воїнів-визволителів", "1967 р.", 1967),
    ("Меморіальна дошка", "на будинку, де жив письменник", "1980-ті рр.", 1980),
    ("Пам'ятник", "жертвам Голодомору", "2008 р.", 2008),
    ("Пам'ятний знак", "ліквідаторам аварії на ЧАЕС", "1996 р.", 1996),
    ("Могила", "учасника національно-визвольних змагань 1917–1921 рр.", "1921 р.", 1921),
)
ARCHAEOLOGY = (
    ("Поселення трипільської культури", "IV тис. до н. е.", -4000, -3001),
    ("Поселення черняхівської культури", "III–IV ст. н. е.", 200, 400),
    ("Курганний могильник", "епоха бронзи", -2500, -1000),
    ("Давньоруське городище", "X–XIII ст.", 900, 1240),
    ("Поселення культури Лука-Райковецька", "VIII–X ст.", 700, 1000),
    ("Стоянка доби пізнього палеоліту", "пізній палеоліт", -30000, -10000),
)
CONDITIONS = (
    (HeritageCondition.GOOD, 30),
    (HeritageCondition.SATISFACTORY, 45),
    (HeritageCondition.UNSATISFACTORY, 17),
    (HeritageCondition.EMERGENCY, 6),
    (HeritageCondition.RUINED, 2),
)
ZONE_KINDS = (
    (ProtectionZoneKind.PROTECTION, 8),
    (ProtectionZoneKind.REGULATED_BUILDING, 3),
    (ProtectionZoneKind.PROTECTED_LANDSCAPE, 2),
    (ProtectionZoneKind.CULTURAL_LAYER, 2),
)
# Demo content is Ukrainian whatever the active language (labels would be translated).
ZONE_NAMES = {
    ProtectionZoneKind.PROTECTION: "Охоронна зона",
    ProtectionZoneKind.REGULATED_BUILDING: "Зона регулювання забудови",
    ProtectionZoneKind.PROTECTED_LANDSCAPE: "Зона охоронюваного ландшафту",
    ProtectionZoneKind.CULTURAL_LAYER: "Зона охорони культурного шару старого Проскурова",
}
OLD_CENTRE_RADIUS_M = 1300
OBJECT_FIELDS = [
    "geom",
    "name",
    "address",
    "status",
    "source",
    "protection_number",
    "types",
    "significance",
    "dating",
    "year_from",
    "year_to",
    "listing_body",
    "listing_date",
    "listing_number",
    "condition",
    "owner",
    "user",
    "description",
    "location_sensitive",
]
ZONE_FIELDS = [
    "geom",
    "name",
    "address",
    "status",
    "source",
    "kind",
    "decision_body",
    "decision_date",
    "decision_number",
]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _centre_point(ctx: DemoContext, rng: random.Random) -> Point:
    """A point in the old centre (a disc around the map centre), inside the hromada."""
    while True:
        angle = rng.uniform(0, 2 * math.pi)
        r = OLD_CENTRE_RADIUS_M * math.sqrt(rng.random())
        p = Point(
            ctx.centre_m.x + r * math.cos(angle),
            ctx.centre_m.y + r * math.sin(angle),
            srid=ctx.centre_m.srid,
        )
        if ctx.inside(p):
            return p


def _outer_point(ctx: DemoContext, rng: random.Random) -> Point:
    """A point in the hromada outside the urban core: the villages' fields."""
    while True:
        p = ctx.random_point_m(rng, core_share=0.0)
        if p.distance(ctx.centre_m) > 4500:
            return p


def _footprint(rng: random.Random, centre: Point) -> Polygon:
    """A rotated rectangle of a building's size around ``centre``."""
    w, d = rng.uniform(12, 30), rng.uniform(10, 20)
    a = rng.uniform(0, math.pi)
    cos, sin = math.cos(a), math.sin(a)
    corners = [(-w / 2, -d / 2), (w / 2, -d / 2), (w / 2, d / 2), (-w / 2, d / 2)]
    ring = [(centre.x + x * cos - y * sin, centre.y + x * sin + y * cos) for x, y in corners]
    ring.append(ring[0])
    return Polygon(ring, srid=centre.srid)


def _listing(rng: random.Random, significance: str, number: int) -> dict:
    if significance == Significance.NEWLY_IDENTIFIED:
        return {
            "protection_number": "",
            "listing_body": "Управління культури Хмельницької ОДА",
            "listing_date": datetime.date(rng.randint(2010, 2024), rng.randint(1, 12), 1),
            "listing_number": f"{rng.randint(10, 400)}-н",
        }
    if significance == Significance.NATIONAL:
        return {
            "protection_number": f"{220000 + number}-Н",
            "listing_body": "Кабінет Міністрів України",
            "listing_date": datetime.date(rng.choice((1963, 1979, 2001, 2009)), 9, 10),
            "listing_number": str(rng.randint(100, 1800)),
        }
    year = rng.choice((1970, 1983, 1990, 2008, 2012, 2019, 2021))
    return {
        "protection_number": f"{number}-Хм",
        "listing_body": OBLAST_ADMINISTRATION if year < 2010 else MINISTRY,
        "listing_date": datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        "listing_number": str(rng.randint(10, 900)),
    }


def _object(ctx: DemoContext, rng: random.Random, i: int) -> HeritageObject:
    kind = "landmark" if i < len(LANDMARKS) else None
    if kind is None:
        kind = rng.choices(("building", "memorial", "archaeology"), weights=(65, 20, 15))[0]
    sensitive = False
    street, street_locative = rng.choice(STREETS)
    number = rng.randint(1, 120)
    address = f"{street}, {number}"
    if kind == "landmark":
        name, types, significance, dating, y0, y1, footprint = LANDMARKS[i]
        centre = _centre_point(ctx, rng)
        geom_m = _footprint(rng, centre) if footprint else centre
        if "вул. Проскурівської" in name:
            address = "вул. Проскурівська"
        description = "Одна з визначних пам'яток історичного центру колишнього Проскурова."
    elif kind == "building":
        purpose = rng.choice(BUILDING_PURPOSES)
        name = f"{purpose} по {street_locative}, {number}"
        types = [HeritageType.ARCHITECTURE]
        if rng.random() < 0.35:
            types.append(HeritageType.HISTORY)
        significance = _weighted(
            rng,
            (
                (Significance.LOCAL, 80),
                (Significance.NEWLY_IDENTIFIED, 17),
                (Significance.NATIONAL, 3),
            ),
        )
        dating, y0, y1 = rng.choice(DATINGS)
        centre = _centre_point(ctx, rng)
        geom_m = _footprint(rng, centre) if rng.random() < 0.5 else centre
        description = (
            "Цегляна будівля з декоративним оздобленням фасаду, типова для забудови Проскурова."
        )
    elif kind == "memorial":
        prefix, subject, dating, y0 = rng.choice(MEMORIALS)
        y1 = y0 + 9 if dating.endswith("ті рр.") else y0
        name = f"{prefix} {subject}"
        types = [HeritageType.HISTORY]
        if prefix.startswith("Пам'ятник"):
            types.append(HeritageType.MONUMENTAL_ART)
        significance = _weighted(
            rng, ((Significance.LOCAL, 85), (Significance.NEWLY_IDENTIFIED, 15))
        )
        geom_m = _centre_point(ctx, rng) if rng.random() < 0.7 else _outer_point(ctx, rng)
        description = ""
    else:
        site, dating, y0, y1 = rng.choice(ARCHAEOLOGY)
        village = rng.choice(VILLAGES)
        name = f"{site} біля с. {village}"
        types = [HeritageType.ARCHAEOLOGY]
        significance = _weighted(
            rng, ((Significance.LOCAL, 70), (Significance.NEWLY_IDENTIFIED, 30))
        )
        geom_m = ctx.blob_m(rng, _outer_point(ctx, rng), rng.uniform(40, 150), vertices=10)
        address = f"с. {village}, за межами населеного пункту"
        sensitive = True
        description = (
            "Виявлено під час археологічних розвідок; точне місце розташування не публікується."
        )
    if not ctx.inside(geom_m):
        geom_m = geom_m.centroid if ctx.inside(geom_m.centroid) else _centre_point(ctx, rng)
    geom = geometry_validate(ctx.to_wgs84(geom_m), types=HeritageObject.GEOMETRY_TYPES)
    obj = HeritageObject(
        public_id=ctx.public_id(REGISTRY, i),
        geom=geom,
        name=name,
        address=address,
        status=Status.DRAFT if i % 29 == 28 else Status.PUBLISHED,
        source=DEMO_SOURCE,
        types=[str(t) for t in types],
        significance=str(significance),
        dating=dating,
        year_from=y0,
        year_to=y1,
        condition=str(_weighted(rng, CONDITIONS)),
        owner=(
            "Територіальна громада м. Хмельницького" if rng.random() < 0.6 else "Приватна власність"
        )
        if kind != "archaeology"
        else "Державна власність",
        user=""
        if rng.random() < 0.7
        else "Управління культури і туризму Хмельницької міської ради",
        description=description,
        location_sensitive=sensitive,
        **_listing(rng, str(significance), 100 + i),
    )
    obj.full_clean(validate_unique=False, validate_constraints=False)
    return obj


def _zone(ctx: DemoContext, rng: random.Random, j: int, anchor: HeritageObject) -> ProtectionZone:
    centre = anchor.geom.transform(ctx.boundary_m.srid, clone=True).centroid
    polygon = ctx.blob_m(rng, centre, rng.uniform(120, 320), vertices=14)
    if not ctx.inside(polygon):
        polygon = polygon.intersection(ctx.inner_m)
    kind = _weighted(rng, ZONE_KINDS)
    geom = ctx.to_wgs84(polygon)
    if geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=4326)
    geom = geometry_validate(geom, types=ProtectionZone.GEOMETRY_TYPES)
    year = rng.choice((2012, 2016, 2019, 2022))
    zone = ProtectionZone(
        public_id=ctx.public_id(ZONE_REGISTRY, j),
        geom=geom,
        name=(
            ZONE_NAMES[kind]
            if kind == ProtectionZoneKind.CULTURAL_LAYER
            else f"{ZONE_NAMES[kind]}: {anchor.name}"
        )[:300],
        status=Status.PUBLISHED,
        source=DEMO_SOURCE,
        kind=str(kind),
        decision_body=CITY_COUNCIL if kind != ProtectionZoneKind.CULTURAL_LAYER else MINISTRY,
        decision_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        decision_number=f"{rng.randint(1, 60)}/{rng.randint(1, 20)}",
    )
    zone.full_clean(validate_unique=False, validate_constraints=False)
    return zone


def _sync_links(zones: list[ProtectionZone], wanted: set[tuple[int, int]]) -> None:
    """Make the zone-object links of the demo zones exactly ``wanted``, touching nothing
    when they already are."""
    through = ProtectionZone.heritage_objects.through
    zone_ids = [z.pk for z in zones]
    existing = set(
        through.objects.filter(protectionzone_id__in=zone_ids).values_list(
            "protectionzone_id", "heritageobject_id"
        )
    )
    stale = existing - wanted
    if stale:
        for zone_id, object_id in stale:
            through.objects.filter(protectionzone_id=zone_id, heritageobject_id=object_id).delete()
    through.objects.bulk_create(
        [through(protectionzone_id=z, heritageobject_id=o) for z, o in sorted(wanted - existing)]
    )


def _upsert(model, records, fields):
    model.objects.bulk_create(
        records, update_conflicts=True, unique_fields=["public_id"], update_fields=fields
    )
    ids = dict(
        model.objects.filter(public_id__in=[r.public_id for r in records]).values_list(
            "public_id", "pk"
        )
    )
    for record in records:
        record.pk = ids[record.public_id]
    # Demo records beyond this run's count (an earlier, larger run) are removed.
    model.objects.filter(source=DEMO_SOURCE).exclude(pk__in=ids.values()).delete()


def generate(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng_for("heritage")
    objects = [_object(ctx, rng, i) for i in range(ctx.counts.get("heritage_objects", 120))]
    _upsert(HeritageObject, objects, OBJECT_FIELDS)

    # Zones around groups of published, non-sensitive objects in the centre.
    candidates = [o for o in objects if not o.location_sensitive and o.status == Status.PUBLISHED]
    zones: list[ProtectionZone] = []
    wanted: set[tuple[int, int]] = set()
    zone_rng = ctx.rng_for("protection-zones")
    zone_count = min(ctx.counts.get("protection_zones", 15), len(candidates))
    for j in range(zone_count):
        anchor = candidates[j * len(candidates) // zone_count]
        zones.append(_zone(ctx, zone_rng, j, anchor))
    if zones:
        _upsert(ProtectionZone, zones, ZONE_FIELDS)
    else:
        ProtectionZone.objects.filter(source=DEMO_SOURCE).delete()
    for zone in zones:
        area: GEOSGeometry = zone.geom
        covered = [o.pk for o in candidates if area.intersects(o.geom)]
        wanted.update((zone.pk, pk) for pk in covered)
    _sync_links(zones, wanted)
    return {"heritage objects": len(objects), "protection zones": len(zones)}
