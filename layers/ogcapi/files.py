"""Downloads as real files: built once per state of a layer, then served with Content-Length,
byte ranges and a gzip copy.

GDAL's ``/vsicurl/``, QGIS and download managers read a remote file in ranges and want its
size first; a stream made per request has neither. So the first request for a layer at a
stamp builds the file into ``GEOPORTAL_DOWNLOAD_DIR`` (under a lock, so two requests build it
once), later requests are served from there, and a range costs a seek. Only the newest file
of each layer, format and language is kept: the folder holds what the layers hold now.
"""

import fcntl
import glob
import gzip
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse

from layers.ogcapi import http

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Formats worth a gzip copy: text and SQLite compress several times; a zip does not.
COMPRESSIBLE = ("geojson", "csv", "gpkg")


def _directory() -> Path:
    directory = Path(settings.GEOPORTAL_DOWNLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def cached_file(
    *, name: str, suffix: str, stamp: str, language: str, build: Callable[[Path], None]
) -> Path:
    """The file ``name`` (a collection id) as of ``stamp``: built by ``build(path)`` the first
    time, then kept. ``build`` writes the whole file to the path it is given; a failed build
    leaves nothing behind."""
    version = hashlib.sha256(f"{stamp}|{language}".encode()).hexdigest()[:16]
    directory = _directory()
    prefix = f"{name}.{language}."
    target = directory / f"{prefix}{version}.{suffix}"
    if target.exists():
        return target
    with (directory / f"{prefix}{suffix}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; the others then find it
        if target.exists():
            return target
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".build-", suffix=f".{suffix}")
        os.close(handle)
        try:
            build(Path(temporary))
            if suffix.rsplit(".", 1)[-1] in COMPRESSIBLE:  # by its extension: a11yjson.geojson
                _write_gzip(Path(temporary), Path(f"{target}.gz"))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            Path(f"{target}.gz").unlink(missing_ok=True)
            raise
        for older in directory.glob(f"{glob.escape(prefix)}*.{suffix}*"):
            if older.name not in (target.name, f"{target.name}.gz"):
                older.unlink(missing_ok=True)
    return target


def _write_gzip(source: Path, target: Path) -> None:
    with source.open("rb") as raw, gzip.open(target, "wb", compresslevel=6) as packed:
        shutil.copyfileobj(raw, packed, 1024 * 1024)


def _byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) of a single ``bytes=`` range; None: serve the whole file (no range, or
    several: RFC 9110 lets a server ignore them); False: unsatisfiable."""
    match = _RANGE.match(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def file_response(
    request: HttpRequest, path: Path, *, media_type: str, filename: str, etag: str
) -> HttpResponse:
    """The file with its length, ``Accept-Ranges``, a 206 for a byte range (unless If-Range
    names another version) and the gzip copy when the client takes gzip and asked no range."""
    size = path.stat().st_size
    range_header = request.META.get("HTTP_RANGE", "")
    if_range = request.META.get("HTTP_IF_RANGE")
    if range_header and (if_range is None or if_range == etag):
        wanted = _byte_range(range_header, size)
        if wanted is False:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return _headers(response, filename)
        if wanted is not None:
            first, last = wanted
            handle = path.open("rb")
            handle.seek(first)
            response = StreamingHttpResponse(
                _limited(handle, last - first + 1), content_type=media_type, status=206
            )
            response["Content-Length"] = str(last - first + 1)
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
            return _headers(response, filename)
    packed = Path(f"{path}.gz")
    if packed.exists() and http.accepts_gzip(request):
        response = FileResponse(packed.open("rb"), content_type=media_type)
        response["Content-Length"] = str(packed.stat().st_size)
        response["Content-Encoding"] = "gzip"
        return _headers(response, filename)
    response = FileResponse(path.open("rb"), content_type=media_type)
    response["Content-Length"] = str(size)
    return _headers(response, filename)


def _limited(handle, length: int, block: int = 256 * 1024):
    try:
        while length > 0:
            chunk = handle.read(min(block, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _headers(response: HttpResponse, filename: str) -> HttpResponse:
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
