"""The coordinate reference systems the API serves (OGC API – Features Part 2).

An allowlist: a client's ``crs``/``bbox-crs``/``filter-crs`` is looked up here and never handed
to GDAL or PROJ as a string. Axis order follows the CRS definition, as Part 2 requires:
EPSG:4326 and EPSG:5561 are latitude first, the Gauss–Krüger zones (EPSG:5562–5565) northing
first; CRS84 and EPSG:3857 are easting first.
"""

import functools
from dataclasses import dataclass

from layers.hromada import hromada_profile

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{code}"
STORAGE_SRID = 4326


@dataclass(frozen=True)
class CRS:
    uri: str
    srid: int  # the PostGIS SRID coordinates are transformed to
    first_axis_north: bool  # axis order: True = (lat, lon) / (northing, easting)
    geographic: bool
    # Valid coordinate ranges in *axis order*: ((min1, max1), (min2, max2)).
    bounds: tuple[tuple[float, float], tuple[float, float]]

    @property
    def precision(self) -> int:
        """Decimal places in GeoJSON: ~1 cm for degrees, 1 mm for metres."""
        return 7 if self.geographic else 3


_LON = (-180.0, 180.0)
_LAT = (-90.0, 90.0)
_MERCATOR = (-20037508.3428, 20037508.3428)
# Gauss–Krüger coordinates of Ukraine: northing ~4.9–5.8e6 m, easting with the zone prefix.
_GK = (0.0, 1.0e8)

# Known EPSG codes: (first axis north, geographic, bounds in axis order).
_EPSG = {
    4326: (True, True, (_LAT, _LON)),
    3857: (False, False, (_MERCATOR, _MERCATOR)),
    5561: (True, True, (_LAT, _LON)),  # UCS-2000 geographic
    5562: (True, False, (_GK, _GK)),  # UCS-2000 / Gauss-Kruger zone 4
    5563: (True, False, (_GK, _GK)),  # zone 5
    5564: (True, False, (_GK, _GK)),  # zone 6
    5565: (True, False, (_GK, _GK)),  # zone 7
}


def _epsg(code: int) -> CRS:
    if code in _EPSG:
        north_first, geographic, bounds = _EPSG[code]
    else:  # another hromada's projected CRS: ask PROJ (a code from our own profile)
        from pyproj import CRS as ProjCRS

        definition = ProjCRS.from_epsg(code)
        north_first = definition.axis_info[0].direction == "north"
        geographic = definition.is_geographic
        bounds = (_LAT, _LON) if geographic and north_first else (_GK, _GK)
    return CRS(EPSG_URI.format(code=code), code, north_first, geographic, bounds)


@functools.cache
def supported_crs() -> dict[str, CRS]:
    """The served CRSs by URI, CRS84 (the default) first, then EPSG:4326, Web Mercator,
    UCS-2000 geographic and the hromada's projected CRS (its profile's ``projected_crs``)."""
    projected = hromada_profile().projected_srid
    systems = [CRS(CRS84, STORAGE_SRID, False, True, (_LON, _LAT))]
    systems += [_epsg(code) for code in dict.fromkeys((4326, 3857, 5561, projected))]
    return {crs.uri: crs for crs in systems}


def default_crs() -> CRS:
    return supported_crs()[CRS84]


def crs_lookup(value: str | None) -> CRS:
    """The CRS named by a URI (also accepted: ``EPSG:nnnn`` and ``[EPSG:nnnn]`` safe CURIEs);
    KeyError for anything not served."""
    if not value:
        return default_crs()
    text = value.strip().removeprefix("[").removesuffix("]")
    if text.upper().startswith("EPSG:"):
        text = EPSG_URI.format(code=text[5:])
    if text in ("OGC:CRS84", "CRS84", "http://www.opengis.net/def/crs/OGC/0/CRS84"):
        text = CRS84
    text = text.replace("https://", "http://", 1)
    return supported_crs()[text]
