"""A registry's change stamp (when its published set last changed), read from the stamps the
database triggers keep (``models.stamps``), and what is cached against it."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as memoize

from django.apps import apps
from django.core.cache import cache
from django.db.models import Max, Sum

from layers.models import ChangeStamp
from layers.registry import Registry, registry_get
from layers.selectors.public import registry_public_queryset

# Values cached against a stamp never go stale (a change makes a new key): keep them a day.
CACHED_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Stamp:
    """What changes whenever the published set of a registry may have changed."""

    last_modified: datetime.datetime | None
    changes: int

    def __str__(self) -> str:
        moment = self.last_modified.isoformat() if self.last_modified else "-"
        return f"{moment}/{self.changes}"


def stamp_tables(registry: Registry) -> tuple[str, ...]:
    """The stamp rows that watch what the registry's public queryset reads: its own table
    and every joined one, as its SQL names them — exactly the tables whose changes can
    change what the public sees. A registry that shares its table with others (those
    defined as data) watches its own rows of it (``table:scope``) and its definition. An
    open-data view of one geometry family (``heritage.points``) reads its registry's."""
    return _stamp_tables(registry.id.partition(".")[0], registry.stamp_scope)


@memoize
def _stamp_tables(registry_id: str, scope: str) -> tuple[str, ...]:
    registry = registry_get(registry_id)
    sql = str(registry_public_queryset(registry).query)
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    found = set(re.findall(r'"(\w+)"', sql)) & tables
    if scope:
        from layers.datasets.registry import DEFINITION_TABLES

        own = registry.model._meta.db_table
        found = (found - {own}) | {f"{own}:{scope}", *DEFINITION_TABLES}
    return tuple(sorted(found))


def registry_stamp(registry: Registry) -> Stamp:
    """A few primary-key lookups, however big the layer."""
    row = ChangeStamp.objects.filter(table_name__in=stamp_tables(registry)).aggregate(
        last=Max("changed_at"), changes=Sum("changes")
    )
    return Stamp(row["last"], row["changes"] or 0)


def combined_stamp(stamps: list[Stamp]) -> Stamp:
    """One stamp for documents about several registries (/collections, the catalogue)."""
    moments = [s.last_modified for s in stamps if s.last_modified]
    return Stamp(max(moments) if moments else None, sum(s.changes for s in stamps))


def cached_for_stamp(name: str, registry: Registry, stamp: Stamp, compute: Callable):
    """``compute()`` once per worker per state of the registry (a count, an extent)."""
    key = f"geoportal:{name}:{registry.id}:{stamp}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHED_SECONDS)
    return value


def public_count(registry: Registry, stamp: Stamp) -> int:
    return cached_for_stamp(
        "count", registry, stamp, lambda: registry_public_queryset(registry).count()
    )
