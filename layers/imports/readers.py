"""The readers' interface: ``inspect`` an upload, then ``read_rows`` from it.

::

    info = inspect(path, original_name="дерева.csv")
    for row in read_rows(path, info, source_crs="EPSG:5563"):
        ...  # row.number, row.values, row.geometry (GeoJSON, WGS 84), row.geometry_error

The format is decided by the file's content and must agree with the name's extension.
``read_rows`` checks the content again (the archive checks included) and refuses a file whose
format is not the one inspected. Rows stream: memory stays flat whatever the file's length.
Geometries still go through ``layers.geometry.geometry_validate`` in the import; the readers
only turn what the file says into GeoJSON in WGS 84 (2D: heights are dropped).
"""

from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from layers.imports import detect, gis, tables, workbooks
from layers.imports.base import FORMATS, GIS_FORMATS, ImportFileError, Row, SourceInfo

__all__ = ["FORMATS", "ImportFileError", "Row", "SourceInfo", "inspect", "read_rows"]


def inspect(
    path: Path,
    *,
    original_name: str,
    encoding: str | None = None,
    layer: str | None = None,
    x_column: str | None = None,
    y_column: str | None = None,
    wkt_column: str | None = None,
) -> SourceInfo:
    """Describe the uploaded file at ``path`` (named ``original_name`` by its uploader).

    ``encoding`` overrides the detected one (CSV, Shapefile DBF); ``layer`` chooses a
    GeoPackage/KML layer or an XLSX sheet (default: the first, said in ``notes``);
    ``x_column``/``y_column`` (easting or longitude / northing or latitude) or
    ``wkt_column`` override the detected geometry columns of CSV and XLSX.
    """
    path = Path(path)
    format = detect.detect_format(path, original_name)
    if format in GIS_FORMATS:
        return gis.inspect_gis(path, format, encoding=encoding, layer=layer)
    columns = {"x_column": x_column, "y_column": y_column, "wkt_column": wkt_column}
    if format == "csv":
        return tables.inspect_csv(path, encoding=encoding, **columns)
    return workbooks.inspect_xlsx(path, layer=layer, **columns)


def read_rows(path: Path, info: SourceInfo, *, source_crs: str | None = None) -> Iterator[Row]:
    """Stream the rows of the file ``inspect`` described as ``info``.

    ``source_crs`` ("EPSG:<code>" of the allowlist in ``layers.imports.coordinates``) names
    the coordinate system of projected CSV/XLSX columns, or of a GIS file that does not say
    (or says wrongly): it then overrides the file's own. Raises ImportFileError when the
    file is refused, including midway (more rows than the limit, a formula further down).
    """
    path = Path(path)
    if detect.content_format(path) != info.format:
        raise ImportFileError(_("The file changed since it was inspected."), "changed")
    if info.format in GIS_FORMATS:
        return gis.read_gis(path, info, source_crs=source_crs)
    if info.format == "csv":
        return tables.read_csv(path, info, source_crs=source_crs)
    return workbooks.read_xlsx(path, info, source_crs=source_crs)
