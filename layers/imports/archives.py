"""Zip archives (zipped Shapefiles, XLSX workbooks): checked before anything is extracted.

The end-of-central-directory record is read first, so an archive claiming thousands of
entries is refused before ``zipfile`` builds its member list. Then every entry is checked:
its name (no absolute path, drive letter, backslash or ``..``: zip-slip), its kind (no
symlinks, no encryption, no archive inside the archive) and its sizes (a total limit and a
compression-ratio limit against zip bombs). Only the members a reader needs are extracted,
under server-made names, with a byte count that stops at the declared size.
"""

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext_lazy as _

from layers.imports.base import ImportFileError, Limits

# Entries below this size are never refused for their ratio: small, repetitive files (a
# .cpg, a DBF of blank text fields, workbook styles) legitimately compress very well.
RATIO_FLOOR_BYTES = 1024 * 1024
SIDECAR_MAX_BYTES = 64 * 1024  # .prj and .cpg are read into memory, never handed to GDAL
NESTED_SUFFIXES = frozenset(
    {
        *(".zip", ".kmz", ".jar", ".xlsx", ".xlsm", ".docx", ".ods"),  # zips
        *(".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst"),
        *(".gpkg", ".sqlite"),
    }
)
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1024 * 1024


def _refuse(message, code: str, **params) -> ImportFileError:
    return ImportFileError(message, code, **params)


def _broken() -> ImportFileError:
    return _refuse(_("The zip archive is damaged or not a zip archive."), "broken_archive")


