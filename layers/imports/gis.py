"""GeoJSON, zipped Shapefile, GeoPackage and KML: placed under server-made names in a fresh
temporary directory, described by ``ogrinfo`` and streamed by ``ogr2ogr`` (``layers.imports.gdal``).

A Shapefile's .prj and .cpg are read here in Python (pyproj names the CRS, an allowlist maps
the code page) and handed to GDAL only as an allowlisted ``-s_srs EPSG:<code>`` and a fixed
``-oo ENCODING=``; the directory is removed when inspection ends or the rows are read.
"""

import codecs
import json
import math
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layers.imports import archives, gdal
from layers.imports.base import ImportFileError, Limits, Row, SourceInfo, Value
from layers.imports.coordinates import crs_code, crs_from_wkt
from layers.imports.detect import geojson_crs

ENCODINGS = {"utf-8": "UTF-8", "cp1251": "CP1251"}  # DBF code pages GDAL is told about
_CPG = {
    "UTF-8": "utf-8",
    "UTF8": "utf-8",
    "65001": "utf-8",
    "1251": "cp1251",
    "CP1251": "cp1251",
    "WINDOWS-1251": "cp1251",
    "ANSI 1251": "cp1251",
}
_DBF_CP1251 = 0xC9  # the DBF header's language driver id for Windows-1251
_SAMPLE_BYTES = 1024 * 1024


@contextmanager
def workdir() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="geoportal-import-"))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def normalise_encoding(encoding: str | None) -> str | None:
    if encoding is None or encoding == "":
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = ""
    if name in ("utf-8", "utf-8-sig", "cp1251"):
        return name
    raise ImportFileError(
        _("The encoding %(encoding)s is not accepted; choose UTF-8 or Windows-1251."),
        "encoding_not_accepted",
        encoding=str(encoding)[:40],
    )


def _dbf_encoding(dbf: Path) -> tuple[str, str]:
    with dbf.open("rb") as handle:
        header = handle.read(32)
        if len(header) < 32:
            raise ImportFileError(_("The Shapefile's .dbf is damaged."), "bad_dbf")
        if header[29] == _DBF_CP1251:
            return "cp1251", "DBF language driver"
        handle.seek(int.from_bytes(header[8:10], "little"))
        sample = handle.read(_SAMPLE_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1251", "cp1251 fallback"
    return "utf-8", "valid UTF-8"


def _shapefile_encoding(extracted, given: str | None) -> tuple[str, str]:
    if given:
        return ("utf-8" if given == "utf-8-sig" else given), "given"
    if extracted.cpg is not None:
        label = extracted.cpg.decode("ascii", "replace").strip().upper()
        if label not in _CPG:
            raise ImportFileError(
                _("The Shapefile's .cpg names the code page %(label)s; choose the encoding."),
                "encoding_not_accepted",
                label=label[:40],
            )
        return _CPG[label], ".cpg"
    return _dbf_encoding(extracted.shp.with_suffix(".dbf"))


def _place(path: Path, directory: Path, format: str):
    if format == "shapefile":
        return archives.extract_shapefile(path, directory)
    shutil.copyfile(path, directory / gdal.SOURCE_NAMES[format])
    return None


def _options(format: str, encoding: str | None) -> list[str]:
    if format == "shapefile" and encoding:
        return ["-oo", f"ENCODING={ENCODINGS[encoding]}"]
    return []


def inspect_gis(path: Path, format: str, *, encoding: str | None, layer: str | None) -> SourceInfo:
    limits = Limits.current()
    notes: list[str] = []
    with workdir() as directory:
        extracted = _place(path, directory, format)
        detected = None
        crs = None
        if format == "shapefile":
            encoding, detected = _shapefile_encoding(extracted, normalise_encoding(encoding))
            if extracted.prj is not None:
                crs = crs_from_wkt(extracted.prj.decode("utf-8", "replace"))
        elif format == "geojson":
            encoding, detected = "utf-8", "RFC 8259"
            crs = geojson_crs(path) or "EPSG:4326"
        else:
            encoding = None
        found = gdal.ogrinfo(
            directory, format, _options(format, encoding), limits.inspect_timeout_s
        )
    if len(found) > limits.max_layers:
        raise ImportFileError(
            _("The file has %(count)s layers; at most %(limit)s are accepted."),
            "too_many_layers",
            count=len(found),
            limit=limits.max_layers,
        )
    usable = [item for item in found if gdal.safe_layer_name(item.name)]
    for item in found:
        if item not in usable:
            notes.append(
                gettext("Layer “%(name)s” cannot be read: rename it.") % {"name": item.name[:80]}
            )
    if not usable:
        raise ImportFileError(_("The file has no layer that can be read."), "no_layers")
    names = [item.name for item in usable]
    if layer is not None:
        if layer not in names:
            raise ImportFileError(
                _("The file has no layer %(layer)s."), "unknown_layer", layer=str(layer)[:80]
            )
        chosen = usable[names.index(layer)]
    else:
        chosen = next((item for item in usable if item.count), usable[0])
        if len(usable) > 1:
            notes.append(
                gettext("The file has %(count)s layers; “%(layer)s” was chosen.")
                % {"count": len(usable), "layer": chosen.name}
            )
    if format == "kml":
        crs = "EPSG:4326"  # KML is WGS 84 by definition
    elif format == "gpkg" and chosen.srs_wkt:
        crs = crs_from_wkt(chosen.srs_wkt)  # the layer's srs as GDAL read it
    if chosen.count is not None and chosen.count > limits.max_rows:
        raise _too_many_rows(limits.max_rows)
    fields = [
        (name, kind)
        for name, kind in chosen.fields
        if not (format == "kml" and name in gdal.LIBKML_PRESENTATION)
    ]
    return SourceInfo(
        format=format,
        layers=names,
        layer=chosen.name,
        columns=[name for name, _kind in fields],
        encoding=encoding,
        encodings_detected=detected,
        crs=crs,
        row_count=chosen.count,
        geometry="none" if chosen.geometry == "None" else "geometry",
        coordinate_columns={},
        column_types=dict(fields),
        layer_row_counts={item.name: item.count for item in usable},
        notes=notes,
    )


def _too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows; split it."), "too_many_rows", limit=limit
    )


