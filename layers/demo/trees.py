"""Demo green plantings: green areas, street rows and park clusters of trees, their log.

Also loads the real protected natural sites of the hromada (not demo: their source names the
State Register of Geographic Names). Trees are made in metres, checked against the boundary
in bulk with shapely and written in batches, so --trees 500000 stays fast and small. What
is planted where (streets, parks, species mixes, ages) is data: ``data/demo/trees.toml``.
"""

# Ukrainian names and the botanical hybrid sign are meant, not look-alike Latin letters.

import bisect
import datetime
import itertools
import math
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from pyproj import Transformer

from layers.demo import DEMO_SOURCE, DemoContext
from layers.geometry import geometry_validate
from layers.hromada import hromada_profile
from layers.models.base import Status
from layers.models.trees import (
    GreenArea,
    GreenAreaKind,
    RecommendedAction,
    Species,
    Tree,
    TreeCondition,
    TreeEvent,
    TreeEventKind,
)
from layers.rules.trees import tree_is_hazardous
from layers.services.trees import protected_sites_load, species_seed

BATCH = 5000
# Ages are counted from a fixed year, not today, so the output never depends on the run date.
DATA_FILE = Path(settings.BASE_DIR) / "data" / "demo" / "trees.toml"

_TREE_UPDATE_FIELDS = [
    "name",
    "address",
    "status",
    "source",
    "notes",
    "geom",
    "species",
    "trunk_diameter_cm",
    "height_m",
    "crown_diameter_m",
    "planting_year",
    "condition",
    "recommended_action",
    "inventory_number",
    "balance_holder",
    "protected",
    "planted_on",
    "removed_on",
]
_AREA_UPDATE_FIELDS = [
    "name",
    "address",
    "status",
    "source",
    "notes",
    "geom",
    "kind",
    "balance_holder",
]
_EVENT_UPDATE_FIELDS = ["tree", "kind", "occurred_on", "description", "act_number"]


def _data() -> dict:
    with DATA_FILE.open("rb") as file:
        return tomllib.load(file)


# What the generator plants: data/demo/trees.toml (streets, parks, species mixes, ages).
_DATA = _data()
REFERENCE_YEAR = _DATA["reference_year"]
STREET_SHARE = _DATA["street_share"]
INVENTORY_PREFIX = _DATA["inventory_prefix"]
GREEN_AREAS: tuple[tuple[str, str], ...] = tuple(tuple(pair) for pair in _DATA["green_areas"])
STREETS = tuple(_DATA["streets"])
FRAIL = set(_DATA["frail"])
AREA_HOLDERS = _DATA["area_holders"]
STREET_DOMINANT = _DATA["street_dominant"]
STREET_FILL = _DATA["street_fill"]
AREA_MIX = _DATA["area_mix"]
AREA_DENSITY = _DATA["area_density"]
GROWTH_YEARS = _DATA["growth_years"]


def _decades(weights: dict) -> dict[int, int]:
    return {int(decade): weight for decade, weight in weights.items()}


STREET_DECADES = _decades(_DATA["street_decades"])
AREA_DECADES = {kind: _decades(weights) for kind, weights in _DATA["area_decades"].items()}
ACTIONS = _DATA["actions"]
CITY_HOLDER = _DATA["city_holder"]
K, C, A = GreenAreaKind, TreeCondition, RecommendedAction


class _Weighted:
    """A reusable weighted choice (random.choices rebuilds its table on every call)."""

    def __init__(self, weights: dict):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def __call__(self, rng: random.Random):
        pick = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_right(self.cumulative, pick)]


@dataclass
class _Site:
    """Where one tree will stand and the planting it belongs to."""

    x: float
    y: float
    species: str
    planting_year: int
    address: str
    holder: str


def _conditions(age: int, frail: bool) -> dict:
    if age < 10:
        weights = {C.GOOD: 60, C.SATISFACTORY: 30, C.UNSATISFACTORY: 7, C.HAZARDOUS: 1, C.DEAD: 2}
    elif age > 50:
        weights = {C.GOOD: 26, C.SATISFACTORY: 46, C.UNSATISFACTORY: 22, C.HAZARDOUS: 4, C.DEAD: 2}
    else:
        weights = {
            C.GOOD: 42,
            C.SATISFACTORY: 41,
            C.UNSATISFACTORY: 14,
            C.HAZARDOUS: 1.5,
            C.DEAD: 1,
        }
    if frail:
        weights[C.HAZARDOUS] *= 2
        weights[C.DEAD] *= 1.5
    return weights