def _declared_directory(path: Path) -> tuple[int, int]:
    """(entry count, central directory size) from the end record, zip64 included."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        tail_length = min(size, 65536 + 22)
        handle.seek(size - tail_length)
        tail = handle.read(tail_length)
        position = tail.rfind(b"PK\x05\x06")
        if position < 0 or len(tail) - position < 22:
            raise _broken()
        entries = int.from_bytes(tail[position + 10 : position + 12], "little")
        directory = int.from_bytes(tail[position + 12 : position + 16], "little")
        if entries == 0xFFFF or directory == 0xFFFFFFFF:
            locator = tail[max(position - 20, 0) : position]
            if len(locator) != 20 or not locator.startswith(b"PK\x06\x07"):
                raise _broken()
            handle.seek(int.from_bytes(locator[8:16], "little"))
            record = handle.read(56)
            if len(record) != 56 or not record.startswith(b"PK\x06\x06"):
                raise _broken()
            entries = int.from_bytes(record[32:40], "little")
            directory = int.from_bytes(record[40:48], "little")
    return entries, directory


def _check_entry(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.filename
    parts = name.split("/")
    if (
        not name
        or "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or _DRIVE.match(name)
        or ".." in parts
    ):
        raise _refuse(
            _(
                "The archive holds an entry with an unsafe path (%(name)s): absolute paths, "
                "drive letters, backslashes and '..' are refused."
            ),
            "unsafe_path",
            name=name[:120],
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _refuse(
            _("The archive holds a symbolic link (%(name)s); links are refused."),
            "symlink",
            name=name[:120],
        )
    if info.flag_bits & 0x1:
        raise _refuse(
            _("The archive is encrypted (%(name)s); upload it without a password."),
            "encrypted",
            name=name[:120],
        )
    if not info.is_dir() and PurePosixPath(name).suffix.lower() in NESTED_SUFFIXES:
        raise _refuse(
            _("The archive holds another archive (%(name)s); upload the files themselves."),
            "nested_archive",
            name=name[:120],
        )
    ratio = limits.max_compression_ratio
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > ratio * max(info.compress_size, 1):
        raise _refuse(
            _(
                "The archive entry %(name)s expands more than %(ratio)s times; such archives "
                "(zip bombs) are refused."
            ),
            "zip_bomb",
            name=name[:120],
            ratio=int(ratio),
        )


def check_zip(path: Path, limits: Limits | None = None) -> list[zipfile.ZipInfo]:
    """The archive's entries, after every check passed (or ImportFileError)."""
    limits = limits or Limits.current()
    entries, directory = _declared_directory(path)
    if entries > limits.max_entries or directory > limits.max_entries * 1024 + 65536:
        raise _refuse(
            _("The archive holds %(count)s entries; at most %(limit)s are accepted."),
            "too_many_entries",
            count=entries,
            limit=limits.max_entries,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _broken() from None
    if not infos:
        raise _refuse(_("The zip archive is empty."), "empty_archive")
    if len(infos) > limits.max_entries:
        raise _refuse(
            _("The archive holds %(count)s entries; at most %(limit)s are accepted."),
            "too_many_entries",
            count=len(infos),
            limit=limits.max_entries,
        )
    total = 0
    for info in infos:
        _check_entry(info, limits)
        total += info.file_size
    if total > limits.max_uncompressed_bytes:
        raise _refuse(
            _(
                "The archive expands to %(size)s MB; at most %(limit)s MB are accepted "
                "(zip bombs are refused)."
            ),
            "zip_bomb",
            size=total // (1024 * 1024),
            limit=limits.max_uncompressed_bytes // (1024 * 1024),
        )
    return infos


def zip_kind(path: Path) -> str:
    """'xlsx' or 'shapefile' for a checked archive (or ImportFileError)."""
    infos = check_zip(path)
    names = {info.filename for info in infos}
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        if any(name.startswith("xl/externalLinks/") for name in names):
            raise _refuse(
                _("The workbook links to other workbooks (external links); these are refused."),
                "external_links",
            )
        if "xl/vbaProject.bin" in names:
            raise _refuse(_("The workbook contains macros; these are refused."), "macros")
        return "xlsx"
    if any(name.lower().endswith(".shp") for name in names):
        shapefile_members(infos)
        return "shapefile"
    raise _refuse(
        _("The zip archive holds no Shapefile (.shp with .shx and .dbf)."), "no_shapefile"
    )


@dataclass(frozen=True)
class ShapefileMembers:
    shp: zipfile.ZipInfo
    shx: zipfile.ZipInfo
    dbf: zipfile.ZipInfo
    prj: zipfile.ZipInfo | None
    cpg: zipfile.ZipInfo | None


def shapefile_members(infos: list[zipfile.ZipInfo]) -> ShapefileMembers:
    files = [info for info in infos if not info.is_dir()]
    shps = [info for info in files if info.filename.lower().endswith(".shp")]
    if len(shps) != 1:
        raise _refuse(
            _("The archive holds %(count)s Shapefiles; upload one Shapefile per archive."),
            "several_shapefiles",
            count=len(shps),
        )
    stem = shps[0].filename[:-4].lower()
    by_suffix = {
        info.filename[len(stem) :].lower(): info
        for info in files
        if info.filename.lower().startswith(stem) and "/" not in info.filename[len(stem) :]
    }
    missing = [suffix for suffix in (".shx", ".dbf") if suffix not in by_suffix]
    if missing:
        raise _refuse(
            _("The Shapefile is incomplete: %(missing)s is missing from the archive."),
            "incomplete_shapefile",
            missing=", ".join(missing),
        )
    return ShapefileMembers(
        shp=shps[0],
        shx=by_suffix[".shx"],
        dbf=by_suffix[".dbf"],
        prj=by_suffix.get(".prj"),
        cpg=by_suffix.get(".cpg"),
    )


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> None:
    remaining = info.file_size
    with archive.open(info) as source, target.open("xb") as out:
        while chunk := source.read(_CHUNK):
            remaining -= len(chunk)
            if remaining < 0:
                raise _refuse(
                    _("The archive entry %(name)s is larger than it declares."),
                    "zip_bomb",
                    name=info.filename[:120],
                )
            out.write(chunk)


def _read_sidecar(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> bytes | None:
    if info is None:
        return None
    if info.file_size > SIDECAR_MAX_BYTES:
        raise _refuse(
            _("The Shapefile's %(name)s is too large to be a .prj or .cpg file."),
            "bad_sidecar",
            name=info.filename[:120],
        )
    with archive.open(info) as source:
        return source.read(SIDECAR_MAX_BYTES + 1)[:SIDECAR_MAX_BYTES]


@dataclass(frozen=True)
class ExtractedShapefile:
    shp: Path
    prj: bytes | None  # the .prj and .cpg are read here, in Python, and not given to GDAL
    cpg: bytes | None


def extract_shapefile(path: Path, directory: Path) -> ExtractedShapefile:
    """Check the archive again and extract .shp/.shx/.dbf as ``directory/source.*``."""
    members = shapefile_members(check_zip(path))
    try:
        with zipfile.ZipFile(path) as archive:
            for suffix, info in (
                (".shp", members.shp),
                (".shx", members.shx),
                (".dbf", members.dbf),
            ):
                _copy_member(archive, info, directory / f"source{suffix}")
            prj = _read_sidecar(archive, members.prj)
            cpg = _read_sidecar(archive, members.cpg)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise _broken() from None
    return ExtractedShapefile(shp=directory / "source.shp", prj=prj, cpg=cpg)
