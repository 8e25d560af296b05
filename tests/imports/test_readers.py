"""The bulk import's file readers on real small files: every format read back to the known
point with its Ukrainian text, and hostile files refused with nothing left behind.

No database: these tests read files only (pytest-django's ``settings`` fixture needs none).
"""

import datetime
import sqlite3
import tempfile
import urllib.error
import urllib.request
import zipfile

import pytest
from pyproj import Geod, Transformer

from layers.imports import detect, gdal
from layers.imports.coordinates import parse_number
from layers.imports.readers import ImportFileError, Row, inspect, read_rows
from tests.imports import files
from tests.imports.files import LAT, LON, NAMES

GEOD = Geod(ellps="WGS84")


@pytest.fixture(autouse=True)
def temp_root(tmp_path, monkeypatch):
    """The readers' temporary directories go here, and nothing may be left in it."""
    root = tmp_path / "server-temp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root
    assert list(root.iterdir()) == []


@pytest.fixture
def upload(tmp_path):
    directory = tmp_path / "uploads"
    directory.mkdir()
    return directory


def rows_of(path, info, **kwargs) -> list[Row]:
    return list(read_rows(path, info, **kwargs))


def assert_near(geometry, lon=LON, lat=LAT, tolerance=1e-6):
    assert geometry["type"] == "Point"
    x, y = geometry["coordinates"]
    assert abs(x - lon) < tolerance and abs(y - lat) < tolerance, (x, y)


def refused(path, code: str | None = None, **kwargs) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        info = inspect(path, **kwargs)
        rows_of(path, info)
    error = caught.value
    assert error.message and "Traceback" not in error.message
    if code:
        assert error.code == code, (error.code, error.message)
    return error


# --- GIS formats -----------------------------------------------------------------------------
def test_geojson_reads_values_types_and_position(upload):
    path = files.geojson(upload / "дерева.geojson")
    info = inspect(path, original_name="дерева.geojson")
    assert (info.format, info.crs, info.row_count, info.geometry) == (
        "geojson",
        "EPSG:4326",
        3,
        "geometry",
    )
    assert info.columns == ["назва", "висота", "кількість", "дата"]
    rows = rows_of(path, info)
    assert [row.number for row in rows] == [1, 2, 3]
    assert [row.values["назва"] for row in rows] == NAMES
    assert rows[0].values["висота"] == 10.5 and rows[0].values["кількість"] == 1
    assert rows[0].values["дата"] == datetime.date(2024, 5, 1)
    assert_near(rows[0].geometry)


def test_geojson_with_a_legacy_epsg_crs_is_read_in_that_crs(upload):
    to_gk = Transformer.from_crs(4326, 5563, always_xy=True)
    x, y = to_gk.transform(LON, LAT)
    item = files.features(1)[0] | {"geometry": {"type": "Point", "coordinates": [x, y]}}
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5563"}}
    path = files.geojson(upload / "gk.geojson", [item], crs=crs)
    info = inspect(path, original_name="gk.geojson")
    assert info.crs == "EPSG:5563"
    assert_near(rows_of(path, info)[0].geometry)


def test_zipped_shapefile_with_prj_and_cp1251_cpg(upload):
    path = files.shapefile_zip(upload)
    info = inspect(path, original_name="дерева.zip")
    assert (info.format, info.crs, info.encoding, info.encodings_detected) == (
        "shapefile",
        "EPSG:5563",
        "cp1251",
        ".cpg",
    )
    assert info.columns[:2] == ["назва", "висота"]  # dBASE keeps 10 bytes of a name
    rows = rows_of(path, info)
    assert [row.values["назва"] for row in rows] == NAMES
    assert_near(rows[0].geometry)


def test_shapefile_without_prj_is_read_with_the_given_crs(upload):
    path = files.shapefile_zip(upload, prj=False, encoding="UTF-8")
    info = inspect(path, original_name="дерева.zip")
    assert info.crs is None and info.encoding == "utf-8"
    with pytest.raises(ImportFileError) as caught:
        rows_of(path, info)
    assert caught.value.code == "crs_required"
    rows = rows_of(path, info, source_crs="EPSG:5563")
    assert rows[1].values["назва"] == NAMES[1]
    assert_near(rows[0].geometry)


