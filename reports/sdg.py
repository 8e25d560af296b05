"""Citizen reports as SDG figures: aggregates of the public reports (``reports_public``: the
confirmed and published ones, public fields only, never the reporter) for ``sdg.spec``::

    numerator = {aggregate = "reports_median_days", to = "response"}
    numerator = {aggregate = "reports_count", to = "fix", within_days = 30,
                 categories = ["tree-fallen"], registry = "trees",
                 states = ["fixed", "closed"], period = "year"}

``reports_count``: the reports; with ``to`` ("response": the first state staff set, or
"fix"), only those that had it, and with ``within_days`` only those that had it within that
many days of being reported. ``reports_median_days``: the median days from the report to its
first response or fix (``to``, required) over the reports that had one. Both take the
category codes, the categories' registry and the report states to count; ``period`` =
"year" (the default): reports made in the year computed (Kyiv time), so that ``yearly``
series work; "all": every report made until that year's end.

Per area, a report counts where its point lies. The count is additive (the remainder area,
the city, is the total minus the villages, like a registry's count); the median is not, so
the remainder's median is over its own reports: those in no other area's polygon (the same
reports the additive remainder counts).

Registered with ``sdg.spec`` from ``ReportsConfig.ready``: the dependency goes from
``reports`` to ``sdg`` and ``sdg`` (or ``layers``) never imports ``reports``, so the SDG
engine works alike without this app and knows nothing of the reports' personal fields.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from layers.editing.models import registry_choices
from reports.figures import _Days
from reports.models import ReportCategory, ReportState
from reports.selectors import reports_public, reports_public_stamp
from sdg.compute import TOTAL, Areas, per_area
from sdg.spec import PluggedAggregate, aggregate_register, spec_fail

_TIMES = {"response": "first_response_at", "fix": "fixed_at"}
_KEYS = frozenset({"to", "within_days", "categories", "registry", "states", "period"})
_PERIODS = ("year", "all")
MAX_WITHIN_DAYS = 3660


@dataclass(frozen=True)
class ReportsOptions:
    to: str  # "", "response" or "fix"
    within_days: float | None
    categories: tuple[str, ...]
    registry: str
    states: tuple[str, ...]
    period: str


def _codes(raw, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
        spec_fail(
            _("%(where)s: %(name)s must be a list of codes.") % {"where": where, "name": name}
        )
    return tuple(raw)


def _parse(raw: dict, where: str, *, median: bool) -> ReportsOptions:
    to = raw.get("to", "")
    if (median and to not in tuple(_TIMES)) or to not in ("", *_TIMES):
        spec_fail(
            _('%(where)s: "to" must be "response" or "fix".') % {"where": where}
            if median
            else _('%(where)s: "to", if given, must be "response" or "fix".') % {"where": where}
        )
    within = raw.get("within_days")
    if within is not None:
        if median or not to:
            spec_fail(_('%(where)s: within_days needs a count with "to".') % {"where": where})
        if isinstance(within, bool) or not isinstance(within, int | float):
            within = -1
        if not 0 <= within <= MAX_WITHIN_DAYS:
            spec_fail(
                _("%(where)s: within_days must be a number of days from 0 to %(max)s.")
                % {"where": where, "max": MAX_WITHIN_DAYS}
            )
    categories = _codes(raw["categories"], where, "categories") if "categories" in raw else ()
    known = ReportCategory.objects.filter(code__in=categories).values_list("code", flat=True)
    missing = [code for code in categories if code not in set(known)] if categories else []
    if missing:
        spec_fail(
            _("%(where)s: there is no report category %(codes)s.")
            % {"where": where, "codes": ", ".join(repr(code) for code in missing)}
        )
    registry = raw.get("registry", "")
    registries = {value for value, _label in registry_choices()}
    if registry and registry not in registries:
        spec_fail(
            _("%(where)s: there is no registry %(registry)r for reports.")
            % {"where": where, "registry": registry}
        )
    states = _codes(raw["states"], where, "states") if "states" in raw else ()
    wrong = [state for state in states if state not in ReportState.values or state == "new"]
    if wrong:
        spec_fail(
            _("%(where)s: not a state of a public report: %(states)s.")
            % {"where": where, "states": ", ".join(repr(state) for state in wrong)}
        )
    period = raw.get("period", "year")
    if period not in _PERIODS:
        spec_fail(_('%(where)s: period must be "year" or "all".') % {"where": where})
    return ReportsOptions(
        to, None if within is None else float(within), categories, registry, states, period
    )


def _reports_sql(options: ReportsOptions, year: int) -> tuple[str, list]:
    """The public reports the options select: their point ``g`` and days ``d`` (or NULL)."""
    zone = timezone.get_current_timezone()
    queryset = reports_public().filter(
        created_at__lt=datetime.datetime(year + 1, 1, 1, tzinfo=zone)
    )
    if options.period == "year":
        queryset = queryset.filter(created_at__gte=datetime.datetime(year, 1, 1, tzinfo=zone))
    if options.categories:
        queryset = queryset.filter(category__code__in=options.categories)
    if options.registry:
        queryset = queryset.filter(category__registry=options.registry)
    if options.states:
        queryset = queryset.filter(state__in=options.states)
    days = None
    if options.to:
        moment = _TIMES[options.to]
        days = _Days(F(moment), F("created_at"))
        queryset = queryset.filter(**{f"{moment}__isnull": False}).annotate(days=days)
        if options.within_days is not None:
            queryset = queryset.filter(days__lte=options.within_days)
    columns = {"g": F("geom"), "d": F("days")} if days is not None else {"g": F("geom")}
    sql, params = queryset.order_by().values(**columns).query.sql_with_params()
    return sql, list(params)


def _count(options: ReportsOptions, year: int, areas_sql, areas: Areas) -> dict:
    t_sql, t_params = _reports_sql(options, year)
    a_sql, a_params = areas_sql
    sql = (
        f"WITH t AS NOT MATERIALIZED ({t_sql}), a AS ({a_sql}) "  # noqa: S608 - queryset SQL
        "SELECT NULL::text AS k, count(*)::float8 FROM t "
        "UNION ALL "
        "SELECT a.k::text, count(*)::float8 FROM a JOIN t ON ST_Intersects(a.geom, t.g) "
        "WHERE NOT a.remainder GROUP BY a.k"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, t_params + list(a_params))
        return per_area(cursor.fetchall(), 1, areas)[0]


_MEDIAN = "percentile_cont(0.5) WITHIN GROUP (ORDER BY t.d)::float8"


def _median(options: ReportsOptions, year: int, areas_sql, areas: Areas) -> dict:
    """The median in total, per area, and for the remainder over the reports in no other
    area (None where there is no report to take it of)."""
    t_sql, t_params = _reports_sql(options, year)
    a_sql, a_params = areas_sql
    sql = (
        f"WITH t AS MATERIALIZED ({t_sql}), a AS MATERIALIZED ({a_sql}) "  # noqa: S608 - queryset SQL
        f"SELECT NULL::text AS k, {_MEDIAN} FROM t "
        "UNION ALL "
        f"SELECT a.k::text, {_MEDIAN} FROM a JOIN t ON ST_Intersects(a.geom, t.g) "
        "WHERE NOT a.remainder GROUP BY a.k "
        "UNION ALL "
        f"SELECT r.k::text, {_MEDIAN} FROM t JOIN a r ON r.remainder "
        "WHERE NOT EXISTS (SELECT 1 FROM a WHERE NOT a.remainder AND ST_Intersects(a.geom, t.g)) "
        "GROUP BY r.k"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, t_params + list(a_params))
        found = {k if k is not None else TOTAL: v for k, v in cursor.fetchall()}
    return {TOTAL: found.get(TOTAL), **{key: found.get(key) for key in areas.keys}}


def reports_stamp() -> str:
    return str(reports_public_stamp())


def register() -> None:
    aggregate_register(
        "reports_count",
        PluggedAggregate(
            _KEYS,
            lambda raw, where: _parse(raw, where, median=False),
            _count,
            reports_stamp,
            "reports",
        ),
    )
    aggregate_register(
        "reports_median_days",
        PluggedAggregate(
            _KEYS - {"within_days"},
            lambda raw, where: _parse(raw, where, median=True),
            _median,
            reports_stamp,
            "reports",
            additive=False,
        ),
    )
