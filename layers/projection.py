"""The hromada's projected CRS (metres), for what is measured on the ground: distances,
buffers, grids. One pair of transformations per CRS and thread (GDAL's are not safe to share
between threads); no database access."""

import functools
import threading

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry

from layers.hromada import hromada_profile


@functools.lru_cache(maxsize=64)
def _transforms(srid: int, thread: int) -> tuple[CoordTransform, CoordTransform]:
    return (
        CoordTransform(SpatialReference(4326), SpatialReference(srid)),
        CoordTransform(SpatialReference(srid), SpatialReference(4326)),
    )


def to_metres() -> CoordTransform:
    """WGS 84 → the hromada's projected CRS."""
    return _transforms(hromada_profile().projected_srid, threading.get_ident())[0]


def to_wgs84() -> CoordTransform:
    """The hromada's projected CRS → WGS 84."""
    return _transforms(hromada_profile().projected_srid, threading.get_ident())[1]


def in_metres(geom: GEOSGeometry) -> GEOSGeometry:
    """A copy of a WGS 84 geometry in the hromada's projected CRS."""
    return geom.transform(to_metres(), clone=True)


def in_wgs84(geom: GEOSGeometry) -> GEOSGeometry:
    """A copy of a geometry in the hromada's projected CRS, in WGS 84."""
    return geom.transform(to_wgs84(), clone=True)
