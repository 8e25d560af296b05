"""A registry as a whole: its change stamp, the extent of its public geometries and the
span of their changes (aggregated once per worker per state of the registry)."""

import datetime
from dataclasses import dataclass

from django.contrib.gis.db.models import Extent
from django.db.models import Count, Max, Min, Q

from layers.registry import Registry
from layers.selectors.public import registry_public_queryset
from layers.selectors.stamps import Stamp, cached_for_stamp, registry_stamp


@dataclass(frozen=True)
class CollectionSummary:
    stamp: Stamp
    bbox: tuple[float, float, float, float] | None  # CRS84, of the published geometries
    # The span of the registry's own time (``Registry.temporal``: a tree's life, a listing
    # date, else the last change): the temporal extent; None: open or unknown.
    first_time: datetime.date | datetime.datetime | None
    last_time: datetime.date | datetime.datetime | None
    has_time: bool = False  # any published record has a time at all
    first_published: datetime.datetime | None = None  # the oldest published record's creation


def collection_summary(registry: Registry) -> CollectionSummary:
    """The stamp, the spatial extent of the public geometries and the span of their time
    (the aggregate runs once per worker per state of the registry)."""
    stamp = registry_stamp(registry)
    first, last = (
        _attribute(registry, registry.temporal[0]),
        _attribute(registry, registry.temporal[-1]),
    )

    def aggregate():
        aggregates = {
            "first": Min(first),
            "last": Max(last),
            "extent": Extent("public_geom"),
            "timed": Count("pk", filter=Q(**{f"{first}__isnull": False})),
            "created": Min("created_at"),
        }
        if len(registry.temporal) == 2:  # an interval still running has no end yet
            aggregates["running"] = Count("pk", filter=Q(**{f"{last}__isnull": True}))
        row = registry_public_queryset(registry).aggregate(**aggregates)
        end = None if row.get("running") else row["last"]
        return row["extent"], row["first"], end, bool(row["timed"]), row["created"]

    extent, start, end, timed, created = cached_for_stamp("summary", registry, stamp, aggregate)
    return CollectionSummary(stamp, extent, start, end, timed, created)


def _attribute(registry: Registry, name: str) -> str:
    return registry.properties[name]
