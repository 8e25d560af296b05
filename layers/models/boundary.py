"""The hromada and its boundary, and the check every write makes against it: a record's
geometry must lie inside the boundary plus the configured margin. The check lives with the
model it reads, so the geometry validator (``layers.geometry``) needs no database."""

import contextlib
import contextvars
import functools
import threading

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.gis.geos.prepared import PreparedGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layers.hromada import hromada_profile
from layers.projection import to_metres, to_wgs84


class Hromada(models.Model):
    """A territorial community (hromada) and its boundary: the area the registries cover."""

    code = models.CharField(_("KATOTTH code"), max_length=19, unique=True)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    geom = models.MultiPolygonField(_("boundary"), srid=4326)
    source = models.CharField(_("source"), max_length=300)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hromada")
        verbose_name_plural = _("hromadas")

    def __str__(self) -> str:
        return self.name_uk


# GEOS prepared geometries and GDAL transformations are not safe to use from two threads at
# once (a threaded gunicorn worker crashed with SIGSEGV): each thread builds its own, keyed by
# its id (a worker's threads live as long as it does).
@functools.lru_cache(maxsize=32)
def _accepted_area(code: str, updated_at, margin_m: float, thread: int) -> PreparedGeometry:
    boundary = Hromada.objects.only("geom").get(code=code).geom
    projected = boundary.transform(to_metres(), clone=True)
    return projected.buffer(margin_m).prepared


# How far the WGS 84 copies of the accepted area (below) stay inside and outside it: more
# than the few metres by which a reprojected edge bends, far less than the margin.
_BAND_M = 20.0


@functools.lru_cache(maxsize=32)
def _accepted_bands(code: str, updated_at, margin_m: float, thread: int):
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
        inner, outer = _accepted_bands(code, updated_at, margin, threading.get_ident())
        if inner.covers(geom):
            return True
        if not outer.intersects(geom):
            return False
    area = _accepted_area(code, updated_at, margin, threading.get_ident())
    return area.covers(geom.transform(to_metres(), clone=True))


# Set on a geometry object that passed, so that the form's, the model's and the import's
# checks of one write cost one containment test.
_INSIDE = "_geoportal_inside_hromada"


def geometry_inside_hromada(geom: GEOSGeometry) -> GEOSGeometry:
    """``geom`` if it lies inside the hromada (boundary plus margin); ValidationError
    (code ``outside_hromada``) if not. Run by every record's ``clean``."""
    if getattr(geom, _INSIDE, False):
        return geom
    if not hromada_area_contains(geom):
        raise ValidationError(
            _("The geometry lies outside the hromada (over %(margin)s m beyond its boundary)."),
            code="outside_hromada",
            params={"margin": int(settings.GEOPORTAL_BOUNDARY_MARGIN_M)},
        )
    setattr(geom, _INSIDE, True)
    return geom
