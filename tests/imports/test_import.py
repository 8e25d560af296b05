"""The bulk import end to end, for a built-in registry and one defined as data: a file in,
every row checked, refused whole when a row is bad (the report names every bad row and
column), committed all or nothing as a batch for review, matched rows proposed as changes."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from layers.editing import services as editing
from layers.editing.errors import NotPermitted
from layers.editing.models import ChangeKind, ChangeRequest, ChangeState
from layers.imports import decisions, services
from layers.imports.mapping import ColumnMapping, suggest_columns
from layers.models import DataRecord, ImportJob, ImportState, Species, Status, Tree
from layers.models.imports import RowAction
from layers.registry import registry_get
from tests.editing.conftest import actors_create
from tests.factories import CENTRE, SAMPLE_ID, _species, registry_resolve
from tests.imports import files

pytestmark = pytest.mark.django_db

LON, LAT = CENTRE


def _csv(rows: list[dict], *, encoding="utf-8", delimiter=",") -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def _trees(n: int, **overrides) -> list[dict]:
    return [
        {
            "lon": f"{LON + i * 0.0001:.6f}",
            "lat": f"{LAT:.6f}",
            "Вид": "Липа серцелиста",
            "Стан": "аварійне" if i % 2 else "добрий",
            "Висота, м": "12,5",
            "Інвентарний номер": f"INV-{i:04d}",
            **overrides,
        }
        for i in range(n)
    ]


def _upload(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _create(registry, user, path, **kwargs) -> ImportJob:
    with path.open("rb") as upload:
        return services.import_create(
            registry=registry, user=user, upload=upload, file_name=path.name, **kwargs
        )


def test_a_tree_survey_in_csv_is_mapped_checked_and_committed_for_review(tmp_path):
    _species()
    actors = actors_create()
    trees = registry_get("trees")
    path = _upload(tmp_path, "survey.csv", _csv(_trees(4)))

    job = _create(trees, actors.editor, path)
    mapping = ColumnMapping.from_json(job.mapping)
    assert mapping.columns == {
        "species": "Вид",
        "height_m": "Висота, м",
        "condition": "Стан",
        "inventory_number": "Інвентарний номер",
    }
    assert mapping.values["condition"] == {"аварійне": "hazardous", "добрий": "good"}
    job = services.import_check(job=job)
    assert job.state == ImportState.VALIDATED, list(job.rows.values_list("errors", flat=True))
    assert (job.rows_total, job.rows_new, job.rows_bad) == (4, 4, 0)
    assert not Tree.objects.exists()  # checking writes nothing

    services.import_commit(job=job, user=actors.editor)
    records = Tree.objects.order_by("inventory_number")
    assert records.count() == 4
    assert {r.status for r in records} == {Status.IN_REVIEW}
    assert [r.condition for r in records] == ["good", "hazardous", "good", "hazardous"]
    assert records[1].height_m == pytest.approx(12.5)
    assert records[0].geom.x == pytest.approx(LON, abs=1e-6)
    changes = ChangeRequest.objects.filter(import_job=job)
    assert changes.count() == 4 and {c.kind for c in changes} == {ChangeKind.PUBLISH}
    history = trees.history_model.objects.filter(pgh_obj_id=records[0].pk).first()
    context = history.pgh_context.metadata
    assert context["file"] == "survey.csv" and context["sha256"] == job.sha256
    assert context["user"] == actors.editor.pk

    for change in changes:
        editing.change_approve(change=change, user=actors.reviewer)
    assert Tree.objects.filter(status=Status.PUBLISHED).count() == 4


def test_a_file_with_bad_rows_is_refused_whole_naming_every_row_and_column(tmp_path):
    _species()
    actors = actors_create()
    rows = _trees(5)
    rows[1]["Стан"] = "чудове"  # not a condition
    rows[2]["Висота, м"] = "900"  # above the species maximum
    rows[3]["lon"] = "abc"  # no position
    rows[4]["Вид"] = "Невідомий вид"
    path = _upload(tmp_path, "bad.csv", _csv(rows))
    job = services.import_check(job=_create(registry_get("trees"), actors.editor, path))

    assert job.state == ImportState.REFUSED
    problems = {(r.number, e["column"]) for r in job.rows.all() for e in r.errors}
    assert {(3, "Стан"), (4, "Висота, м"), (6, "Вид")} <= problems
    assert any(number == 5 for number, _column in problems)
    with pytest.raises(Exception, match="checked import"):
        services.import_commit(job=job, user=actors.editor)
    assert not Tree.objects.exists()


def test_update_by_key_changes_only_the_matched_records(tmp_path):
    species = _species()
    actors = actors_create()
    trees = registry_get("trees")
    published = []
    for number in ("INV-0000", "INV-0001"):
        tree = Tree(
            geom=f"SRID=4326;POINT({LON} {LAT})",
            species=species,
            inventory_number=number,
            condition="good",
            status=Status.PUBLISHED,
        )
        tree.save()
        published.append(tree)
    rows = _trees(3)  # INV-0000 as it is, INV-0001 becomes hazardous, INV-0002 is new
    path = _upload(tmp_path, "update.csv", _csv(rows))
    job = _create(trees, actors.editor, path)
    mapping = ColumnMapping.from_json(job.mapping)
    mapping.key = "inventory_number"
    mapping.columns.pop("height_m")
    job.mapping = mapping.as_json()
    job.save()
    job = services.import_check(job=job)
    actions = dict(job.rows.values_list("number", "action"))
    assert actions == {2: "unchanged", 3: "update", 4: "create"}

    services.import_commit(job=job, user=actors.editor)
    updates = ChangeRequest.objects.filter(import_job=job, kind=ChangeKind.UPDATE)
    assert {c.record_id for c in updates} == {published[1].pk}  # the unchanged one: nothing
    change = updates.get(record_id=published[1].pk)
    assert change.payload["condition"] == "hazardous"
    published[1].refresh_from_db()
    assert published[1].condition == "good"  # until a reviewer approves
    editing.change_approve(change=change, user=actors.reviewer)
    published[1].refresh_from_db()
    assert published[1].condition == "hazardous"
    assert Tree.objects.count() == 3


def test_a_data_defined_registry_takes_a_geojson_file(tmp_path):
    registry = registry_resolve(SAMPLE_ID)
    actors = actors_create()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [LON + i * 0.001, LAT]},
            "properties": {"title": f"Майданчик {i}", "surface": "Пісок", "equipment": i},
        }
        for i in range(3)
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    job = _create(registry, actors.editor, _upload(tmp_path, "p.geojson", data))
    mapping = ColumnMapping.from_json(job.mapping)
    assert mapping.columns == {"title": "title", "surface": "surface", "equipment": "equipment"}
    mapping.values["surface"] = {"Пісок": "sand"}
    job.mapping = mapping.as_json()
    job.save()
    job = services.import_check(job=job)
    assert job.state == ImportState.VALIDATED, list(job.rows.values_list("errors", flat=True))
    services.import_commit(job=job, user=actors.editor)
    records = DataRecord.objects.order_by("id")
    assert [r.values for r in records] == [
        {"title": f"Майданчик {i}", "surface": "sand", "equipment": i} for i in range(3)
    ]
    assert all(r.schema_version == registry.schema_version for r in records)


def test_near_duplicates_within_the_file_and_the_registry_are_warned_of(tmp_path):
    _species()
    actors = actors_create()
    rows = _trees(2)
    rows[1]["lon"] = rows[0]["lon"]  # the same spot twice
    job = _create(registry_get("trees"), actors.editor, _upload(tmp_path, "d.csv", _csv(rows)))
    job = services.import_check(job=job)
    assert job.state == ImportState.VALIDATED
    warned = job.rows.get(number=3)
    assert "row 2" in warned.warnings[0]["message"]


def test_the_same_file_again_is_recognised(tmp_path):
    _species()
    actors = actors_create()
    path = _upload(tmp_path, "again.csv", _csv(_trees(1)))
    first = services.import_check(job=_create(registry_get("trees"), actors.editor, path))
    second = _create(registry_get("trees"), actors.editor, path)
    assert services.earlier_import(second) == first


def test_the_command_checks_reports_and_commits(tmp_path, capsys):
    _species()
    actors = actors_create()
    good = _upload(tmp_path, "good.csv", _csv(_trees(3)))
    call_command("import_file", "trees", str(good), "--as", "editor")
    out = capsys.readouterr().out
    assert "Вид → species" in out and "3 row(s): 3 new" in out and "nothing was written" in out
    assert not Tree.objects.exists()

    call_command("import_file", "trees", str(good), "--as", "editor", "--commit", "--same-file")
    assert Tree.objects.filter(status=Status.IN_REVIEW, created_by=actors.editor).count() == 3

    rows = _trees(2)
    rows[1]["Стан"] = "чудове"
    bad = _upload(tmp_path, "bad.csv", _csv(rows))
    with pytest.raises(CommandError, match="1 row"):
        call_command("import_file", "trees", str(bad), "--as", "editor", "--commit")
    assert "row 3, Стан" in capsys.readouterr().out
    assert Tree.objects.count() == 3
    with pytest.raises(CommandError, match="imported before"):
        call_command("import_file", "trees", str(good), "--as", "editor")
    with pytest.raises(CommandError, match="no registry"):
        call_command("import_file", "nothing", str(good))


def test_columns_are_suggested_from_ukrainian_and_english_labels():
    trees = registry_get("trees")
    suggested = suggest_columns(
        trees, ["Species", "Trunk diameter at 1.3 m, cm", "Рік посадки", "unrelated"]
    )
    assert suggested == {
        "species": "Species",
        "trunk_diameter_cm": "Trunk diameter at 1.3 m, cm",
        "planting_year": "Рік посадки",
    }
    assert Species.IMPORT_NAMES


def test_a_commit_after_a_review_decision_keeps_the_batch_together(tmp_path):
    _species()
    actors = actors_create()
    job = _create(registry_get("trees"), actors.editor, _upload(tmp_path, "b.csv", _csv(_trees(2))))
    services.import_commit(job=services.import_check(job=job), user=actors.editor)
    pending = ChangeRequest.objects.filter(import_job=job, state=ChangeState.PENDING)
    assert pending.count() == 2
    assert {c.author_id for c in pending} == {actors.editor.pk}


VRT = (
    b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource>'
    b"</OGRVRTLayer></OGRVRTDataSource>"
)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("layer.gpkg", lambda path: path.write_bytes(VRT)),
        ("layer.geojson", lambda path: path.write_bytes(VRT)),
        ("trees.csv", lambda path: path.write_bytes(b"\x00\x01\x02" * 1000)),
        ("bomb.zip", lambda path: files.zip_bomb(path, megabytes=300)),
        ("slip.zip", lambda path: files.zip_of(path, {"../evil.shp": b"x", "a.dbf": b"y"})),
        ("link.zip", lambda path: files.zip_with_symlink(path)),
        (
            "laughs.kml",
            lambda path: files.kml(
                path, prolog='<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            ),
        ),
    ],
)
def test_a_hostile_file_is_refused_and_nothing_is_kept(tmp_path, settings, name, make):
    actors = actors_create()
    path = tmp_path / name
    make(path)
    media_before = sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    with pytest.raises(ValidationError) as caught:
        _create(registry_get("trees"), actors.editor, path)
    assert caught.value.messages and all(caught.value.messages)
    assert not ImportJob.objects.exists()
    media_after = sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    assert media_after == media_before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, settings):
    settings.GEOPORTAL_IMPORT_MAX_BYTES = 1000
    actors = actors_create()
    path = _upload(tmp_path, "big.csv", _csv(_trees(100)))
    with pytest.raises(ValidationError, match="larger than"):
        _create(registry_get("trees"), actors.editor, path)
    assert not ImportJob.objects.exists()


def test_an_editor_of_another_registry_may_not_import(tmp_path):
    from layers.editing.errors import NotPermitted

    actors = actors_create()
    path = _upload(tmp_path, "p.csv", _csv(_trees(1)))
    with pytest.raises(NotPermitted):
        _create(registry_get("trees"), actors.outsider, path)


def test_an_applied_import_is_rolled_back_as_new_changes(tmp_path):
    from layers.editing.models import Role

    species = _species()
    actors = actors_create()
    trees = registry_get("trees")
    editing.role_grant(user=actors.administrator, registry=trees, role=Role.ADMINISTRATOR)
    old = Tree(
        geom=f"SRID=4326;POINT({LON + 0.0001} {LAT})",
        species=species,
        inventory_number="INV-0001",
        condition="good",
        status=Status.PUBLISHED,
    )
    old.save()
    job = _create(trees, actors.editor, _upload(tmp_path, "r.csv", _csv(_trees(3))))
    mapping = ColumnMapping.from_json(job.mapping)
    mapping.key = "inventory_number"
    job.mapping = mapping.as_json()
    job.save()
    services.import_commit(job=services.import_check(job=job), user=actors.editor)
    for change in ChangeRequest.objects.filter(import_job=job):
        editing.change_approve(change=change, user=actors.reviewer)
    old.refresh_from_db()
    assert old.condition == "hazardous" and old.height_m == pytest.approx(12.5)
    created = list(Tree.objects.exclude(pk=old.pk).values_list("pk", flat=True))
    assert len(created) == 2

    with pytest.raises(NotPermitted):
        decisions.import_rollback(job=job, user=actors.editor)  # may not archive
    counts = decisions.import_rollback(job=job, user=actors.administrator)
    assert counts == {"closed": 0, "archived": 2, "restored": 1}
    job.refresh_from_db()
    assert job.state == ImportState.ROLLED_BACK
    assert set(Tree.objects.filter(pk__in=created).values_list("status", flat=True)) == {
        Status.ARCHIVED
    }
    restore = ChangeRequest.objects.get(record_id=old.pk, state=ChangeState.PENDING)
    assert restore.payload["condition"] == "good"
    editing.change_approve(change=restore, user=actors.reviewer)
    old.refresh_from_db()
    assert old.condition == "good" and old.height_m is None
    with pytest.raises(ValidationError, match="committed import"):
        decisions.import_rollback(job=job, user=actors.administrator)


def test_a_rollback_before_review_closes_the_batch(tmp_path):
    from layers.editing.models import Role

    _species()
    actors = actors_create()
    trees = registry_get("trees")
    editing.role_grant(user=actors.administrator, registry=trees, role=Role.ADMINISTRATOR)
    job = _create(trees, actors.editor, _upload(tmp_path, "p.csv", _csv(_trees(2))))
    services.import_commit(job=services.import_check(job=job), user=actors.editor)
    counts = decisions.import_rollback(job=job, user=actors.administrator)
    assert counts == {"closed": 2, "archived": 2, "restored": 0}
    assert not ChangeRequest.objects.filter(import_job=job, state=ChangeState.PENDING).exists()
    assert set(Tree.objects.values_list("status", flat=True)) == {Status.ARCHIVED}


def test_the_rollback_command_undoes_a_committed_import(tmp_path, capsys):
    from django.contrib.auth import get_user_model

    _species()
    actors_create()
    get_user_model().objects.create_superuser("root", password="x" * 16)
    path = _upload(tmp_path, "c.csv", _csv(_trees(2)))
    call_command("import_file", "trees", str(path), "--as", "editor", "--commit")
    job = ImportJob.objects.get()
    with pytest.raises(CommandError, match="may not roll back"):
        call_command("import_rollback", str(job.public_id), "--as", "editor")
    call_command("import_rollback", str(job.public_id), "--as", "root")
    assert "2 record(s) archived" in capsys.readouterr().out
    assert set(Tree.objects.values_list("status", flat=True)) == {Status.ARCHIVED}
    with pytest.raises(CommandError, match="committed import"):
        call_command("import_rollback", str(job.public_id), "--as", "root")
    with pytest.raises(CommandError, match="no import"):
        call_command("import_rollback", "not-an-id", "--as", "root")


def test_yes_and_no_are_read_as_surveys_write_them(tmp_path):
    actors = actors_create()
    registry = registry_get("accessibility")
    rows = [
        {"lon": f"{LON + i * 0.001:.6f}", "lat": f"{LAT:.6f}", "Назва": f"Об'єкт {i}",
         "Вхід без сходинок": word}
        for i, word in enumerate(["так", "Ні", "TRUE", "0", "", "можливо"])
    ]  # fmt: skip
    path = _upload(tmp_path, "objects.csv", _csv(rows))
    job = _create(registry, actors.editor, path)
    job.mapping = ColumnMapping(
        columns={"name": "Назва", "entrance_step_free": "Вхід без сходинок"}
    ).as_json()
    job.save()
    job = services.import_check(job=job)
    refused = list(job.rows.filter(action=RowAction.REFUSED).values_list("number", "errors"))
    assert [number for number, _errors in refused] == [7]  # «можливо» (row 7 of the file)
    assert refused[0][1][0]["column"] == "Вхід без сходинок"
    values = [
        row.get("entrance_step_free")
        for row in job.rows.order_by("number").values_list("values", flat=True)
    ]
    assert values[:5] == [True, False, True, False, None]
