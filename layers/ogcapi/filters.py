"""Turn client filters into ``Q`` objects — only through the queryables allowlist.

Two sources: equality query parameters (``?condition=hazardous``, Part 1 /req/core/fc-filters
and Part 3 queryables-query-parameters) and a CQL2-text ``filter`` (``cql2.py``). Either way a
property name is looked up in ``queryables.registry_queryables``; the ORM only ever sees the
attribute the registry declares, and values are parsed by the property's field.
"""

import re

from django.contrib.gis.geos import GEOSException, LineString, Point, Polygon
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, DateField, DateTimeField, F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from layers.inputs import value_check
from layers.ogcapi.bbox import bbox_geometry, in_wgs84
from layers.ogcapi.cql2 import (
    CQL2SyntaxError,
    GeometryLiteral,
    Literal,
    Node,
    Property,
    cql2_parse,
)
from layers.ogcapi.crs import CRS
from layers.ogcapi.exceptions import InvalidParameter
from layers.ogcapi.queryables import GEOMETRY, GEOMETRY_ATTRIBUTE, Queryable

_LOOKUPS = {"=": "exact", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}
_FLIPPED = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_SPATIAL_LOOKUPS = {
    "S_INTERSECTS": "intersects",
    "S_DISJOINT": "disjoint",
    "S_WITHIN": "within",
    "S_CONTAINS": "contains",
}


# What GDAL writes for a date or an hour: 2026-01-01T, 2026-01-01T10Z (``SerializeDateTime``).
_GDAL_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})T$")
_GDAL_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2})(Z|[+-]\d{2}:?\d{2})?$")


def gdal_moment(text: str) -> str:
    """RFC 3339 for the shortened forms GDAL sends (a date with a bare T, an hour alone)."""
    if match := _GDAL_DATE.match(text):
        return match.group(1)
    if match := _GDAL_HOUR.match(text):
        return f"{match.group(1)}:00{match.group(2) or ''}"
    return text


def _as_time(field, raw: str):
    """A date or date-time text for a date field: GDAL's forms, and for a date field a
    date-time taken as the day it falls on here (``planted_on >= '2020-01-01T10:00Z'``)."""
    raw = gdal_moment(raw)
    if isinstance(field, DateTimeField) or ("T" not in raw and " " not in raw):
        return raw
    try:
        moment = parse_datetime(raw)
        if moment is None:
            return raw
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    except (ValueError, OverflowError):  # out-of-range parts: refused as any bad value is
        return raw


def parse_value(queryable: Queryable, raw: object):
    """A client value as the property's Python type; InvalidParameter if it is not one."""
    field = queryable.field.base_field if queryable.is_array else queryable.field
    if isinstance(field, DateField) and isinstance(raw, str):
        raw = _as_time(field, raw)
    if isinstance(field, BooleanField) and isinstance(raw, str):
        # Query strings say true/false (JSON Schema booleans), Django expects True/False.
        raw = {"true": True, "false": False}.get(raw.lower(), raw)
    try:
        value = field.to_python(raw)
    except (ValidationError, TypeError, ValueError, OverflowError):
        raise InvalidParameter(
            f"{raw!r} is not a valid value of {queryable.name} "
            f"({queryable.schema.get('type', 'string')})."
        ) from None
    try:
        value_check(field, value, queryable.name)
    except ValidationError as exc:
        raise InvalidParameter(exc.messages[0]) from None
    if field.choices and value not in {choice for choice, _label in field.flatchoices}:
        allowed = ", ".join(str(choice) for choice, _label in field.flatchoices)
        raise InvalidParameter(f"{raw!r} is not one of the values of {queryable.name}: {allowed}.")
    return value


def equality_q(queryable: Queryable, raw: str) -> Q:
    """``name=value``: equal to, or for a list property (types, fractions) containing, it."""
    value = parse_value(queryable, raw)
    if queryable.is_array:
        return Q(**{f"{queryable.attribute}__contains": [value]})
    return Q(**{queryable.attribute: value})


