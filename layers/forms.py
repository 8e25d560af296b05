from django.contrib.gis import forms
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

from layers.geometry import geometry_validate


class RegistryGeometryField(forms.GeometryField):
    """A form geometry field that runs the one geometry validator on the raw GeoJSON.

    Django's own field hands the submitted text to GDAL/GEOS first; ours checks the
    coordinates before any C library sees them (see layers/geometry.py).
    """

    def __init__(self, *, geometry_types: tuple[str, ...] = (), **kwargs):
        self.geometry_types = geometry_types
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, GEOSGeometry):
            value = geometry_validate(value, types=self.geometry_types)
        return super().to_python(value)

    def clean(self, value):
        geom = self.to_python(value)
        # A polygon drawn on the map for a multipolygon field is one part of it.
        if geom is not None and self.geom_type == "MULTIPOLYGON" and geom.geom_type == "Polygon":
            geom = MultiPolygon(geom, srid=geom.srid)
        return super().clean(geom)