def test_shapefile_without_cpg_has_its_encoding_detected(upload):
    path = files.shapefile_zip(upload, cpg=False)
    info = inspect(path, original_name="дерева.zip")
    assert info.encoding == "cp1251"
    assert info.encodings_detected in ("DBF language driver", "cp1251 fallback")
    assert [row.values["назва"] for row in rows_of(path, info)] == NAMES


def test_shapefile_refuses_a_crs_outside_the_allowlist(upload):
    path = files.shapefile_zip(upload, crs="EPSG:2180")  # Poland
    assert refused(path, "crs_not_accepted", original_name="x.zip")


def test_geopackage_lists_layers_picks_the_first_and_reads_a_chosen_one(upload):
    path = files.geopackage(upload)
    info = inspect(path, original_name="дані.gpkg")
    assert info.layers == ["дерева", "кущі"] and info.layer == "дерева"
    assert info.crs == "EPSG:5563" and info.layer_row_counts == {"дерева": 3, "кущі": 2}
    assert any("дерева" in note for note in info.notes)
    rows = rows_of(path, info)
    assert [row.values["назва"] for row in rows] == NAMES
    assert_near(rows[0].geometry)
    other = inspect(path, original_name="дані.gpkg", layer="кущі")
    assert other.crs == "EPSG:4326" and other.row_count == 2
    assert_near(rows_of(path, other)[0].geometry, lon=LON + 0.01)
    with pytest.raises(ImportFileError) as caught:
        inspect(path, original_name="дані.gpkg", layer="--config")
    assert caught.value.code == "unknown_layer"


def test_geopackage_table_without_geometry_needs_no_crs(upload):
    path = upload / "table.gpkg"
    table = files.csv_file(upload / "table.csv", [["name", "n"], ["Дуб", "1"]])
    files.ogr2ogr("-f", "GPKG", str(path), str(table), "-nln", "plain")
    info = inspect(path, original_name="table.gpkg")
    assert (info.geometry, info.crs) == ("none", None)
    assert rows_of(path, info) == [Row(1, {"name": "Дуб", "n": "1"})]


def test_unusual_field_names_are_listed_exactly(upload):
    item = files.features(1)[0]
    item["properties"] = {"Geometry": "a", "a: b": "c", "Feature Count": 1}
    path = files.geojson(upload / "odd.geojson", [item])
    info = inspect(path, original_name="odd.geojson")
    assert info.columns == ["Geometry", "a: b", "Feature Count"]
    assert rows_of(path, info)[0].values == item["properties"]


def test_kml_reads_placemarks_with_their_extended_data(upload):
    path = files.kml(upload / "дерева.kml")
    info = inspect(path, original_name="дерева.kml")
    assert info.format == "kml" and info.crs == "EPSG:4326" and info.layer == "Дерева"
    rows = rows_of(path, info)
    assert len(rows) == 3
    name_column = "Name" if "Name" in info.columns else info.columns[0]
    assert [row.values[name_column] for row in rows] == NAMES
    if gdal.input_driver("kml") == "LIBKML":
        assert rows[0].values["вид"] == NAMES[0]
    assert_near(rows[0].geometry)  # the height is dropped
    assert len(rows[0].geometry["coordinates"]) == 2


# --- CSV and XLSX ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoding", "detected", "how"),
    [
        ("utf-8", "utf-8", "valid UTF-8"),
        ("utf-8-sig", "utf-8-sig", "BOM"),
        ("cp1251", "cp1251", None),
    ],
)
def test_csv_encodings_semicolons_and_decimal_commas(upload, encoding, detected, how):
    table = [["Назва", "Довгота", "Широта", "Примітка"]] + [
        [name, f"{LON + i * 0.001:.6f}".replace(".", ","), f"{LAT:.6f}".replace(".", ","), "ґанок"]
        for i, name in enumerate(NAMES)
    ]
    path = files.csv_file(upload / "дерева.csv", table, encoding=encoding, delimiter=";")
    info = inspect(path, original_name="дерева.csv")
    assert (info.encoding, info.delimiter, info.geometry) == (detected, ";", "lonlat")
    assert how is None or info.encodings_detected == how
    assert info.coordinate_columns == {"x": "Довгота", "y": "Широта"}
    assert info.columns == ["Назва", "Довгота", "Широта", "Примітка"] and info.row_count == 3
    rows = rows_of(path, info)
    assert [row.number for row in rows] == [2, 3, 4]
    assert [row.values["Назва"] for row in rows] == NAMES
    assert rows[0].values["Примітка"] == "ґанок"
    assert_near(rows[0].geometry)


