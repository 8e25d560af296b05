import secrets
import socket

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
