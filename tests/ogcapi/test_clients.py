"""Open data as its users' own tools read it, against the portal under gunicorn: GDAL's
command-line tools, QGIS (Debian's python3-qgis, run by Debian's Python) and OWSLib.

The rule for every listed collection and every download: the client sees ``numberMatched``
features, no fewer.
"""

import datetime as dt
import json
import re
import shutil
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connections

from layers.models import Status
from layers.ogcapi.documents import DOWNLOADS, download_name
from layers.ogcapi.families import published_collections
from layers.ogcapi.simple import simple_collections
from layers.registry import public_registries, registry_get
from tests.factories import SQUARE
from tests.ogcapi.conftest import publish
from tests.ogcapi.live import gdal_env, live_server, shipped_definitions

pytestmark = pytest.mark.server

OGRINFO = shutil.which("ogrinfo") or "/usr/bin/ogrinfo"
OGR2OGR = shutil.which("ogr2ogr") or "/usr/bin/ogr2ogr"
DEBIAN_PYTHON = "/usr/bin/python3"  # the one python3-qgis installs its bindings for
QGIS_READER = Path(__file__).with_name("qgis_reader.py")
PER_REGISTRY = 12  # more than one of GDAL's 10-feature pages


@pytest.fixture(scope="module")
def committed_layers(django_db_setup, django_db_blocker):
    """Records committed in every public registry (a server in another process must see
    them): heritage gets points and polygons, trees a height and a planting date each."""
    made = []
    with django_db_blocker.unblock(), shipped_definitions():
        for registry in public_registries():
            if registry.id == "trees":
                for index in range(PER_REGISTRY):
                    made += publish(
                        registry,
                        1,
                        height_m=4 + index,
                        planted_on=dt.date(2014 + index % 8, 5, 1),
                    )
            else:
                made += publish(registry, PER_REGISTRY)
            if registry.id == "heritage":
                made += publish(registry, 5, geom=Polygon(SQUARE, srid=4326))
        made += publish(registry_get("trees"), 2, status=Status.DRAFT)  # never served
        yield made
        for record in made:
            type(record).objects.filter(pk=record.pk).delete()
        connections.close_all()


@pytest.fixture(scope="module")
def portal(committed_layers, tmp_path_factory):
    log = tmp_path_factory.mktemp("gunicorn") / "access.log"
    with live_server(log) as root:
        yield Portal(root, log)


class Portal:
    def __init__(self, root: str, log: Path):
        self.root, self.log = root, log
        self.ogc = f"{root}/ogc/"

    def matched(self, collection_id: str, **query: str) -> int:
        query = urllib.parse.urlencode({"limit": 1, "skipGeometry": "true", **query})
        url = f"{self.ogc}collections/{collection_id}/items?{query}"
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our server
            return json.load(response)["numberMatched"]

    def download_url(self, collection, fmt: str) -> str:
        return f"{self.ogc}collections/{collection.id}/download/{download_name(collection, fmt)}"

    def requests(self) -> list[str]:
        return self.log.read_text().splitlines()


def _run(*command: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, capture_output=True, text=True, env=gdal_env(), timeout=timeout, check=True
    )


def _count(ogrinfo_output: str) -> list[int]:
    return [int(n) for n in re.findall(r"Feature Count: (\d+)", ogrinfo_output)]


# --- GDAL ----------------------------------------------------------------------------------
def test_ogr2ogr_copies_every_collection_whole(portal, tmp_path):
    target = tmp_path / "everything.gpkg"

    # GDAL's defaults (10 features a page), as most people run it.
    _run(OGR2OGR, "-f", "GPKG", str(target), f"OAPIF:{portal.ogc}")

    from django.contrib.gis.gdal import DataSource

    copied = {layer.name: len(layer) for layer in DataSource(str(target))}
    listed = [*published_collections(), *simple_collections()]
    expected = {c.id: portal.matched(c.id) for c in listed}
    assert copied == expected
    assert expected["heritage.points"] == PER_REGISTRY
    assert expected["heritage.polygons"] == 5


