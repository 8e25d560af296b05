"""How a computed indicator's value is obtained, written as data (``Indicator.computation``)
and checked when the indicator is saved.

::

    numerator   = {aggregate = "count", registry = "trees", filter = "removed_on IS NULL"}
    denominator = {aggregate = "population"}
    scale       = 1000          # value = numerator / denominator * scale
    breakdown   = "category"    # optional: one value per value of this public property
    areas       = "settlements" # or the id of a polygon registry
    yearly      = true          # the series is computed for each year ({year} in filters)

Aggregates over a registry's *published* records and *public* properties only:
``count``; ``sum`` of a numeric ``field``; ``area`` (m², on the spheroid) and ``length`` (m);
``count_near``: records within ``distance_m`` of a record of the ``near`` registry;
``residents_near``: residents (placed uniformly over their settlement's polygon) within
``distance_m`` of a record of ``near``; ``population``: the residents of the area.

Other apps may add aggregates of their own data (``aggregate_register``): the citizen
reports' ``reports_count`` and ``reports_median_days`` (``reports.sdg``), registered by the
reports app when it is ready, so that neither ``sdg`` nor ``layers`` imports ``reports``.

Filters are CQL2-text, turned into queryset filters by the very function the OGC API's items
use (``layers.ogcapi.filters.cql2_q``) against the registry's queryables: a property that is
not queryable there is refused here, with the API's message. ``{year}`` in a filter stands
for the year computed (this year, or each year of a yearly series).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from layers.ogcapi.crs import default_crs
from layers.ogcapi.exceptions import InvalidParameter
from layers.ogcapi.filters import cql2_q, equality_q
from layers.ogcapi.queryables import registry_queryables
from layers.registry import Registry, public_registry_get

REGISTRY_AGGREGATES = ("count", "sum", "area", "length", "count_near")
AGGREGATES = (*REGISTRY_AGGREGATES, "residents_near", "population")
_KEYS = {"aggregate", "registry", "field", "filter", "near", "distance_m"}
_TOP_KEYS = {
    "numerator",
    "denominator",
    "scale",
    "breakdown",
    "breakdown_values",
    "areas",
    "yearly",
}
MAX_DISTANCE_M = 5000


@dataclass(frozen=True)
class PluggedAggregate:
    """An aggregate another app adds (over its own public data, never a registry's).

    ``parse(raw, where)`` checks the aggregate's table (raising ``ValidationError`` on
    ``computation``, see ``spec_fail``) and returns its options; ``compute(options, year,
    areas_sql, areas)`` gives ``{TOTAL or area key: value}``; ``stamp()`` the state of the
    data read. An aggregate that is not ``additive`` (a median) is a value of its own: no
    denominator, never a denominator, and its remainder area is computed from its own
    records, not as the total minus the other areas."""

    keys: frozenset
    parse: Callable
    compute: Callable
    stamp: Callable
    stamp_key: str
    additive: bool = True


# Registered from the owning app's ``AppConfig.ready`` (the reports app's: ``reports.sdg``).
PLUGGED_AGGREGATES: dict[str, PluggedAggregate] = {}


def aggregate_register(kind: str, plugged: PluggedAggregate) -> None:
    PLUGGED_AGGREGATES[kind] = plugged


@dataclass(frozen=True)
class Selection:
    """Published records of a registry narrowed by a CQL2 filter."""

    registry: Registry
    filter: str = ""

    def q(self, year: int) -> Q:
        if not self.filter:
            return Q()
        return cql2_q(
            self.filter.replace("{year}", str(year)),
            registry_queryables(self.registry),
            default_crs(),
        )


@dataclass(frozen=True)
class Aggregate:
    kind: str
    selection: Selection | None = None  # the records aggregated (registry aggregates)
    field: str = ""  # the public property summed (``sum``)
    near: Selection | None = None  # the records whose neighbourhood counts (``*_near``)
    distance_m: float = 0.0
    options: object = None  # a plugged aggregate's checked options

    @property
    def plugged(self) -> PluggedAggregate | None:
        return PLUGGED_AGGREGATES.get(self.kind)

    def registries(self) -> list[Registry]:
        return [s.registry for s in (self.selection, self.near) if s is not None]


@dataclass(frozen=True)
class Computation:
    numerator: Aggregate
    denominator: Aggregate | None
    scale: float = 1.0
    breakdown: str = ""
    areas: str = "settlements"
    yearly: bool = False
    only_values: tuple[str, ...] = ()  # the breakdown values shown (all of them if empty)

    def aggregates(self) -> list[Aggregate]:
        return [a for a in (self.numerator, self.denominator) if a is not None]

    def registries(self) -> list[Registry]:
        found = {}
        for aggregate in self.aggregates():
            for registry in aggregate.registries():
                found[registry.id] = registry
        return list(found.values())

    def breakdown_values(self) -> list[str]:
        """The values of the breakdown property (its choices in the first registry that has
        it as a queryable), in their declared order."""
        if not self.breakdown:
            return []
        for registry in self.registries():
            queryable = registry_queryables(registry).get(self.breakdown)
            if queryable is not None:
                field = queryable.field.base_field if queryable.is_array else queryable.field
                values = [str(value) for value, _label in field.flatchoices]
                return [v for v in values if v in self.only_values] if self.only_values else values
        return []

    def breakdown_labels(self) -> dict[str, str]:
        for registry in self.registries():
            queryable = registry_queryables(registry).get(self.breakdown)
            if queryable is not None:
                field = queryable.field.base_field if queryable.is_array else queryable.field
                return {str(value): str(label) for value, label in field.flatchoices}
        return {}

    def breakdown_q(self, registry: Registry, value: str) -> Q:
        """Records of ``registry`` with that breakdown value ('' = no breakdown); a registry
        without the property is not narrowed (the population, another registry's total)."""
        if not value:
            return Q()
        queryable = registry_queryables(registry).get(self.breakdown)
        if queryable is None:
            return Q()
        # The equality query parameter's path: for a list (fractions) it means "contains".
        return equality_q(queryable, value)


def spec_fail(message: str):
    raise ValidationError({"computation": message})


_fail = spec_fail


def _selection(raw: dict, where: str) -> Selection:
    registry_id = raw.get("registry")
    if not isinstance(registry_id, str) or not registry_id:
        _fail(_("%(where)s: name the registry.") % {"where": where})
    try:
        registry = public_registry_get(registry_id)
    except KeyError:
        _fail(
            _("%(where)s: there is no public registry %(registry)r.")
            % {"where": where, "registry": registry_id}
        )
    text = raw.get("filter", "")
    if not isinstance(text, str):
        _fail(_("%(where)s: the filter must be CQL2 text.") % {"where": where})
    selection = Selection(registry, text.strip())
    try:
        selection.q(2026)
    except InvalidParameter as exc:
        _fail(
            _("%(where)s: the filter is refused: %(reason)s")
            % {"where": where, "reason": exc.description}
        )
    return selection


def _aggregate(raw, where: str) -> Aggregate:
    if not isinstance(raw, dict):
        _fail(_("%(where)s must be a table.") % {"where": where})
    kind = raw.get("aggregate")
    plugged = PLUGGED_AGGREGATES.get(kind) if isinstance(kind, str) else None
    unknown = set(raw) - (_KEYS if plugged is None else {"aggregate", *plugged.keys})
    if unknown:
        _fail(
            _("%(where)s: unknown keys %(keys)s.")
            % {"where": where, "keys": ", ".join(sorted(unknown))}
        )
    if plugged is not None:
        return Aggregate(kind, options=plugged.parse(raw, where))
    if kind not in AGGREGATES:
        _fail(
            _("%(where)s: the aggregate must be one of %(kinds)s.")
            % {"where": where, "kinds": ", ".join((*AGGREGATES, *PLUGGED_AGGREGATES))}
        )
    if kind == "population":
        return Aggregate(kind)
    selection = _selection(raw, where) if kind in REGISTRY_AGGREGATES else None
    near, distance, field = None, 0.0, ""
    if kind in ("count_near", "residents_near"):
        if not isinstance(raw.get("near"), dict):
            _fail(_("%(where)s: %(kind)s needs a near registry.") % {"where": where, "kind": kind})
        near = _selection(raw["near"], f"{where}.near")
        distance = raw.get("distance_m")
        if not isinstance(distance, int | float) or not 0 < distance <= MAX_DISTANCE_M:
            _fail(
                _("%(where)s: distance_m must be a number of metres over 0 and at most %(max)s.")
                % {"where": where, "max": MAX_DISTANCE_M}
            )
    if kind == "sum":
        field = raw.get("field", "")
        queryable = registry_queryables(selection.registry).get(field)
        if queryable is None or queryable.schema.get("type") not in ("integer", "number"):
            _fail(
                _("%(where)s: %(field)r is not a numeric queryable property of %(registry)s.")
                % {"where": where, "field": field, "registry": selection.registry.id}
            )
        field = queryable.attribute
    if kind in ("area", "length"):
        wanted = "polygon" if kind == "area" else "line"
        if selection.registry.geometry_kind not in (wanted, "mixed"):
            _fail(
                _("%(where)s: %(registry)s has no %(kind)s geometries to measure.")
                % {"where": where, "registry": selection.registry.id, "kind": wanted}
            )
    return Aggregate(kind, selection, field, near, float(distance))


def _only_values(raw) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(value, str) for value in raw):
        _fail(_("breakdown_values must be a list of values."))
    return tuple(raw)


