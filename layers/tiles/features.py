"""The public record behind a tile feature, for the map's popup.

Tiles carry each feature's primary key as its MVT ``id`` and only what the style reads;
a click asks for the rest here. The lookup starts from the public queryset, so an id of a
draft, an archived record, a record of a non-public registry or no record at all are the
same "not found": nobody learns which unpublished ids exist.
"""

import datetime
import uuid
from decimal import Decimal

from django.db.models import F

from layers.registry import Registry
from layers.selectors.public import registry_public_queryset


def popup_properties(registry: Registry) -> tuple[str, ...]:
    """What a popup shows and titles itself with, in the registry's public names."""
    badge = registry.status_badge
    wanted = (
        "name",
        *registry.title_properties,
        *registry.popup,
        *((badge.property, badge.date_property) if badge else ()),
    )
    return tuple(name for name in dict.fromkeys(wanted) if name in registry.properties)


def _tile_value(value):
    """A value as the tiles encoded it before: the popup's JavaScript reads that form."""
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def feature_get(registry: Registry, *, fid: int | None = None, public_id=None) -> dict | None:
    """The published record with primary key ``fid`` (or ``public_id``) as the popup
    needs it: ``fid``, public ``id`` and ``properties``; None when there is no such
    published record."""
    names = popup_properties(registry)
    renamed = {f"p_{name}": F(registry.properties[name]) for name in names}
    queryset = registry_public_queryset(registry)
    queryset = queryset.filter(pk=fid) if fid is not None else queryset.filter(public_id=public_id)
    row = queryset.order_by().values("pk", "public_id", **renamed).first()
    if row is None:
        return None
    properties = {name: _tile_value(row[f"p_{name}"]) for name in names}
    return {
        "fid": row["pk"],
        "id": str(row["public_id"]),
        "properties": {k: v for k, v in properties.items() if v is not None and v != ""},
    }
