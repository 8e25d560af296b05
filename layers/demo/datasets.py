"""Demo records of the registries defined as data, generated from their field definitions.

Values follow each field's type and limits; texts come from the ``examples`` of the field in
the registry's definition file, when it has them. The dates of a record rise in field order,
so "from", "to" and "deadline" come out in that order. Deterministic like every demo
generator: a random source per registry, ``uuid5`` public ids, upserted on them.
"""

import datetime
import decimal
import math
import random

from django.contrib.gis.geos import LineString, MultiPolygon

from layers.datasets.loader import demo_settings
from layers.demo import DEMO_SOURCE, DemoContext
from layers.demo.waste import STREETS
from layers.geometry import geometry_validate
from layers.models import Status
from layers.models.datasets import FieldType

DEFAULT_COUNT = 40
REFERENCE_DAY = datetime.date(2026, 6, 1)


def _geometry(registry, ctx: DemoContext, rng: random.Random):
    centre = ctx.random_point_m(rng, core_share=0.85)
    if registry.geometry_kind == "line":
        points, angle = [centre], rng.uniform(0, 2 * math.pi)
        for _ in range(rng.randint(1, 3)):
            angle += rng.uniform(-0.6, 0.6)
            step = rng.uniform(25, 120)
            last = points[-1]
            points.append(
                type(last)(
                    last.x + step * math.cos(angle), last.y + step * math.sin(angle), srid=last.srid
                )
            )
        geom_m = LineString(points, srid=centre.srid)
        if not ctx.inside(geom_m):
            geom_m = LineString(
                [centre, type(centre)(centre.x + 30, centre.y, srid=centre.srid)], srid=centre.srid
            )
    elif registry.geometry_kind == "polygon":
        geom_m = MultiPolygon(ctx.blob_m(rng, centre, rng.uniform(15, 70)), srid=centre.srid)
    else:
        geom_m = centre
    return geometry_validate(ctx.to_wgs84(geom_m), types=registry.geometry_types)


def _number(spec, rng: random.Random, low_default: float, high_default: float):
    low = float(spec.min_value) if spec.min_value is not None else low_default
    high = float(spec.max_value) if spec.max_value is not None else high_default
    if spec.type == FieldType.INTEGER:
        return rng.randint(math.ceil(low), math.floor(high))
    quantum = decimal.Decimal(1).scaleb(-spec.decimal_places)
    return str(decimal.Decimal(str(rng.uniform(low, high))).quantize(quantum))


def _value(spec, rng: random.Random, examples: list, state: dict, number: int, references: dict):
    kind = spec.type
    if kind in (
        FieldType.TEXT,
        FieldType.LONG_TEXT,
        FieldType.PHONE,
        FieldType.EMAIL,
        FieldType.URL,
    ):
        if examples:
            return rng.choice(examples)
        if kind == FieldType.PHONE:
            return f"+380 382 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        if kind == FieldType.EMAIL:
            return f"demo{number}@example.org"
        if kind == FieldType.URL:
            return f"https://example.org/{spec.name}/{number}"
        return f"{spec.label_uk} {number}"[: spec.max_length or 300]
    if kind == FieldType.INTEGER:
        if "year" in spec.name:
            return _number(spec, rng, 1970, 2026)
        return _number(spec, rng, 0, 100)
    if kind == FieldType.DECIMAL:
        return _number(spec, rng, 0, 1000)
    if kind == FieldType.BOOLEAN:
        return rng.random() < 0.5
    if kind == FieldType.DATE:
        # Each date of a record after the one before it (from, to, deadline).
        start = state.get("date") or REFERENCE_DAY - datetime.timedelta(days=rng.randint(0, 720))
        day = start + datetime.timedelta(days=rng.randint(1, 60)) if "date" in state else start
        state["date"] = day
        return day.isoformat()
    if kind == FieldType.CHOICE:
        return rng.choice(spec.choices).value if spec.choices else None
    if kind == FieldType.MULTIPLE_CHOICE:
        if not spec.choices:
            return None
        picked = rng.sample(spec.choices, rng.randint(1, min(3, len(spec.choices))))
        return [choice.value for choice in spec.choices if choice in picked]
    if kind == FieldType.REFERENCE:
        targets = references.get(spec.reference_registry) or []
        return rng.choice(targets) if targets else None
    return None


def _references(registry) -> dict[str, list[str]]:
    from layers.registry import registry_get

    found = {}
    for spec in registry.specs:
        if spec.type == FieldType.REFERENCE and spec.reference_registry not in found:
            try:
                target = registry_get(spec.reference_registry)
            except KeyError:
                continue
            ids = target.objects().order_by("id").values_list("public_id", flat=True)[:500]
            found[spec.reference_registry] = [str(i) for i in ids]
    return found


def generate_for(registry, ctx: DemoContext) -> dict[str, int]:
    """Upsert the demo records of one data-defined registry."""
    settings = demo_settings(registry.id)
    count = ctx.counts.get(f"data:{registry.id}") or settings.get("count") or DEFAULT_COUNT
    examples = settings.get("examples", {})
    rng = ctx.rng_for(f"data:{registry.id}")
    references = _references(registry)
    kept = []
    for number in range(1, count + 1):
        public_id = ctx.public_id(registry.id, number)
        state: dict = {}
        values = {}
        for spec in registry.specs:
            if not spec.required and rng.random() < 0.1:
                continue  # some fields are left empty, as in real registers
            value = _value(spec, rng, examples.get(spec.name, []), state, number, references)
            if value is not None:
                values[spec.key] = value
        record = registry.objects().filter(public_id=public_id).first() or registry.new_record(
            public_id=public_id
        )
        record.geom = _geometry(registry, ctx, rng)
        record.name = f"{registry.title_uk} №{number}"
        record.address = f"{rng.choice(STREETS)}, {rng.randint(1, 120)}"
        record.status = Status.PUBLISHED
        record.source = DEMO_SOURCE
        record.values = values
        record.full_clean()
        record.save()
        kept.append(record.pk)
    registry.objects().filter(source=DEMO_SOURCE).exclude(pk__in=kept).delete()
    return {f"{registry.id} records": count}
