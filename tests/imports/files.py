"""Small real files for the reader tests, built on the spot (GDAL's ogr2ogr, openpyxl, zipfile).

Every helper writes into the directory it is given and returns the path of the file built.
"""

import csv
import io
import json
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import openpyxl

OGR2OGR = shutil.which("ogr2ogr") or "/usr/bin/ogr2ogr"
# A point in Khmelnytskyi (lon, lat).
LON, LAT = 26.9965, 49.4216
NAMES = ["Дуб звичайний", "Липа серцелиста", "Клен гостролистий «Ґ»"]


def features(count: int = 3, *, start_lon: float = LON) -> list[dict]:
    return [
        {
            "type": "Feature",
            "properties": {
                "назва": NAMES[index % len(NAMES)],
                "висота": 10.5 + index,
                "кількість": index + 1,
                "дата": f"2024-05-0{index % 9 + 1}",
            },
            "geometry": {"type": "Point", "coordinates": [start_lon + index * 0.001, LAT]},
        }
        for index in range(count)
    ]


def geojson(path: Path, items: list[dict] | None = None, **members) -> Path:
    document = {"type": "FeatureCollection", **members, "features": items or features()}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def ogr2ogr(*arguments: str) -> None:
    subprocess.run([OGR2OGR, *arguments], check=True, capture_output=True, timeout=60)


def shapefile_zip(
    directory: Path,
    *,
    crs: str = "EPSG:5563",
    encoding: str = "CP1251",
    prj: bool = True,
    cpg: bool = True,
) -> Path:
    """A zipped Shapefile (inside a folder, as people zip them) with a .cpg of ``encoding``."""
    work = directory / "shapefile-work"
    work.mkdir()
    source = geojson(work / "trees.geojson")
    ogr2ogr(
        "-f", "ESRI Shapefile", str(work / "дерева.shp"), str(source),
        "-t_srs", crs, "-lco", f"ENCODING={encoding}",
    )  # fmt: skip
    archive = directory / "дерева.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for suffix in ("shp", "shx", "dbf", "prj", "cpg"):
            if (suffix == "prj" and not prj) or (suffix == "cpg" and not cpg):
                continue
            zipped.write(work / f"дерева.{suffix}", f"дерева/дерева.{suffix}")
    shutil.rmtree(work)
    return archive


def geopackage(directory: Path, path: Path | None = None, items: list[dict] | None = None) -> Path:
    """Two layers: "дерева" in UCS-2000 / GK zone 5 and "кущі" in WGS 84."""
    path = path or directory / "дані.gpkg"
    first = geojson(directory / "first.geojson", items)
    second = geojson(directory / "second.geojson", features(2, start_lon=LON + 0.01))
    ogr2ogr("-f", "GPKG", str(path), str(first), "-nln", "дерева", "-t_srs", "EPSG:5563")
    ogr2ogr("-update", "-f", "GPKG", str(path), str(second), "-nln", "кущі")
    first.unlink()
    second.unlink()
    return path


def kml(path: Path, *, extra: str = "", description: str = "", prolog: str = "") -> Path:
    placemarks = "".join(
        f"<Placemark><name>{name}</name><description>{description}</description>"
        '<ExtendedData><SchemaData schemaUrl="#trees">'
        f'<SimpleData name="вид">{name}</SimpleData>'
        f'<SimpleData name="висота">{10 + index}</SimpleData>'
        "</SchemaData></ExtendedData>"
        f"<Point><coordinates>{LON + index * 0.001},{LAT},0</coordinates></Point></Placemark>"
        for index, name in enumerate(NAMES)
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{prolog}"
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        '<Schema name="trees" id="trees"><SimpleField name="вид" type="string"/>'
        '<SimpleField name="висота" type="int"/></Schema>'
        f"{extra}<Folder><name>Дерева</name>{placemarks}</Folder></Document></kml>",
        encoding="utf-8",
    )
    return path


def csv_file(
    path: Path, rows: list[list], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def xlsx(path: Path, rows: list[list], *, title: str = "Дерева", more_sheets=()) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name in more_sheets:
        workbook.create_sheet(name).append(["a"])
    workbook.save(path)
    return path


def add_to_zip(path: Path, entries: dict[str, bytes]) -> Path:
    """Rewrite the archive at ``path`` with ``entries`` added."""
    buffer = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(buffer) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        for name, data in entries.items():
            new.writestr(name, data)
    return path


def zip_of(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in entries.items():
            zipped.writestr(name, data)
    return path


SHAPEFILE_STUBS = {"a.shp": b"\0" * 100, "a.shx": b"\0" * 100, "a.dbf": b"\0" * 100}


def zip_bomb(path: Path, *, megabytes: int = 300) -> Path:
    """A Shapefile-looking archive whose .dbf expands to ``megabytes`` of zeros (streamed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zipped:
        zipped.writestr("a.shp", b"\0" * 100)
        zipped.writestr("a.shx", b"\0" * 100)
        chunk = b"\0" * (1024 * 1024)
        with zipped.open("a.dbf", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(chunk)
    return path


def zip_with_symlink(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zipped:
        for name, data in SHAPEFILE_STUBS.items():
            zipped.writestr(name, data)
        link = zipfile.ZipInfo("a.prj")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zipped.writestr(link, "/etc/passwd")
    return path


VRT = (
    "<OGRVRTDataSource>\n"
    '  <OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource></OGRVRTLayer>\n'
    "</OGRVRTDataSource>\n"
)
GML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml">'
    "<gml:featureMember><x><gml:Point><gml:coordinates>26.99,49.42</gml:coordinates>"
    "</gml:Point></x></gml:featureMember></gml:FeatureCollection>\n"
)
BILLION_LAUGHS = (
    '<!DOCTYPE kml [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">' for i in range(1, 10))
    + "]>\n"
)
