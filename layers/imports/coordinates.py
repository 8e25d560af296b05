"""Coordinate systems, numbers and geometries of table rows.

Only EPSG codes of an allowlist are accepted (the systems of Ukrainian practice): a CRS name
from a client or a file never reaches PROJ or GDAL as free text. Numbers take a comma or a dot
as decimal separator and are bounded in length; WKT is bounded in length and nesting before
GEOS parses it, and coordinates are checked to be finite before anything writes them.
"""

import math
import re
from functools import lru_cache

import numpy as np
import shapely
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from layers.imports.base import ImportFileError

ALLOWED_EPSG = frozenset(
    {
        4326,  # WGS 84
        4284,  # Pulkovo 1942 (geographic)
        3857,  # WGS 84 / Pseudo-Mercator
        *range(5561, 5566),  # UCS-2000 (geographic) and its Gauss-Kruger zones 4-7
        *range(6381, 6388),  # UCS-2000 / Ukraine TM zones 7-13
        *range(28404, 28408),  # Pulkovo 1942 / Gauss-Kruger zones 4-7
        *range(32634, 32638),  # WGS 84 / UTM zones 34N-37N
    }
)
MAX_NUMBER_CHARS = 30
MAX_WKT_CHARS = 1_000_000
MAX_WKT_DEPTH = 6  # a GeometryCollection of MultiPolygons needs 4
_EPSG = re.compile(r"(?:EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:)?(\d{4,5})", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d{1,3})?")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")


def crs_code(value: str | int | None) -> str | None:
    """``"EPSG:<code>"`` for an allowlisted code given as 5563, "5563" or "EPSG:5563"."""
    if value is None or value == "":
        return None
    match = _EPSG.fullmatch(str(value).strip())
    if match is None or int(match.group(1)) not in ALLOWED_EPSG:
        raise ImportFileError(
            _("The coordinate system %(crs)s is not accepted."),
            "crs_not_accepted",
            crs=str(value)[:60],
        )
    return f"EPSG:{int(match.group(1))}"


def crs_from_wkt(text: str) -> str:
    """The allowlisted EPSG code a file's WKT (a .prj, a GeoPackage srs) stands for."""
    try:
        crs = CRS.from_wkt(text)
    except CRSError:
        raise ImportFileError(
            _("The file's coordinate system cannot be read."), "crs_unreadable"
        ) from None
    code = crs.to_epsg(min_confidence=70)
    if code is None or code not in ALLOWED_EPSG:
        raise ImportFileError(
            _("The coordinate system %(crs)s is not accepted."),
            "crs_not_accepted",
            crs=(f"EPSG:{code}" if code else crs.name)[:80],
        )
    return f"EPSG:{code}"


@lru_cache(maxsize=32)
def _transformer(code: str) -> Transformer:
    return Transformer.from_crs(code, 4326, always_xy=True)


def parse_number(value: object) -> float | None:
    """A finite number from a cell (None when empty); ValueError with a sentence otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(gettext("a yes/no value is not a coordinate"))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).translate(_SPACES)
        if not text:
            return None
        if len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
            raise ValueError(gettext("“%(value)s” is not a number") % {"value": str(value)[:40]})
        number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(gettext("the number is not finite"))
    return number


def _lonlat_error(lon: float, lat: float) -> str | None:
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return gettext("The coordinates cannot be converted to longitude and latitude.")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return gettext(
            "The coordinates %(x)s, %(y)s are not a longitude and latitude; "
            "choose the coordinate system they are in."
        ) % {"x": lon, "y": lat}
    return None


def point(x: float, y: float, crs: str) -> tuple[dict | None, str | None]:
    """A GeoJSON point in WGS 84 from x (easting or longitude) and y in ``crs``."""
    if crs != "EPSG:4326":
        x, y = _transformer(crs).transform(x, y)
    error = _lonlat_error(x, y)
    if error:
        return None, error
    return {"type": "Point", "coordinates": [x, y]}, None


def _lists(value):
    if isinstance(value, tuple | list):
        return [_lists(item) for item in value]
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    return value


def wkt_geometry(text: str, crs: str) -> tuple[dict | None, str | None]:
    """A GeoJSON geometry in WGS 84 from WKT in ``crs`` (heights are dropped)."""
    text = text.strip()
    if len(text) > MAX_WKT_CHARS:
        return None, gettext("The WKT geometry is longer than %(limit)s characters.") % {
            "limit": MAX_WKT_CHARS
        }
    if text.count("(") > MAX_WKT_DEPTH:
        codes = np.frombuffer(text.encode("ascii", "replace"), dtype=np.uint8)
        depth = np.cumsum((codes == ord("(")).astype(np.int32) - (codes == ord(")")))
        if depth.size and depth.max() > MAX_WKT_DEPTH:
            return None, gettext("The WKT geometry is nested too deeply.")
    try:
        geometry = shapely.from_wkt(text)
    except (shapely.errors.GEOSException, ValueError, TypeError):
        return None, gettext("The WKT geometry cannot be read.")
    if geometry is None or geometry.is_empty:
        return None, gettext("The WKT geometry is empty.")
    geometry = shapely.force_2d(geometry)
    coordinates = shapely.get_coordinates(geometry)
    if not np.isfinite(coordinates).all():
        return None, gettext("The WKT geometry has coordinates that are not finite numbers.")
    if crs != "EPSG:4326":
        transformer = _transformer(crs)

        def reproject(xy):
            return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

        geometry = shapely.transform(geometry, reproject)
        coordinates = shapely.get_coordinates(geometry)
    for lon, lat in (coordinates.min(axis=0), coordinates.max(axis=0)):
        error = _lonlat_error(float(lon), float(lat))
        if error:
            return None, error
    return _lists(shapely.geometry.mapping(geometry)), None