_CONDITION_CHOICE = {
    (band, frail): _Weighted(_conditions(age, frail))
    for band, age in (("young", 5), ("middle", 30), ("old", 60))
    for frail in (False, True)
}
_ACTION_CHOICE = {condition: _Weighted(weights) for condition, weights in ACTIONS.items()}


def _decade_year(rng: random.Random, decades: _Weighted) -> int:
    return min(decades(rng) + rng.randrange(10), REFERENCE_YEAR - 1)


def _street_sites(
    ctx: DemoContext, rng: random.Random, inner: shapely.Geometry, count: int
) -> Iterator[_Site]:
    """Rows of trees on both sides of synthetic streets across the urban core: straight or
    gently curving lines, 6-10 m between trees, with gaps where trees are missing."""
    dominant, fill = _Weighted(STREET_DOMINANT), _Weighted(STREET_FILL)
    decades = _Weighted(STREET_DECADES)
    # The core's street grid runs roughly WSW-ENE and NNW-SSE.
    grid = 0.35
    made = 0
    while made < count:
        start = ctx.random_point_m(rng, core_share=0.9)
        heading = grid + rng.choice((0.0, math.pi / 2, math.pi, 3 * math.pi / 2))
        heading += rng.gauss(0, 0.12)
        bend = rng.uniform(-1, 1) * 0.0004 if rng.random() < 0.4 else 0.0  # rad per metre
        spacing = rng.uniform(6, 10)
        offset = rng.uniform(7, 15)  # half the carriageway plus the verge
        length = rng.uniform(300, 1800)
        species = dominant(rng)
        epoch = _decade_year(rng, decades)
        address = rng.choice(STREETS)
        x, y = start.x, start.y
        row = []
        for _step in range(int(length / spacing)):
            heading += bend * spacing + rng.gauss(0, 0.01)
            x += spacing * math.cos(heading)
            y += spacing * math.sin(heading)
            nx, ny = -math.sin(heading), math.cos(heading)
            for side in (1, -1):
                if rng.random() < 0.12:  # a gap: a tree removed and not replanted
                    continue
                across = side * (offset + rng.gauss(0, 0.3))
                along = rng.gauss(0, 0.4)
                if rng.random() < 0.8:
                    tree_species, year = species, epoch + rng.randint(-1, 1)
                else:  # a later replacement of a lost tree
                    tree_species = fill(rng)
                    year = rng.randint(min(epoch + 5, REFERENCE_YEAR - 1), REFERENCE_YEAR - 1)
                row.append(
                    _Site(
                        x + nx * across + math.cos(heading) * along,
                        y + ny * across + math.sin(heading) * along,
                        tree_species,
                        min(year, REFERENCE_YEAR - 1),
                        address,
                        CITY_HOLDER,
                    )
                )
        # A street that runs out of the hromada keeps only its trees inside.
        inside = shapely.contains_xy(inner, [s.x for s in row], [s.y for s in row])
        for site, ok in zip(row, inside, strict=True):
            if ok:
                yield site
                made += 1
                if made >= count:
                    return