def test_csv_encoding_given_by_the_caller_wins(upload):
    path = files.csv_file(upload / "a.csv", [["name", "lon", "lat"], ["Дуб", LON, LAT]])
    info = inspect(path, original_name="a.csv", encoding="windows-1251")
    assert info.encoding == "cp1251" and info.encodings_detected == "given"
    assert rows_of(path, info)[0].values["name"] == "Дуб".encode().decode("cp1251")
    cp1251 = files.csv_file(upload / "b.csv", [["name"], ["Дуб"]], encoding="cp1251")
    assert refused(cp1251, "bad_encoding", original_name="b.csv", encoding="utf-8")


def test_csv_projected_xy_in_ucs2000_comes_back_within_half_a_metre(upload):
    x, y = Transformer.from_crs(4326, 5563, always_xy=True).transform(LON, LAT)
    path = files.csv_file(upload / "gk.csv", [["id", "X", "Y"], ["1", f"{x:.3f}", f"{y:.3f}"]])
    info = inspect(path, original_name="gk.csv")
    assert info.geometry == "xy" and info.coordinate_columns == {"x": "X", "y": "Y"}
    with pytest.raises(ImportFileError) as caught:
        rows_of(path, info)
    assert caught.value.code == "crs_required"
    (row,) = rows_of(path, info, source_crs="EPSG:5563")
    lon, lat = row.geometry["coordinates"]
    assert GEOD.inv(lon, lat, LON, LAT)[2] < 0.5
    with pytest.raises(ImportFileError) as caught:
        rows_of(path, info, source_crs="EPSG:2180")
    assert caught.value.code == "crs_not_accepted"


def test_csv_wkt_column_and_a_bad_row_that_does_not_stop_the_file(upload):
    table = [
        ["name", "WKT"],
        ["point", f"POINT ({LON} {LAT})"],
        ["broken", "POINT (26.99"],
        ["area", f"POLYGON (({LON} {LAT}, {LON + 0.001} {LAT}, {LON} {LAT + 0.001}, {LON} {LAT}))"],
        ["none", ""],
        ["deep", "GEOMETRYCOLLECTION (" * 50 + "POINT (1 2)" + ")" * 50],
        ["huge", "POINT (1e300 1e300)"],
    ]
    path = files.csv_file(upload / "wkt.csv", table)
    info = inspect(path, original_name="wkt.csv")
    assert info.geometry == "wkt" and info.coordinate_columns == {"wkt": "WKT"}
    rows = {row.values["name"]: row for row in rows_of(path, info)}
    assert_near(rows["point"].geometry)
    assert rows["area"].geometry["type"] == "Polygon"
    assert rows["broken"].geometry is None and rows["broken"].geometry_error
    assert rows["none"].geometry is None and rows["none"].geometry_error is None
    assert rows["deep"].geometry_error and rows["huge"].geometry_error
    assert rows["area"].number == 4


def test_csv_row_problems_are_per_row(upload):
    table = [
        ["name", "lon", "lat"],
        ["ok", LON, LAT],
        [],
        ["text", "схід", LAT],
        ["one", LON, ""],
        ["extra", LON, LAT, "зайве"],
    ]
    path = files.csv_file(upload / "rows.csv", table)
    info = inspect(path, original_name="rows.csv")
    rows = {row.values["name"]: row for row in rows_of(path, info)}
    assert info.row_count == 4 and rows["text"].number == 4  # the blank line keeps its number
    assert "lon" in rows["text"].geometry_error and rows["one"].geometry_error
    assert rows["extra"].row_error and rows["extra"].geometry is not None


def test_csv_swapped_longitude_and_latitude_are_flagged(upload):
    path = files.csv_file(upload / "s.csv", [["lon", "lat"], [LAT, LON], [LAT, LON + 0.01]])
    assert inspect(path, original_name="s.csv").axis_swap_suspected is True
    fine = files.csv_file(upload / "f.csv", [["lon", "lat"], [LON, LAT]])
    assert inspect(fine, original_name="f.csv").axis_swap_suspected is False


