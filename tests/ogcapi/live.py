"""The portal served by gunicorn in a process of its own, for clients that are programs of
their own (GDAL's command-line tools, QGIS, OWSLib): they must see committed data and a real
HTTP server, with an access log that shows what they asked."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

VENV_BIN = Path(sys.executable).parent
SERVER_APPLICATION = "geoportal-test-server"


def database_url() -> str:
    db = settings.DATABASES["default"]
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgis://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextlib.contextmanager
def live_server(access_log: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>`` while gunicorn serves the test database; every request
    is written to ``access_log`` (its request line, as the client sent it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.test",
        "CONN_MAX_AGE": "0",
        # libpq names the server's connections, so that none outlives it (below).
        "PGAPPNAME": SERVER_APPLICATION,
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
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(r)s %(s)s",
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
        yield root
    finally:
        process.terminate()
        process.wait(timeout=40)
        _end_server_sessions()


def _end_server_sessions() -> None:
    """End what the server's connections still run: a worker killed mid-request leaves its
    query running in PostgreSQL, and the test database could then not be dropped."""
    import psycopg
    from django.db import connection

    db = connection.settings_dict  # the test database, as pytest-django set it up
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as own:
        own.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SERVER_APPLICATION],
        )


def gdal_env() -> dict:
    """The settings drop GDAL's network drivers in *this* process; the CLI needs OAPIF."""
    env = dict(os.environ)
    env.pop("GDAL_SKIP", None)
    env.pop("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", None)
    return env


@contextlib.contextmanager
def shipped_definitions() -> Iterator[None]:
    """The registries defined as data (data/registries) committed for a module whose server
    runs in another process; removed after it, with their records, so the rest of the test
    session sees the database it had. Call inside ``django_db_blocker.unblock()``."""
    from layers.datasets.loader import load_definitions
    from layers.models import ChoiceList, DataRecord, RegistryDefinition

    lists_before = set(ChoiceList.objects.values_list("pk", flat=True))
    definitions_before = set(RegistryDefinition.objects.values_list("pk", flat=True))
    load_definitions()
    try:
        yield
    finally:
        added = RegistryDefinition.objects.exclude(pk__in=definitions_before)
        DataRecord.objects.filter(definition__in=added).delete()
        added.delete()
        ChoiceList.objects.exclude(pk__in=lists_before).delete()
