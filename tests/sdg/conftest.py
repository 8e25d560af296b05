"""A hand-made hromada for the SDG tests: three square settlements 400 m across (A: 1,000
residents, B: 500, C: population not known) 2 km apart, and records placed in them, so that
every expected value can be worked out by hand."""

import datetime

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from layers.projection import in_metres, in_wgs84
from layers.registry import registry_get
from sdg.loading import indicators_load
from sdg.models import Indicator, Settlement
from tests.factories import CENTRE, published_record

TODAY = datetime.date.today()


def metres_from(origin: Point, dx: float, dy: float) -> Point:
    """The point ``dx`` m east and ``dy`` m north of ``origin`` (in the projected CRS)."""
    projected = in_metres(origin)
    return in_wgs84(Point(projected.x + dx, projected.y + dy, srid=projected.srid))


def square(origin: Point, half_m: float, *, dx: float = 0, dy: float = 0) -> MultiPolygon:
    """A square ``2 * half_m`` metres across, centred ``dx``/``dy`` m from ``origin``."""
    projected = in_metres(origin)
    x, y = projected.x + dx, projected.y + dy
    ring = [
        (x - half_m, y - half_m),
        (x + half_m, y - half_m),
        (x + half_m, y + half_m),
        (x - half_m, y + half_m),
        (x - half_m, y - half_m),
    ]
    return MultiPolygon(in_wgs84(Polygon(ring, srid=projected.srid)), srid=4326)


ORIGIN = Point(*CENTRE, srid=4326)
A_CENTRE = ORIGIN
B_CENTRE = metres_from(ORIGIN, 2000, 0)
C_CENTRE = metres_from(ORIGIN, -2000, 0)


@pytest.fixture
def settlements(db):
    Settlement.objects.all().delete()
    rows = [
        ("A", 1000, square(ORIGIN, 200)),
        ("B", 500, square(ORIGIN, 200, dx=2000)),
        ("C", None, square(ORIGIN, 200, dx=-2000)),
    ]
    for key, population, geom in rows:
        Settlement.objects.create(
            key=key, name_uk=key, name_en=key, population=population, geom=geom, source="test"
        )
    return {key: Settlement.objects.get(key=key) for key, _p, _g in rows}


@pytest.fixture
def indicators(db):
    indicators_load()
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


def tree(point: Point, **values):
    return published_record(registry_get("trees"), geom=point, **values)


def near(point: Point, metres: float) -> Point:
    return metres_from(point, metres, 0)