def computation_parse(raw: dict) -> Computation:
    """The checked computation; ValidationError (on ``computation``) naming what is wrong."""
    if not isinstance(raw, dict) or "numerator" not in raw:
        _fail(_("A computed indicator needs a numerator."))
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        _fail(_("Unknown keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    numerator = _aggregate(raw["numerator"], "numerator")
    denominator = _aggregate(raw["denominator"], "denominator") if "denominator" in raw else None
    scale = raw.get("scale", 1)
    if not isinstance(scale, int | float) or scale <= 0:
        _fail(_("The scale must be a positive number."))
    areas = raw.get("areas", "settlements")
    if areas != "settlements":
        try:
            area_registry = public_registry_get(str(areas))
        except KeyError:
            _fail(_("areas: there is no public registry %(registry)r.") % {"registry": areas})
        if area_registry.geometry_kind != "polygon":
            _fail(_("areas: %(registry)s is not a polygon registry.") % {"registry": areas})
    computation = Computation(
        numerator,
        denominator,
        float(scale),
        str(raw.get("breakdown", "")),
        str(areas),
        bool(raw.get("yearly", False)),
        _only_values(raw.get("breakdown_values", [])),
    )
    plugged = [a for a in computation.aggregates() if a.plugged is not None]
    if plugged and computation.breakdown:
        _fail(
            _("breakdown: not available with the aggregate %(kind)s.") % {"kind": plugged[0].kind}
        )
    if numerator.plugged and not numerator.plugged.additive and denominator is not None:
        _fail(
            _("%(kind)s is a value of its own: it takes no denominator.") % {"kind": numerator.kind}
        )
    if denominator is not None and denominator.plugged and not denominator.plugged.additive:
        _fail(_("%(kind)s cannot be a denominator.") % {"kind": denominator.kind})
    if computation.only_values and not computation.breakdown:
        _fail(_("breakdown_values without a breakdown."))
    if computation.breakdown and not computation.breakdown_values():
        _fail(
            _("breakdown: %(name)r is not a queryable property with a list of values here.")
            % {"name": computation.breakdown}
        )
    return computation


def computation_check(indicator) -> None:
    """The model's check: a computed indicator's computation parses; an entered one has none."""
    if indicator.is_computed:
        computation_parse(indicator.computation)
    elif indicator.computation:
        _fail(_("An entered indicator has no computation."))
