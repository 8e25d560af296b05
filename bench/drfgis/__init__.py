"""A naive djangorestframework-gis endpoint, served only by the benchmark: what a typical
GeoDjango project writes first (GeoFeatureModelSerializer, no pagination)."""
