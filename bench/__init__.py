"""The performance benchmark of issue 7 (`make bench`): our GeoJSON and tiles side by side
with what PostGIS alone can do, a naive drf-gis endpoint, pygeoapi and tipg, on the same
tables of a throwaway database. Nothing here is imported by the product."""
