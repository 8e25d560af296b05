"""The bulk import in a browser, with the real task-queue worker: an editor uploads an XLSX of
three trees, sees where they land on the preview map, keeps the suggested mapping, has the
rows checked (0 problems) and commits them; a reviewer approves the batch at once, and the
trees appear on the public map. Screenshots of the job page (desktop and phone, Ukrainian)
go to var/test-artifacts/."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from openpyxl import Workbook

from layers.editing import services
from layers.editing.models import Role
from layers.models import ImportJob, ImportState, Status, Tree
from layers.registry import registry_get
from tests.browser.conftest import ARTIFACTS, AXE, AXE_TAGS, new_page
from tests.browser.test_editing import PASSWORD, _log_in
from tests.factories import CENTRE, _species

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LON, LAT = CENTRE
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db):
    """``manage.py procrastinate worker`` on the test database, as ``make run`` starts it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.imports.worker_settings",
        "DATABASE_URL": _database_url(),
        "GEOPORTAL_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SECRET_KEY": "import-worker-test-not-a-secret",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("GEOPORTAL_TEST_DATABASE", None)  # the URL names the test database already
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "import-worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "imports"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        connections.close_all()


def _survey_xlsx(species_name: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Дерева"
    sheet.append(["Вид", "Стан", "Висота, м", "Інвентарний номер", "lon", "lat"])
    for i, condition in enumerate(("добрий", "аварійне", "задовільний")):
        sheet.append(
            [species_name, condition, 10 + i, f"ПРК-{i + 1:03d}", LON + i * 0.0003, LAT + 0.0002]
        )
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def _context(page, **options):
    return new_page(page.context.browser, **options)


def _axe(page) -> list[dict]:
    """Serious and critical WCAG 2.1 AA violations in a page (as the ``axe_violations``
    fixture, for a page of another browser context)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact,"
        " targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))",
        AXE_TAGS,
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def _wait_for_state(job: ImportJob, state: str, timeout: float = 60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state == state:
            return job
        time.sleep(0.2)
    log = (ARTIFACTS / "import-worker.log").read_text(errors="replace")[-3000:]
    raise AssertionError(f"the import is {job.state}, not {state}; worker log:\n{log}")


def test_an_editor_imports_a_survey_and_a_reviewer_approves_the_batch(live_server, page, worker):
    call_command("load_boundary", verbosity=0)
    species = _species()
    users = get_user_model().objects
    trees = registry_get("trees")
    mapper = users.create_user("mapper", password=PASSWORD, is_staff=True)
    checker = users.create_user("checker", password=PASSWORD, is_staff=True)
    services.role_grant(user=mapper, registry=trees, role=Role.EDITOR)
    services.role_grant(user=checker, registry=trees, role=Role.REVIEWER)
    base = live_server.url

    # The editor finds the import on the registry's page and uploads the survey.
    _log_in(page, base, "mapper", "/edit/trees/")
    page.click("a[href$='/edit/trees/import/']")
    page.wait_for_selector(".upload-form")
    page.screenshot(path=str(ARTIFACTS / "import-upload.png"), full_page=True)
    assert _axe(page) == []
    page.set_input_files(
        "#id_file",
        {
            "name": "опитування.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": _survey_xlsx(species.name_uk),
        },
    )
    page.click(".upload-form button[type=submit]")
    page.wait_for_url("**/edit/imports/*/")
    job = ImportJob.objects.get()
    assert (job.format, job.rows_total) == ("xlsx", 3)

    # The preview map: three points inside the hromada's boundary.
    page.wait_for_function(
        "() => document.getElementById('import-map').importMap"
        " && document.getElementById('import-map').importMap.featureCount() === 3"
    )
    outside = page.evaluate(
        "() => JSON.parse(document.getElementById('import-map-config').textContent)"
        ".features.features.filter((f) => f.properties.outside).length"
    )
    assert outside == 0
    assert page.input_value("#id_column-species") == "Вид"
    assert page.input_value("#id_column-condition") == "Стан"
    assert page.input_value("#id_column-height_m") == "Висота, м"
    assert page.input_value("#id_column-inventory_number") == "Інвентарний номер"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-job-desktop.png"), full_page=True)
    assert _axe(page) == []

    phone = _context(page, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    _log_in(phone, base, "mapper", f"/edit/imports/{job.public_id}/")
    phone.wait_for_function("() => document.getElementById('import-map').importMap")
    phone.screenshot(path=str(ARTIFACTS / "import-job-phone.png"), full_page=True)
    phone.screenshot(path=str(ARTIFACTS / "import-job-phone-top.png"))
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    phone.context.close()

    # Keep the suggested mapping and have the rows checked by the worker.
    page.click("#mapping-form button[name=then][value=check]")
    page.wait_for_selector("#report", timeout=60000)  # the page reloads when done
    job = _wait_for_state(job, ImportState.VALIDATED)
    counts = {
        key: page.inner_text(f"#report [data-count={key}] dd")
        for key in ("new", "changed", "unchanged", "refused", "warnings")
    }
    assert counts == {"new": "3", "changed": "0", "unchanged": "0", "refused": "0", "warnings": "0"}
    assert page.locator(".problems-table").count() == 0
    page.screenshot(path=str(ARTIFACTS / "import-job-checked.png"), full_page=True)
    assert _axe(page) == []

    page.click(".commit-form button[type=submit]")
    page.wait_for_selector(".import-state-committed", timeout=60000)
    job = _wait_for_state(job, ImportState.COMMITTED)
    assert Tree.objects.filter(status=Status.IN_REVIEW).count() == 3
    assert page.console_errors == []

    # The reviewer approves the whole batch.
    reviewer = _context(page, viewport={"width": 1280, "height": 900})
    _log_in(reviewer, base, "checker", f"/edit/imports/{job.public_id}/review/")
    reviewer.wait_for_function(
        "() => document.getElementById('import-map').importMap.featureCount() === 3"
    )
    reviewer.screenshot(path=str(ARTIFACTS / "import-review.png"), full_page=True)
    assert _axe(reviewer) == []
    reviewer.click("form[action$='/review/approve/'] button[type=submit]")
    # The worker applies the decision; the job page follows it and reloads when it is done.
    reviewer.wait_for_selector("[data-pending='0']", timeout=60000)
    reviewer.screenshot(path=str(ARTIFACTS / "import-decided.png"), full_page=True)
    assert reviewer.console_errors == []
    reviewer.context.close()
    assert Tree.objects.filter(status=Status.PUBLISHED).count() == 3

    # And the public map shows them.
    public = _context(page, viewport={"width": 1280, "height": 900})
    public.goto(f"{base}/#map=16/{LAT}/{LON}&layers=trees")
    public.wait_for_function(
        "() => document.getElementById('map').mapView"
        " && document.getElementById('map').mapView.layers.get('trees').featureCount() >= 3",
        timeout=20000,
    )
    assert public.console_errors == []
    public.context.close()


def test_the_page_follows_the_check_and_says_when_no_worker_runs(live_server, page):
    """Without a worker: the queued check shows a progress bar that follows the database,
    a clear message once nothing happened for a while, and the report when the check is
    done (run here in the test's thread, as a worker would)."""
    import datetime

    from django.utils import timezone

    from layers.imports import services as imports
    from layers.models.imports import ImportProgress

    call_command("load_boundary", verbosity=0)
    species = _species()
    mapper = get_user_model().objects.create_user("mapper", password=PASSWORD, is_staff=True)
    services.role_grant(user=mapper, registry=registry_get("trees"), role=Role.EDITOR)
    job = imports.import_create(
        registry=registry_get("trees"),
        user=mapper,
        upload=io.BytesIO(_survey_xlsx(species.name_uk)),
        file_name="опитування.xlsx",
    )
    phone = _context(page, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    _log_in(phone, live_server.url, "mapper", f"/edit/imports/{job.public_id}/")
    phone.click("#mapping-form button[name=then][value=check]")
    phone.wait_for_selector(".import-progress progress")
    assert phone.locator("[data-worker-warning]").is_hidden()

    long_ago = timezone.now() - datetime.timedelta(seconds=40)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    phone.wait_for_selector("[data-worker-warning]:not([hidden])", timeout=10000)
    assert "make run" in phone.inner_text("[data-worker-warning]")

    ImportProgress.objects.create(
        job_id=job.pk, step="check", done=1, total=3, started_at=long_ago, at=timezone.now()
    )
    phone.wait_for_function("() => document.querySelector('.import-progress progress').value === 1")
    assert phone.locator("[data-worker-warning]").is_hidden()
    assert "1 з 3" in phone.inner_text("[data-progress-text]")
    phone.screenshot(path=str(ARTIFACTS / "import-job-phone-progress.png"))
    assert _axe(phone) == []

    job.refresh_from_db()
    imports.import_check(job=job)
    phone.wait_for_selector("#report", timeout=10000)  # the page reloads by itself
    assert phone.inner_text("#report [data-count=new] dd") == "3"
    assert phone.console_errors == []
    phone.context.close()
