"""Reads of the hromada's boundary for pages and maps (the containment check of every
write is the boundary model's: ``layers.models.boundary``)."""

import json

from django.contrib.gis.db.models.functions import AsGeoJSON

from layers.hromada import hromada_profile
from layers.models import Hromada


def hromada_boundary_geojson() -> dict | None:
    """Return the configured hromada's boundary as a GeoJSON geometry, or None if not loaded."""
    row = (
        Hromada.objects.filter(code=hromada_profile().code)
        .annotate(geojson=AsGeoJSON("geom", precision=6))
        .values_list("geojson", flat=True)
        .first()
    )
    return json.loads(row) if row else None
