"""A record's parts take the record's path: for every kind of part of every registry, an
editor's change to a published record's parts waits for review while the public sees the
old parts, the approval applies them with a new version, the history shows them and a
restore brings the earlier ones back, a stale version is refused, a draft's parts publish
with it, and bad parts change nothing."""

import pytest
from django.core.exceptions import ValidationError

from layers.editing import services
from layers.editing.errors import StaleVersion
from layers.editing.models import ChangeRequest, ChangeState
from layers.editing.parts import parts_read
from layers.editing.selectors import change_part_changes, record_history
from layers.models.photos import Photo
from layers.registry import BUILTIN_REGISTRIES, registry_get
from tests.editing.conftest import draft_create, published_create
from tests.factories import part_item, registry_parts, registry_resolve

pytestmark = pytest.mark.django_db

PARTS = registry_parts()


def _compared(registry, name, items):
    part = next(p for p in registry.parts if p.name == name)
    return [part.compared(item) for item in items]


def _change_parts(registry, record, user, name, items, *, base_version=None):
    """An editor's change of one part of a record (applied to a draft, proposed for a
    published record)."""
    return services.record_update(
        registry=registry,
        record=record,
        user=user,
        values={},
        parts={name: items},
        base_version=record.version if base_version is None else base_version,
    )


def _with_one(registry, actors, name):
    """A published record with one part of the kind, added through the workflow."""
    record = published_create(registry, actors)
    item = part_item(registry, name, record, actors.editor, n=1)
    _change_parts(registry, record, actors.editor, name, [item])
    change = ChangeRequest.objects.get(record_id=record.pk, state=ChangeState.PENDING)
    return services.change_approve(change=change, user=actors.reviewer)


def test_every_registry_declares_its_parts_and_each_has_a_sample():
    assert {name for _r, name in PARTS} == {
        "containers",
        "events",
        "assessments",
        "photos",
        "heritage_objects",
    }
    assert all(any(p.name == "photos" for p in r.parts) for r in BUILTIN_REGISTRIES)


@pytest.mark.parametrize(("registry_id", "name"), PARTS)
def test_a_change_of_a_published_records_parts_waits_for_review(registry_id, name, actors):
    registry = registry_resolve(registry_id)
    record = _with_one(registry, actors, name)
    before = parts_read(registry, record)[name]
    assert len(before) == 1
    added = part_item(registry, name, record, actors.editor2, n=2)

    result = _change_parts(registry, record, actors.editor2, name, [*before, added])

    assert not result.applied
    assert set(result.change.payload) == {"parts"}
    record.refresh_from_db()
    assert parts_read(registry, record)[name] == before  # the public still sees one
    shown = change_part_changes(result.change, record)
    assert [(c.part.name, len(c.added), len(c.changed), len(c.removed)) for c in shown] == [
        (name, 1, 0, 0)
    ]

    version = record.version
    services.change_approve(change=result.change, user=actors.reviewer)
    record.refresh_from_db()
    after = parts_read(registry, record)[name]
    assert len(after) == 2
    assert record.version == version + 1
    assert record.parts_snapshot[name] == after


@pytest.mark.parametrize(("registry_id", "name"), PARTS)
def test_history_holds_every_version_of_the_parts_and_a_restore_brings_them_back(
    registry_id, name, actors
):
    registry = registry_resolve(registry_id)
    record = _with_one(registry, actors, name)
    one = parts_read(registry, record)[name]
    _change_parts(registry, record, actors.editor, name, [])
    services.change_approve(
        change=ChangeRequest.objects.get(record_id=record.pk, state=ChangeState.PENDING),
        user=actors.reviewer,
    )
    record.refresh_from_db()
    assert parts_read(registry, record)[name] == []

    history = record_history(registry=registry, record=record)
    touched = [
        (e.version, [(c.part.name, len(c.added), len(c.removed)) for c in e.part_changes])
        for e in history
        if e.part_changes
    ]
    assert [kinds for _v, kinds in touched] == [[(name, 1, 0)], [(name, 0, 1)]]
    # Who made each version of the parts (the reviewer who applied it) and when.
    with_parts = [e for e in history if e.part_changes]
    assert [(e.user, e.context.get("action")) for e in with_parts] == [("reviewer", "approve")] * 2
    assert all(e.at is not None for e in with_parts)

    with_one = next(e for e in history if e.parts and e.parts.get(name))
    result = services.record_restore(
        registry=registry,
        record=record,
        user=actors.editor2,
        event_id=with_one.id,
        base_version=record.version,
    )
    assert not result.applied
    services.change_approve(change=result.change, user=actors.reviewer)
    record.refresh_from_db()
    assert _compared(registry, name, parts_read(registry, record)[name]) == _compared(
        registry, name, one
    )


