"""OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS; Part 3 queryables
and a CQL2-text filter) for every registry of ``layers.registry.REGISTRIES``, plus whole-layer
downloads and a DCAT catalogue.

Every read starts from ``layers.selectors.public.registry_public_queryset`` so that only
published records and public properties ever leave the database. GeoJSON is built by PostGIS
and streamed (``geojson.py``); nothing here holds a whole layer in memory.
"""
