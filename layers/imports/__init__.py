"""File readers of the bulk import: turn an uploaded file into rows, safely.

``layers.imports.readers`` is the public interface: ``inspect`` names the format (by content,
never by extension alone), the layers, columns, encoding and coordinate system of an upload;
``read_rows`` streams its rows with geometries in WGS 84. GeoJSON, zipped Shapefile,
GeoPackage and KML are read by GDAL's ``ogr2ogr`` in a subprocess (one input driver, a cleaned
environment, server-made file names in a temporary directory); CSV and XLSX by Python
(``csv``, openpyxl). Archives are checked before anything is extracted. Every refusal is an
``ImportFileError`` with a sentence for the user and a short code.
"""
