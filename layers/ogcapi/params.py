"""The query parameters of ``/collections/{id}/items``, checked and turned into a query.

Unknown parameters are refused (Part 1 /req/core/query-param-unknown), so a typo in a property
filter gives a 400 instead of silently returning everything.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.db.models import DateTimeField, F, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from layers.ogcapi.bbox import bbox_geometry, bbox_parse
from layers.ogcapi.crs import CRS, crs_lookup
from layers.ogcapi.exceptions import InvalidParameter, UnknownParameter
from layers.ogcapi.filters import cql2_q, equality_q, gdal_moment
from layers.ogcapi.queryables import GEOMETRY_ATTRIBUTE, registry_queryables
from layers.registry import Registry
from layers.selectors.public import registry_public_queryset

LIMIT_DEFAULT = 100
# Documented in the OpenAPI description; a larger limit is served as this (Part 1, 7.15.3:
# a limit above the maximum is not an error).
LIMIT_MAXIMUM = 10000
ITEM_PARAMETERS = (
    "f",
    "bbox",
    "bbox-crs",
    "crs",
    "limit",
    "offset",
    "after",
    "datetime",
    "sortby",
    "properties",
    "skipGeometry",
    "filter",
    "filter-lang",
    "filter-crs",
)
STANDARD_PARAMETERS = frozenset(ITEM_PARAMETERS)
FILTER_LANGUAGES = ("cql2-text", "cql-text")


@dataclass
class ItemsQuery:
    """What a client asked of a collection's items, validated."""

    registry: Registry
    queryset: QuerySet  # filtered and ordered, not sliced
    limit: int = LIMIT_DEFAULT
    offset: int = 0
    crs: CRS = field(default_factory=lambda: crs_lookup(None))
    properties: dict[str, str] = field(default_factory=dict)  # output name -> attribute
    skip_geometry: bool = False
    filtered: bool = False  # False: the whole published set (its count is cached per stamp)
    # Keyset paging in the default order: the page starts after this record (the ``after``
    # of a next link), so page 50 costs what page 1 costs; ``offset`` then only numbers it.
    after_pk: int | None = None
    keyset: bool = True  # in the default order, so next links can carry ``after``

    def page(self) -> QuerySet:
        """The features of the requested page."""
        if self.after_pk is not None:
            return self.queryset.filter(pk__gt=self.after_pk)[: self.limit]
        return self.queryset[self.offset : self.offset + self.limit]


def _single(request, name: str) -> str | None:
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise InvalidParameter(f"{name} is given more than once.")
    if values and "\x00" in values[0]:
        raise InvalidParameter(f"{name} contains a NUL character.")
    return values[0] if values else None


def _integer(request, name: str, default: int, minimum: int) -> int:
    raw = _single(request, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(f"{name}={raw!r}: give a whole number.") from None
    if value < minimum:
        raise InvalidParameter(f"{name}={raw!r}: the smallest value is {minimum}.")
    if value > 2**31 - 1:
        raise InvalidParameter(f"{name}={raw!r}: the largest value is {2**31 - 1}.")
    return value


def _crs(request, name: str) -> CRS:
    raw = _single(request, name)
    if raw == "":
        raise InvalidParameter(f"{name} is empty: give a CRS URI from the collection's list.")
    try:
        return crs_lookup(raw)
    except KeyError:
        raise InvalidParameter(
            f"{name}={raw!r} is not a supported CRS; see the collection's crs list.",
            code="InvalidParameterValue",
        ) from None


_MAX_OFFSET = datetime.timedelta(hours=15, minutes=59)


_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _instant(text: str, *, end: bool) -> datetime.datetime | None:
    if text in ("..", ""):
        return None
    text = gdal_moment(text)
    # A bare date is the whole day of the hromada (its first or last moment), asked before
    # parse_datetime, which takes "2025-05-01" as its midnight in UTC.
    if _DATE_ONLY.fullmatch(text):
        day = parse_date(text)  # ValueError for 2025-02-30
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
        )
    else:
        moment = parse_datetime(text)
    if moment is None:
        raise ValueError(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > _MAX_OFFSET:
        raise ValueError(text)  # Python takes ±23:59, PostgreSQL no more than ±15:59
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is in year 0
        raise ValueError(text) from None


def _datetime_bounds(raw: str) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """(start, end) of an RFC 3339 instant or interval; open ends are None."""
    try:
        if "/" in raw:
            start_text, end_text = raw.split("/", 1)
            start, end = _instant(start_text, end=False), _instant(end_text, end=True)
            if start is None and end is None:
                raise ValueError(raw)
        else:
            start, end = _instant(raw, end=False), _instant(raw, end=True)
            if start is None:
                raise ValueError(raw)
            if "T" in gdal_moment(raw) or " " in raw:
                end = start
    except ValueError:
        raise InvalidParameter(
            f"datetime={raw!r}: give an RFC 3339 date-time or an interval such as "
            "2025-01-01T00:00:00Z/.."
        ) from None
    if start is not None and end is not None and end < start:
        raise InvalidParameter(f"datetime={raw!r}: the interval ends before it starts.")
    return start, end


def _bound(field, moment: datetime.datetime):
    """A moment as the field compares it: a date field takes the day it falls on here."""
    if isinstance(field, DateTimeField):
        return moment
    return timezone.localtime(moment).date()


def datetime_q(raw: str, registry: Registry) -> Q:
    """``datetime`` on the registry's own time (``Registry.temporal``): a record matches when
    its instant, or its interval, meets the requested instant or interval."""
    start, end = _datetime_bounds(raw)
    queryables = registry_queryables(registry)
    first = queryables[registry.temporal[0]]
    last = queryables[registry.temporal[-1]]
    q = Q()
    if len(registry.temporal) == 1:
        if start is not None:
            q &= Q(**{f"{first.attribute}__gte": _bound(first.field, start)})
        if end is not None:
            q &= Q(**{f"{first.attribute}__lte": _bound(first.field, end)})
        return q & Q(**{f"{first.attribute}__isnull": False})
    # An interval: it began before the end asked for and had not ended before its start
    # (an empty start or end is open: a tree still standing, or planted before the records).
    if end is not None:
        q &= Q(**{f"{first.attribute}__lte": _bound(first.field, end)}) | Q(
            **{f"{first.attribute}__isnull": True}
        )
    if start is not None:
        q &= Q(**{f"{last.attribute}__gte": _bound(last.field, start)}) | Q(
            **{f"{last.attribute}__isnull": True}
        )
    return q


def _properties(request, registry: Registry) -> dict[str, str]:
    raw = _single(request, "properties")
    if raw is None:
        return dict(registry.properties)
    names = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in names if name not in registry.properties]
    if unknown:
        raise InvalidParameter(f"properties: {', '.join(unknown)} not in this collection.")
    return {name: registry.properties[name] for name in names}