def _area_sites(
    rng: random.Random, area: GreenArea, polygon_m: shapely.Geometry, count: int
) -> Iterator[_Site]:
    """Trees inside a green area: most in groves around a few centres, the rest scattered."""
    mix, decades = _Weighted(AREA_MIX[area.kind]), _Weighted(AREA_DECADES[area.kind])
    shapely.prepare(polygon_m)
    xmin, ymin, xmax, ymax = polygon_m.bounds

    def uniform_points(n: int) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        while len(points) < n:
            xs = [rng.uniform(xmin, xmax) for _ in range(2 * n + 8)]
            ys = [rng.uniform(ymin, ymax) for _ in range(2 * n + 8)]
            inside = shapely.contains_xy(polygon_m, xs, ys)
            points.extend((x, y) for x, y, ok in zip(xs, ys, inside, strict=True) if ok)
        return points[:n]

    grove_count = max(1, count // 40)
    groves = [
        (c, rng.uniform(6, 20), _decade_year(rng, decades)) for c in uniform_points(grove_count)
    ]
    made = 0
    while made < count:
        need = count - made
        candidates = []
        for _ in range(need * 2 + 8):
            if rng.random() < 0.65:
                (cx, cy), spread, year = rng.choice(groves)
                candidates.append((cx + rng.gauss(0, spread), cy + rng.gauss(0, spread), year))
            else:
                candidates.append(
                    (rng.uniform(xmin, xmax), rng.uniform(ymin, ymax), _decade_year(rng, decades))
                )
        inside = shapely.contains_xy(
            polygon_m, [c[0] for c in candidates], [c[1] for c in candidates]
        )
        for (x, y, year), ok in zip(candidates, inside, strict=True):
            if not ok:
                continue
            yield _Site(
                x,
                y,
                mix(rng),
                min(year + rng.randint(-2, 2), REFERENCE_YEAR - 1),
                area.name,
                area.balance_holder,
            )
            made += 1
            if made >= count:
                return


def _decimal(value: float, step: float) -> Decimal:
    return Decimal(str(round(round(value / step) * step, 1)))


def _tree_attributes(rng: random.Random, site: _Site, species: Species) -> dict:
    """Sizes consistent with the species' maxima and the age; condition and action."""
    age = max(REFERENCE_YEAR - site.planting_year, 1)
    growth = 1 - math.exp(-age / GROWTH_YEARS.get(species.latin_name, 35))
    max_h = float(species.max_height_m)
    height = max(1.0, min(max_h * rng.uniform(0.5, 0.8) * growth**0.8, max_h))
    diameter = None
    if height >= 1.5:  # measured at 1.3 m, so only once the tree is taller than that
        max_d = float(species.max_trunk_diameter_cm)
        diameter = _decimal(max(1.0, min(max_d * rng.uniform(0.25, 0.5) * growth, max_d)), 1)
    crown = None
    if species.max_crown_diameter_m is not None:
        max_c = float(species.max_crown_diameter_m)
        crown = _decimal(max(0.5, min(max_c * rng.uniform(0.45, 0.75) * growth**0.8, max_c)), 0.5)
    band = "young" if age < 10 else "old" if age > 50 else "middle"
    condition = _CONDITION_CHOICE[band, species.latin_name in FRAIL](rng)
    return {
        "height_m": _decimal(height, 0.5),
        "trunk_diameter_cm": diameter,
        "crown_diameter_m": crown,
        "condition": condition,
        "recommended_action": _ACTION_CHOICE[condition](rng),
    }


def _events(rng: random.Random, tree: Tree) -> list[tuple[str, datetime.date, str, str]]:
    """A plausible log: inspections, works, alerts and the removal act."""
    events = []

    def day(first: int, last: int) -> datetime.date:
        return datetime.date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))

    if tree.planted_on:
        events.append(
            (TreeEventKind.PLANTING, tree.planted_on, "Висаджено за програмою озеленення.", "")
        )
    if rng.random() < 0.12:
        when = day(2022, 2024)
        events.append(
            (
                TreeEventKind.INSPECTION,
                when,
                f"Плановий огляд: стан «{tree.get_condition_display()}».",
                f"АО-{when.year}/{rng.randint(1, 400):03d}",
            )
        )
    if tree_is_hazardous(tree.condition) and rng.random() < 0.4:
        when = day(2023, 2024)
        events.append(
            (
                TreeEventKind.CITIZEN_ALERT,
                when,
                "Звернення мешканця: дерево нахилене, є ризик падіння.",
                f"ЗВ-{when.year}/{rng.randint(1, 9000):04d}",
            )
        )
    if tree.recommended_action == A.SANITARY_PRUNING and rng.random() < 0.1:
        events.append((TreeEventKind.PRUNING, day(2021, 2024), "Санітарна обрізка крони.", ""))
    if tree.recommended_action == A.TREATMENT and rng.random() < 0.1:
        events.append(
            (TreeEventKind.TREATMENT, day(2022, 2024), "Лікування дупла, пломбування.", "")
        )
    if tree.removed_on:
        events.append(
            (
                TreeEventKind.REMOVAL_ACT,
                tree.removed_on,
                "Видалено за актом обстеження зелених насаджень.",
                f"АВ-{tree.removed_on.year}/{rng.randint(1, 300):03d}",
            )
        )
    return events


