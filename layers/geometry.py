"""The one geometry validator: every way data comes in (admin, forms, API, importers) uses it.

A geometry is accepted only if it is GeoJSON-shaped or a GEOS geometry in WGS 84 with finite
2D coordinates, of an expected type, under the vertex cap and valid (nothing is repaired
silently). It reads no database: whether the geometry lies inside the hromada is the
boundary model's check (``layers.models.boundary.geometry_inside_hromada``), which every
record's ``clean`` runs once per write. Coordinates are checked in Python
*before* GEOS sees them: GEOS on Debian 12 aborts the whole process when it writes a coordinate
near 1e200 as WKT.
"""

import json
import math
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import (
    GEOSException,
    GEOSGeometry,
    LinearRing,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_GEOJSON_BYTES = 2 * 1024 * 1024
# Set on a geometry this validator returned, with the types it was checked for: the same
# object handed in again (the model's clean after the form's) is not checked twice.
_CHECKED = "_geoportal_checked_types"


def _error(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _position(value: Any) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise _error(_("A position must be a [longitude, latitude] pair."), "bad_position")
    if len(value) > 2:
        raise _error(_("Only 2D coordinates are accepted (no height or measure)."), "not_2d")
    lon, lat = value
    for number in (lon, lat):
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise _error(_("Coordinates must be numbers."), "bad_position")
        if isinstance(number, int) and abs(number) > 1000:
            # Before anything makes it a float: a 400-digit integer does not fit one.
            raise _error(
                _("Coordinates %(lon)s, %(lat)s are not a longitude and latitude in WGS 84."),
                "out_of_range",
                lon=str(lon)[:20],
                lat=str(lat)[:20],
            )
        if not math.isfinite(number):
            raise _error(_("Coordinates must be finite numbers."), "not_finite")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _error(
            _("Coordinates %(lon)s, %(lat)s are not a longitude and latitude in WGS 84."),
            "out_of_range",
            lon=lon,
            lat=lat,
        )
    return float(lon), float(lat)


def _ring(value: Any) -> LinearRing:
    if not isinstance(value, list | tuple) or len(value) < 4:
        raise _error(_("A polygon ring needs at least four positions."), "bad_ring")
    positions = [_position(p) for p in value]
    if positions[0] != positions[-1]:
        raise _error(_("A polygon ring must end where it starts."), "ring_not_closed")
    return LinearRing(positions)


def _parts(value: Any, what: str) -> Sequence:
    if not isinstance(value, list | tuple) or not value:
        raise _error(_("The geometry has no coordinates (%(what)s)."), "empty", what=what)
    return value


_BUILDERS = {
    "Point": lambda c: Point(_position(c)),
    "MultiPoint": lambda c: MultiPoint([Point(_position(p)) for p in _parts(c, "MultiPoint")]),
    "LineString": lambda c: LineString([_position(p) for p in _parts(c, "LineString")]),
    "MultiLineString": lambda c: MultiLineString(
        [LineString([_position(p) for p in _parts(line, "line")]) for line in _parts(c, "lines")]
    ),
    "Polygon": lambda c: Polygon(*[_ring(r) for r in _parts(c, "Polygon")]),
    "MultiPolygon": lambda c: MultiPolygon(
        [Polygon(*[_ring(r) for r in _parts(p, "polygon")]) for p in _parts(c, "MultiPolygon")]
    ),
}


def _from_geojson(data: Any) -> GEOSGeometry:
    if isinstance(data, str | bytes):
        if len(data) > MAX_GEOJSON_BYTES:
            raise _error(_("The geometry is too large."), "too_large")
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            raise _error(_("The geometry is not valid GeoJSON."), "not_geojson") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise _error(_("The geometry is not a GeoJSON geometry object."), "not_geojson")
    if "crs" in data:
        raise _error(
            _("GeoJSON geometries must not carry a 'crs' member; coordinates are WGS 84."), "crs"
        )
    builder = _BUILDERS.get(data["type"])
    if builder is None:
        raise _error(
            _("Geometry type %(type)s is not accepted."), "wrong_type", type=data["type"][:40]
        )
    if "coordinates" not in data:
        raise _error(_("The geometry has no coordinates."), "empty")
    try:
        geom = builder(data["coordinates"])
    except (GEOSException, TypeError, ValueError):
        raise _error(_("The geometry's coordinates are malformed."), "malformed") from None
    geom.srid = 4326
    return geom


def _check_geos(geom: GEOSGeometry) -> GEOSGeometry:
    if geom.srid not in (None, 4326):
        raise _error(_("Geometries must be in WGS 84 (EPSG:4326)."), "wrong_srid")
    if geom.hasz:
        raise _error(_("Only 2D coordinates are accepted (no height or measure)."), "not_2d")
    if not geom.empty:
        coords = geom.coords
        # Flatten nested coordinate tuples without writing WKT.
        stack = [coords]
        while stack:
            item = stack.pop()
            if item and isinstance(item[0], int | float):
                _position(list(item))
            else:
                stack.extend(item)
    geom.srid = 4326
    return geom


def geometry_validate(
    value: Any, *, types: Sequence[str], max_vertices: int | None = None
) -> GEOSGeometry:
    """Return ``value`` as a checked WGS 84 GEOS geometry, or raise ValidationError.

    ``value`` is a GeoJSON geometry (dict or text) or a GEOS geometry; ``types`` lists the
    accepted GeoJSON type names.
    """
    if value is None or value == "":
        raise _error(_("A geometry is required."), "required")
    if isinstance(value, GEOSGeometry) and getattr(value, _CHECKED, None) == tuple(types):
        return value  # this very object passed (a form's, then the model's clean)
    if isinstance(value, GEOSGeometry):
        geom = _check_geos(value)
    else:
        geom = _from_geojson(value)
    if geom.empty:
        raise _error(_("The geometry is empty."), "empty")
    if types and geom.geom_type not in types:
        raise _error(
            _("Expected %(expected)s, got %(type)s."),
            "wrong_type",
            expected=" / ".join(types),
            type=geom.geom_type,
        )
    cap = max_vertices or settings.GEOPORTAL_MAX_VERTICES
    if geom.num_points > cap:
        raise _error(
            _("The geometry has %(count)s vertices; at most %(cap)s are accepted."),
            "too_many_vertices",
            count=geom.num_points,
            cap=cap,
        )
    if not geom.valid:
        raise _error(
            _("The geometry is not valid (%(reason)s); correct it, nothing is repaired."),
            "invalid",
            reason=geom.valid_reason,
        )
    setattr(geom, _CHECKED, tuple(types))
    return geom
