"""Whole-layer downloads, re-read with GDAL: the same features, with licence and source."""

import gzip
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Point, Polygon

from layers.models import Status
from layers.ogcapi.families import collection_get
from layers.registry import registry_get
from tests.factories import SQUARE
from tests.ogcapi.conftest import body, publish

pytestmark = pytest.mark.django_db

SUFFIXES = {"geojson": "geojson", "csv": "csv", "gpkg": "gpkg", "shapefile": "shp.zip"}


def download(client, registry, fmt, tmp_path: Path) -> Path:
    name = f"{registry.id}.{SUFFIXES[fmt]}"
    response = client.get(f"/ogc/collections/{registry.id}/download/{name}")
    assert response.status_code == 200, body(response)[:500]
    assert f'filename="{name}"' in response["Content-Disposition"]
    assert 'rel="license"' in response["Link"]
    path = tmp_path / f"{registry.id}.{SUFFIXES[fmt]}"
    path.write_bytes(body(response))
    return path


def gdal_features(path: Path) -> list[dict]:
    """Every feature GDAL reads from the file (all layers; a zip is unpacked first)."""
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            archive.extractall(path.parent / "unzipped")
        paths = sorted((path.parent / "unzipped").glob("*.shp"))
    else:
        paths = [path]
    features = []
    for one in paths:
        for layer in DataSource(str(one)):
            for feature in layer:
                features.append({field: feature.get(field) for field in layer.fields})
    return features


@pytest.mark.parametrize("fmt", list(SUFFIXES))
def test_download_has_every_published_feature_and_nothing_else(client, registry, fmt, tmp_path):
    published = publish(registry, 3)
    publish(registry, 1, status=Status.DRAFT, name="Чернетка")
    publish(registry, 1, status=Status.ARCHIVED, name="Архів")

    features = gdal_features(download(client, registry, fmt, tmp_path))

    assert len(features) == 3
    ids = {str(feature.get("id")) for feature in features}
    assert ids == {str(record.public_id) for record in published}
    assert "Чернетка" not in str(features) and "Архів" not in str(features)


def test_geojson_download_names_licence_and_source(client, tmp_path):
    publish(registry_get("trees"), 2)

    document = json.loads(download(client, registry_get("trees"), "geojson", tmp_path).read_text())

    assert document["license"] == "CC-BY-4.0"
    assert "http" in document["source"]
    assert any(link["rel"] == "license" for link in document["links"])


def test_csv_is_utf8_with_wkt_and_a_header(client, tmp_path):
    publish(registry_get("heritage"), 1, name="Пам'ятка «Замок»", types=["history", "architecture"])

    text = download(client, registry_get("heritage"), "csv", tmp_path).read_text(encoding="utf-8")

    header, row = text.splitlines()[:2]
    assert header.startswith("id,name,")
    assert header.endswith(",wkt")
    assert "Пам'ятка «Замок»" in row
    assert "history;architecture" in row
    assert "POLYGON" in row or "POINT" in row


def test_geopackage_carries_the_licence(client, tmp_path):
    publish(registry_get("trees"), 1)

    path = download(client, registry_get("trees"), "gpkg", tmp_path)

    assert b"CC-BY-4.0" in path.read_bytes()


def test_shapefile_zip_has_readme_with_licence_and_one_layer_per_geometry_kind(client, tmp_path):
    heritage = registry_get("heritage")
    publish(heritage, 2, geom=Polygon(SQUARE, srid=4326))
    publish(heritage, 1, geom=Point(26.99, 49.42, srid=4326))

    path = download(client, heritage, "shapefile", tmp_path)

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        readme = archive.read("README.txt").decode()
    assert {"heritage_points.shp", "heritage_polygons.shp", "heritage_points.cpg"} <= names
    assert "creativecommons.org/licenses/by/4.0" in readme
    assert "protection" in readme  # the shortened field names are explained
    assert len(gdal_features(path)) == 3


def test_gzip_copy_is_served_with_its_length(client):
    publish(registry_get("trees"), 30)

    response = client.get("/ogc/collections/trees/download/trees.csv", HTTP_ACCEPT_ENCODING="gzip")

    packed = body(response)
    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) == len(packed)
    assert response["ETag"].startswith('W/"')  # not the identity bytes' tag
    assert gzip.decompress(packed).decode().count("\n") == 31


# --- downloads as files: length, ranges, one build per state --------------------------------
def _get(client, url, **headers):
    response = client.get(
        url, **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    )
    return response, body(response)


