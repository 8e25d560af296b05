"""The throwaway benchmark database on the local cluster: connection facts and (re)creation."""

import os
from pathlib import Path

import psycopg

from bench.config import DB_NAME, HOST, ROOT

PG_DIR = ROOT / "var" / "pg"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


def pg_facts() -> dict:
    """User, password and port of the project-local cluster (bin/pg-local)."""
    return {
        "user": "geoportal",
        "password": _read(PG_DIR / "password"),
        "port": int(_read(PG_DIR / "port")) if (PG_DIR / "port").exists() else 54329,
    }


def conninfo(dbname: str = DB_NAME) -> str:
    pg = pg_facts()
    return psycopg.conninfo.make_conninfo(
        host=HOST, port=pg["port"], user=pg["user"], password=pg["password"], dbname=dbname
    )


def url(scheme: str = "postgis", dbname: str = DB_NAME) -> str:
    pg = pg_facts()
    return f"{scheme}://{pg['user']}:{pg['password']}@{HOST}:{pg['port']}/{dbname}"


def connect(dbname: str = DB_NAME, **kwargs) -> psycopg.Connection:
    return psycopg.connect(conninfo(dbname), **kwargs)


def recreate() -> None:
    """Drop and create the benchmark database (never the portal's own one)."""
    assert DB_NAME.endswith("_bench")  # noqa: S101 - a guard, not a test
    with connect("postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def drop() -> None:
    with connect("postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def django_env() -> dict:
    """Environment for manage.py and the Django servers, pointed at the benchmark database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url(),
        STATIC_ROOT=str(ROOT / "var" / "bench" / "static"),
        DEBUG="false",
        DJANGO_SETTINGS_MODULE="geoportal.settings.base",
        LOG_LEVEL="WARNING",
    )
    return env
