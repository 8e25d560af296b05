"""The bulk-import pages: upload, the job page (detected, preview map, mapping), the check
(run here in the foreground: no worker runs in these tests), the report and its downloads,
the commit, the review of the batch, the progress endpoint and who may see what."""

import csv
import datetime
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pyproj import Transformer

from layers.editing import services as editing
from layers.editing.models import ChangeKind, ChangeRequest, ChangeState, Role
from layers.imports import decisions, services
from layers.imports.report import spreadsheet_safe
from layers.models import ImportJob, ImportState, Status, Tree
from layers.models.imports import ImportProgress
from layers.registry import registry_get
from tests.editing.conftest import actors_create
from tests.factories import CENTRE, _species

pytestmark = pytest.mark.django_db

LON, LAT = CENTRE
HEADER = ["lon", "lat", "Вид", "Стан", "Висота, м", "Інвентарний номер", "Примітка"]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(n: int, **overrides) -> list[list]:
    return [
        [
            f"{LON + i * 0.0002:.6f}",
            f"{LAT:.6f}",
            "Липа серцелиста",
            "аварійне" if i % 2 else "добрий",
            "12,5",
            f"INV-{i:04d}",
            overrides.get("note", ""),
        ]
        for i in range(n)
    ]


def _csv(rows: list[list], header=HEADER) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode()


def _upload(client, data: bytes, name="survey.csv", registry="trees", **fields):
    upload = SimpleUploadedFile(name, data, "text/csv")
    return client.post(f"/en/edit/{registry}/import/", {"file": upload, **fields})


def _job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]
    public_id = re.search(r"/edit/imports/([0-9a-f-]{36})/", response["Location"]).group(1)
    return ImportJob.objects.get(public_id=public_id)


def _page(client, job, suffix="", **params):
    return client.get(f"/en/edit/imports/{job.public_id}/{suffix}", params)


