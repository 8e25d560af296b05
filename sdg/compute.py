"""The computation engine: an indicator's value for a year, for the whole hromada and for each
area (settlement or polygon of a registry), each breakdown value included, in SQL.

Every registry aggregate reads the registry's public queryset (published records, public
properties only, ``layers.selectors.public``) narrowed by the indicator's filter, wrapped in
one statement that gives the total and the per-area figures together (the OGC items wrap the
same SQL the same way). Distances and areas are measured on the spheroid (``geography``).

Values per resident are over the areas whose population is known: the total is the sum of
those areas' numerators over the sum of their residents, so a figure never divides the
records of one place by the residents of another.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Value
from django.db.models.functions import Cast

from layers.clock import current_year as hromada_year
from layers.selectors.public import registry_public_queryset
from layers.selectors.stamps import registry_stamp
from sdg.models import Settlement
from sdg.spec import Aggregate, Computation, Selection, computation_parse

TOTAL = ""  # the key of the whole hromada in per-area dictionaries


@dataclass
class Figures:
    """Numerator, denominator and value of one breakdown value, in total and per area."""

    value: float | None
    numerator: float | None
    denominator: float | None
    by_area: dict[str, dict] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "by_area": self.by_area,
        }


@dataclass
class Result:
    year: int
    figures: Figures
    by_breakdown: dict[str, Figures]
    stamps: dict[str, str]

    @property
    def value(self) -> float | None:
        return self.figures.value


# --- areas -----------------------------------------------------------------------------------


def _areas_sql(computation: Computation) -> tuple[str, list]:
    """``(k, geom, population, remainder)`` of each area."""
    if computation.areas == "settlements":
        table = Settlement._meta.db_table
        return f'SELECT "key" AS k, geom, population, remainder FROM "{table}"', []  # noqa: S608 - queryset SQL
    from layers.registry import public_registry_get

    queryset = (
        registry_public_queryset(public_registry_get(computation.areas))
        .order_by()
        .values(k=Cast("public_id", CharField()), area_geom=F("public_geom"))
    )
    sql, params = queryset.query.sql_with_params()
    return (
        f"SELECT a0.k, a0.area_geom AS geom, NULL::integer AS population, false AS remainder"  # noqa: S608 - queryset SQL
        f" FROM ({sql}) a0",
        list(params),
    )


@dataclass(frozen=True)
class Areas:
    """The areas' keys, residents (None: not known) and the remainder, if one is declared:
    the area that is, by construction, the rest of the hromada (the city: the boundary
    minus the villages), whose additive figures are the total minus the other areas'."""

    keys: tuple[str, ...]
    population: dict[str, float | None]
    remainder: str | None


def _areas(computation: Computation, cache: dict) -> Areas:
    if "areas" not in cache:
        a_sql, a_params = _areas_sql(computation)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH a AS ({a_sql}) SELECT a.k::text, a.population, a.remainder FROM a",  # noqa: S608 - queryset SQL
                a_params,
            )
            rows = cursor.fetchall()
        population = {key: (float(pop) if pop is not None else None) for key, pop, _r in rows}
        remainders = [key for key, _pop, remainder in rows if remainder]
        cache["areas"] = Areas(
            tuple(key for key, _p, _r in rows), population, remainders[0] if remainders else None
        )
    return cache["areas"]


def _selection_sql(
    computation: Computation, selection: Selection, year: int, breakdown: str, field_name=""
) -> tuple[str, list]:
    queryset = (
        registry_public_queryset(selection.registry)
        .filter(selection.q(year))
        .filter(computation.breakdown_q(selection.registry, breakdown))
        .order_by()
    )
    columns = {"g": F("public_geom")}
    if field_name:
        columns["v"] = F(field_name)
    sql, params = queryset.values(**columns).query.sql_with_params()
    return sql, list(params)


