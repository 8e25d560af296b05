"""Reads on a real hot standby (`make replica`: pg_basebackup and streaming replication
from the project-local cluster). With the standby's replay paused, what it answers is
visibly older than the primary: public reads (tiles, a popup's record, OGC items) show the
old state, so they came from the standby; the write and the writer's next reads went to the
primary, so the editor sees their change at once."""

import socket
import subprocess
import time

import pytest
from django.contrib.gis.db.backends.postgis.base import DatabaseWrapper
from django.core.management import call_command
from django.db import connections

from geoportal.env import BASE_DIR
from layers.replicas import WROTE_COOKIE
from tests.editing.conftest import actors_create, api_client
from tests.factories import _species, published_record
from tests.tiles.test_tiles import tile_of, tile_url

# The ``replica`` alias is added by the fixture, pointed at the real standby (the tests'
# settings have none: every other test reads the primary).
pytestmark = pytest.mark.django_db(transaction=True)


def _standby_port() -> int:
    """Start the local standby if it is not running; skip (saying why) if it cannot."""
    result = subprocess.run(
        [str(BASE_DIR / "bin" / "pg-replica"), "start"],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.skip(f"no hot standby could start: {result.stderr.strip()[-300:]}")
    url = subprocess.run(
        [str(BASE_DIR / "bin" / "pg-replica"), "url"], capture_output=True, text=True, check=True
    ).stdout.strip()
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        return port


@pytest.fixture
def standby(settings):
    """The ``replica`` alias pointed at the standby's copy of the test database."""
    port = _standby_port()
    config = {**connections["default"].settings_dict, "PORT": port}
    # The router finds it in the settings; the connection is made by hand, so that the test
    # framework, which only knows the primary, lets the test use it.
    settings.DATABASES = {**settings.DATABASES, "replica": config}
    connections["replica"] = DatabaseWrapper(config, "replica")
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,), "the replica is a standby"
    try:
        yield connections["replica"]
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        connections["replica"].close()
        del connections["replica"]


def _caught_up(replica) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        # Where the last commit's record was put, flushed or not (the tests' sessions commit
        # with synchronous_commit off: the WAL writer sends it within a fraction of a second).
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (target,) = cursor.fetchone()
    for _ in range(300):
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    pytest.fail("the standby did not catch up in 30 s")


def _paused(replica) -> None:
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    for _ in range(100):
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_get_wal_replay_pause_state()")
            if cursor.fetchone()[0] == "paused":
                return
        time.sleep(0.05)
    pytest.fail("the standby's replay did not pause")


def test_public_reads_hit_the_replica_and_a_writer_reads_the_primary(client, standby):
    from layers.registry import registry_get

    # Transactional tests before this one may have emptied the tables, boundary included.
    call_command("load_boundary", verbosity=0)
    _species()
    actors = actors_create()
    trees = registry_get("trees")
    old = published_record(trees)
    _caught_up(standby)
    _paused(standby)
    new = published_record(trees)  # on the primary only, while the standby waits

    # The public: the standby's state (the old tree, not the new one).
    assert client.get(f"/tiles/trees/features/{old.pk}.json").status_code == 200
    assert client.get(f"/tiles/trees/features/{new.pk}.json").status_code == 404
    items = client.get("/ogc/collections/trees/items", {"f": "json"}).json()
    assert [f["id"] for f in items["features"]] == [str(old.public_id)]
    z, x, y = tile_of(old.geom.x, old.geom.y, 17)
    assert client.get(tile_url("trees", z, x, y)).status_code == 200

    # A reviewer archives the old tree: the write goes to the primary (the standby is
    # read-only, and paused), and their next reads stay there.
    reviewer = api_client(actors.reviewer)
    archived = reviewer.post(
        f"/api/trees/records/{old.public_id}/archive/",
        {},
        format="json",
        HTTP_IF_MATCH=f'"{old.version}"',
    )
    assert archived.status_code == 200, archived.content
    assert WROTE_COOKIE in archived.cookies
    reviewer.cookies[WROTE_COOKIE] = archived.cookies[WROTE_COOKIE].value
    assert reviewer.get(f"/tiles/trees/features/{old.pk}.json").status_code == 404
    assert reviewer.get(f"/tiles/trees/features/{new.pk}.json").status_code == 200

    # The public still reads the standby until it replays.
    assert client.get(f"/tiles/trees/features/{old.pk}.json").status_code == 200
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    _caught_up(standby)
    assert client.get(f"/tiles/trees/features/{old.pk}.json").status_code == 404
    assert client.get(f"/tiles/trees/features/{new.pk}.json").status_code == 200


def test_staff_pages_and_writes_never_read_the_replica(client, standby):
    from django.test.utils import CaptureQueriesContext

    _species()
    actors_create()
    with CaptureQueriesContext(standby) as on_replica:
        assert client.get("/api/trees/records/").status_code in (200, 401, 403)
        client.get("/admin/login/")
    with CaptureQueriesContext(standby) as public:
        client.get("/tiles/trees/14/9420/5594.pbf")

    assert on_replica.captured_queries == []
    assert public.captured_queries  # the tile was read there
