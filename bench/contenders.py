"""Each contender is a small adapter: how to start its server and the paths of a whole
collection, a bbox query and a tile (None where it offers no such thing)."""

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from bench import db
from bench.config import HOST, PORTS, ROOT, VAR, WORKERS
from bench.data import VIEWS
from bench.procs import Server

VENV = ROOT / ".venv" / "bin"
PYGEOAPI = VAR / "venv-pygeoapi" / "bin"
TIPG = VAR / "venv-tipg" / "bin"
PYGEOAPI_VERSION = "0.21.0"  # the last release for Python 3.11 (0.22 needs 3.12)
TIPG_VERSION = "1.6.1"
HUGE = 1_000_000  # the page size asked of servers that let their operator raise the maximum


def _bbox(bbox) -> str:
    return ",".join(f"{v:.6f}" for v in bbox)


@dataclass
class Contender:
    name: str
    server: Callable[[], Server]
    items: Callable[[str, int], str]  # (collection, limit) -> path of the whole collection
    bbox: Callable[[str, tuple, int], str] | None = None
    tile: Callable[[str, int, int, int], str] | None = None
    naive: bool = False  # fetch whole layers only up to Plan.slow_max_features
    note: str = ""
    shares: str | None = None  # the name of the contender whose server answers this one
    # (collection, query string) -> path of a filtered page of items
    filtered: Callable[[str, str], str] | None = None
    # What it is measured on for the data-defined registry: "full", "filter", "tile".
    dataset: tuple[str, ...] = ()

    @property
    def port(self) -> int:
        return PORTS[self.shares or self.name]


def _gunicorn(name: str, module: str, settings: str) -> Server:
    env = db.django_env()
    env["DJANGO_SETTINGS_MODULE"] = settings
    cmd = [
        str(VENV / "gunicorn"),
        module,
        f"--bind={HOST}:{PORTS[name]}",
        f"--workers={WORKERS}",
        "--timeout=900",
        "--log-level=warning",
    ]
    return Server(name, cmd, PORTS[name], env, "/healthz" if name == "ours" else "/", ROOT)


def ours() -> Contender:
    return Contender(
        "ours",
        lambda: _gunicorn("ours", "geoportal.wsgi", "geoportal.settings.base"),
        items=lambda c, n: f"/ogc/collections/{c}/items?limit={n}",
        bbox=lambda c, b, n: f"/ogc/collections/{c}/items?bbox={_bbox(b)}&limit={n}",
        tile=lambda c, z, x, y: f"/tiles/{c}/{z}/{x}/{y}.pbf",
        filtered=lambda c, q: f"/ogc/collections/{c}/items?{q}",
        dataset=("filter", "tile"),
        note=f"gunicorn, {WORKERS} sync workers",
    )


def ours_download() -> Contender:
    """Our whole-layer GeoJSON download (one streamed document, no paging)."""
    return Contender(
        "ours-download",
        lambda: None,
        items=lambda c, n: f"/ogc/collections/{c}/download/geojson",
        note="/ogc/collections/{id}/download/geojson on the same gunicorn as ours",
        shares="ours",
        dataset=("full",),
    )


def drf_gis() -> Contender:
    return Contender(
        "drf-gis",
        lambda: _gunicorn("drf-gis", "geoportal.wsgi", "bench.drfgis.settings"),
        items=lambda c, n: f"/{c}/",
        bbox=lambda c, b, n: f"/{c}/?in_bbox={_bbox(b)}",
        naive=True,
        note=f"GeoFeatureModelSerializer, no pagination; gunicorn, {WORKERS} sync workers",
    )


