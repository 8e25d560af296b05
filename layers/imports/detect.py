"""Which format a file is, decided by its content; the name's extension must agree.

Magic bytes first (zip, SQLite with the GeoPackage application id), then text: XML must have
a ``kml`` root and no DOCTYPE or ENTITY declaration anywhere, JSON must be a GeoJSON object
whose ``crs`` members (legacy) are plain EPSG names, and any other text is a CSV candidate.
Everything else (a VRT, a GML, a SQLite database that is not a GeoPackage, a DBF alone, a
workbook named .zip...) is refused.
"""

import re
from collections.abc import Iterator
from pathlib import Path, PurePath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.utils.translation import gettext_lazy as _

from layers.imports import archives
from layers.imports.base import ImportFileError, Limits
from layers.imports.coordinates import ALLOWED_EPSG

EXTENSIONS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".zip": "shapefile",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".csv": "csv",
    ".xlsx": "xlsx",
}
FORMAT_NAMES = {
    "geojson": "GeoJSON",
    "shapefile": _("a zipped Shapefile"),
    "gpkg": "GeoPackage",
    "kml": "KML",
    "csv": "CSV",
    "xlsx": _("an Excel workbook (XLSX)"),
}
_HINTS = {
    ".shp": _("Upload a Shapefile as one .zip holding its .shp, .shx, .dbf (and .prj, .cpg)."),
    ".dbf": _("Upload a Shapefile as one .zip holding its .shp, .shx, .dbf (and .prj, .cpg)."),
    ".shx": _("Upload a Shapefile as one .zip holding its .shp, .shx, .dbf (and .prj, .cpg)."),
    ".kmz": _("KMZ is not accepted; unzip it and upload the .kml file."),
    ".xls": _("Old Excel files are not accepted; save the sheet as .xlsx or .csv."),
}
KML_NAMESPACES = (
    "",
    "http://www.opengis.net/kml/2.2",
    "http://earth.google.com/kml/2.0",
    "http://earth.google.com/kml/2.1",
    "http://earth.google.com/kml/2.2",
)
HEAD_BYTES = 64 * 1024
_CHUNK = 1024 * 1024
_OVERLAP = 1024
_GEOJSON_TYPE = re.compile(
    rb'"type"\s*:\s*"(?:FeatureCollection|Feature|Point|MultiPoint|LineString|'
    rb'MultiLineString|Polygon|MultiPolygon|GeometryCollection)"'
)
# A "crs" member whose value is an object (GDAL reads only those; a property named "crs"
# holding text is left alone).
_CRS_KEY = re.compile(rb'"crs"\s*:\s*\{', re.IGNORECASE)
_SAFE_CRS = re.compile(
    rb'"crs"\s*:\s*(?:\{\s*"type"\s*:\s*"name"\s*,\s*"properties"\s*:\s*\{\s*"name"\s*:'
    rb'\s*"(?P<a>[A-Za-z0-9:.]{1,80})"\s*\}\s*\}|\{\s*"properties"\s*:\s*\{\s*"name"\s*:\s*"'
    rb'(?P<b>[A-Za-z0-9:.]{1,80})"\s*\}\s*,\s*"type"\s*:\s*"name"\s*\})',
    re.IGNORECASE,
)
_CRS_NAME = re.compile(r"(?:urn:ogc:def:crs:EPSG:[0-9.]*:|EPSG:)(\d{4,5})", re.IGNORECASE)
_CRS84 = re.compile(r"urn:ogc:def:crs:OGC:(?:1\.3)?:CRS84", re.IGNORECASE)
# A JSON escape of a plain ASCII letter: no encoder writes one, but "\u0063rs" would hide a
# "crs" member from the scan above.
_LETTER_ESCAPE = re.compile(rb"\\u00(?:4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a])", re.IGNORECASE)
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse(message, code: str, **params) -> ImportFileError:
    return ImportFileError(message, code, **params)


def check_size(path: Path, limits: Limits | None = None) -> int:
    limits = limits or Limits.current()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise _refuse(
            _("The file is %(size)s MB; at most %(limit)s MB are accepted."),
            "too_large",
            size=round(size / (1024 * 1024), 1),
            limit=round(limits.max_bytes / (1024 * 1024), 1),
        )
    if size == 0:
        raise _refuse(_("The file is empty."), "empty")
    return size


def declared_format(original_name: str) -> str:
    suffix = PurePath(original_name or "").suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if suffix in _HINTS:
        raise _refuse(_HINTS[suffix], "unsupported_format")
    raise _refuse(
        _(
            "Files of this type are not accepted; upload GeoJSON, a zipped Shapefile, "
            "GeoPackage, KML, CSV or XLSX."
        ),
        "unsupported_format",
    )