# What each registry aggregate adds up, over the whole layer and over its part in an area;
# ``{w}``: the aggregate's FILTER clause when two aggregates share one scan (or nothing).
_TOTAL_EXPR = {
    "count": "(count(*) {w})::float8",
    "sum": "coalesce(sum(t.v) {w}, 0)::float8",
    "area": "coalesce(sum(ST_Area(t.g::geography)) {w}, 0)::float8",
    "length": "coalesce(sum(ST_Length(t.g::geography)) {w}, 0)::float8",
}
_AREA_EXPR = {
    "count": "(count(*) {w})::float8",
    "sum": "coalesce(sum(t.v) {w}, 0)::float8",
    # A polygon wholly inside the area needs no intersection (most of them).
    "area": "coalesce(sum(ST_Area(CASE WHEN ST_CoveredBy(t.g, a.geom) THEN t.g"
    " ELSE ST_Intersection(t.g, a.geom) END::geography)) {w}, 0)::float8",
    "length": "coalesce(sum(ST_Length(ST_Intersection(t.g, a.geom)::geography)) {w}, 0)::float8",
}


# Degrees that surely hold a distance in metres at the hromada's latitudes (a degree of
# longitude is 72 km at 49°N, 59 km at 58°N): the box that narrows the spheroid's check.
_METRES_PER_DEGREE_AT_LEAST = 50_000


def _near_flag(distance_m: float, alias: str) -> str:
    """Whether a record of ``t`` lies within the distance of a record of ``n`` (ground
    distance on the spheroid, after a bounding-box test). The distance is a checked number
    (``spec``), written as a literal of its own."""
    degrees = float(distance_m) / _METRES_PER_DEGREE_AT_LEAST
    return (
        f"EXISTS (SELECT 1 FROM n WHERE n.g && ST_Expand({alias}.g, "  # noqa: S608 - queryset SQL
        f"{degrees!r}) AND ST_DWithin({alias}.g::geography, n.g::geography, "
        f"{float(distance_m)!r}))"
    )


