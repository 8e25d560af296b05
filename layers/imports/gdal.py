"""GDAL's ``ogrinfo`` and ``ogr2ogr`` in subprocesses, confined.

Every run gets one input driver (GDAL 3.6 has no ``-if``: every other vector driver is
listed in GDAL_SKIP, on top of the settings' list), a temporary directory as its working,
home and temporary directory, an environment built from nothing (no proxy variables, no
network: curl can only reach a closed local port), fixed arguments and a timeout. The file
it opens always has a server-made name; a layer name is passed only if ``ogrinfo`` listed it
and it cannot be taken for an option.
"""

import json
import os
import re
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from layers.imports.base import ImportFileError

OGRINFO = shutil.which("ogrinfo") or "/usr/bin/ogrinfo"
OGR2OGR = shutil.which("ogr2ogr") or "/usr/bin/ogr2ogr"
OUTPUT_DRIVER = "GeoJSONSeq"
SOURCE_NAMES = {
    "geojson": "source.geojson",
    "shapefile": "source.shp",
    "gpkg": "source.gpkg",
    "kml": "source.kml",
}
# LIBKML's columns for KML presentation (styles, visibility), not attributes.
LIBKML_PRESENTATION = frozenset(
    {"altitudeMode", "tessellate", "extrude", "visibility", "drawOrder", "icon"}
)
_FORMAT_LINE = re.compile(r"^\s+(\S.*?) -[a-z,]*vector[a-z,]*- \(")
_FIELD = re.compile(r"^(?P<name>.+): (?P<type>[A-Za-z0-9]+(?:\([A-Za-z0-9]+\))?) \(\d+\.\d+\)")
_HEADER_KEYS = (
    "Geometry: ",
    "Feature Count: ",
    "Extent: ",
    "Data axis to CRS axis mapping:",
    "Coordinate epoch:",
    "FID Column = ",
    "Geometry Column",
)
_SAFE_LAYER = re.compile(r"[^\x00-\x1f\x7f-][^\x00-\x1f\x7f]{0,254}")


@cache
def vector_drivers() -> tuple[str, ...]:
    """Short names of GDAL's vector drivers (``ogrinfo --formats``, once per process)."""
    completed = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [OGRINFO, "--formats"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env=_base_env(None),
    )
    return tuple(
        match.group(1)
        for line in completed.stdout.splitlines()
        if (match := _FORMAT_LINE.match(line))
    )


def input_driver(format: str) -> str:
    if format == "kml":
        # LIBKML reads ExtendedData (the attributes); the plain KML driver only names.
        return "LIBKML" if "LIBKML" in vector_drivers() else "KML"
    return {"geojson": "GeoJSON", "shapefile": "ESRI Shapefile", "gpkg": "GPKG"}[format]


def _base_env(directory: Path | None) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".nowhere",
        "GDAL_HTTP_TIMEOUT": "1",
        "GDAL_HTTP_CONNECTTIMEOUT": "1",
        "GDAL_HTTP_MAX_RETRY": "0",
        # Not a proxy: a closed port, so a fetch GDAL might still attempt fails at once.
        "GDAL_HTTP_PROXY": "127.0.0.1:9",
        "PROJ_NETWORK": "OFF",
        "GDAL_PAM_ENABLED": "NO",
        "CPL_DEBUG": "OFF",
        "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
        "OGR_GEOJSON_MAX_OBJ_SIZE": "16",  # MB per GeoJSON object (a feature)
    }
    for name in ("GDAL_DATA", "PROJ_DATA", "PROJ_LIB"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    if directory is not None:
        env.update(HOME=str(directory), TMPDIR=str(directory), CPL_TMPDIR=str(directory))
    return env


def gdal_env(directory: Path, driver: str) -> dict[str, str]:
    """The subprocess environment that lets GDAL open files with ``driver`` only."""
    keep = {driver, OUTPUT_DRIVER}
    # GDAL_SKIP of the settings (geoportal/settings/base.py), plus every other driver whose
    # name has no space (GDAL_SKIP cannot name those; they only claim their own extensions).
    skip = set(os.environ.get("GDAL_SKIP", "").split())
    skip.update(name for name in vector_drivers() if " " not in name)
    env = _base_env(directory)
    env["GDAL_SKIP"] = " ".join(sorted(skip - keep))
    return env


def _failure(stderr: bytes, directory: Path) -> ImportFileError:
    lines = [
        line.strip()
        for line in stderr.decode("utf-8", "replace").replace(f"{directory}/", "").splitlines()
        if line.startswith(("ERROR", "FAILURE"))
    ]
    detail = re.sub(r"^(?:ERROR \d+|FAILURE):\s*", "", lines[-1])[:300] if lines else ""
    return ImportFileError(
        _("GDAL could not read the file: %(detail)s"),
        "gdal_error",
        detail=detail or _("no reason given"),
    )


def _timeout() -> ImportFileError:
    return ImportFileError(_("Reading the file took too long; it was stopped."), "timeout")


@dataclass
class LayerInfo:
    name: str
    geometry: str = ""
    count: int | None = None
    srs_wkt: str | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)