def test_xlsx_reads_the_first_sheet_with_dates(upload):
    table = [
        ["Назва", "lon", "lat", "Посаджено", "Кількість"],
        [NAMES[0], LON, LAT, datetime.date(2024, 5, 1), 3],
        [NAMES[1], f"{LON}".replace(".", ","), f"{LAT}".replace(".", ","), None, 4],
    ]
    path = files.xlsx(upload / "дерева.xlsx", table, more_sheets=["Довідник"])
    info = inspect(path, original_name="дерева.xlsx")
    assert (info.format, info.layers, info.layer, info.row_count) == (
        "xlsx",
        ["Дерева", "Довідник"],
        "Дерева",
        2,
    )
    rows = rows_of(path, info)
    assert [row.number for row in rows] == [2, 3]
    assert rows[0].values["Назва"] == NAMES[0] and rows[0].values["Кількість"] == 3
    assert rows[0].values["Посаджено"] == datetime.date(2024, 5, 1)
    assert_near(rows[0].geometry)
    assert_near(rows[1].geometry)


@pytest.mark.parametrize(
    ("text", "number"),
    [("26,9965", 26.9965), (" 49.4216 ", 49.4216), ("-1e3", -1000.0), ("", None), (3, 3.0)],
)
def test_parse_number_accepts(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["1e400", "nan", "inf", "1" * 31, "1,234.5", "abc", True])
def test_parse_number_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


# --- Hostile files ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["data.gpkg", "data.geojson", "data.csv", "data.kml"])
def test_vrt_under_any_name_is_refused(upload, name):
    path = upload / name
    path.write_text(files.VRT)
    error = refused(path, original_name=name)
    assert error.code == "vrt"


def test_gml_renamed_kml_is_refused(upload):
    path = upload / "data.kml"
    path.write_text(files.GML)
    refused(path, "xml_not_kml", original_name="data.kml")


def test_kml_with_doctype_and_entities_is_refused(upload):
    path = files.kml(upload / "laughs.kml", prolog=files.BILLION_LAUGHS, description="&lol9;")
    refused(path, "xml_doctype", original_name="laughs.kml")


def test_sqlite_that_is_not_a_geopackage_is_refused(upload):
    path = upload / "data.gpkg"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (a)")
    refused(path, "sqlite_not_gpkg", original_name="data.gpkg")


def test_a_dbf_alone_is_refused(upload):
    archive = files.shapefile_zip(upload)
    with zipfile.ZipFile(archive) as zipped:
        dbf = zipped.read("дерева/дерева.dbf")
    (upload / "data.dbf").write_bytes(dbf)
    (upload / "data.csv").write_bytes(dbf)
    refused(upload / "data.dbf", "unsupported_format", original_name="data.dbf")
    refused(upload / "data.csv", "unknown_binary", original_name="data.csv")


def test_content_that_does_not_match_the_extension_is_refused(upload):
    path = files.geopackage(upload)
    refused(path, "format_mismatch", original_name="data.geojson")
    table = files.csv_file(upload / "t.csv", [["a", "b"], ["1", "2"]])
    refused(table, "format_mismatch", original_name="t.kml")
    workbook = files.xlsx(upload / "w.xlsx", [["a"], [1]])
    refused(workbook, "format_mismatch", original_name="w.zip")


def test_geojson_crs_link_is_refused_before_gdal_sees_it(upload, canary):
    crs = {"type": "link", "properties": {"href": f"{canary.url}/crs.wkt", "type": "ogcwkt"}}
    path = files.geojson(upload / "link.geojson", crs=crs)
    refused(path, "geojson_crs", original_name="link.geojson")
    hidden = upload / "hidden.geojson"
    hidden.write_text(
        files.geojson(upload / "x.geojson", crs=crs).read_text().replace("crs", "\\u0063rs")
    )
    refused(hidden, "geojson_escapes", original_name="hidden.geojson")
    assert canary.hits == []


