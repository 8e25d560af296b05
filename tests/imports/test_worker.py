"""The import's background work in real processes: the task-queue worker checks and commits a
job; a commit killed with SIGKILL at random moments leaves nothing behind — no record, no
change request, no history — the job is marked failed once it shows no sign of work, and it
can be run again to the end."""

import csv
import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from layers.editing.models import ChangeRequest
from layers.imports import queue, services
from layers.models import ImportJob, ImportState, Tree
from layers.registry import registry_get
from tests.factories import CENTRE, _species

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LON, LAT = CENTRE


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.test",
        "DATABASE_URL": _database_url(),
        "GEOPORTAL_TEST_DATABASE": "",
        "GEOPORTAL_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LOG_LEVEL": "WARNING",
    }


def _survey(n: int) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=["lon", "lat", "Вид", "Стан", "Інвентарний номер"])
    writer.writeheader()
    for i in range(n):
        writer.writerow(
            {
                # A grid of 200 columns, about 25 m apart: 12,000 rows stay in the city.
                "lon": f"{LON - 0.03 + (i % 200) * 0.0003:.6f}",
                "lat": f"{LAT - 0.01 + (i // 200) * 0.0003:.6f}",
                "Вид": "Tilia cordata",
                "Стан": "добрий",
                "Інвентарний номер": f"K-{i:05d}",
            }
        )
    return text.getvalue().encode()


def _job(tmp_path, rows: int) -> ImportJob:
    call_command("load_boundary", verbosity=0)  # transactional tests empty every table
    _species()
    user = get_user_model().objects.create_superuser("importer", password="x" * 16)
    path = tmp_path / "survey.csv"
    path.write_bytes(_survey(rows))
    with path.open("rb") as upload:
        return services.import_create(
            registry=registry_get("trees"), user=user, upload=upload, file_name=path.name
        )


def _wait(job: ImportJob, states: set, timeout: float = 120) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job still {job.state} ({job.message})")


def _worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "imports"],
        cwd=ROOT,
        env=_env(),
    )


def _stop(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)


def test_the_worker_process_checks_and_commits_a_job(tmp_path):
    job = _job(tmp_path, 20)
    worker = _worker()
    try:
        with transaction.atomic():
            queue.import_defer(job=job, step="check")
        job = _wait(job, {ImportState.VALIDATED, ImportState.REFUSED, ImportState.FAILED})
        assert job.state == ImportState.VALIDATED, job.message
        with transaction.atomic():
            queue.import_defer(job=job, step="commit")
        job = _wait(job, {ImportState.COMMITTED, ImportState.FAILED})
        assert job.state == ImportState.COMMITTED, job.message
    finally:
        _stop(worker)
    assert Tree.objects.count() == 20
    assert ChangeRequest.objects.filter(import_job=job).count() == 20


def test_the_worker_applies_a_batch_decision_all_or_none_and_rolls_back(tmp_path):
    job = services.import_check(job=_job(tmp_path, 30))
    job = services.import_commit(job=job, user=job.user)
    reviewer = get_user_model().objects.create_superuser("reviewer", password="y" * 16)
    first, *_rest = ChangeRequest.objects.filter(import_job=job).order_by("id")
    worker = _worker()
    try:
        # One record changed meanwhile: the batch is refused whole, the job stays committed.
        Tree.objects.filter(pk=first.record_id).update(version=9)
        with transaction.atomic():
            queue.import_defer(job=job, step="decide", user_id=reviewer.pk, approve=True)
        job = _wait(job, {ImportState.COMMITTED, ImportState.FAILED})
        assert job.state == ImportState.COMMITTED
        assert str(first.record_public_id) in job.message
        assert not Tree.objects.filter(status="published").exists()

        Tree.objects.filter(pk=first.record_id).update(version=1)
        with transaction.atomic():
            queue.import_defer(job=job, step="decide", user_id=reviewer.pk, approve=True)
        job = _wait(job, {ImportState.COMMITTED, ImportState.FAILED})
        assert job.message == "", job.message
        assert Tree.objects.filter(status="published").count() == 30

        with transaction.atomic():
            queue.import_defer(job=job, step="rollback", user_id=reviewer.pk)
        job = _wait(job, {ImportState.ROLLED_BACK, ImportState.COMMITTED, ImportState.FAILED})
        assert job.state == ImportState.ROLLED_BACK, job.message
    finally:
        _stop(worker)
    assert Tree.objects.filter(status="archived").count() == 30


COMMIT = (
    "import django, sys; django.setup();"
    "from layers.imports import services; from layers.models import ImportJob;"
    "job = ImportJob.objects.get(pk=int(sys.argv[1]));"
    "print('started', flush=True);"
    "services.import_commit(job=job, user=job.user)"
)


def _consistent(job: ImportJob) -> str:
    """'nothing' or 'everything' was written; anything in between fails."""
    trees = Tree.objects.count()
    changes = ChangeRequest.objects.filter(import_job_id=job.pk).count()
    history = registry_get("trees").history_model.objects.count()
    job.refresh_from_db()
    if trees == changes == history == 0:
        assert job.state != ImportState.COMMITTED
        return "nothing"
    assert trees == changes == history == job.rows_total, (trees, changes, history)
    assert job.state == ImportState.COMMITTED
    return "everything"


def test_a_commit_killed_at_any_moment_leaves_nothing_and_can_be_run_again(tmp_path, settings):
    rows = 12000  # a commit of about two seconds: time enough to be killed midway
    job = services.import_check(job=_job(tmp_path, rows))
    assert job.state == ImportState.VALIDATED
    rng = random.Random(20261201)
    killed = 0
    for _attempt in range(10):
        process = subprocess.Popen(
            [sys.executable, "-c", COMMIT, str(job.pk)],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline().strip() == "started"
        time.sleep(rng.uniform(0.05, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        killed += process.returncode == -signal.SIGKILL
        if _consistent(job) == "everything":
            break
    assert killed >= 8, "the commit finished before most kills: make the file larger"

    # The dead commit's job is marked failed once it shows no sign of work.
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.COMMITTING)
    settings.GEOPORTAL_IMPORT_STALE_SECONDS = 0
    time.sleep(0.01)
    assert queue.imports_fail_stale() == 1
    job.refresh_from_db()
    assert job.state == ImportState.FAILED and "nothing was written" in job.message

    # Run again (checked again first: the registry may have changed meanwhile).
    job = services.import_check(job=job)
    services.import_commit(job=job, user=job.user)
    assert _consistent(job) == "everything"
    assert Tree.objects.count() == rows
