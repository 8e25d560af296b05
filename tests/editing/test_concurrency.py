"""No lost updates against the real server: 8 editors × 100 edits on 5 hot records through
the API with If-Match, under gunicorn with several workers and threads.

Every edit appends a token to the notes it read, so a lost update shows as a token that was
acknowledged (200) but is missing from the final notes and from the history. The control
run switches the version check off and must find such losses, proving the test would.
"""

import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from layers.editing import services
from layers.editing.models import Role
from layers.editing.selectors import history_model
from layers.registry import registry_get
from tests.editing.conftest import draft_create

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

EDITORS, EDITS, RECORDS = 8, 100, 5
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _serve(port: int, *, unsafe: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.editing.server_settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": "concurrency-test-not-a-secret",
        "GEOPORTAL_DEMO": "true",
        "DEBUG": "true" if unsafe else "false",
        "GEOPORTAL_EDITING_UNSAFE_SKIP_VERSION_CHECK": "true" if unsafe else "false",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "geoportal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except OSError:  # refused while booting, or slow on the first request
            time.sleep(0.2)
    _stop(process)
    raise RuntimeError("gunicorn did not start")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def _call(method, url, token, body=None, if_match=None):
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    if if_match:
        headers["If-Match"] = if_match
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers.get("ETag"), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("ETag"), json.loads(error.read() or b"{}")


def _hammer(base, tokens, records, edits):
    """Run the editors; return per record the acknowledged edits and the refusals."""
    applied = defaultdict(list)  # public_id -> [(version, notes)]
    outcomes = defaultdict(int)
    lock = threading.Lock()

    def editor(number, token):
        rng = random.Random(number)
        for i in range(edits):
            public_id = rng.choice(records)
            url = f"{base}/api/trees/records/{public_id}/"
            status, etag, record = _call("GET", url, token)
            assert status == 200
            notes = f"{record['notes']} e{number}.{i}".strip()
            status, _new_etag, body = _call("PATCH", url, token, {"notes": notes}, etag)
            with lock:
                outcomes[status] += 1
                if status == 200:
                    applied[public_id].append((body["version"], notes))

    threads = [threading.Thread(target=editor, args=(n, token)) for n, token in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return applied, outcomes


def _setup():
    call_command("load_boundary", verbosity=0)  # a transactional test starts empty
    registry = registry_get("trees")
    User = get_user_model()
    author = User.objects.create_user("author")
    services.role_grant(user=author, registry=registry, role=Role.EDITOR)
    tokens = []
    for n in range(EDITORS):
        user = User.objects.create_user(f"editor{n}")
        services.role_grant(user=user, registry=registry, role=Role.EDITOR)
        tokens.append(Token.objects.create(user=user).key)
    records = [str(draft_create(registry, author, notes="").public_id) for _ in range(RECORDS)]
    return registry, tokens, records


def test_concurrent_edits_are_applied_or_refused_and_none_is_lost(unused_tcp_port):
    registry, tokens, records = _setup()
    server = _serve(unused_tcp_port, unsafe=False)
    try:
        started = time.monotonic()
        applied, outcomes = _hammer(f"http://127.0.0.1:{unused_tcp_port}", tokens, records, EDITS)
        elapsed = time.monotonic() - started
    finally:
        _stop(server)

    assert set(outcomes) <= {200, 412}, outcomes
    assert sum(outcomes.values()) == EDITORS * EDITS
    assert outcomes[200] > 0 and outcomes[412] > 0, outcomes  # there was contention
    events = history_model(registry).objects
    for public_id in records:
        record = registry.objects().get(public_id=public_id)
        acknowledged = sorted(applied[public_id])
        # Versions 2, 3, … each acknowledged exactly once: every applied edit built on the last.
        assert [version for version, _ in acknowledged] == list(range(2, 2 + len(acknowledged)))
        assert record.version == 1 + len(acknowledged)
        assert record.notes == (acknowledged[-1][1] if acknowledged else "")
        assert record.notes.split() == [
            note.split()[-1] for _, note in acknowledged
        ]  # 0 lost updates
        history = list(
            events.filter(pgh_obj_id=record.pk, pgh_label="update")
            .order_by("pgh_id")
            .values_list("version", "notes")
        )
        assert history == acknowledged
    print(f"{outcomes[200]} applied, {outcomes[412]} refused in {elapsed:.1f} s")


def test_control_without_version_checks_loses_updates(unused_tcp_port):
    registry, tokens, records = _setup()
    server = _serve(unused_tcp_port, unsafe=True)
    try:
        applied, outcomes = _hammer(f"http://127.0.0.1:{unused_tcp_port}", tokens, records, 25)
    finally:
        _stop(server)

    assert set(outcomes) == {200}  # nothing refused…
    lost = 0
    for public_id in records:
        record = registry.objects().get(public_id=public_id)
        kept = set(record.notes.split())
        lost += sum(1 for _, note in applied[public_id] if note.split()[-1] not in kept)
    assert lost > 0  # …and acknowledged edits vanished: the main test would catch this