def _ordering(request, registry: Registry) -> list:
    raw = _single(request, "sortby")
    ordering = []
    queryables = registry_queryables(registry)
    for term in (raw or "").split(","):
        term = term.strip()
        if not term:
            continue
        descending = term.startswith("-")
        name = term.lstrip("+-").strip()
        queryable = queryables.get(name)
        if queryable is None or not queryable.sortable:
            raise InvalidParameter(f"sortby: {name!r} is not a sortable property.")
        expression = F(queryable.attribute)
        ordering.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    # The primary key last: a stable order, so pages neither repeat nor skip features.
    return [*ordering, "pk"]


def _after(request, registry: Registry, *, keyset: bool) -> int | None:
    """The primary key of the record a keyset page starts after (never shown to clients:
    they name it by its public id)."""
    raw = _single(request, "after")
    if raw is None:
        return None
    if not keyset:
        raise InvalidParameter("after pages the default order only; with sortby, use offset.")
    try:
        public_id = uuid.UUID(raw)
    except ValueError:
        raise InvalidParameter(f"after={raw!r}: give a feature id from a next link.") from None
    # Published records only: an unpublished one answers as an unknown one does, so that
    # paging never tells whether a draft exists (a page's last record archived meanwhile
    # means starting again).
    public = registry_public_queryset(registry)
    pk = public.filter(public_id=public_id).values_list("pk", flat=True).first()
    if pk is None:
        raise InvalidParameter(
            f"after={raw}: that feature no longer exists; start again from the first page."
        )
    return pk


def _skip_geometry(request) -> bool:
    raw = _single(request, "skipGeometry")
    if raw is None:
        return False
    if raw.lower() not in ("true", "false"):
        raise InvalidParameter(f"skipGeometry={raw!r}: give true or false.")
    return raw.lower() == "true"


def items_query(request, registry: Registry, *, paged: bool = True) -> ItemsQuery:
    """Validate the request's parameters and build the query of the collection's items."""
    queryables = registry_queryables(registry)
    for name in request.GET:
        if name not in STANDARD_PARAMETERS and name not in queryables:
            raise UnknownParameter(
                f"Unknown parameter {name!r}: not a standard parameter nor a queryable "
                "property of this collection."
            )
    queryset = registry_public_queryset(registry)

    bbox_raw = _single(request, "bbox")
    bbox_crs = _crs(request, "bbox-crs")
    if bbox_raw is not None:
        box = bbox_geometry(bbox_parse(bbox_raw), bbox_crs)
        queryset = queryset.filter(**{f"{GEOMETRY_ATTRIBUTE}__intersects": box})
    elif request.GET.get("bbox-crs"):
        raise InvalidParameter("bbox-crs is given without bbox.")

    datetime_raw = _single(request, "datetime")
    if datetime_raw is not None:
        queryset = queryset.filter(datetime_q(datetime_raw, registry))

    for name, queryable in queryables.items():
        raw = _single(request, name)
        if raw is not None:
            queryset = queryset.filter(equality_q(queryable, raw))

    filter_text = _single(request, "filter")
    language = _single(request, "filter-lang")
    if language is None:
        language = "cql2-text"
    if language not in FILTER_LANGUAGES:
        raise InvalidParameter(
            f"filter-lang={language!r}: use cql2-text (or cql-text, the same language)."
        )
    filter_crs = _crs(request, "filter-crs")
    if filter_text is not None:
        queryset = queryset.filter(cql2_q(filter_text, queryables, filter_crs))

    ordering = _ordering(request, registry)
    keyset = ordering == ["pk"]
    return ItemsQuery(
        registry=registry,
        filtered=bool(request.GET.keys() & ({"bbox", "datetime", "filter"} | queryables.keys())),
        queryset=queryset.order_by(*ordering),
        after_pk=_after(request, registry, keyset=keyset) if paged else None,
        keyset=keyset,
        limit=min(_integer(request, "limit", LIMIT_DEFAULT, 1), LIMIT_MAXIMUM)
        if paged
        else LIMIT_MAXIMUM,
        offset=_integer(request, "offset", 0, 0),
        crs=_crs(request, "crs"),
        properties=_properties(request, registry),
        skip_geometry=_skip_geometry(request),
    )
