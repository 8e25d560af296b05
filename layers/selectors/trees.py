"""Reads of the green-plantings registry: near-duplicate trees and the public counts."""

import math

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Count, Func, QuerySet, Value
from django.utils.translation import gettext as _

from layers.models.base import Status
from layers.models.trees import GreenArea, Tree

_METRES_PER_DEGREE = 111_320.0


class _Geography(Func):
    """``expr::geography``: distances on the spheroid in metres."""

    template = "(%(expressions)s)::geography"

    def __init__(self, expression, **extra):
        super().__init__(
            expression, output_field=models.GeometryField(geography=True, srid=4326), **extra
        )


def _point_value(geom: GEOSGeometry) -> Value:
    return Value(geom, output_field=models.GeometryField(srid=4326))


def tree_neighbours_within(
    *, geom: GEOSGeometry, distance_m: float | None = None, exclude: Tree | int | None = None
) -> QuerySet[Tree]:
    """Standing trees within ``distance_m`` metres of ``geom`` (nearest first), each with
    ``distance`` in metres: candidates for a duplicate-digitising warning.

    The distance defaults to GEOPORTAL_TREE_DUPLICATE_DISTANCE_M.
    """
    if distance_m is None:
        distance_m = settings.GEOPORTAL_TREE_DUPLICATE_DISTANCE_M
    geom = geom.clone()
    geom.srid = geom.srid or 4326
    # A degree box that surely contains the circle lets the GiST index on geom do the
    # first cut; the spheroid distance then decides exactly.
    lat = min(max(abs(geom.extent[1]), abs(geom.extent[3])), 89.0)
    degrees = distance_m / (_METRES_PER_DEGREE * math.cos(math.radians(lat)))
    exact = Func(
        _Geography("geom"),
        _Geography(_point_value(geom)),
        Value(float(distance_m)),
        function="ST_DWithin",
        output_field=models.BooleanField(),
    )
    distance = Func(
        _Geography("geom"),
        _Geography(_point_value(geom)),
        function="ST_Distance",
        output_field=models.FloatField(),
    )
    queryset = (
        Tree.objects.filter(removed_on__isnull=True, geom__dwithin=(geom, degrees * 1.01))
        .filter(exact)
        .annotate(distance=distance)
        .order_by("distance", "id")
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=getattr(exclude, "pk", exclude))
    return queryset


def tree_counts_within(
    *, geom: GEOSGeometry, queryset: QuerySet[Tree] | None = None
) -> dict[str, object]:
    """The public benefit figures for a polygon: standing trees in total, by condition and by
    species (most numerous first).

    ``queryset`` defaults to the published standing trees.
    """
    if queryset is None:
        queryset = Tree.objects.filter(status=Status.PUBLISHED, removed_on__isnull=True)
    inside = queryset.filter(geom__intersects=geom)
    by_condition = {
        row["condition"]: row["count"]
        for row in inside.order_by().values("condition").annotate(count=Count("id"))
    }
    by_species = list(
        inside.order_by()
        .values("species__latin_name", "species__name_uk", "species__name_en")
        .annotate(count=Count("id"))
        .order_by("-count", "species__latin_name")
    )
    return {
        "total": sum(by_condition.values()),
        "hazardous": inside.filter(is_hazardous=True).count(),
        "by_condition": by_condition,
        "by_species": by_species,
    }


def green_area_tree_counts(
    *, green_area: GreenArea, queryset: QuerySet[Tree] | None = None
) -> dict[str, object]:
    """:func:`tree_counts_within` for one green area, with its area."""
    counts = tree_counts_within(geom=green_area.geom, queryset=queryset)
    return {"area_m2": green_area.area_m2, **counts}


def tree_duplicate_warnings(*, geom, exclude=None) -> list[str]:
    """A new or moved tree close to another one: probably digitised twice."""
    if geom.geom_type != "Point":
        return []
    warnings = []
    for tree in tree_neighbours_within(geom=geom, exclude=exclude)[:5]:
        warnings.append(
            _("Another tree (%(name)s) stands %(distance).1f m away: is this a duplicate?")
            % {"name": str(tree), "distance": tree.distance}
        )
    return warnings
