"""Bounding boxes from clients (``bbox``, ``BBOX()`` in filters) as geometries to intersect."""

import math

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.db import DatabaseError, connection, transaction

from layers.bbox import BBoxError, bbox_numbers
from layers.ogcapi.crs import CRS
from layers.ogcapi.exceptions import InvalidParameter


def bbox_parse(text: str) -> tuple[float, ...]:
    """``minx,miny,maxx,maxy`` (or six numbers with heights) as floats; 400 otherwise."""
    try:
        return bbox_numbers(text, heights=True)
    except BBoxError as exc:
        raise InvalidParameter(f"bbox={text!r}: {exc}.") from None


def bbox_geometry(numbers: tuple[float, ...], crs: CRS, *, parameter: str = "bbox"):
    """The box as a (multi)polygon in the CRS's SRID, checked against the CRS's range.

    Corners come in the CRS's axis order (lat, lon for EPSG:4326). A geographic box whose
    west edge is east of its east edge crosses the antimeridian (Part 1, bbox) and becomes two.
    """
    if len(numbers) == 6:
        numbers = (numbers[0], numbers[1], numbers[3], numbers[4])
    low1, low2, high1, high2 = numbers
    for low, high, (min_value, max_value) in (
        (low1, high1, crs.bounds[0]),
        (low2, high2, crs.bounds[1]),
    ):
        for value in (low, high):
            if not min_value <= value <= max_value:
                raise InvalidParameter(
                    f"{parameter}: {value} is outside the valid range "
                    f"[{min_value}, {max_value}] of {crs.uri}."
                )
    if crs.first_axis_north:
        south, west, north, east = low1, low2, high1, high2
    else:
        west, south, east, north = low1, low2, high1, high2
    if south > north:
        raise InvalidParameter(f"{parameter}: the lower corner is north of the upper corner.")
    if west > east and not crs.geographic:
        raise InvalidParameter(f"{parameter}: the lower corner is east of the upper corner.")
    if west > east:
        parts = [
            Polygon.from_bbox((west, south, 180, north)),
            Polygon.from_bbox((-180, south, east, north)),
        ]
        geometry = MultiPolygon(*parts)
    else:
        geometry = Polygon.from_bbox((west, south, east, north))
    geometry.srid = crs.srid
    return in_wgs84(geometry, parameter=parameter)


def in_wgs84(geometry, *, parameter: str):
    """A client's geometry moved to WGS 84 by PostGIS now, before any response starts: a
    box inside a projected CRS's numeric range may still lie outside what its projection
    maps, and PostGIS would refuse it only while a stream is under way (a 200 cut short)."""
    if geometry.srid == 4326:
        return geometry
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT ST_AsHEXEWKB(ST_Transform(ST_GeomFromEWKB(%s), 4326))",
                [bytes(geometry.ewkb)],
            )
            (ewkb,) = cursor.fetchone()
    except DatabaseError:
        raise InvalidParameter(
            f"{parameter}: this geometry lies outside the area its CRS (EPSG:{geometry.srid}) "
            "maps; give coordinates in the CRS's zone."
        ) from None
    moved = GEOSGeometry(ewkb)
    if moved.empty or not all(math.isfinite(v) for v in moved.extent):
        raise InvalidParameter(f"{parameter}: this geometry cannot be moved to WGS 84.")
    return moved
