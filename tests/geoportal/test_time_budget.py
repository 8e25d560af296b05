"""The web's time budget against abuse: twenty of the most expensive legal requests at once
against a real gunicorn (two workers, as a small deployment has) end as answers or clean
503s with Retry-After — never a 500, never a killed worker — and ordinary requests sent
with them are still answered."""

import os
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.db import connection

from geoportal.env import BASE_DIR
from layers.registry import registry_get
from tests.factories import CENTRE, published_record

pytestmark = pytest.mark.django_db(transaction=True)

VENV_BIN = BASE_DIR / ".venv" / "bin"
TREES = 120_000
# Far below what a z0 tile of 120,000 trees costs on these machines (about a second), far
# above what an ordinary street-level tile or page costs (a few milliseconds).
BUDGET_S = 0.1
# gunicorn kills a worker whose request runs longer: the budget must end every query first.
REQUEST_TIMEOUT_S = 20

# The deepest CQL2 filter the parser accepts (25 levels), true of no tree: a whole scan.
_DEEP = "height_m < -5"
for _ in range(20):
    _DEEP = f"({_DEEP} OR height_m < -1)"
EXPENSIVE = (
    "/tiles/trees/0/0/0.pbf?condition=good,satisfactory,unsatisfactory,hazardous,dead",
    "/tiles/trees/0/0/0.pbf",
    "/ogc/collections/trees/items?bbox=-180,-90,180,90&limit=10000",
    "/ogc/collections/trees/items?limit=10000&filter=" + quote(_DEEP),
)


def _trees_insert(n: int) -> None:
    """``n`` published trees in a 3 km square around the map centre, in one statement (the
    history trigger off, as the benchmark's fill: these rows are not edits)."""
    lon, lat = CENTRE
    species = published_record(registry_get("trees")).species_id
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "INSERT INTO layers_tree (public_id, name, address, status, version, created_at,"
            " updated_at, source, notes, geom, height_m, condition, recommended_action,"
            " inventory_number, balance_holder, protected, species_id)"
            " SELECT gen_random_uuid(), '', '', 'published', 1, now(), now(), 'budget', '',"
            " ST_SetSRID(ST_MakePoint(%s + (random() - 0.5) * 0.04,"
            " %s + (random() - 0.5) * 0.03), 4326), round((2 + random() * 25)::numeric, 1),"
            " (ARRAY['good', 'satisfactory', 'hazardous'])[1 + floor(random() * 3)::int],"
            " 'none', '', '', false, %s FROM generate_series(1, %s)",
            [lon, lat, species, n],
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE layers_tree")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgis://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def server(transactional_db):
    _trees_insert(TREES)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.test",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GEOPORTAL_STATEMENT_TIMEOUT_S": str(BUDGET_S),
        "GEOPORTAL_REQUEST_TIMEOUT_S": str(REQUEST_TIMEOUT_S),
    }
    log = open(settings.BASE_DIR / "var" / "test-budget-gunicorn.log", "w")  # noqa: SIM115
    app = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "geoportal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", str(REQUEST_TIMEOUT_S), "--log-level", "warning"],
        env=env, cwd=settings.BASE_DIR, stderr=log,
    )  # fmt: skip
    root = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if requests.get(f"{root}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
        yield root
    finally:
        app.terminate()
        app.wait(timeout=20)
        log.close()


def _get(url: str) -> requests.Response:
    return requests.get(url, timeout=REQUEST_TIMEOUT_S * 3)


def test_twenty_of_the_most_expensive_requests_leave_the_portal_answering(server):
    street = f"{server}/tiles/trees/17/{_tile_x(17)}/{_tile_y(17)}.pbf"
    burst = [server + EXPENSIVE[i % len(EXPENSIVE)] for i in range(20)]

    with ThreadPoolExecutor(max_workers=24) as pool:
        expensive = [pool.submit(_get, url) for url in burst]
        time.sleep(0.2)  # the burst is queued before the ordinary visitors arrive
        ordinary = [pool.submit(_get, url) for url in (street, f"{server}/healthz") * 2]
        answers = [future.result() for future in expensive]
        visitors = [future.result() for future in ordinary]

    # Every expensive request ended in the budget: an answer or a clean 503 saying so.
    assert {a.status_code for a in answers} <= {200, 503}, [a.status_code for a in answers]
    cut = [a for a in answers if a.status_code == 503]
    assert cut, "a z0 tile of 120,000 trees fits in 0.25 s: the test measures nothing"
    for answer in cut:
        assert answer.headers["Retry-After"].isdigit()
        assert answer.json()["code"] == "timeout"
    # The visitors who came with the burst were answered, by workers still alive.
    assert [v.status_code for v in visitors] == [200, 200, 200, 200]
    assert _get(street).status_code == 200


def _tile_x(z: int) -> int:
    return int((CENTRE[0] + 180) / 360 * 2**z)


def _tile_y(z: int) -> int:
    import math

    lat = math.radians(CENTRE[1])
    return int((1 - math.asinh(math.tan(lat)) / math.pi) / 2 * 2**z)
