"""Settings fail safe: a missing secret or database gives one clear line, not a traceback."""

import os
import subprocess
import sys

from django.conf import settings
from django.utils.functional import empty

from geoportal.env import BASE_DIR

CLEAN_ENV = {
    key: value
    for key, value in os.environ.items()
    if key
    not in {"DATABASE_URL", "SECRET_KEY", "GEOPORTAL_DEMO", "DJANGO_SETTINGS_MODULE", "DEBUG"}
}


def manage(*args, env_extra, home=BASE_DIR):
    """Run manage.py in a child process with the base settings and no var/geoportal.env."""
    env = {**CLEAN_ENV, "DJANGO_SETTINGS_MODULE": "geoportal.settings.base", **env_extra}
    env["GEOPORTAL_ENV_FILE"] = "/nonexistent"
    return subprocess.run(
        [sys.executable, str(home / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_secret_key_is_one_clear_error():
    result = manage("check", env_extra={"DATABASE_URL": "postgis://u:p@127.0.0.1:1/db"})

    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_database_url_is_one_clear_error():
    result = manage("check", env_extra={"SECRET_KEY": "x" * 50})

    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_clear_error(unused_tcp_port):
    result = manage(
        "preflight",
        env_extra={
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": f"postgis://u:p@127.0.0.1:{unused_tcp_port}/nowhere",
        },
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"cannot reach the database at 127.0.0.1:{unused_tcp_port}/nowhere" in lines[0]


def test_port_taken_is_one_clear_error(bound_tcp_port):
    db = settings.DATABASES["default"]
    url = f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    result = manage(
        "preflight",
        "--port",
        str(bound_tcp_port),
        env_extra={"SECRET_KEY": "x" * 50, "DATABASE_URL": url},
    )

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: port {bound_tcp_port} is already in use; stop what runs there or "
        "choose another with PORT=<port> make run"
    )


def test_database_without_postgis_is_one_clear_error(scratch_database_url):
    result = manage(
        "preflight", env_extra={"SECRET_KEY": "x" * 50, "DATABASE_URL": scratch_database_url}
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "PostGIS is available but not enabled" in result.stderr


def test_debug_is_off_and_gdal_network_drivers_are_skipped_by_default():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; import os; "
        "print(settings.DEBUG, os.environ['GDAL_SKIP'])",
        env_extra={"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgis://u:p@127.0.0.1:1/db"},
    )

    assert result.returncode == 0, result.stderr
    debug, skipped = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert debug == "False"
    assert {"VRT", "WFS", "OAPIF", "HTTP"} <= set(skipped.split())


def test_production_settings_pass_the_deployment_checklist():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "geoportal.settings.production",
            "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8" * 4,
            "ALLOWED_HOSTS": "geoportal.example.org",
            "DATABASE_URL": "postgis://u:p@127.0.0.1:1/db",
            # As docker/env.example and the Debian install write them.
            "GEOPORTAL_BEHIND_PROXY": "true",
            "GEOPORTAL_STATEMENT_TIMEOUT_S": "110",
        },
    )

    assert result.returncode == 0, result.stderr


def test_portal_connections_neither_jit_compile_nor_start_parallel_workers(db):
    # The local cluster has JIT off too; the portal asks for both on its own connection, so
    # a server with PostgreSQL's defaults never compiles a tile query nor spends 10 ms
    # starting workers for it. (Whole-layer downloads ask for workers themselves.)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting, source FROM pg_settings"
            " WHERE name IN ('jit', 'max_parallel_workers_per_gather') ORDER BY name"
        )
        assert cursor.fetchall() == [
            ("jit", "off", "client"),
            ("max_parallel_workers_per_gather", "0", "client"),
        ]


def test_collected_stylesheets_keep_the_inline_icons_of_the_map_editor(tmp_path, settings):
    """Production's hashed static files: Leaflet-Geoman's toolbar icons are SVG data URIs
    whose ``url(%23…)`` fragments must survive the rewriting of stylesheet URLs."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "geoportal.storage.StaticFilesStorage"},
    }
    from django.contrib.staticfiles.storage import staticfiles_storage

    staticfiles_storage._wrapped = empty
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
        css = next(tmp_path.glob("vendor/geoman/leaflet-geoman.*.css")).read_text()
    finally:
        staticfiles_storage._wrapped = empty
    assert "url(%23polygon-b)" in css
    assert "#polygon-b#polygon-b" not in css


def test_a_web_process_gives_its_queries_the_statement_timeout_it_is_told(db):
    from urllib.parse import quote

    database = settings.DATABASES["default"]
    url = (
        f"postgis://{quote(database['USER'], safe='')}:{quote(database['PASSWORD'] or '', safe='')}"
        f"@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    show = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    env = {"SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8" * 4, "DATABASE_URL": url}
    told = {**env, "GEOPORTAL_STATEMENT_TIMEOUT_S": "7"}
    web = manage("shell", "-c", show, env_extra={**told, "GEOPORTAL_PROCESS": "web"})
    web_default = manage("shell", "-c", show, env_extra={**env, "GEOPORTAL_PROCESS": "web"})
    # The worker and migrations run in the same environment (the app container's) and must
    # not get the web's budget: imports and migrations run for minutes.
    worker = manage("shell", "-c", show, env_extra=told)
    # The WSGI entry point gunicorn loads marks its process as the web's.
    wsgi = subprocess.run(
        [sys.executable, "-c", "import geoportal.wsgi\n" + show],
        env={**CLEAN_ENV, **told, "GEOPORTAL_ENV_FILE": "/nonexistent"},
        cwd=BASE_DIR, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert web.stdout.strip().splitlines()[-1] == "7s", web.stderr
    assert web_default.stdout.strip().splitlines()[-1] == "30s", web_default.stderr
    assert worker.stdout.strip().splitlines()[-1] == "0", worker.stderr
    assert wsgi.stdout.strip().splitlines()[-1] == "7s", wsgi.stderr


def test_a_budget_not_below_gunicorns_timeout_is_refused():
    env = {
        "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8" * 4,
        "DATABASE_URL": "postgis://u:p@127.0.0.1:1/db",
        "GEOPORTAL_PROCESS": "web",
        "GEOPORTAL_REQUEST_TIMEOUT_S": "60",
    }
    wrong = manage("check", env_extra={**env, "GEOPORTAL_STATEMENT_TIMEOUT_S": "60"})
    right = manage("check", env_extra={**env, "GEOPORTAL_STATEMENT_TIMEOUT_S": "50"})

    assert wrong.returncode != 0 and "geoportal.E020" in wrong.stderr
    assert right.returncode == 0, right.stderr