@pytest.mark.parametrize("fmt", list(SUFFIXES))
def test_a_download_has_its_length_and_byte_ranges(client, fmt):
    publish(registry_get("trees"), 12)
    url = f"/ogc/collections/trees/download/trees.{SUFFIXES[fmt]}"

    whole, content = _get(client, url)
    middle, part = _get(client, url, range="bytes=10-29")
    tail, last = _get(client, url, range="bytes=-7")
    open_end, rest = _get(client, url, range=f"bytes={len(content) - 5}-")

    assert whole["Accept-Ranges"] == "bytes"
    assert int(whole["Content-Length"]) == len(content)
    assert (middle.status_code, middle["Content-Range"]) == (206, f"bytes 10-29/{len(content)}")
    assert part == content[10:30] and int(middle["Content-Length"]) == 20
    assert (tail.status_code, last) == (206, content[-7:])
    assert (open_end.status_code, rest) == (206, content[-5:])


def test_a_range_outside_the_file_is_416_and_several_ranges_get_the_whole_file(client):
    publish(registry_get("trees"), 3)
    url = "/ogc/collections/trees/download/trees.geojson"
    _whole, content = _get(client, url)

    outside, _ = _get(client, url, range=f"bytes={len(content)}-")
    several, every = _get(client, url, range="bytes=0-1,5-9")
    garbage, _ = _get(client, url, range="bytes=abc")

    assert (outside.status_code, outside["Content-Range"]) == (416, f"bytes */{len(content)}")
    assert (several.status_code, every) == (200, content)
    assert garbage.status_code == 200


def test_if_range_with_an_old_tag_gets_the_new_file_whole(client):
    trees = registry_get("trees")
    publish(trees, 3)
    url = "/ogc/collections/trees/download/trees.geojson"
    first, _ = _get(client, url)

    publish(trees, 1)  # the layer changes: a new file, a new tag
    resumed, content = _get(client, url, range="bytes=0-9", if_range=first["ETag"])
    current, part = _get(client, url, range="bytes=0-9", if_range=resumed["ETag"])

    assert resumed.status_code == 200 and content.count(b'"type":"Feature"') == 4
    assert (current.status_code, part) == (206, content[:10])


def test_the_file_is_built_once_per_state_and_only_the_newest_is_kept(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    trees = registry_get("trees")
    publish(trees, 2)
    url = "/ogc/collections/trees/download/trees.csv"
    _get(client, url)
    with CaptureQueriesContext(connection) as again:
        _get(client, url)
    publish(trees, 1)
    _response, newer = _get(client, url)

    assert not [q for q in again.captured_queries if "COPY" in q["sql"] or "ST_AsText" in q["sql"]]
    assert newer.count(b"\n") == 4
    kept = sorted(p.name for p in Path(settings.GEOPORTAL_DOWNLOAD_DIR).glob("trees.*.csv*"))
    assert len([name for name in kept if name.endswith(".csv")]) == 1, kept


def test_a_family_collection_downloads_only_its_family(client, tmp_path):
    heritage = registry_get("heritage")
    areas = publish(heritage, 2, geom=Polygon(SQUARE, srid=4326))
    publish(heritage, 1, geom=Point(26.99, 49.42, srid=4326))
    view = collection_get("heritage.polygons")

    for fmt in SUFFIXES:
        (tmp_path / fmt).mkdir()
        features = gdal_features(download(client, view, fmt, tmp_path / fmt))
        assert {str(f["id"]) for f in features} == {str(r.public_id) for r in areas}, fmt
    layer = DataSource(str(download(client, view, "gpkg", tmp_path)))[0]
    assert layer.geom_type.name == "MultiPolygon"  # one type for every client


def test_the_short_format_names_still_answer_and_unknown_files_are_404(client):
    publish(registry_get("trees"), 1)

    short = client.get("/ogc/collections/trees/download/gpkg")
    unknown = client.get("/ogc/collections/trees/download/trees.exe")
    other = client.get("/ogc/collections/trees/download/heritage.gpkg")

    assert short.status_code == 200
    assert short["Content-Disposition"] == 'attachment; filename="trees.gpkg"'
    for response in (unknown, other):
        assert response.status_code == 404
        assert "trees.gpkg" in json.loads(body(response))["description"]


def test_the_csv_is_one_file_for_both_languages(client, settings):
    publish(registry_get("trees"), 2)
    url = "/ogc/collections/trees/download/trees.csv"

    ukrainian = body(client.get(url, HTTP_ACCEPT_LANGUAGE="uk"))
    english = body(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))

    assert ukrainian == english
    files = list(Path(settings.GEOPORTAL_DOWNLOAD_DIR).glob("trees.*.csv"))
    assert len(files) == 1, files
