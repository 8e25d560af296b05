"""Whole-layer downloads, re-read with GDAL: the same features, with licence and source."""

import gzip
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Point, Polygon

from layers.models import Status
from layers.registry import registry_get
from tests.factories import SQUARE
from tests.ogcapi.conftest import body, publish

pytestmark = pytest.mark.django_db

SUFFIXES = {"geojson": "geojson", "csv": "csv", "gpkg": "gpkg", "shapefile": "shp.zip"}


def download(client, registry, fmt, tmp_path: Path) -> Path:
    response = client.get(f"/ogc/collections/{registry.id}/download/{fmt}")
    assert response.status_code == 200, body(response)[:500]
    assert f'filename="{registry.id}.{SUFFIXES[fmt]}"' in response["Content-Disposition"]
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


def test_gzip_applies_to_streamed_downloads(client):
    publish(registry_get("trees"), 30)

    response = client.get("/ogc/collections/trees/download/csv", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(response)).decode().count("\n") == 31
