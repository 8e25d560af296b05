"""GDAL's own OGC API client reads the API served by gunicorn (``-m server``)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.gis.gdal import DataSource
from django.db import connections

from layers.models import Status
from layers.registry import registry_get
from tests.ogcapi.conftest import publish
from tests.ogcapi.live import gdal_env, live_server

pytestmark = pytest.mark.server

VENV_BIN = Path(sys.executable).parent
OGRINFO = shutil.which("ogrinfo") or "/usr/bin/ogrinfo"
OGR2OGR = shutil.which("ogr2ogr") or "/usr/bin/ogr2ogr"
PUBLISHED = 23  # more than two of GDAL 3.6's 10-feature pages


@pytest.fixture(scope="module")
def committed_trees(django_db_setup, django_db_blocker):
    """Trees committed to the test database (a server in another process must see them)."""
    trees = registry_get("trees")
    with django_db_blocker.unblock():
        published = publish(trees, PUBLISHED)
        hidden = publish(trees, 2, status=Status.DRAFT)
        yield published
        trees.model.objects.filter(pk__in=[r.pk for r in published + hidden]).delete()
        # Nothing of this module may keep the test database open for its teardown.
        connections.close_all()


@pytest.fixture(scope="module")
def server(committed_trees, tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("gunicorn") / "access.log") as root:
        yield f"{root}/ogc/"


def test_ogrinfo_reports_the_published_count(server):
    result = subprocess.run(
        [OGRINFO, "-ro", "-so", f"OAPIF:{server}", "trees"],
        capture_output=True,
        text=True,
        env=gdal_env(),
        timeout=120,
        check=True,
    )

    assert re.search(r"Feature Count: (\d+)", result.stdout).group(1) == str(PUBLISHED)


def test_ogr2ogr_copies_every_feature_into_a_geopackage(server, committed_trees, tmp_path):
    target = tmp_path / "trees.gpkg"

    subprocess.run(
        [OGR2OGR, "-f", "GPKG", str(target), f"OAPIF:{server}", "trees"],
        capture_output=True,
        text=True,
        env=gdal_env(),
        timeout=300,
        check=True,
    )

    layer = DataSource(str(target))[0]
    ids = [feature.get("id") for feature in layer]
    assert len(ids) == PUBLISHED
    assert set(ids) == {str(record.public_id) for record in committed_trees}