@pytest.mark.parametrize(("registry_id", "name"), PARTS)
def test_a_change_of_parts_on_a_stale_version_is_refused(registry_id, name, actors):
    registry = registry_resolve(registry_id)
    record = published_create(registry, actors)
    item = part_item(registry, name, record, actors.editor, n=1)
    waiting = _change_parts(registry, record, actors.editor, name, [item]).change
    # A colleague's change of the name is approved first.
    other = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor2,
        values={"notes": "перевірено"},
        base_version=record.version,
    ).change
    services.change_approve(change=other, user=actors.reviewer)

    with pytest.raises(StaleVersion):
        services.change_approve(change=waiting, user=actors.reviewer)
    with pytest.raises(StaleVersion):
        services.record_update(
            registry=registry,
            record=record,
            user=actors.editor,
            values={},
            parts={name: [item]},
            base_version=waiting.base_version,
        )
    record.refresh_from_db()
    assert parts_read(registry, record)[name] == []


@pytest.mark.parametrize(("registry_id", "name"), PARTS)
def test_a_drafts_parts_are_applied_at_once_and_publish_with_it(registry_id, name, actors):
    registry = registry_resolve(registry_id)
    record = draft_create(registry, actors.editor)
    item = part_item(registry, name, record, actors.editor, n=1)
    result = _change_parts(registry, record, actors.editor, name, [item])
    assert result.applied
    record.refresh_from_db()
    assert len(parts_read(registry, record)[name]) == 1
    change = services.record_submit(
        registry=registry, record=record, user=actors.editor, base_version=record.version
    )
    services.change_approve(change=change, user=actors.reviewer)
    record.refresh_from_db()
    assert record.status == "published" and len(parts_read(registry, record)[name]) == 1


@pytest.mark.parametrize(("registry_id", "name"), PARTS)
def test_bad_parts_are_refused_with_a_clear_error_and_change_nothing(registry_id, name, actors):
    registry = registry_resolve(registry_id)
    record = draft_create(registry, actors.editor)
    version = record.version
    bad = [
        "not a list",
        [{"no_such_field": 1}],
        [42],
    ]
    for items in bad:
        with pytest.raises(ValidationError) as refused:
            services.record_update(
                registry=registry,
                record=record,
                user=actors.editor,
                values={"notes": "змінено"},
                parts={name: items},
                base_version=version,
            )
        assert all(key.startswith(name) for key in refused.value.message_dict), (
            refused.value.message_dict
        )
    with pytest.raises(ValidationError) as unknown:
        services.record_update(
            registry=registry,
            record=record,
            user=actors.editor,
            values={},
            parts={"no_such_part": []},
            base_version=version,
        )
    assert "parts.no_such_part" in unknown.value.message_dict
    record.refresh_from_db()
    assert (record.version, record.notes) == (version, "")


def test_a_staged_photo_is_not_public_until_the_change_that_adds_it_is_approved(actors, client):
    registry = registry_get("heritage")
    record = published_create(registry, actors)
    item = part_item(registry, "photos", record, actors.editor)
    photo = Photo.objects.get(pk=item["id"])
    page = f"/en/{registry.id}/{record.public_id}/"
    thumbnail = f"/media/{photo.thumbnail.name}"
    assert photo.thumbnail.name not in client.get(page).content.decode()
    assert client.get(thumbnail).status_code == 404

    change = _change_parts(registry, record, actors.editor, "photos", [item]).change
    assert client.get(thumbnail).status_code == 404
    services.change_approve(change=change, user=actors.reviewer)

    assert photo.thumbnail.name in client.get(page).content.decode()
    assert client.get(thumbnail).status_code == 200


