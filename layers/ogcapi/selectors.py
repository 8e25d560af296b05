"""Reads about a collection as a whole: its change stamp and its extent."""

import datetime
from dataclasses import dataclass

from django.contrib.gis.db.models import Extent
from django.db.models import Count, Max, Min

from layers.ogcapi.queryables import GEOMETRY_ATTRIBUTE
from layers.registry import Registry
from layers.selectors.public import registry_public_queryset


@dataclass(frozen=True)
class CollectionStamp:
    """What changes whenever the published set of a collection changes: the latest change
    and the number of records (the count catches a record leaving the set)."""

    last_modified: datetime.datetime | None
    count: int

    def __str__(self) -> str:
        moment = self.last_modified.isoformat() if self.last_modified else "-"
        return f"{moment}/{self.count}"


@dataclass(frozen=True)
class CollectionSummary:
    stamp: CollectionStamp
    bbox: tuple[float, float, float, float] | None  # CRS84
    first_change: datetime.datetime | None


def collection_stamp(registry: Registry) -> CollectionStamp:
    """One aggregate over the published set (an index-only scan away from free)."""
    row = registry_public_queryset(registry).aggregate(last=Max("updated_at"), count=Count("pk"))
    return CollectionStamp(row["last"], row["count"])


def collection_summary(registry: Registry) -> CollectionSummary:
    """The stamp, the spatial extent of the public geometries and the first change."""
    row = registry_public_queryset(registry).aggregate(
        last=Max("updated_at"),
        first=Min("updated_at"),
        count=Count("pk"),
        extent=Extent(GEOMETRY_ATTRIBUTE),
    )
    return CollectionSummary(
        CollectionStamp(row["last"], row["count"]), row["extent"], row["first"]
    )


def combined_stamp(summaries: dict[str, CollectionSummary]) -> CollectionStamp:
    """One stamp for documents about every collection (/collections, the catalogue)."""
    moments = [s.stamp.last_modified for s in summaries.values() if s.stamp.last_modified]
    return CollectionStamp(
        max(moments) if moments else None, sum(s.stamp.count for s in summaries.values())
    )