def _pygeoapi_server() -> Server:
    port, pg = PORTS["pygeoapi"], db.pg_facts()
    provider = {
        "type": "feature",
        "name": "PostgreSQL",
        "data": {
            "host": HOST,
            "port": pg["port"],
            "dbname": db.DB_NAME,
            "user": pg["user"],
            "password": pg["password"],
            "search_path": ["public"],
        },
        "id_field": "id",
        "geom_field": "geom",
    }
    resources = {
        collection: {
            "type": "collection",
            "title": collection,
            "description": collection,
            "keywords": [collection],
            "extents": {"spatial": {"bbox": [26.5, 49.2, 27.5, 49.7]}},
            "providers": [{**provider, "table": view}],
        }
        for collection, view in VIEWS.items()
    }
    config = {
        "server": {
            "bind": {"host": HOST, "port": port},
            "url": f"http://{HOST}:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": HUGE},
            "pretty_print": False,
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "keywords_type": "theme",
                "terms_of_service": "https://example.org",
                "url": "https://example.org",
            },
            "license": {"name": "CC-BY 4.0", "url": "https://example.org"},
            "provider": {"name": "bench", "url": "https://example.org"},
            "contact": {"name": "bench", "email": "bench@example.org"},
        },
        "resources": resources,
    }
    directory = VAR / "pygeoapi"
    directory.mkdir(parents=True, exist_ok=True)
    config_path, openapi_path = directory / "config.yml", directory / "openapi.yml"
    config_path.write_text(json.dumps(config, indent=1))  # JSON is YAML
    env = {"PATH": "/usr/bin:/bin", "PYGEOAPI_CONFIG": str(config_path)}
    env["PYGEOAPI_OPENAPI"] = str(openapi_path)
    subprocess.run(  # noqa: S603 - the benchmark's own pygeoapi install
        [str(PYGEOAPI / "pygeoapi"), "openapi", "generate", str(config_path), "-of", openapi_path],
        env=env,
        check=True,
        capture_output=True,
    )
    cmd = [
        str(PYGEOAPI / "gunicorn"),
        "pygeoapi.flask_app:APP",
        f"--bind={HOST}:{port}",
        f"--workers={WORKERS}",
        "--timeout=900",
        "--log-level=warning",
    ]
    return Server("pygeoapi", cmd, port, env, "/", directory)


def pygeoapi() -> Contender:
    return Contender(
        "pygeoapi",
        _pygeoapi_server,
        items=lambda c, n: f"/collections/{c}/items?f=json&limit={n}",
        bbox=lambda c, b, n: f"/collections/{c}/items?f=json&bbox={_bbox(b)}&limit={n}",
        note=f"pygeoapi {PYGEOAPI_VERSION}, PostgreSQL provider; gunicorn, {WORKERS} workers",
    )


def _tipg_server() -> Server:
    port = PORTS["tipg"]
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": db.url("postgresql"),
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_DB_TABLES": json.dumps([f"public.{view}" for view in VIEWS.values()]),
        "TIPG_MAX_FEATURES_PER_QUERY": str(HUGE),
        "TIPG_MAX_FEATURES_PER_TILE": str(HUGE),
    }
    cmd = [
        str(TIPG / "uvicorn"),
        "tipg.main:app",
        f"--host={HOST}",
        f"--port={port}",
        f"--workers={WORKERS}",
        "--log-level=warning",
        "--no-access-log",
    ]
    directory = VAR / "tipg"
    directory.mkdir(parents=True, exist_ok=True)
    return Server("tipg", cmd, port, env, "/collections", directory)


def _tipg_id(collection: str) -> str:
    return f"public.{VIEWS[collection]}"


def tipg() -> Contender:
    return Contender(
        "tipg",
        _tipg_server,
        items=lambda c, n: f"/collections/{_tipg_id(c)}/items?f=geojson&limit={n}",
        bbox=lambda c, b, n: (
            f"/collections/{_tipg_id(c)}/items?f=geojson&bbox={_bbox(b)}&limit={n}"
        ),
        tile=lambda c, z, x, y: f"/collections/{_tipg_id(c)}/tiles/WebMercatorQuad/{z}/{x}/{y}",
        naive=False,
        note=f"tipg {TIPG_VERSION}; uvicorn, {WORKERS} workers",
    )


def all_contenders() -> list[Contender]:
    return [ours(), ours_download(), drf_gis(), pygeoapi(), tipg()]
