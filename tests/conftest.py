import http.server
import secrets
import socket
import threading

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.test.utils import setup_databases, teardown_databases
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """Make sure tests run on a throwaway database, with the hromada's boundary loaded.

    pytest-django creates the test database only when a collected test carries the
    ``django_db`` mark; a run of modules that reach the database only through module-scoped
    fixtures (live servers, gunicorn) would otherwise work on — and flush — the real one.
    """
    with django_db_blocker.unblock():
        if not connection.settings_dict["NAME"].startswith(TEST_DATABASE_PREFIX):
            config = setup_databases(verbosity=0, interactive=False, aliases={"default"})

            def teardown():
                with django_db_blocker.unblock():
                    teardown_databases(config, verbosity=0)

            request.addfinalizer(teardown)
        call_command("load_boundary", verbosity=0)


@pytest.fixture
def unused_tcp_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def bound_tcp_port():
    """A local port that something is listening on for the test's duration."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def _admin_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def scratch_database_url():
    """An empty database owned by an ordinary role that may not create extensions."""
    name = f"scratch_{secrets.token_hex(4)}"
    password = secrets.token_hex(8)
    db = settings.DATABASES["default"]
    with _admin_connection() as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        admin.execute(f"CREATE DATABASE {name} OWNER {name}")
    try:
        yield f"postgis://{name}:{password}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with _admin_connection() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {name}")


@pytest.fixture(autouse=True)
def english_messages():
    """Assert on the English source messages outside requests (requests choose their own
    language through the URL, Ukrainian by default)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_data_registries():
    """Each test starts without cached entries of registries defined as data (a rolled
    back definition must not outlive its test)."""
    from layers.datasets.registry import data_registries_forget

    data_registries_forget()
    yield
    data_registries_forget()


def _registry_ids():
    from tests.factories import registry_ids

    return registry_ids()


@pytest.fixture(params=_registry_ids())
def registry(request):
    """Every registry of the list in turn: the built-in ones and a registry defined as data
    (created for the test, with one field of every type). Parametrise a test over the list
    with ``@pytest.mark.parametrize("registry", registry_ids(), indirect=True)``."""
    from tests.factories import SAMPLE_ID, registry_resolve

    if request.param == SAMPLE_ID and not {"transactional_db", "live_server"} & set(
        request.fixturenames
    ):
        request.getfixturevalue("db")
    return registry_resolve(request.param)


# --- A canary web server on 127.0.0.1: a hostile input must never make the portal call it.


class Canary:
    def __init__(self):
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(404)
                self.end_headers()

            do_HEAD = do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canary():
    server = Canary()
    yield server
    server.close()