@pytest.mark.parametrize("before", [1, 3, 8, 200, 1023, 1024, 1025, 1030, 2000])
def test_geojson_crs_is_found_across_read_chunks(upload, before):
    """The 'crs' scan reads 1 MB chunks; a member cut by a chunk boundary is still seen."""
    member = b'"crs": {"type": "link", "properties": {"href": "http://127.0.0.1:9/x"}}'
    head = b'{"type": "FeatureCollection", "features": [], "pad": "'
    start = detect._CHUNK - before
    document = head + b"x" * (start - len(head) - 3) + b'", ' + member + b"}"
    assert document.index(b'"crs"') == start
    path = upload / "cut.geojson"
    path.write_bytes(document)
    with pytest.raises(ImportFileError) as caught:
        detect.geojson_crs(path)
    assert caught.value.code == "geojson_crs"


def test_property_named_crs_with_text_is_only_a_value(upload):
    items = files.features(1)
    items[0]["properties"]["crs"] = "EPSG:5563"
    path = files.geojson(upload / "prop.geojson", items)
    info = inspect(path, original_name="prop.geojson")
    assert rows_of(path, info)[0].values["crs"] == "EPSG:5563"


@pytest.mark.parametrize(
    "text",
    ['[{"type": "Feature"}]', '{"type": "Topology", "objects": {}}', '{"features": []}'],
)
def test_json_that_is_not_geojson_is_refused(upload, text):
    path = upload / "x.geojson"
    path.write_text(text)
    refused(path, "json_not_geojson", original_name="x.geojson")


def test_damaged_geopackage_gives_a_clear_gdal_message(upload):
    path = files.geopackage(upload)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    error = refused(path, original_name="дані.gpkg")
    assert error.code in ("gdal_error", "unreadable_schema", "no_layers")
    assert "geoportal-import" not in error.message


def test_zip_bomb_is_refused(upload):
    refused(files.zip_bomb(upload / "bomb.zip"), "zip_bomb", original_name="bomb.zip")


def test_zip_entry_with_a_huge_compression_ratio_is_refused(upload):
    path = files.zip_bomb(upload / "ratio.zip", megabytes=5)
    error = refused(path, "zip_bomb", original_name="ratio.zip")
    assert "a.dbf" in error.message


@pytest.mark.parametrize("name", ["../evil.shp", "/abs.shp", "a\\..\\evil.shp", "C:/evil.shp"])
def test_zip_slip_entry_names_are_refused(upload, name):
    path = files.zip_of(upload / "slip.zip", {**files.SHAPEFILE_STUBS, name: b"x"})
    refused(path, "unsafe_path", original_name="slip.zip")


def test_zip_symlink_entry_is_refused(upload):
    refused(files.zip_with_symlink(upload / "link.zip"), "symlink", original_name="link.zip")


def test_zip_with_a_thousand_entries_is_refused(upload):
    entries = {**files.SHAPEFILE_STUBS, **{f"junk/{i}.txt": b"" for i in range(1000)}}
    path = files.zip_of(upload / "many.zip", entries)
    refused(path, "too_many_entries", original_name="many.zip")


def test_nested_zip_is_refused(upload):
    inner = files.zip_of(upload / "inner.zip", files.SHAPEFILE_STUBS).read_bytes()
    path = files.zip_of(upload / "outer.zip", {**files.SHAPEFILE_STUBS, "more/inner.zip": inner})
    refused(path, "nested_archive", original_name="outer.zip")


def test_zip_with_two_shapefiles_is_refused(upload):
    stubs = {f"b{name[1:]}": data for name, data in files.SHAPEFILE_STUBS.items()}
    path = files.zip_of(upload / "two.zip", {**files.SHAPEFILE_STUBS, **stubs})
    refused(path, "several_shapefiles", original_name="two.zip")


def test_xlsx_formula_is_refused_with_its_cell(upload, canary):
    table = [["name", "link"], ["Дуб", f'=HYPERLINK("{canary.url}/x","click")']]
    path = files.xlsx(upload / "formula.xlsx", table)
    error = refused(path, "formula", original_name="formula.xlsx")
    assert "B2" in error.message
    assert canary.hits == []