def _green_areas(ctx: DemoContext) -> list[tuple[GreenArea, shapely.Geometry]]:
    rng = ctx.rng_for("green-areas")
    placed: list[Polygon] = []
    result = []
    for i in range(ctx.counts.get("green_areas", 40)):
        if i < len(GREEN_AREAS):
            kind, name = GREEN_AREAS[i]
        else:
            kind, name = K.SQUARE, f"Сквер № {i + 1} ({STREETS[i % len(STREETS)]})"
        for _attempt in range(200):
            polygon = _area_shape(ctx, rng, kind, central=i == 0)
            if ctx.inside(polygon) and all(polygon.distance(p) > 20 for p in placed):
                break
        else:
            raise RuntimeError(f"no room for green area {name!r} inside the hromada")
        placed.append(polygon)
        area = GreenArea(
            public_id=ctx.public_id("green-areas", i),
            name=name,
            kind=kind,
            balance_holder=AREA_HOLDERS[kind],
            geom=MultiPolygon(ctx.to_wgs84(polygon), srid=4326),
            status=Status.PUBLISHED,
            source=DEMO_SOURCE,
        )
        area.full_clean(validate_unique=False, validate_constraints=False)
        result.append((area, shapely.from_wkb(bytes(polygon.wkb))))
    return result


