"""A registry as a whole: its change stamp, the extent of its public geometries and the
span of their changes (aggregated once per worker per state of the registry)."""

import datetime
from dataclasses import dataclass

from django.contrib.gis.db.models import Extent
from django.db.models import Max, Min

from layers.registry import Registry
from layers.selectors.public import registry_public_queryset
from layers.selectors.stamps import Stamp, cached_for_stamp, registry_stamp


@dataclass(frozen=True)
class CollectionSummary:
    stamp: Stamp
    bbox: tuple[float, float, float, float] | None  # CRS84, of the published geometries
    # The time span of the published records' changes (the temporal extent).
    first_change: datetime.datetime | None
    last_change: datetime.datetime | None


def collection_summary(registry: Registry) -> CollectionSummary:
    """The stamp, the spatial extent of the public geometries and the span of their changes
    (the aggregate runs once per worker per state of the registry)."""
    stamp = registry_stamp(registry)

    def aggregate():
        row = registry_public_queryset(registry).aggregate(
            first=Min("updated_at"), last=Max("updated_at"), extent=Extent("public_geom")
        )
        return row["extent"], row["first"], row["last"]

    extent, first, last = cached_for_stamp("summary", registry, stamp, aggregate)
    return CollectionSummary(stamp, extent, first, last)
