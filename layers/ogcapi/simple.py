"""Collections that are not registries (citizen reports): the second kind of collection.

A registry collection is built for hundreds of thousands of records: GeoJSON written by
PostGIS, keyset paging, tiles, CQL2, every CRS, downloads as files, a change stamp kept by
triggers. A collection of another app's objects — a hromada's reports are thousands — needs
none of that, and its objects are not registry records (no ``public_id``/``public_geom``,
integer ids). So rather than dress such a model up as a registry entry (which the map, the
editing API and every test parametrised over ``public_registries()`` would then have to
skip), a ``SimpleCollection`` declares what the OGC views need and nothing else: its
public queryset, how one object becomes a feature, its queryables, its time, its stamp and
its files. The app declares it in ``GEOPORTAL_OGC_COLLECTIONS``; the views dispatch on the
collection id (``views/simple.py``), and the documents, OpenAPI and conformance are shared.

What it serves: ``f``, ``limit``/``offset`` (next links to the end), ``bbox`` (CRS84),
``datetime`` (on ``temporal``), ``skipGeometry`` and equality on its queryables. Everything
else the registry collections take (``filter``, ``sortby``, ``crs`` other than CRS84,
``properties``, ``after``) is a clear 400 naming what this collection supports.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.db.models import Max, Min, Q, QuerySet
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from layers.ogcapi.bbox import bbox_geometry, bbox_parse
from layers.ogcapi.crs import CRS84, crs_lookup
from layers.ogcapi.documents import collection_links, extent_document
from layers.ogcapi.exceptions import InvalidParameter, UnknownParameter
from layers.ogcapi.filters import equality_q
from layers.ogcapi.licence import data_licence
from layers.ogcapi.links import link
from layers.ogcapi.params import (
    LIMIT_DEFAULT,
    LIMIT_MAXIMUM,
    STANDARD_PARAMETERS,
    _datetime_bounds,
    _integer,
    _single,
    _skip_geometry,
)
from layers.ogcapi.queryables import GEOMETRY, Queryable
from layers.selectors.stamps import Stamp

# The parameters of the items of a simple collection; the other standard ones are refused.
SUPPORTED_PARAMETERS = frozenset(
    {"f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime", "skipGeometry"}
)
ITEM_SUPPORTED_PARAMETERS = frozenset({"f", "crs", "skipGeometry"})


@dataclass(frozen=True)
class SimpleCollection:
    id: str  # never a registry id (a slug): ``reports``
    title: object  # lazy text
    description: object  # lazy text
    queryset: Callable[[], QuerySet]  # the public objects, with only their public fields
    feature: Callable[[object], dict]  # one object as a GeoJSON Feature (id, geometry, ...)
    geometry_attribute: str  # what bbox intersects (SRID 4326)
    temporal: str  # the attribute ``datetime`` compares (a DateTimeField)
    queryables: Callable[[], tuple[Queryable, ...]]  # equality filters (``?state=fixed``)
    stamp: Callable[[], Stamp]  # for ETag and Last-Modified
    downloads: Callable[[], list[dict]]  # the whole set as files: {"href", "title", "type"}
    # Property names of the HTML table of features, in order.
    columns: tuple[str, ...] = ()


@functools.cache
def _declared() -> tuple[SimpleCollection, ...]:
    return tuple(import_string(path)() for path in settings.GEOPORTAL_OGC_COLLECTIONS)


def simple_collections() -> tuple[SimpleCollection, ...]:
    """The simple collections, listed after the registries in ``/collections``."""
    return _declared()


def simple_collection_get(collection_id: str) -> SimpleCollection | None:
    return next((c for c in _declared() if c.id == collection_id), None)


def queryables_of(collection: SimpleCollection) -> dict[str, Queryable]:
    return {q.name: q for q in collection.queryables()}


def simple_document(request: HttpRequest, collection: SimpleCollection) -> dict:
    """The collection's description (collection.yaml), with what it does not support said
    in its description: clients that read only the document learn it there."""
    links = collection_links(request, collection.id)
    for download in collection.downloads():
        links.append(
            link(
                request.build_absolute_uri(download["href"]),
                "enclosure",
                download["type"],
                _("Whole layer: %(format)s") % {"format": download["title"]},
            )
        )
    public = collection.queryset()
    figures = public.aggregate(
        box=Extent(collection.geometry_attribute),
        first=Min(collection.temporal),
        last=Max(collection.temporal),
    )
    extent = extent_document(figures["box"], figures["first"], figures["last"])
    description = str(collection.description) + " " + _limits_text()
    document = {
        "id": collection.id,
        "title": str(collection.title),
        "description": description,
        "links": links,
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "license": data_licence().spdx,
        "defaultLimit": LIMIT_DEFAULT,
    }
    if extent:
        document["extent"] = extent
    return document


def _limits_text() -> str:
    return _(
        "This collection takes bbox, datetime, limit, offset, skipGeometry and its "
        "queryable properties; not filter, sortby or properties, and only CRS84 "
        "coordinates. It has no vector tiles."
    )


def simple_queryables_schema(collection: SimpleCollection, *, self_url: str) -> dict:
    properties = {
        GEOMETRY: {
            "title": str(_("Geometry")),
            "format": "geometry-point",
            "$ref": "https://geojson.org/schema/Point.json",
        },
        **{q.name: q.schema for q in collection.queryables()},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": self_url,
        "type": "object",
        "title": str(collection.title),
        "properties": properties,
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class SimpleQuery:
    queryset: QuerySet  # filtered, in a stable order, not sliced
    limit: int
    offset: int
    skip_geometry: bool = False

    def features(self, collection: "SimpleCollection", objects) -> list[dict]:
        features = [collection.feature(obj) for obj in objects]
        if self.skip_geometry:
            for feature in features:
                feature["geometry"] = None
        return features

    def page(self, collection: "SimpleCollection") -> list[dict]:
        """The features of the requested page."""
        return self.features(collection, self.queryset[self.offset : self.offset + self.limit])


def _crs84_only(request, name: str) -> None:
    raw = _single(request, name)
    if raw is None:
        return
    try:
        asked = crs_lookup(raw).uri
    except KeyError:
        asked = raw
    if asked != CRS84:
        raise InvalidParameter(
            f"{name}={raw!r}: this collection gives and takes CRS84 coordinates only."
        )


def _datetime_q(raw: str, attribute: str) -> Q:
    """``datetime`` on a date-time attribute; a bare date is that whole day in the hromada's
    time zone, as on the registries (``_datetime_bounds``)."""
    start, end = _datetime_bounds(raw)
    q = Q()
    if start is not None:
        q &= Q(**{f"{attribute}__gte": start})
    if end is not None:
        q &= Q(**{f"{attribute}__lte": end})
    return q


def simple_items_query(request, collection: SimpleCollection, *, paged: bool = True) -> SimpleQuery:
    """The request's parameters checked (an unsupported one is a 400 that says so) and the
    query of the collection's items built."""
    queryables = queryables_of(collection)
    allowed = SUPPORTED_PARAMETERS if paged else ITEM_SUPPORTED_PARAMETERS
    for name in request.GET:
        if name in allowed or (paged and name in queryables):
            continue
        if name in STANDARD_PARAMETERS or name in queryables:
            raise InvalidParameter(
                f"{name} is not supported by the {collection.id} collection: "
                + _limits_text_plain(paged)
            )
        raise UnknownParameter(
            f"Unknown parameter {name!r}: not a parameter of this collection nor one of its "
            "queryable properties."
        )
    _crs84_only(request, "crs")
    queryset = collection.queryset()
    if paged:
        _crs84_only(request, "bbox-crs")
        bbox_raw = _single(request, "bbox")
        if bbox_raw is not None:
            box = bbox_geometry(bbox_parse(bbox_raw), crs_lookup(CRS84))
            queryset = queryset.filter(**{f"{collection.geometry_attribute}__intersects": box})
        elif request.GET.get("bbox-crs"):
            raise InvalidParameter("bbox-crs is given without bbox.")
        datetime_raw = _single(request, "datetime")
        if datetime_raw is not None:
            queryset = queryset.filter(_datetime_q(datetime_raw, collection.temporal))
        for name, queryable in queryables.items():
            raw = _single(request, name)
            if raw is not None:
                queryset = queryset.filter(equality_q(queryable, raw))
    limit = min(_integer(request, "limit", LIMIT_DEFAULT, 1), LIMIT_MAXIMUM)
    return SimpleQuery(
        queryset=queryset.order_by("pk"),  # a stable order: pages neither repeat nor skip
        limit=limit,
        offset=_integer(request, "offset", 0, 0),
        skip_geometry=_skip_geometry(request),
    )


def _limits_text_plain(paged: bool) -> str:
    if paged:
        return (
            "it takes f, bbox, bbox-crs, crs (CRS84), limit, offset, datetime, skipGeometry "
            "and its queryables."
        )
    return "a single feature takes f, crs (CRS84) and skipGeometry."
