"""What the readers hand back (``SourceInfo``, ``Row``), the one error they raise, and the
limits they enforce (read from the settings on each use, never at import time)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings

GIS_FORMATS = ("geojson", "shapefile", "gpkg", "kml")
TABLE_FORMATS = ("csv", "xlsx")
FORMATS = GIS_FORMATS + TABLE_FORMATS

Value = str | int | float | bool | date | None


class ImportFileError(ValueError):
    """A refused file: ``message`` is one sentence in the active language, ``code`` a slug.

    ``template`` is the translatable text and ``params`` its ``%(name)s`` values, so the
    sentence can be shown later in another language (``message`` formats it when read).
    """

    def __init__(self, template: Any, code: str, **params: Any) -> None:
        self.template = template
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        text = str(self.template)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class SourceInfo:
    """What ``inspect`` found in a file; ``read_rows`` reads it back with these choices."""

    format: str  # one of FORMATS
    layers: list[str]  # readable layers (GeoPackage/KML may have several), or sheets of XLSX
    layer: str  # the chosen layer or sheet
    columns: list[str]  # attribute columns of the chosen layer in file order, no geometry
    encoding: str | None  # "utf-8", "utf-8-sig" or "cp1251" (text formats and Shapefile DBF)
    encodings_detected: str | None  # how: "given", "BOM", "valid UTF-8", ".cpg", ...
    crs: str | None  # "EPSG:<code>" from the file, None if it does not say
    row_count: int | None
    geometry: str  # "geometry" (GIS formats) | "lonlat" | "xy" | "wkt" | "none"
    coordinate_columns: dict[str, str]  # {"x": "lon", "y": "lat"} or {"wkt": "WKT"} or {}
    axis_swap_suspected: bool = False  # lon/lat columns look swapped (for Ukraine)
    column_types: dict[str, str] = field(default_factory=dict)  # GIS formats: OGR field types
    layer_row_counts: dict[str, int | None] = field(default_factory=dict)
    delimiter: str | None = None  # CSV only
    notes: list[str] = field(default_factory=list)  # sentences for the person importing


@dataclass(frozen=True)
class Row:
    """One data row: ``number`` is what people see (CSV/XLSX: the sheet row, header = 1;
    GIS formats: the feature's 1-based position). ``geometry`` is a GeoJSON geometry in
    WGS 84 lon/lat, or None when the row gives none; ``geometry_error`` says why a geometry
    that was given could not be read; ``row_error`` flags other damage (e.g. extra cells)."""

    number: int
    values: dict[str, Value]
    geometry: dict | None = None
    geometry_error: str | None = None
    row_error: str | None = None


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_entries: int
    max_uncompressed_bytes: int
    max_compression_ratio: float
    max_columns: int
    max_layers: int
    inspect_timeout_s: float
    read_timeout_s: float

    @classmethod
    def current(cls) -> "Limits":
        def get(name: str, default: Any) -> Any:
            return getattr(settings, name, default)

        return cls(
            max_bytes=get("GEOPORTAL_IMPORT_MAX_BYTES", 200 * 1024 * 1024),
            max_rows=get("GEOPORTAL_IMPORT_MAX_ROWS", 1_000_000),
            max_entries=get("GEOPORTAL_IMPORT_MAX_ENTRIES", 200),
            max_uncompressed_bytes=get("GEOPORTAL_IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024**2),
            max_compression_ratio=get("GEOPORTAL_IMPORT_MAX_COMPRESSION_RATIO", 100),
            max_columns=get("GEOPORTAL_IMPORT_MAX_COLUMNS", 500),
            max_layers=get("GEOPORTAL_IMPORT_MAX_LAYERS", 100),
            inspect_timeout_s=get("GEOPORTAL_IMPORT_INSPECT_TIMEOUT_S", 120),
            read_timeout_s=get("GEOPORTAL_IMPORT_READ_TIMEOUT_S", 1800),
        )
