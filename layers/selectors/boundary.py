import contextlib
import contextvars
import functools
import json

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.gis.geos.prepared import PreparedGeometry

from layers.hromada import hromada_profile
from layers.models import Hromada
from layers.projection import to_metres, to_wgs84


def hromada_boundary_geojson() -> dict | None:
    """Return the configured hromada's boundary as a GeoJSON geometry, or None if not loaded."""
    row = (
        Hromada.objects.filter(code=hromada_profile().code)
        .annotate(geojson=AsGeoJSON("geom", precision=6))
        .values_list("geojson", flat=True)
        .first()
    )
    return json.loads(row) if row else None


@functools.lru_cache(maxsize=4)
def _accepted_area(code: str, updated_at, margin_m: float) -> PreparedGeometry:
    boundary = Hromada.objects.only("geom").get(code=code).geom
    projected = boundary.transform(to_metres(), clone=True)
    return projected.buffer(margin_m).prepared


# How far the WGS 84 copies of the accepted area (below) stay inside and outside it: more
# than the few metres by which a reprojected edge bends, far less than the margin.
_BAND_M = 20.0


@functools.lru_cache(maxsize=4)
def _accepted_bands(code: str, updated_at, margin_m: float):
    """The accepted area shrunk and grown by ``_BAND_M``, in WGS 84: a geometry inside the
    first is accepted and one outside the second refused without reprojecting it (a bulk
    import checks thousands); only those in between are decided exactly."""
    boundary = Hromada.objects.only("geom").get(code=code).geom
    projected = boundary.transform(to_metres(), clone=True)
    back = to_wgs84()
    inner = projected.buffer(margin_m - _BAND_M)
    outer = projected.buffer(margin_m + _BAND_M)
    return inner.transform(back, clone=True).prepared, outer.transform(back, clone=True).prepared


# Within ``boundary_pinned()`` (a bulk import checking thousands of rows) the boundary's
# version is looked up once, not once per geometry.
_pinned: contextvars.ContextVar = contextvars.ContextVar("geoportal_boundary_version", default=None)


@contextlib.contextmanager
def boundary_pinned():
    """Check many geometries against the boundary as it is when the block starts."""
    token = _pinned.set(_boundary_version(hromada_profile().code))
    try:
        yield
    finally:
        _pinned.reset(token)


def _boundary_version(code: str):
    return Hromada.objects.filter(code=code).values_list("updated_at", flat=True).first()


def hromada_area_contains(geom: GEOSGeometry) -> bool:
    """Whether a WGS 84 geometry lies inside the hromada boundary plus the configured margin.

    The buffered boundary is built once per boundary version (``updated_at``) and process.
    """
    code = hromada_profile().code
    updated_at = _pinned.get() or _boundary_version(code)
    if updated_at is None:
        raise Hromada.DoesNotExist(f"The boundary of hromada {code} is not loaded (load_boundary).")
    margin = settings.GEOPORTAL_BOUNDARY_MARGIN_M
    if margin > 2 * _BAND_M:
        inner, outer = _accepted_bands(code, updated_at, margin)
        if inner.covers(geom):
            return True
        if not outer.intersects(geom):
            return False
    area = _accepted_area(code, updated_at, margin)
    return area.covers(geom.transform(to_metres(), clone=True))