def test_a_where_on_a_number_and_a_date_is_answered_by_the_server(portal):
    where = "height_m > 8 AND planted_on >= '2018-01-01'"
    before = len(portal.requests())

    result = subprocess.run(
        [OGRINFO, "-ro", "-al", "-q", f"OAPIF:{portal.ogc}", "trees", "-where", where],
        capture_output=True,
        text=True,
        env={**gdal_env(), "CPL_DEBUG": "ON"},
        timeout=120,
        check=True,
    )

    # Heights 4..15 with planting years 2014..2021, 2014..2017: the first eight from 2018
    # are indexes 4-7 (heights 8-11), of which 9, 10, 11 are above 8; 12-15 are 2014-2017.
    seen = result.stdout.count("OGRFeature(trees)")
    assert (
        seen
        == 3
        == portal.matched("trees", filter="height_m > 8 AND planted_on >= DATE('2018-01-01')")
    )
    assert "CQL text detected" in result.stderr
    assert "evaluated on client side" not in result.stderr
    asked = [line for line in portal.requests()[before:] if "/collections/trees/items" in line]
    # GDAL reads one unfiltered page to learn the fields; every page after it is filtered
    # by the server (no paging through the whole layer to filter on the client).
    unfiltered = [line for line in asked if "filter=" not in line]
    assert len(unfiltered) <= 1, unfiltered
    assert any("filter-lang=cql-text" in line and "planted_on" in line for line in asked)


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
def test_downloads_open_as_urls_and_through_vsicurl(portal, fmt):
    for collection in (
        registry_get("trees"),
        *[c for c in published_collections() if c.id.startswith("heritage.")],
    ):
        url = portal.download_url(collection, fmt)
        sources = [f"/vsicurl/{url}"]
        if fmt == "shapefile":
            sources = [f"/vsizip//vsicurl/{url}"]
        elif fmt in ("geojson", "gpkg"):
            sources.append(url)  # GDAL opens these straight from the URL too
        for source in sources:
            counts = _count(_run(OGRINFO, "-ro", "-so", "-al", source).stdout)
            assert counts == [portal.matched(collection.id)], (source, counts)


def test_a_page_size_from_the_readme_copies_the_trees_in_few_requests(portal, tmp_path):
    before = len(portal.requests())

    _run(
        OGR2OGR,
        "-f",
        "GPKG",
        str(tmp_path / "trees.gpkg"),
        f"OAPIF:{portal.ogc}",
        "trees",
        "-oo",
        "PAGE_SIZE=1000",
    )

    pages = [r for r in portal.requests()[before:] if "/collections/trees/items" in r]
    assert len(pages) <= 3, pages


# --- QGIS ----------------------------------------------------------------------------------
def _qgis(*sources: str) -> dict:
    if (
        not Path(DEBIAN_PYTHON).exists()
        or subprocess.run(
            [DEBIAN_PYTHON, "-c", "import qgis.core"], capture_output=True, check=False
        ).returncode
    ):
        pytest.fail("python3-qgis is missing: bin/ensure-system-packages test installs it")
    # QGIS writes a profile and a network cache under HOME: a throw-away one, not the tree.
    with tempfile.TemporaryDirectory(prefix="qgis-home-") as home:
        env = {**gdal_env(), "QT_QPA_PLATFORM": "offscreen", "HOME": home}
        env.pop("PYTHONPATH", None)
        env.pop("VIRTUAL_ENV", None)
        completed = subprocess.run(
            [DEBIAN_PYTHON, str(QGIS_READER), *sources],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            check=True,
        )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_qgis_draws_every_feature_of_every_collection_and_download(portal, tmp_path):
    sources = {}
    for collection in published_collections():
        uri = f"url='{portal.ogc.rstrip('/')}' typename='{collection.id}'"
        sources[f"OAPIF|{uri}"] = collection.id
    for collection in (c for c in published_collections() if c.id.startswith(("heritage", "tr"))):
        sources[f"ogr|/vsicurl/{portal.download_url(collection, 'gpkg')}"] = collection.id
        sources[f"ogr|/vsicurl/{portal.download_url(collection, 'geojson')}"] = collection.id
        sources[f"ogr|/vsizip//vsicurl/{portal.download_url(collection, 'shapefile')}"] = (
            collection.id
        )
        # QGIS's delimited-text reader takes a local file: as a person downloads it.
        csv = tmp_path / download_name(collection, "csv")
        with urllib.request.urlopen(portal.download_url(collection, "csv")) as response:  # noqa: S310
            csv.write_bytes(response.read())
        uri = f"file://{csv}?type=csv&wktField=wkt&crs=EPSG:4326&detectTypes=yes"
        sources[f"delimitedtext|{uri}"] = collection.id

    seen = _qgis(*sources)

    for source, collection_id in sources.items():
        result = seen[source]
        assert result["valid"], (source, result)
        assert result["drawn"] == result["features"] == portal.matched(collection_id), (
            source,
            result,
        )


def test_qgis_would_lose_features_of_a_mixed_collection(portal):
    # Why a mixed registry is split: QGIS types heritage by its first feature.
    uri = f"url='{portal.ogc}' typename='heritage'"

    result = _qgis(f"OAPIF|{uri}")[f"OAPIF|{uri}"]

    assert result["drawn"] < portal.matched("heritage")


# --- OWSLib --------------------------------------------------------------------------------
def test_owslib_lists_describes_and_reads_every_collection(portal):
    from owslib.ogcapi.features import Features

    api = Features(portal.ogc)

    conformance = api.conformance()["conformsTo"]
    listed = [c["id"] for c in api.collections()["collections"]]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conformance
    assert listed == [c.id for c in (*published_collections(), *simple_collections())]
    for collection_id in listed:
        queryables = api.collection_queryables(collection_id)
        page = api.collection_items(collection_id, limit=100)
        assert "properties" in queryables
        assert page["numberMatched"] == len(page["features"]) == portal.matched(collection_id)
    hazardous = api.collection_items("trees", filter="height_m > 14", limit=100)
    assert [f["properties"]["height_m"] for f in hazardous["features"]] == [15]
