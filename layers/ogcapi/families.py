"""The collections of open data: one per registry, or one per geometry family of a registry
that mixes them.

GIS tools type a layer by its first feature: QGIS reads a collection of 81 points and 35
polygons as a polygon layer and draws only the polygons; a Shapefile holds one kind of
geometry. So a registry whose records are points and polygons (heritage) is published as one
collection per family — ``heritage.points``, ``heritage.polygons`` — with the same feature ids,
each with its own downloads. The registry's own id still answers (for clients that take mixed
layers, and for links made before), but is not listed among the collections.

A family view is the registry entry itself with a narrower public queryset and geometry list
(``Registry.geometry_only``), so every reader of the OGC API takes it as it takes a registry.
A dot separates the family: registry ids are slugs and never contain one.
"""

import dataclasses
import functools
from dataclasses import dataclass

from django.db.models import F, Func, IntegerField
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from layers.registry import Registry, public_registries, public_registry_get

SEPARATOR = "."


@dataclass(frozen=True)
class Family:
    dimension: int  # ST_Dimension of its geometries
    suffix: str  # in the collection id and file names
    title: object  # lazy text
    types: tuple[str, ...]  # the GeoJSON types of the family, single first


FAMILIES = (
    Family(0, "points", _("points"), ("Point", "MultiPoint")),
    Family(1, "lines", _("lines"), ("LineString", "MultiLineString")),
    Family(2, "polygons", _("areas"), ("Polygon", "MultiPolygon")),
)


def registry_families(registry: Registry) -> list[tuple[Family, tuple[str, ...]]]:
    """The families the registry's geometries belong to, with its types in each."""
    found = []
    for family in FAMILIES:
        types = tuple(t for t in family.types if t in registry.geometry_types)
        if types:
            found.append((family, types))
    return found


def promote_to_multi(registry: Registry) -> bool:
    """Whether features are written as Multi*: a family that takes both a single and a
    multi type (Polygon and MultiPolygon) is then one type for every client."""
    families = registry_families(registry)
    return len(families) == 1 and len(families[0][1]) > 1


def _narrowed(annotate, dimension: int):
    def annotate_view(queryset):
        if annotate is not None:
            queryset = annotate(queryset)
        return queryset.annotate(
            ogc_dimension=Func(
                F("public_geom"), function="ST_Dimension", output_field=IntegerField()
            )
        ).filter(ogc_dimension=dimension)

    return annotate_view


# Keyed by the entry itself: a data-defined registry gets a new entry when it changes.
@functools.lru_cache(maxsize=256)
def family_views(registry: Registry) -> tuple[Registry, ...]:
    """One view per geometry family of a mixed registry; () for a registry of one family."""
    families = registry_families(registry)
    if len(families) < 2:
        return ()
    return tuple(
        dataclasses.replace(
            registry,
            id=f"{registry.id}{SEPARATOR}{family.suffix}",
            title=format_lazy("{} — {}", registry.title, family.title),
            annotate=_narrowed(registry.annotate, family.dimension),
            geometry_only=types,
        )
        for family, types in families
    )


def is_family_view(registry: Registry) -> bool:
    return bool(registry.geometry_only)


def base_id(registry: Registry) -> str:
    """The id of the registry a collection shows (itself, or the one it is a view of)."""
    return registry.id.split(SEPARATOR, 1)[0]


def published_collections() -> list[Registry]:
    """The collections listed in ``/collections`` and the catalogue, in registry order."""
    listed = []
    for registry in public_registries():
        listed.extend(family_views(registry) or (registry,))
    return listed


def collection_get(collection_id: str) -> Registry:
    """The collection with this id (a registry or a family view); KeyError if none."""
    registry_id, _dot, suffix = collection_id.partition(SEPARATOR)
    registry = public_registry_get(registry_id)
    if not suffix:
        return registry
    for view in family_views(registry):
        if view.id == collection_id:
            return view
    raise KeyError(collection_id)
