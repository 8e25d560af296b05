"""Deterministic demo content for every registry, inside the real hromada boundary.

Each registry has a module here with ``generate(ctx) -> dict[str, int]`` (counts by model).
Records get deterministic public ids (``ctx.public_id``) and are upserted on them, so running
the generator again with the same options changes nothing. Every record says in ``source``
that it is demo data.
"""

import math
import random
import uuid
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry, Point, Polygon

from layers.hromada import hromada_profile
from layers.models import Hromada
from layers.projection import to_metres, to_wgs84

DEMO_SOURCE = "Демо-дані, згенеровані geoportal (не є реальними даними) / demo data, generated"
DEMO_NAMESPACE = uuid.UUID("5f0e2d7c-3a59-4b8e-9c61-2f4d7a1b0c35")


@dataclass
class DemoContext:
    """Shared state of one generator run: seeded randomness and the hromada's geometry.

    Work in metres: ``boundary_m`` and ``core_m`` are in the hromada's projected CRS
    (UCS-2000 Gauss-Kruger for Khmelnytskyi); ``to_wgs84`` brings geometries back.
    """

    seed: int = 20261123
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        profile = hromada_profile()
        self._to_m, self._to_wgs = to_metres(), to_wgs84()
        boundary = Hromada.objects.get(code=profile.code).geom
        self.boundary_m = boundary.transform(self._to_m, clone=True)
        lat, lon = profile.map_center
        self.centre_m = Point(lon, lat, srid=4326).transform(self._to_m, clone=True)
        # The urban core: a disc around the map centre, clipped to the boundary and kept
        # 100 m inside it so that generated points never sit on the line.
        inner = self.boundary_m.buffer(-100)
        self.core_m = self.centre_m.buffer(4000, quadsegs=16).intersection(inner)
        self.inner_m = inner
        self._prepared_inner = inner.prepared

    def rng_for(self, part: str) -> random.Random:
        """A random source of its own per part, so that changing one count (say --trees)
        leaves every other registry's demo data as it was."""
        return random.Random(f"{self.seed}:{part}")

    def public_id(self, registry: str, number: int) -> uuid.UUID:
        """A stable public id for the n-th generated record of a registry."""
        return uuid.uuid5(DEMO_NAMESPACE, f"{registry}:{number}")

    def random_point_m(self, rng: random.Random, *, core_share: float = 0.8) -> Point:
        """A point inside the hromada (metres); most of them in the urban core."""
        area = self.core_m if rng.random() < core_share else self.inner_m
        xmin, ymin, xmax, ymax = area.extent
        prepared = area.prepared
        while True:
            p = Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax), srid=area.srid)
            if prepared.contains(p):
                return p

    def inside(self, geom_m: GEOSGeometry) -> bool:
        return self._prepared_inner.contains(geom_m)

    def blob_m(
        self, rng: random.Random, centre: Point, radius: float, *, vertices: int = 12
    ) -> Polygon:
        """An irregular, valid polygon of about ``radius`` metres around ``centre``."""
        ring = []
        for i in range(vertices):
            angle = 2 * math.pi * i / vertices
            r = radius * rng.uniform(0.7, 1.0)
            ring.append((centre.x + r * math.cos(angle), centre.y + r * math.sin(angle)))
        ring.append(ring[0])
        return Polygon(ring, srid=centre.srid)

    def to_wgs84(self, geom_m: GEOSGeometry) -> GEOSGeometry:
        geom = geom_m.transform(self._to_wgs, clone=True)
        # Six decimals (~10 cm) like a surveyed point; keeps the output stable across runs.
        return (
            GEOSGeometry(geom.wkb, srid=4326)
            if geom.geom_type != "Point"
            else Point(round(geom.x, 7), round(geom.y, 7), srid=4326)
        )