def _value(value: object, kind: str) -> Value:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        if all(isinstance(item, str | int | float) for item in value):
            return ";".join(str(item) for item in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if kind == "Date" and isinstance(value, str):
        try:
            return date.fromisoformat(value.replace("/", "-"))
        except ValueError:
            return value
    return value


def read_gis(path: Path, info: SourceInfo, *, source_crs: str | None) -> Iterator[Row]:
    limits = Limits.current()
    source = crs_code(source_crs) or crs_code(info.crs)
    if source is None and (info.format in ("geojson", "kml") or info.geometry == "none"):
        source = "EPSG:4326"
    if source is None:
        raise ImportFileError(
            _("The file does not say which coordinate system it uses; choose it."),
            "crs_required",
        )
    layer = None
    if info.format in ("gpkg", "kml"):
        if info.layer not in info.layers or not gdal.safe_layer_name(info.layer):
            raise ImportFileError(
                _("The file has no layer %(layer)s."), "unknown_layer", layer=info.layer[:80]
            )
        layer = info.layer
    encoding = normalise_encoding(info.encoding) if info.format == "shapefile" else None
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    with workdir() as directory:
        _place(path, directory, info.format)
        stream = gdal.features(
            directory,
            info.format,
            source_srs=source,
            options=_options(info.format, encoding),
            layer=layer,
            timeout=limits.read_timeout_s,
        )
        try:
            for number, feature in enumerate(stream, start=1):
                if number > limits.max_rows:
                    raise _too_many_rows(limits.max_rows)
                properties = feature.get("properties") or {}
                geometry = feature.get("geometry")
                yield Row(
                    number=number,
                    values={
                        column: _value(properties.get(column), info.column_types.get(column, ""))
                        for column in info.columns
                    },
                    geometry=geometry if isinstance(geometry, dict) else None,
                )
        finally:
            stream.close()