def _registry_aggregate(
    computation: Computation, aggregate: Aggregate, year: int, breakdown: str, areas: Areas
) -> dict[str, float]:
    """The aggregate in total (key ``TOTAL``) and per area (areas without records: 0). The
    remainder area, if any, is the total minus the other areas (one join with the small
    polygons instead of a point-in-polygon test of every record against the city's)."""
    t_sql, t_params = _selection_sql(
        computation, aggregate.selection, year, breakdown, aggregate.field
    )
    a_sql, a_params = _areas_sql(computation)
    params = t_params + a_params
    if aggregate.kind == "count_near":
        n_sql, n_params = _selection_sql(computation, aggregate.near, year, breakdown)
        # Each record's answer once, for the total and for the areas.
        flag = _near_flag(aggregate.distance_m, "t0")
        ctes = [
            f"n AS MATERIALIZED ({n_sql})",
            f"t0 AS NOT MATERIALIZED ({t_sql})",
            f"t AS MATERIALIZED (SELECT t0.g, {flag} AS near FROM t0)",  # noqa: S608 - queryset SQL
            f"a AS ({a_sql})",
        ]
        params = n_params + t_params + a_params
        total_expr = area_expr = "(count(*) FILTER (WHERE t.near))::float8"
    else:
        ctes = [f"t AS NOT MATERIALIZED ({t_sql})", f"a AS ({a_sql})"]
        total_expr = _TOTAL_EXPR[aggregate.kind].format(w="")
        area_expr = _AREA_EXPR[aggregate.kind].format(w="")
    sql = (
        f"WITH {', '.join(ctes)} "  # noqa: S608 - queryset SQL
        f"SELECT NULL::text AS k, {total_expr} FROM t "
        "UNION ALL "
        f"SELECT a.k::text, {area_expr} FROM a JOIN t ON ST_Intersects(a.geom, t.g) "
        "WHERE NOT a.remainder GROUP BY a.k"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return per_area(rows, 1, areas)[0]


def per_area(rows, columns: int, areas: Areas) -> list[dict[str, float]]:
    """Each value column of (key, value, ...) rows as {TOTAL or area key: value}, with 0 for
    areas without records and the remainder as the total minus the other areas."""
    results = []
    for column in range(1, columns + 1):
        found = {row[0] if row[0] is not None else TOTAL: row[column] for row in rows}
        figures = {TOTAL: found.get(TOTAL, 0.0)}
        figures.update({key: found.get(key, 0.0) for key in areas.keys})
        if areas.remainder is not None:
            others = sum(v for k, v in figures.items() if k not in (TOTAL, areas.remainder))
            figures[areas.remainder] = max(figures[TOTAL] - others, 0.0)
        results.append(figures)
    return results


def _pairable(first: Aggregate | None, second: Aggregate | None) -> bool:
    """Whether two aggregates can share one scan of their registry (a share of it)."""
    return (
        first is not None
        and second is not None
        and first.kind == second.kind
        and first.kind in _TOTAL_EXPR
        and first.field == second.field
        and first.selection.registry.id == second.selection.registry.id
    )


def _paired_aggregates(
    computation: Computation, first: Aggregate, second: Aggregate, year, breakdown, areas
) -> tuple[dict, dict]:
    """Numerator and denominator over one registry in one scan: each filter a flag of the
    row (the same Q the OGC items apply), each aggregate FILTERed by its flag."""
    registry = first.selection.registry
    flags = {}
    for name, aggregate in (("f0", first), ("f1", second)):
        q = aggregate.selection.q(year)
        flags[name] = ExpressionWrapper(q, output_field=BooleanField()) if q else Value(True)
    queryset = (
        registry_public_queryset(registry)
        .filter(computation.breakdown_q(registry, breakdown))
        .order_by()
    )
    either = first.selection.q(year) | second.selection.q(year)
    if first.selection.filter and second.selection.filter:
        queryset = queryset.filter(either)  # rows that neither counts are not read further
    columns = {"g": F("public_geom"), **flags}
    if first.field:
        columns["v"] = F(first.field)
    t_sql, t_params = queryset.values(**columns).query.sql_with_params()
    a_sql, a_params = _areas_sql(computation)
    total = _TOTAL_EXPR[first.kind]
    area = _AREA_EXPR[first.kind]
    sql = (
        f"WITH t AS NOT MATERIALIZED ({t_sql}), a AS ({a_sql}) "  # noqa: S608 - queryset SQL
        f"SELECT NULL::text AS k, {total.format(w='FILTER (WHERE t.f0)')}, "
        f"{total.format(w='FILTER (WHERE t.f1)')} FROM t "
        "UNION ALL "
        f"SELECT a.k::text, {area.format(w='FILTER (WHERE t.f0)')}, "
        f"{area.format(w='FILTER (WHERE t.f1)')} "
        "FROM a JOIN t ON ST_Intersects(a.geom, t.g) WHERE NOT a.remainder GROUP BY a.k"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(t_params) + a_params)
        rows = cursor.fetchall()
    numerators, denominators = per_area(rows, 2, areas)
    return numerators, denominators


def _residents_near(
    computation: Computation, aggregate: Aggregate, year: int, breakdown: str
) -> dict[str, float | None]:
    """Residents within the distance of a record of ``near``: each area's residents placed
    uniformly over its polygon, so an area's covered residents are its population times the
    covered share of its area (the union of the records' ground buffers, on the spheroid)."""
    n_sql, n_params = _selection_sql(computation, aggregate.near, year, breakdown)
    a_sql, a_params = _areas_sql(computation)
    distance = float(aggregate.distance_m)
    sql = (
        f"WITH n AS ({n_sql}), a AS ({a_sql}), "  # noqa: S608 - queryset SQL
        f"c AS (SELECT ST_Union(ST_Buffer(n.g::geography, {distance!r})::geometry) AS g FROM n) "
        "SELECT a.k::text, CASE WHEN a.population IS NULL THEN NULL ELSE "
        "a.population::float8 * coalesce(ST_Area(ST_Intersection(a.geom, c.g)::geography) "
        "/ nullif(ST_Area(a.geom::geography), 0), 0) END FROM a CROSS JOIN c"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, n_params + a_params)
        return dict(cursor.fetchall())


def _aggregate(
    computation: Computation, aggregate: Aggregate | None, year: int, breakdown: str, cache: dict
) -> dict[str, float | None] | None:
    if aggregate is None:
        return None
    areas = _areas(computation, cache)
    if aggregate.kind == "population":
        return dict(areas.population)
    if aggregate.kind == "residents_near":
        return _residents_near(computation, aggregate, year, breakdown)
    if aggregate.plugged is not None:
        return aggregate.plugged.compute(aggregate.options, year, _areas_sql(computation), areas)
    return _registry_aggregate(computation, aggregate, year, breakdown, areas)


def _value(numerator, denominator, scale: float) -> float | None:
    if numerator is None:
        return None
    if denominator is None:
        return numerator * scale
    if not denominator:
        return None
    return numerator / denominator * scale


def _figures(computation: Computation, numerators: dict, denominators: dict | None) -> Figures:
    per_resident = computation.denominator is not None and computation.denominator.kind == (
        "population"
    )
    areas = [key for key in numerators if key != TOTAL]
    by_area = {}
    for key in areas:
        numerator = numerators.get(key)
        denominator = denominators.get(key) if denominators is not None else None
        if denominators is not None and denominator is None:
            value = None  # e.g. residents of an area whose population is not known
        else:
            value = _value(numerator, denominator, computation.scale)
        by_area[key] = {"value": value, "numerator": numerator, "denominator": denominator}
    if per_resident or computation.numerator.kind == "residents_near":
        # Over the areas whose population is known (see the module's docstring).
        known = [key for key in areas if denominators and denominators.get(key) is not None]
        numerator = sum(numerators.get(key) or 0.0 for key in known)
        denominator = sum(denominators[key] for key in known) if denominators else None
    else:
        numerator = numerators.get(TOTAL)
        denominator = denominators.get(TOTAL) if denominators is not None else None
    return Figures(
        _value(numerator, denominator, computation.scale), numerator, denominator, by_area
    )


def computation_stamps(computation: Computation) -> dict[str, str]:
    """The change stamps of everything the value reads: each registry's, and the areas'."""
    stamps = {registry.id: str(registry_stamp(registry)) for registry in computation.registries()}
    for aggregate in computation.aggregates():
        if aggregate.plugged is not None:
            stamps[aggregate.plugged.stamp_key] = aggregate.plugged.stamp()
    if computation.areas == "settlements":
        stamps["settlements"] = settlements_stamp()
    else:
        from layers.registry import public_registry_get

        stamps[computation.areas] = str(registry_stamp(public_registry_get(computation.areas)))
    return stamps


def settlements_stamp() -> str:
    """The settlements' state: their count and the last change (a load is the only writer)."""
    row = Settlement.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return f"{row.isoformat() if row else '-'}/{Settlement.objects.count()}"


def current_year() -> int:
    return hromada_year()


def indicator_compute(indicator, *, year: int | None = None) -> Result:
    """The indicator's value for ``year`` (this year by default), computed now."""
    computation = computation_parse(indicator.computation)
    year = year or current_year()
    stamps = computation_stamps(computation)
    cache: dict = {}

    def figures_for(breakdown: str) -> Figures:
        if _pairable(computation.numerator, computation.denominator):
            numerators, denominators = _paired_aggregates(
                computation,
                computation.numerator,
                computation.denominator,
                year,
                breakdown,
                _areas(computation, cache),
            )
        else:
            numerators = _aggregate(computation, computation.numerator, year, breakdown, cache)
            denominators = _aggregate(computation, computation.denominator, year, breakdown, cache)
        return _figures(computation, numerators, denominators)

    total = figures_for("")
    by_breakdown = {value: figures_for(value) for value in computation.breakdown_values()}
    return Result(year, total, by_breakdown, stamps)


def yearly_years(indicator, *, until: int | None = None) -> list[int]:
    """The years a yearly computed series covers: from the baseline year to this year."""
    last = until or current_year()
    return list(range(min(indicator.baseline_year, last), last + 1))


def moment_year(moment: datetime.datetime) -> int:
    from django.utils import timezone

    return timezone.localtime(moment).year