def _map_features(response) -> list[dict]:
    found = re.search(
        r'<script id="import-map-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))["features"]["features"]


def _check(job) -> ImportJob:
    """What the worker does for a queued check (``layers.tasks.import_check_task``)."""
    job.refresh_from_db()
    assert job.state == ImportState.VALIDATING
    return services.import_check(job=job)


def _mapping_post(response) -> dict:
    """The mapping form's fields as the page shows them (selected options kept)."""
    html = response.content.decode()
    form = re.search(r'<form[^>]*id="mapping-form".*?</form>', html, re.S).group(0)
    data = {}
    for select in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        data[select.group(1)] = chosen.group(1) if chosen else ""
    for hidden in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        if hidden.group(1) != "csrfmiddlewaretoken":
            data[hidden.group(1)] = _unescape(hidden.group(2))
    number = re.search(r'name="duplicate_distance_m" value="([^"]*)"', form)
    data["duplicate_distance_m"] = number.group(1) if number else "1"
    return data


def _problems(response) -> list[list[str]]:
    """The lines of the report's table of problems: row, kind, column, field, message."""
    html = response.content.decode()
    table = re.search(r'<table class="data-table problems-table">(.*?)</table>', html, re.S)
    if table is None:
        return []
    body = table.group(1).split("<tbody>")[1]
    return [
        [
            _unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", line, re.S)
        ]
        for line in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


@pytest.fixture
def actors():
    _species()
    return actors_create()


# --- Upload -----------------------------------------------------------------------------


def test_the_upload_page_shows_the_limits_and_a_refused_file_stores_nothing(actors):
    client = _client(actors.editor)
    page = client.get("/en/edit/trees/import/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "200" in text and "MB" in text and "rows per file" in text
    assert 'value="EPSG:5563"' in text and 'value="EPSG:32635"' in text
    assert 'value="cp1251"' in text

    refused = _upload(client, b"\x00\x01binary", name="survey.csv")
    assert refused.status_code == 400
    assert "nothing is stored" in refused.content.decode()
    assert "binary" in refused.content.decode()
    refused = _upload(client, b"lon,lat\n1,2\n", name="survey.docx")
    assert refused.status_code == 400
    assert not ImportJob.objects.exists()


def test_the_job_page_shows_what_was_detected_the_map_and_the_suggested_mapping(actors):
    client = _client(actors.editor)
    job = _job_of(_upload(client, _csv(_rows(4)), encoding="utf-8"))
    page = _page(client, job)
    assert page.status_code == 200
    text = page.content.decode()
    assert "CSV" in text and "utf-8" in text and "as you chose" in text
    assert "WGS 84" in text
    features = _map_features(page)
    assert [f["properties"]["row"] for f in features] == [2, 3, 4, 5]
    assert features[0]["geometry"]["coordinates"] == pytest.approx([LON, LAT])
    assert "0 outside the hromada" in text
    data = _mapping_post(page)
    assert data["column-species"] == "Вид" and data["column-condition"] == "Стан"
    assert data["column-inventory_number"] == "Інвентарний номер"
    # The values seen in «Стан», each with its registry value preselected.
    values = {data[k + "-source"]: data[k] for k in data if re.fullmatch(r"value-condition-\d+", k)}
    assert values == {"аварійне": "hazardous", "добрий": "good"}
    species = {data[k + "-source"]: data[k] for k in data if re.fullmatch(r"value-species-\d+", k)}
    assert species == {"Липа серцелиста": str(_species().pk)}


def test_swapped_coordinates_show_outside_the_hromada(actors):
    client = _client(actors.editor)
    rows = [[lat, lon, *rest] for lon, lat, *rest in _rows(3)]
    job = _job_of(_upload(client, _csv(rows)))
    text = _page(client, job).content.decode()
    assert "3 outside the hromada" in text
    assert "look swapped" in text


def test_projected_coordinates_are_read_again_in_the_chosen_zone(actors):
    to_gk5 = Transformer.from_crs("EPSG:4326", "EPSG:5563", always_xy=True)
    x, y = to_gk5.transform(LON, LAT)
    rows = [
        [f"{x + i:.2f}", f"{y:.2f}", "Липа серцелиста", "добрий", "", f"GK-{i}", ""]
        for i in range(2)
    ]
    client = _client(actors.editor)
    data = _csv(rows, header=["x", "y", *HEADER[2:]])
    refused = _upload(client, data)
    assert refused.status_code == 400
    assert "choose the coordinate system" in refused.content.decode()
    # A wrong zone: the points land far from the hromada, which the page says at once.
    job = _job_of(_upload(client, data, source_crs="EPSG:5564"))
    assert job.source_crs == "EPSG:5564"
    assert "2 outside the hromada" in _page(client, job).content.decode()

    client.post(
        f"/en/edit/imports/{job.public_id}/reading/",
        {"source_crs": "EPSG:5563", "x_column": "x", "y_column": "y"},
    )
    page = _page(client, job)
    assert "0 outside the hromada" in page.content.decode()
    lon, lat = _map_features(page)[0]["geometry"]["coordinates"]
    assert lon == pytest.approx(LON, abs=1e-6) and lat == pytest.approx(LAT, abs=1e-6)


def test_the_same_file_again_is_warned_of_with_a_link_to_the_earlier_import(actors):
    client = _client(actors.editor)
    data = _csv(_rows(2))
    first = _job_of(_upload(client, data))
    second = _job_of(_upload(client, data))
    text = _page(client, second).content.decode()
    assert "was imported into this registry before" in text
    assert f"/edit/imports/{first.public_id}/" in text
    assert second.state == ImportState.UPLOADED  # the user may go on


# --- Mapping ----------------------------------------------------------------------------


def test_the_mapping_is_saved_validated_downloaded_and_loaded_again(actors):
    client = _client(actors.editor)
    job = _job_of(_upload(client, _csv(_rows(2))))
    data = _mapping_post(_page(client, job))
    data.update({"column-notes": "Примітка", "duplicate_distance_m": "3.5", "then": "save"})
    saved = client.post(f"/en/edit/imports/{job.public_id}/mapping/", data)
    assert saved.status_code == 302
    job.refresh_from_db()
    assert job.mapping["columns"]["notes"] == "Примітка"
    assert job.options["duplicate_distance_m"] == 3.5

    twice = {**data, "column-name": "Примітка"}  # one column for two fields
    refused = client.post(f"/en/edit/imports/{job.public_id}/mapping/", twice)
    assert refused.status_code == 400 and "mapped to both" in refused.content.decode()
    keyless = {**data, "key": "name"}
    refused = client.post(f"/en/edit/imports/{job.public_id}/mapping/", keyless)
    assert refused.status_code == 400 and "matches existing records" in refused.content.decode()

    download = _page(client, job, "mapping.json")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    saved_mapping = json.loads(download.content)
    assert saved_mapping["columns"]["notes"] == "Примітка"

    other = _job_of(_upload(client, _csv(_rows(3))))
    upload = SimpleUploadedFile("m.json", download.content, "application/json")
    loaded = client.post(f"/en/edit/imports/{other.public_id}/mapping/", {"mapping_file": upload})
    assert loaded.status_code == 302
    other.refresh_from_db()
    assert other.mapping["columns"] == saved_mapping["columns"]
    assert other.options["duplicate_distance_m"] == 3.5

    bad = SimpleUploadedFile(
        "m.json", json.dumps({"columns": {"nothing": "Вид"}}).encode(), "application/json"
    )
    client.post(f"/en/edit/imports/{other.public_id}/mapping/", {"mapping_file": bad})
    other.refresh_from_db()
    assert other.mapping["columns"] == saved_mapping["columns"]  # refused, unchanged


# --- Check, report, downloads -----------------------------------------------------------


def test_check_report_and_downloads_name_every_problem(actors):
    client = _client(actors.editor)
    rows = _rows(5)
    rows[1][3] = "чудове"  # not a condition
    rows[2][4] = "900"  # higher than the species grows
    rows[3][6] = '=HYPERLINK("http://evil.example","click")'
    rows[4][6] = "-2+3"
    job = _job_of(_upload(client, _csv(rows)))
    data = _mapping_post(_page(client, job))
    data.update({"column-notes": "Примітка", "then": "check"})
    queued = client.post(f"/en/edit/imports/{job.public_id}/mapping/", data)
    assert queued.status_code == 302
    waiting = _page(client, job).content.decode()
    assert "<progress" in waiting and "progress.js" in waiting
    job = _check(job)
    assert job.state == ImportState.REFUSED

    page = _page(client, job)
    text = page.content.decode()
    assert "2 rows have problems" in text
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", text))
    assert counts["new"] == "3" and counts["refused"] == "2"
    assert "чудове" in text and "Стан" in text
    assert {f["properties"]["status"] for f in _map_features(page)} == {"new", "refused"}
    assert "Commit for review" not in text

    assert [line[0] for line in _problems(page)] == ["3", "4", "4"]  # two problems in row 4
    only_height = _problems(_page(client, job, column="Висота, м", kind="errors"))
    assert {line[0] for line in only_height} == {"4"} and len(only_height) == 2
    assert "at most 30.0 m" in only_height[1][-1]
    only_condition = _problems(_page(client, job, field="condition"))
    assert len(only_condition) == 1 and "чудове" in only_condition[0][-1]
    assert _problems(_page(client, job, kind="warnings")) == []

    download = _page(client, job, "report.csv")
    assert download.status_code == 200
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    header = table[0]
    assert header[0] == "row" and header[1:8] == HEADER and header[-2:] == ["problems", "warnings"]
    assert [line[0] for line in table[1:]] == ["2", "3", "4", "5", "6"]
    assert "чудове" in table[2][-2] and "Стан" in table[2][-2]
    assert table[1][-2] == ""
    assert table[4][7].startswith("'=HYPERLINK")
    assert table[5][7] == "'-2+3"

    xlsx = _page(client, job, "report.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    sheet = workbook.active
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0][1:8]) == HEADER
    assert "Висота, м" in cells[3][-2]
    assert cells[4][7].startswith("'=HYPERLINK")
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_spreadsheet_safe_escapes_what_would_run_as_a_formula():
    for text in ("=1+1", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"):
        assert spreadsheet_safe(text) == "'" + text
    for value in ("Липа", "-12.5", "+380971234567", "1,5", 12, -3.5, None, "", "a=b"):
        assert spreadsheet_safe(value) == value


def test_no_report_before_the_check(actors):
    client = _client(actors.editor)
    job = _job_of(_upload(client, _csv(_rows(1))))
    assert _page(client, job, "report.csv").status_code == 404
    assert _page(client, job, "report.xlsx").status_code == 404


# --- Commit and review ------------------------------------------------------------------


def _checked(client, rows) -> ImportJob:
    job = _job_of(_upload(client, _csv(rows)))
    assert client.post(f"/en/edit/imports/{job.public_id}/check/").status_code == 302
    job = _check(job)
    assert job.state == ImportState.VALIDATED, list(job.rows.values_list("errors", flat=True))
    return job


def _commit(client, job) -> ImportJob:
    assert client.post(f"/en/edit/imports/{job.public_id}/commit/").status_code == 302
    job.refresh_from_db()
    assert job.state == ImportState.COMMITTING
    return services.import_commit(job=job, user=job.user)  # as the worker does


def _decided(reviewer_client, job, user, verb: str, comment: str = "") -> ImportJob:
    """POST the batch decision (queued), then apply it as the worker does."""
    url = f"/en/edit/imports/{job.public_id}/review/{verb}/"
    response = reviewer_client.post(url, {"comment": comment})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/edit/imports/{job.public_id}/#progress")
    job.refresh_from_db()
    assert job.state == ImportState.DECIDING
    decisions.import_decide(job=job, user=user, approve=verb == "approve", comment=comment)
    job.refresh_from_db()
    return job


def test_commit_then_a_reviewer_approves_the_whole_batch(actors):
    client = _client(actors.editor)
    job = _checked(client, _rows(3))
    page = _page(client, job).content.decode()
    assert "All 3 rows are checked and none has problems" in page
    assert "Commit for review" in page
    job = _commit(client, job)
    page = _page(client, job).content.decode()
    assert "wait for review" in page and "3 of them are still waiting" in page
    assert f"/edit/imports/{job.public_id}/review/" not in page  # the editor does not review
    assert Tree.objects.filter(status=Status.IN_REVIEW).count() == 3

    assert _page(client, job, "review/").status_code == 403
    reviewer = _client(actors.reviewer)
    assert f"/edit/imports/{job.public_id}/review/" in _page(reviewer, job).content.decode()
    review = _page(reviewer, job, "review/")
    assert review.status_code == 200
    text = review.content.decode()
    assert "Approve all 3 changes" in text
    assert len(_map_features(review)) == 3
    queue = reviewer.get("/en/edit/review/?registry=trees").content.decode()
    assert "From the import of survey.csv" in queue

    job = _decided(reviewer, job, actors.reviewer, "approve", "ok")
    assert job.state == ImportState.COMMITTED and job.message == ""
    assert "committed, every change decided" in _page(reviewer, job).content.decode()
    assert Tree.objects.filter(status=Status.PUBLISHED).count() == 3
    states = set(ChangeRequest.objects.filter(import_job=job).values_list("state", flat=True))
    assert states == {ChangeState.APPROVED}
    again = reviewer.post(f"/en/edit/imports/{job.public_id}/review/approve/", {"comment": ""})
    assert again.status_code == 302
    assert "Nothing of this import waits" in _page(reviewer, job, "review/").content.decode()


def test_reject_all_needs_a_reason_and_returns_the_drafts(actors):
    job = _commit(_client(actors.editor), _checked(_client(actors.editor), _rows(2)))
    reviewer = _client(actors.reviewer)
    url = f"/en/edit/imports/{job.public_id}/review/reject/"
    reviewer.post(url, {"comment": "  "})
    job.refresh_from_db()
    assert job.state == ImportState.COMMITTED  # nothing queued
    assert ChangeRequest.objects.filter(import_job=job, state=ChangeState.PENDING).count() == 2
    _decided(reviewer, job, actors.reviewer, "reject", "Wrong survey")
    assert set(Tree.objects.values_list("status", flat=True)) == {Status.DRAFT}
    changes = ChangeRequest.objects.filter(import_job=job)
    assert set(changes.values_list("review_comment", flat=True)) == {"Wrong survey"}


def test_a_reviewer_never_approves_their_own_import(actors):
    admin = _client(actors.administrator)
    job = _commit(admin, _checked(admin, _rows(2)))
    assert "another reviewer must approve" in _page(admin, job, "review/").content.decode()
    refused = admin.post(f"/en/edit/imports/{job.public_id}/review/approve/", {"comment": ""})
    assert refused.status_code == 403
    assert not Tree.objects.filter(status=Status.PUBLISHED).exists()


def test_the_review_shows_old_and_new_values_of_matched_records(actors):
    trees = registry_get("trees")
    species = _species()
    for number in ("INV-0000", "INV-0001"):
        Tree.objects.create(
            geom=f"SRID=4326;POINT({LON} {LAT + 0.001})",
            species=species,
            inventory_number=number,
            condition="good",
            status=Status.PUBLISHED,
        )
    client = _client(actors.editor)
    job = _job_of(_upload(client, _csv(_rows(3))))
    data = _mapping_post(_page(client, job))
    data.update({"key": "inventory_number", "column-height_m": "", "then": "check"})
    assert client.post(f"/en/edit/imports/{job.public_id}/mapping/", data).status_code == 302
    job = _check(job)
    assert (job.rows_new, job.rows_changed) == (1, 2)
    job = _commit(client, job)
    updates = ChangeRequest.objects.filter(import_job=job, kind=ChangeKind.UPDATE)
    assert updates.count() == 2
    review = _page(_client(actors.reviewer), job, "review/").content.decode()
    assert "Changes of records (the first 2)" in review
    assert "Hazardous" in review or "hazardous" in review  # INV-0001's new condition
    assert trees.objects().filter(condition="hazardous").count() == 0  # until approved


def test_one_refused_change_refuses_the_whole_batch_decision(actors):
    job = _commit(_client(actors.editor), _checked(_client(actors.editor), _rows(3)))
    last = ChangeRequest.objects.filter(import_job=job).order_by("id").last()
    Tree.objects.filter(pk=last.record_id).update(version=5)  # changed since: stale
    with pytest.raises(decisions.BatchRefused) as refused:
        decisions.import_decide(job=job, user=actors.reviewer, approve=True)
    assert str(last.record_public_id) in str(refused.value)
    assert not Tree.objects.filter(status=Status.PUBLISHED).exists()
    pending = ChangeRequest.objects.filter(import_job=job, state=ChangeState.PENDING)
    assert pending.count() == 3


def test_a_decision_waits_while_the_import_is_busy(actors):
    job = _commit(_client(actors.editor), _checked(_client(actors.editor), _rows(2)))
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.DECIDING)
    reviewer = _client(actors.reviewer)
    reviewer.post(f"/en/edit/imports/{job.public_id}/review/approve/", {"comment": ""})
    assert "wait until that is done" in _page(reviewer, job, "review/").content.decode()
    assert not Tree.objects.filter(status=Status.PUBLISHED).exists()


def test_an_administrator_rolls_an_import_back_from_its_page(actors):
    editor = _client(actors.editor)
    job = _commit(editor, _checked(editor, _rows(2)))
    url = f"/en/edit/imports/{job.public_id}/rollback/"
    assert "Roll back this import" not in _page(editor, job).content.decode()
    assert editor.post(url, {"confirm": "yes"}).status_code == 403

    admin = _client(actors.administrator)
    assert "Roll back this import" in _page(admin, job).content.decode()
    admin.post(url, {})  # not confirmed: nothing queued
    job.refresh_from_db()
    assert job.state == ImportState.COMMITTED
    response = admin.post(url, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"].endswith("#progress")
    job.refresh_from_db()
    assert job.state == ImportState.ROLLING_BACK
    assert "being rolled back" in _page(admin, job).content.decode()
    decisions.import_rollback(job=job, user=actors.administrator)  # as the worker does
    job.refresh_from_db()
    assert job.state == ImportState.ROLLED_BACK
    assert set(Tree.objects.values_list("status", flat=True)) == {Status.ARCHIVED}
    page = _page(admin, job).content.decode()
    assert "2 record(s) archived" in page and "Roll back this import" not in page


# --- Progress ---------------------------------------------------------------------------


def test_progress_is_read_from_the_database_and_a_missing_worker_is_named(actors):
    client = _client(actors.editor)
    job = _job_of(_upload(client, _csv(_rows(3))))
    idle = _page(client, job, "progress.json").json()
    assert idle["state"] == "uploaded" and idle["done"] == 0
    client.post(f"/en/edit/imports/{job.public_id}/check/")
    queued = _page(client, job, "progress.json").json()
    assert queued["state"] == "validating" and queued["waiting_for_worker"] is False

    long_ago = timezone.now() - datetime.timedelta(seconds=45)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    stuck = _page(client, job, "progress.json").json()
    assert stuck["waiting_for_worker"] is True and "make run" in stuck["message"]
    assert "make run" in _page(client, job).content.decode()

    ImportProgress.objects.create(
        job_id=job.pk,
        step="check",
        done=1000,
        total=4000,
        started_at=long_ago,
        at=long_ago + datetime.timedelta(seconds=10),
    )
    ImportJob.objects.filter(pk=job.pk).update(rows_total=4000)
    working = _page(client, job, "progress.json").json()
    assert (working["done"], working["total"]) == (1000, 4000)
    assert working["seconds_left"] == 30 and working["waiting_for_worker"] is False
    assert "1,000 of 4,000 rows" in working["text"]
    page = _page(client, job).content.decode()
    assert 'max="4000" value="1000"' in page and 'role="status"' in page


# --- Who sees what ----------------------------------------------------------------------


def test_outsiders_and_editors_of_other_registries_do_not_see_an_import(actors):
    job = _job_of(_upload(_client(actors.editor), _csv(_rows(1))))
    other = get_user_model().objects.create_user("heritage-editor")
    editing.role_grant(user=other, registry=registry_get("heritage"), role=Role.EDITOR)
    for user in (actors.outsider, other):
        client = _client(user)
        for suffix in ("", "progress.json", "mapping.json", "review/"):
            assert _page(client, job, suffix).status_code == 404, (user, suffix)
        assert client.post(f"/en/edit/imports/{job.public_id}/check/").status_code == 404
    assert _client(other).get("/en/edit/trees/import/").status_code == 403
    assert _client(actors.outsider).get("/en/edit/trees/import/").status_code == 403
    assert Client().get(f"/en/edit/imports/{job.public_id}/").status_code == 302
    reviewer = _client(actors.reviewer)
    assert _page(reviewer, job).status_code == 200
    assert reviewer.post(f"/en/edit/imports/{job.public_id}/check/").status_code == 403


def test_the_editor_list_links_to_the_import_and_lists_recent_imports(actors):
    job = _job_of(_upload(_client(actors.editor), _csv(_rows(1)), name="park.csv"))
    page = _client(actors.editor).get("/en/edit/trees/").content.decode()
    assert "/edit/trees/import/" in page and "Import a file" in page
    assert "park.csv" in page and f"/edit/imports/{job.public_id}/" in page
    reviewer_page = _client(actors.reviewer).get("/en/edit/trees/").content.decode()
    assert "Import a file" not in reviewer_page and "park.csv" in reviewer_page


def test_an_xlsx_with_a_ukrainian_layout_is_taken_in(actors):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in _rows(2):
        sheet.append([float(row[0]), float(row[1]), *row[2:]])
    data = io.BytesIO()
    workbook.save(data)
    client = _client(actors.editor)
    upload = SimpleUploadedFile("survey.xlsx", data.getvalue(), "application/octet-stream")
    job = _job_of(client.post("/edit/trees/import/", {"file": upload}))
    page = _page(client, job)
    assert job.format == "xlsx" and len(_map_features(page)) == 2
    uk = client.get(f"/edit/imports/{job.public_id}/").content.decode()
    assert "Зіставлення" in uk or "Вид" in uk


def test_a_value_refused_further_down_is_offered_in_the_mapping_and_fixed_there(
    actors, monkeypatch
):
    monkeypatch.setattr("layers.imports.preview.SAMPLE_ROWS", 2)  # «чудове» is not sampled
    client = _client(actors.editor)
    rows = _rows(4)
    rows[3][3] = "чудове"
    job = _job_of(_upload(client, _csv(rows)))
    data = _mapping_post(_page(client, job))
    assert "чудове" not in data.values()
    client.post(f"/en/edit/imports/{job.public_id}/mapping/", {**data, "then": "check"})
    job = _check(job)
    assert job.state == ImportState.REFUSED
    data = _mapping_post(_page(client, job))
    name = next(k for k, v in data.items() if v == "чудове" and k.endswith("-source"))
    assert data[name.removesuffix("-source")] == ""  # not recognised
    data[name.removesuffix("-source")] = "good"
    client.post(f"/en/edit/imports/{job.public_id}/mapping/", {**data, "then": "check"})
    job.refresh_from_db()
    assert job.mapping["values"]["condition"]["чудове"] == "good"
    assert _check(job).state == ImportState.VALIDATED


def test_the_report_is_paged(actors):
    client = _client(actors.editor)
    rows = _rows(60)
    for row in rows:
        row[3] = "невідомий"
    job = _job_of(_upload(client, _csv(rows)))
    client.post(f"/en/edit/imports/{job.public_id}/check/")
    _check(job)
    first = _page(client, job)
    assert len(_problems(first)) == 50
    assert "Problems and warnings 1–50 of 60" in first.content.decode()
    assert "page 1 of 2" in first.content.decode()
    second = _page(client, job, page="2", kind="errors")
    assert [line[0] for line in _problems(second)] == [str(n) for n in range(52, 62)]
    assert "?kind=errors&amp;page=1" in second.content.decode()