def _area_shape(ctx: DemoContext, rng: random.Random, kind: str, *, central: bool) -> Polygon:
    if kind in (K.BOULEVARD, K.STREET_PLANTING):
        centre = ctx.random_point_m(rng, core_share=1.0)
        length = rng.uniform(300, 800) if kind == K.BOULEVARD else rng.uniform(250, 700)
        half_width = rng.uniform(12, 22) if kind == K.BOULEVARD else rng.uniform(4, 8)
        heading = 0.35 + rng.choice((0, math.pi / 2)) + rng.gauss(0, 0.1)
        bend = rng.gauss(0, 0.1)
        points = []
        for t in (-0.5, 0.0, 0.5):
            h = heading + bend * t
            points.append(
                (centre.x + t * length * math.cos(h), centre.y + t * length * math.sin(h))
            )
        axis = LineString(points, srid=centre.srid)
        return axis.buffer_with_style(half_width, quadsegs=2, end_cap_style=2)
    if kind == K.FOREST_PARK:
        centre = ctx.random_point_m(rng, core_share=0.2)
        return ctx.blob_m(rng, centre, rng.uniform(350, 600), vertices=24)
    if kind == K.PARK:
        centre = ctx.random_point_m(rng, core_share=0.95)
        radius = rng.uniform(280, 340) if central else rng.uniform(110, 260)
        return ctx.blob_m(rng, centre, radius, vertices=20)
    centre = ctx.random_point_m(rng, core_share=1.0)
    return ctx.blob_m(rng, centre, rng.uniform(25, 60), vertices=10)


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders), summing exactly."""
    if not weights or total <= 0:
        return [0] * len(weights)
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def generate(ctx: DemoContext) -> dict[str, int]:
    """Species, green areas, trees with their log, and the real protected sites."""
    species_count = species_seed()
    species = {s.latin_name: s for s in Species.objects.all()}

    areas = _green_areas(ctx)
    GreenArea.objects.bulk_create(
        [area for area, _ in areas],
        update_conflicts=True,
        unique_fields=["public_id"],
        update_fields=_AREA_UPDATE_FIELDS,
    )
    GreenArea.objects.filter(source=DEMO_SOURCE).exclude(
        public_id__in=[area.public_id for area, _ in areas]
    ).delete()
    # Area sizes straight from the database, where the area is derived.
    area_m2 = dict(
        GreenArea.objects.filter(public_id__in=[a.public_id for a, _ in areas]).values_list(
            "public_id", "area_m2"
        )
    )

    total = ctx.counts.get("trees", 20000)
    street_count = round(total * STREET_SHARE) if areas else total
    per_area = _allocate(
        total - street_count,
        [area_m2[a.public_id] * AREA_DENSITY[a.kind] for a, _ in areas],
    )
    rng = ctx.rng_for("trees")
    inner = shapely.from_wkb(bytes(ctx.inner_m.wkb))
    shapely.prepare(inner)
    sites = itertools.chain(
        _street_sites(ctx, rng, inner, street_count),
        *(
            _area_sites(rng, area, polygon, n)
            for (area, polygon), n in zip(areas, per_area, strict=True)
            if n
        ),
    )
    trees_made, events_made = _write_trees(ctx, rng, inner, sites, species)
    _prune_demo_trees(total)
    real = protected_sites_load()
    return {
        "species": species_count,
        "green areas": len(areas),
        "trees": trees_made,
        "tree events": events_made,
        "real protected trees": real["trees"],
        "real green areas": real["green_areas"],
    }


def _write_trees(
    ctx: DemoContext,
    rng: random.Random,
    inner: shapely.Geometry,
    sites: Iterator[_Site],
    species: dict[str, Species],
) -> tuple[int, int]:
    to_wgs = Transformer.from_crs(hromada_profile().projected_crs, "EPSG:4326", always_xy=True)
    number = 0
    event_number = 0
    while batch := list(itertools.islice(sites, BATCH)):
        xs, ys = [s.x for s in batch], [s.y for s in batch]
        # Every point is checked (cheaply) to lie inside the boundary less 100 m; one per
        # batch also goes through the full geometry validator.
        if not shapely.contains_xy(inner, xs, ys).all():
            raise RuntimeError("a generated tree lies outside the hromada")
        lons, lats = to_wgs.transform(xs, ys)
        trees = []
        for site, lon, lat in zip(batch, lons, lats, strict=True):
            kind = species[site.species]
            attrs = _tree_attributes(rng, site, kind)
            planted_on = None
            if site.planting_year >= 2010 and rng.random() < 0.6:
                planted_on = datetime.date(
                    site.planting_year, rng.choice((4, 10)), rng.randint(1, 28)
                )
            removed_on = None
            if (
                tree_is_hazardous(attrs["condition"])
                and site.planting_year < 2015
                and rng.random() < 0.2
            ):
                removed_on = datetime.date(rng.randint(2023, 2024), rng.randint(1, 12), 15)
                attrs["recommended_action"] = A.REPLANTING
            tree = Tree(
                public_id=ctx.public_id("trees", number),
                geom=Point(round(lon, 7), round(lat, 7), srid=4326),
                species=kind,
                planting_year=site.planting_year,
                planted_on=planted_on,
                removed_on=removed_on,
                inventory_number=f"{INVENTORY_PREFIX}{number + 1:07d}",
                address=site.address,
                balance_holder=site.holder,
                status=Status.PUBLISHED,
                source=DEMO_SOURCE,
                **attrs,
            )
            trees.append(tree)
            number += 1
        geometry_validate(trees[0].geom, types=Tree.GEOMETRY_TYPES)
        trees[0].full_clean(validate_unique=False, validate_constraints=False)
        Tree.objects.bulk_create(
            trees,
            update_conflicts=True,
            unique_fields=["public_id"],
            update_fields=_TREE_UPDATE_FIELDS,
        )
        events = []
        for tree in trees:
            for kind, when, description, act in _events(rng, tree):
                events.append(
                    TreeEvent(
                        public_id=ctx.public_id("tree-events", event_number),
                        tree_id=tree.pk,
                        kind=kind,
                        occurred_on=when,
                        description=description,
                        act_number=act,
                    )
                )
                event_number += 1
        TreeEvent.objects.bulk_create(
            events,
            update_conflicts=True,
            unique_fields=["public_id"],
            update_fields=_EVENT_UPDATE_FIELDS,
        )
    _prune_demo_events(ctx, event_number)
    return number, event_number


def _prune_demo_trees(total: int) -> None:
    """Remove demo trees left by an earlier run with a larger count: their inventory
    numbers, zero-padded, sort after the last one made now."""
    Tree.objects.filter(
        source=DEMO_SOURCE, inventory_number__gt=f"{INVENTORY_PREFIX}{total:07d}"
    ).delete()


def _prune_demo_events(ctx: DemoContext, count: int) -> None:
    keep = {ctx.public_id("tree-events", n) for n in range(count)}
    stale = [
        pk
        for pk, public_id in TreeEvent.objects.filter(tree__source=DEMO_SOURCE).values_list(
            "pk", "public_id"
        )
        if public_id not in keep
    ]
    for start in range(0, len(stale), BATCH):
        TreeEvent.objects.filter(pk__in=stale[start : start + BATCH]).delete()