def test_xlsx_with_external_links_is_refused(upload):
    path = files.xlsx(upload / "links.xlsx", [["a"], [1]])
    files.add_to_zip(path, {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    refused(path, "external_links", original_name="links.xlsx")


def test_file_over_the_size_limit_is_refused(upload, settings):
    settings.GEOPORTAL_IMPORT_MAX_BYTES = 100
    path = files.csv_file(upload / "big.csv", [["name"], *[["Дуб"] for _ in range(50)]])
    refused(path, "too_large", original_name="big.csv")


def test_more_rows_than_the_limit_are_refused(upload, settings):
    path = files.csv_file(upload / "rows.csv", [["lon", "lat"], *[[LON, LAT]] * 20])
    settings.GEOPORTAL_IMPORT_MAX_ROWS = 10
    refused(path, "too_many_rows", original_name="rows.csv")
    settings.GEOPORTAL_IMPORT_MAX_ROWS = 100
    info = inspect(path, original_name="rows.csv")
    settings.GEOPORTAL_IMPORT_MAX_ROWS = 10
    read = []
    with pytest.raises(ImportFileError) as caught:
        for row in read_rows(path, info):
            read.append(row)
    assert caught.value.code == "too_many_rows" and len(read) == 10


def test_gis_file_with_more_features_than_the_limit_is_refused(upload, settings):
    settings.GEOPORTAL_IMPORT_MAX_ROWS = 2
    refused(files.geojson(upload / "a.geojson"), "too_many_rows", original_name="a.geojson")


def test_file_changed_after_inspection_is_refused(upload):
    path = files.geojson(upload / "a.geojson")
    info = inspect(path, original_name="a.geojson")
    path.write_text(files.VRT)
    with pytest.raises(ImportFileError):
        rows_of(path, info)


# --- Nothing fetches -------------------------------------------------------------------------
def test_canary_sees_a_fetch(canary):
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{canary.url}/probe", timeout=5)  # noqa: S310 - our own server
    assert canary.hits == ["/probe"]


def test_gdal_runs_cannot_reach_the_network(tmp_path, canary):
    """Even a file that bypassed the checks (a GeoJSON 'crs' link, which GDAL 3.6 fetches)
    reaches nothing from the confined subprocess."""
    directory = tmp_path / "confined"
    directory.mkdir()
    crs = {"type": "link", "properties": {"href": f"{canary.url}/crs.wkt", "type": "ogcwkt"}}
    files.geojson(directory / "source.geojson", crs=crs)
    gdal.ogrinfo(directory, "geojson", [], 30)
    assert list(
        gdal.features(
            directory, "geojson", source_srs="EPSG:4326", options=[], layer=None, timeout=30
        )
    )
    assert canary.hits == []


def test_urls_and_gdal_paths_in_values_are_only_text(upload, canary):
    url = f"{canary.url}/value"
    hostile = [f"/vsicurl/{url}", url, f"/vsizip//vsicurl/{url}/a.zip", "file:///etc/passwd"]
    items = files.features(len(hostile))
    for item, text in zip(items, hostile, strict=True):
        item["properties"]["назва"] = text
    read = {}
    geo = files.geojson(upload / "urls.geojson", items)
    read["geojson"] = (geo, "geojson", "назва")
    read["gpkg"] = (files.geopackage(upload, upload / "urls.gpkg", items), "gpkg", "назва")
    table = [["name", "wkt"], *[[text, f"POINT ({LON} {LAT})"] for text in hostile]]
    table.append(["wkt", f"{canary.url}/wkt"])
    read["csv"] = (files.csv_file(upload / "urls.csv", table), "csv", "name")
    read["xlsx"] = (files.xlsx(upload / "urls.xlsx", table), "xlsx", "name")
    extra = (
        f'<Style id="s"><IconStyle><Icon><href>{canary.url}/icon.png</href></Icon></IconStyle>'
        f"</Style><NetworkLink><Link><href>{canary.url}/net.kml</href></Link></NetworkLink>"
    )
    read["kml"] = (files.kml(upload / "urls.kml", extra=extra, description=url), "kml", None)
    for name, (path, format, column) in read.items():
        info = inspect(path, original_name=path.name)
        assert info.format == format
        rows = rows_of(path, info)
        if column:
            assert [row.values[column] for row in rows][: len(hostile)] == hostile, name
    assert rows_of(read["csv"][0], inspect(read["csv"][0], original_name="u.csv"))[
        -1
    ].geometry_error
    assert canary.hits == []