def detect_format(path: Path, original_name: str) -> str:
    """The format of ``path``, which must match ``original_name``'s extension."""
    check_size(path)
    declared = declared_format(original_name)
    actual = content_format(path)
    if actual != declared:
        raise _refuse(
            _("The file's name says %(declared)s but its content is %(actual)s."),
            "format_mismatch",
            declared=FORMAT_NAMES[declared],
            actual=FORMAT_NAMES[actual],
        )
    return actual


def content_format(path: Path) -> str:
    """The format by content alone (or ImportFileError for anything not accepted)."""
    check_size(path)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return archives.zip_kind(path)
    if head.startswith(b"PK\x05\x06"):
        raise _refuse(_("The zip archive is empty."), "empty_archive")
    if head.startswith(b"SQLite format 3\x00"):
        if head[68:72] in (b"GPKG", b"GP10", b"GP11"):
            return "gpkg"
        raise _refuse(_("The file is an SQLite database but not a GeoPackage."), "sqlite_not_gpkg")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(
            _("UTF-16 text is not accepted; save the file as UTF-8 or Windows-1251."),
            "utf16",
        )
    if b"\x00" in head:
        raise _refuse(
            _("The file is not in an accepted format (binary content)."), "unknown_binary"
        )
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return _xml_kind(path)
    if text.startswith((b"{", b"[")):
        return _json_kind(path, text)
    return "csv"


def _chunks(path: Path) -> Iterator[tuple[bytes, int]]:
    """(buffer, end) over the file: matches starting before ``end`` belong to this buffer
    (at least _OVERLAP bytes follow them); the rest is searched again with the next one."""
    with path.open("rb") as handle:
        buffer = b""
        while True:
            chunk = handle.read(_CHUNK)
            buffer += chunk
            if not chunk:
                yield buffer, len(buffer)
                return
            cut = max(len(buffer) - _OVERLAP, 0)
            yield buffer, cut
            buffer = buffer[cut:]


def _xml_kind(path: Path) -> str:
    for buffer, _end in _chunks(path):
        if _DECLARATION.search(buffer):
            raise _refuse(
                _("XML files with a DOCTYPE or ENTITY declaration are refused."), "xml_doctype"
            )
    try:
        with path.open("rb") as handle:
            events = iterparse(handle, events=("start",), forbid_dtd=True)
            _event, root = next(events)
            tag = root.tag
    except (DefusedXmlException, ParseError, StopIteration, ValueError):
        raise _refuse(_("The file is not well-formed XML."), "bad_xml") from None
    namespace, _sep, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local == "kml" and namespace in KML_NAMESPACES:
        return "kml"
    if local == "OGRVRTDataSource":
        raise _refuse(
            _("GDAL virtual datasets (VRT) are refused: they can point to other files."),
            "vrt",
        )
    raise _refuse(
        _("The XML file is not KML (its root element is <%(root)s>)."),
        "xml_not_kml",
        root=local[:40],
    )


def _json_kind(path: Path, head: bytes) -> str:
    if not head.startswith(b"{") or not _GEOJSON_TYPE.search(head):
        raise _refuse(_("The JSON file is not a GeoJSON object."), "json_not_geojson")
    geojson_crs(path)
    return "geojson"


def geojson_crs(path: Path) -> str | None:
    """The EPSG code named by the legacy ``crs`` members, if any; refuses every other form.

    GDAL 3.6 fetches the URL of a ``"crs": {"type": "link"}`` member while it opens the
    file, so such a file must never reach it.
    """
    found: set[str] = set()
    for buffer, end in _chunks(path):
        if _LETTER_ESCAPE.search(buffer):
            raise _refuse(
                _("The GeoJSON file writes plain letters as \\u escapes; save it again."),
                "geojson_escapes",
            )
        for match in _CRS_KEY.finditer(buffer):
            if match.start() >= end:
                break  # searched again with the next chunk, with all that follows it
            safe = _SAFE_CRS.match(buffer, match.start())
            if safe is None:
                raise _refuse(
                    _("The GeoJSON file's 'crs' member is not a plain EPSG name; it is refused."),
                    "geojson_crs",
                )
            name = (safe.group("a") or safe.group("b") or b"").decode("ascii")
            if not name:
                continue
            if _CRS84.fullmatch(name):
                found.add("EPSG:4326")
                continue
            code = _CRS_NAME.fullmatch(name)
            if code is None or int(code.group(1)) not in ALLOWED_EPSG:
                raise _refuse(
                    _("The coordinate system %(crs)s is not accepted."),
                    "crs_not_accepted",
                    crs=name,
                )
            found.add(f"EPSG:{int(code.group(1))}")
    if len(found) > 1:
        raise _refuse(_("The GeoJSON file names several coordinate systems."), "geojson_crs")
    return found.pop() if found else None