def _unreadable() -> ImportFileError:
    return ImportFileError(
        _("The file's layers and fields cannot be read (unusual names?)."), "unreadable_schema"
    )


def parse_ogrinfo(text: str) -> list[LayerInfo]:
    """Layers of ``ogrinfo -ro -so -al -nomd`` text output (GDAL 3.6 has no -json)."""
    layers: list[LayerInfo] = []
    seen: list[set[str]] = []
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("Layer name: "):
            layers.append(LayerInfo(name=line[len("Layer name: ") :]))
            seen.append(set())
            continue
        if not layers or not line.strip():
            continue  # the "INFO: Open of ..." lines before the first layer
        layer = layers[-1]
        if line.startswith("Layer SRS WKT:") or line.startswith("SRS WKT:"):
            wkt = next(lines, "")
            if wkt.strip() != "(unknown)":
                depth = wkt.count("[") - wkt.count("]")
                while depth > 0:
                    more = next(lines, None)
                    if more is None:
                        raise _unreadable()
                    wkt += "\n" + more
                    depth += more.count("[") - more.count("]")
                layer.srs_wkt = layer.srs_wkt or wkt
        elif line.startswith("Geometry: ") and "geometry" not in seen[-1]:
            seen[-1].add("geometry")
            layer.geometry = line.split(": ", 1)[1]
        elif line.startswith("Feature Count: ") and "count" not in seen[-1]:
            seen[-1].add("count")
            count = line.split(": ", 1)[1]
            if not count.lstrip("-").isdigit():
                raise _unreadable()
            layer.count = int(count) if int(count) >= 0 else None
        elif match := _FIELD.match(line):
            layer.fields.append((match.group("name"), match.group("type")))
        elif not line.startswith(_HEADER_KEYS):
            raise _unreadable()
    return layers


def safe_layer_name(name: str) -> bool:
    """Whether ``name`` can be an argument of ogr2ogr (no leading dash, no control chars)."""
    return bool(_SAFE_LAYER.fullmatch(name))


def ogrinfo(directory: Path, format: str, options: list[str], timeout: float) -> list[LayerInfo]:
    source = directory / SOURCE_NAMES[format]
    try:
        completed = subprocess.run(  # noqa: S603 - no shell; a server-made path, fixed options
            [OGRINFO, "-ro", "-so", "-al", "-nomd", "-noextent", *options, str(source)],
            cwd=directory,
            env=gdal_env(directory, input_driver(format)),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _timeout() from None
    if completed.returncode != 0:
        raise _failure(completed.stderr, directory)
    return parse_ogrinfo(completed.stdout.decode("utf-8", "replace"))


def features(
    directory: Path,
    format: str,
    *,
    source_srs: str,
    options: list[str],
    layer: str | None,
    timeout: float,
) -> Iterator[dict]:
    """Stream the layer's features as GeoJSON dicts in WGS 84 (2D), one line each."""
    if layer is not None and not safe_layer_name(layer):
        raise _unreadable()
    arguments = [
        OGR2OGR,
        "-f",
        OUTPUT_DRIVER,
        "/vsistdout/",
        str(directory / SOURCE_NAMES[format]),
        "-s_srs",
        source_srs,  # an allowlisted "EPSG:<code>" (coordinates.crs_code)
        "-t_srs",
        "EPSG:4326",
        "-dim",
        "XY",
        *options,
        *([layer] if layer is not None else []),
    ]
    process = subprocess.Popen(  # noqa: S603 - no shell; server-made path, checked layer name
        arguments,
        cwd=directory,
        env=gdal_env(directory, input_driver(format)),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    errors: deque[bytes] = deque(maxlen=50)
    drain = threading.Thread(target=lambda: errors.extend(process.stderr), daemon=True)
    drain.start()
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        process.kill()

    timer = threading.Timer(timeout, stop)
    timer.start()
    try:
        for line in process.stdout:
            line = line.strip().lstrip(b"\x1e")
            if not line:
                continue
            try:
                feature = json.loads(line)
            except (ValueError, RecursionError):
                raise ImportFileError(
                    _("GDAL wrote a feature that cannot be read."), "gdal_error"
                ) from None
            if not isinstance(feature, dict):
                raise ImportFileError(_("GDAL wrote a feature that cannot be read."), "gdal_error")
            yield feature
        returncode = process.wait()
        drain.join(timeout=5)
        if timed_out.is_set():
            raise _timeout()
        if returncode != 0:
            raise _failure(b"".join(errors), directory)
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        drain.join(timeout=5)
        process.stderr.close()