class _Translator:
    """Walks a CQL2 tree and builds a Q, refusing any property outside the allowlist."""

    def __init__(self, queryables: dict[str, Queryable], filter_crs: CRS):
        self.queryables = queryables
        self.filter_crs = filter_crs

    def queryable(self, operand) -> Queryable:
        if not isinstance(operand, Property):
            raise InvalidParameter("The left side of a comparison must be a property.")
        try:
            return self.queryables[operand.name]
        except KeyError:
            raise InvalidParameter(
                f"{operand.name!r} is not a queryable property; see the queryables resource."
            ) from None

    def value(self, queryable: Queryable, operand):
        if isinstance(operand, Property):
            other = self.queryable(operand)
            return F(other.attribute)
        if not isinstance(operand, Literal):
            raise InvalidParameter("Expected a value.")
        return parse_value(queryable, operand.value)

    def scalar_queryable(self, operand) -> Queryable:
        queryable = self.queryable(operand)
        if queryable.is_array:
            raise InvalidParameter(
                f"{queryable.name} is a list: filter it with the {queryable.name}= query "
                "parameter (contains the value)."
            )
        return queryable

    def translate(self, node: Node) -> Q:
        method = getattr(self, f"_{node.op}")
        q = method(*node.args)
        return ~q if node.negated else q

    def _and(self, *nodes: Node) -> Q:
        q = Q()
        for node in nodes:
            q &= self.translate(node)
        return q

    def _or(self, *nodes: Node) -> Q:
        q = self.translate(nodes[0])
        for node in nodes[1:]:
            q |= self.translate(node)
        return q

    def _not(self, node: Node) -> Q:
        return ~self.translate(node)

    def _cmp(self, operator: str, left, right) -> Q:
        if isinstance(left, Literal) and isinstance(right, Property):
            left, right, operator = right, left, _FLIPPED[operator]
        queryable = self.scalar_queryable(left)
        value = self.value(queryable, right)
        if operator == "<>":
            return ~Q(**{queryable.attribute: value})
        return Q(**{f"{queryable.attribute}__{_LOOKUPS[operator]}": value})

    def _like(self, left, pattern: Literal) -> Q:
        queryable = self.scalar_queryable(left)
        # CQL2 wildcards (% any, _ one, \ escapes) as an anchored regular expression built
        # from escaped pieces: the client's text never becomes regex syntax.
        parts, escaped = [], False
        for char in str(pattern.value):
            if escaped:
                parts.append(re.escape(char))
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == "%":
                parts.append(".*")
            elif char == "_":
                parts.append(".")
            else:
                parts.append(re.escape(char))
        return Q(**{f"{queryable.attribute}__regex": "^" + "".join(parts) + "$"})

    def _between(self, left, low, high) -> Q:
        queryable = self.scalar_queryable(left)
        return Q(
            **{
                f"{queryable.attribute}__gte": self.value(queryable, low),
                f"{queryable.attribute}__lte": self.value(queryable, high),
            }
        )

    def _in(self, left, values) -> Q:
        queryable = self.scalar_queryable(left)
        parsed = [self.value(queryable, value) for value in values]
        if any(isinstance(value, F) for value in parsed):
            raise InvalidParameter("IN takes values, not properties.")
        return Q(**{f"{queryable.attribute}__in": parsed})

    def _isnull(self, left) -> Q:
        queryable = self.queryable(left)
        return Q(**{f"{queryable.attribute}__isnull": True})

    def _spatial(self, function: str, first, second) -> Q:
        if isinstance(first, GeometryLiteral) and isinstance(second, Property):
            first, second = second, first
            # A within B == B contains A.
            function = {"S_WITHIN": "S_CONTAINS", "S_CONTAINS": "S_WITHIN"}.get(function, function)
        if not (isinstance(first, Property) and first.name == GEOMETRY):
            raise InvalidParameter(f"Spatial functions apply to the property {GEOMETRY!r}.")
        if not isinstance(second, GeometryLiteral):
            raise InvalidParameter("A spatial function compares the geometry with a literal.")
        geometry = self.geometry(second)
        return Q(**{f"{GEOMETRY_ATTRIBUTE}__{_SPATIAL_LOOKUPS[function]}": geometry})

    def geometry(self, literal: GeometryLiteral):
        crs = self.filter_crs
        if literal.kind == "bbox":
            return bbox_geometry(literal.coordinates, crs, parameter="filter")

        def xy(position):
            first, second = position[:2]
            for value, (low, high) in zip((first, second), crs.bounds, strict=True):
                if not low <= value <= high:
                    raise InvalidParameter(f"Coordinate {value} is outside the range of {crs.uri}.")
            return (second, first) if crs.first_axis_north else (first, second)

        try:
            if literal.kind == "point":
                geometry = Point(*xy(literal.coordinates), srid=crs.srid)
            elif literal.kind == "linestring":
                geometry = LineString([xy(p) for p in literal.coordinates], srid=crs.srid)
            else:
                rings = [[xy(p) for p in ring] for ring in literal.coordinates]
                geometry = Polygon(*rings, srid=crs.srid)
        except (GEOSException, TypeError, ValueError) as exc:
            raise InvalidParameter(f"Invalid {literal.kind.upper()} in the filter: {exc}") from None
        if not geometry.valid:
            raise InvalidParameter(
                f"Invalid {literal.kind.upper()} in the filter: {geometry.valid_reason}"
            )
        return in_wgs84(geometry, parameter="filter")


def cql2_q(text: str, queryables: dict[str, Queryable], filter_crs: CRS) -> Q:
    """A CQL2-text filter as a Q over allowlisted attributes; InvalidParameter otherwise."""
    try:
        tree = cql2_parse(text)
    except CQL2SyntaxError as exc:
        raise InvalidParameter(f"filter: {exc}") from None
    return _Translator(queryables, filter_crs).translate(tree)
