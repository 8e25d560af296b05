"""Distances on the map: a position from a request, and records by how far they are from it.

Records are ordered by PostGIS's ``<->`` on geography (the distance on the sphere): on
geometry in degrees ``<->`` would rank a point 0.001° east (72 m at Khmelnytskyi's
latitude) as far as one 0.001° north (111 m). The metres shown are ``ST_Distance`` on
geography, measured on the WGS 84 spheroid. Where the public geometry is the stored one,
a GiST index on ``geom::geography`` (migration 0014) lets PostgreSQL walk the records
nearest first (KNN) instead of measuring every one; the list's visible extent narrows
them besides. The order has no second key: PostgreSQL walks the index only for an order
by the distance alone.
"""

import math

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import Point
from django.db.models import F, FloatField, Func, QuerySet, Value

from layers.selectors.map_filters import MapFilterError


def point_parse(raw: str, *, name: str = "near") -> Point:
    """``lat,lon`` in WGS 84 degrees → a point; ``MapFilterError`` naming ``name`` if not."""
    parts = raw.split(",")
    try:
        if len(parts) != 2 or max(len(part) for part in parts) > 32:
            raise ValueError
        lat, lon = (float(part) for part in parts)
    except ValueError:
        raise MapFilterError(f"{name}: expected latitude,longitude in degrees") from None
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        raise MapFilterError(f"{name}: latitude -90 to 90, longitude -180 to 180")
    return Point(lon, lat, srid=4326)


class _SphereDistance(Func):
    """``a::geography <-> b::geography``: metres on the sphere, PostGIS's KNN operator."""

    template = "(%(expressions)s::geography)"
    arg_joiner = "::geography <-> "
    output_field = FloatField()


class _SpheroidDistance(Func):
    """``ST_Distance(a::geography, b::geography)``: metres on the WGS 84 spheroid."""

    template = "ST_Distance(%(expressions)s::geography)"
    arg_joiner = "::geography, "
    output_field = FloatField()


def by_distance(queryset: QuerySet, point: Point) -> QuerySet:
    """The records nearest ``point`` first, with ``distance_m`` annotated (metres from
    the geometry the public sees, 0 inside an area)."""
    here = Value(point, output_field=GeometryField(srid=4326))
    return (
        queryset.annotate(distance_m=_SpheroidDistance(F("public_geom"), here))
        .alias(sphere_distance=_SphereDistance(F("public_geom"), here))
        .order_by("sphere_distance")
    )