def test_a_photo_of_another_record_cannot_be_attached(actors):
    registry = registry_get("heritage")
    mine, theirs = published_create(registry, actors), published_create(registry, actors)
    item = part_item(registry, "photos", theirs, actors.editor)
    with pytest.raises(ValidationError) as refused:
        _change_parts(registry, mine, actors.editor, "photos", [item])
    assert "photos.0.id" in refused.value.message_dict


def test_an_assessment_derives_its_status_and_the_objects_rating_on_approval(actors):
    registry = registry_get("accessibility")
    record = published_create(registry, actors, entrance_step_free=True, ramp_present=False)
    assert record.traffic_light == "green"
    item = part_item(registry, "assessments", record, actors.editor)  # one "no" answer
    change = _change_parts(registry, record, actors.editor, "assessments", [item]).change
    record.refresh_from_db()
    assert record.traffic_light == "green"  # until approved
    services.change_approve(change=change, user=actors.reviewer)
    record.refresh_from_db()
    stored = parts_read(registry, record)["assessments"]
    assert stored[0]["status"] in ("not_barrier_free", "partially_barrier_free")
    assert record.traffic_light in ("red", "yellow")


@pytest.mark.parametrize(("registry_id", "name"), PARTS)
def test_the_review_and_history_pages_show_parts_added_and_removed(registry_id, name, actors):
    from django.test import Client

    registry = registry_resolve(registry_id)
    record = published_create(registry, actors)
    item = part_item(registry, name, record, actors.editor, n=1)
    change = _change_parts(registry, record, actors.editor, name, [item]).change
    reviewer = Client()
    reviewer.force_login(actors.reviewer)
    page = reviewer.get(f"/en/edit/review/?registry={registry.id}").content.decode()
    part = next(p for p in registry.parts if p.name == name)
    assert str(part.title).capitalize() in page
    assert 'class="part-added"' in page and "added</span>" in page

    services.change_approve(change=change, user=actors.reviewer)
    history = f"/en/edit/{registry.id}/{record.public_id}/history/"
    staff = reviewer.get(history).content.decode()
    assert 'class="part-added"' in staff
    public = Client().get(history).content.decode()
    assert "part-added" not in public


def test_staged_photos_of_closed_changes_are_purged_and_the_others_kept(
    actors, django_capture_on_commit_callbacks
):
    import datetime
    import io
    from pathlib import Path

    from django.core.management import call_command

    from layers.models.photos import PhotoState

    registry = registry_get("heritage")
    record = published_create(registry, actors)
    waiting = part_item(registry, "photos", record, actors.editor, n=1)
    _change_parts(registry, record, actors.editor, "photos", [waiting])
    orphan = part_item(registry, "photos", record, actors.editor, n=2)  # its save was refused
    fresh = part_item(registry, "photos", record, actors.editor, n=3)
    week_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=8)
    Photo.objects.exclude(pk=fresh["id"]).update(uploaded_at=week_ago)
    orphan_file = Path(Photo.objects.get(pk=orphan["id"]).image.path)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_staged_photos", stdout=out)
    assert out.getvalue().startswith("Staged photos deleted: 1.")

    assert set(Photo.objects.values_list("pk", flat=True)) == {waiting["id"], fresh["id"]}
    assert not orphan_file.exists()
    assert Photo.objects.get(pk=waiting["id"]).state == PhotoState.STAGED


def test_parts_loaded_in_bulk_are_recorded_before_their_first_change(actors):
    """A record and its parts written by a bulk load have no recorded parts; the first
    change of them records them first, so its history shows what it did and a restore can
    bring them back."""
    from layers.models import Container
    from tests.factories import published_record

    registry = registry_get("waste-sites")
    site = published_record(registry)
    Container.objects.create(site=site, fraction="paper", count=1, volume_l=240)
    assert site.parts_snapshot is None
    new = part_item(registry, "containers", site, actors.editor)
    change = _change_parts(registry, site, actors.editor, "containers", [new]).change
    services.change_approve(change=change, user=actors.reviewer)

    site.refresh_from_db()
    history = record_history(registry=registry, record=site)
    (last,) = [e for e in history if e.part_changes]
    (containers,) = last.part_changes
    assert [i["fraction"] for i in containers.added] == ["glass"]
    assert [i["fraction"] for i in containers.removed] == ["paper"]
    assert [e.version for e in history] == sorted({e.version for e in history})  # no extra
