"""GDAL's own OGC API client reads the API served by gunicorn (``-m server``)."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.gis.gdal import DataSource
from django.db import connections

from layers.models import Status
from layers.registry import registry_get
from tests.ogcapi.conftest import publish

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


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgis://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(scope="module")
def server(committed_trees):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.test",
        "CONN_MAX_AGE": "0",
    }
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "geoportal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{root}/healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield f"{root}/ogc/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def gdal_env() -> dict:
    """The settings drop GDAL's network drivers in *this* process; the CLI needs OAPIF."""
    env = dict(os.environ)
    env.pop("GDAL_SKIP", None)
    env.pop("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", None)
    return env


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
