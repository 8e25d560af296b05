"""The workflow services, for every registry: draft → review → published → changed →
archived, who may do what, stale versions, history."""

import pytest
from django.core.exceptions import ValidationError

from layers.editing import services
from layers.editing.errors import NotPermitted, OwnChange, StaleVersion, WorkflowError
from layers.editing.models import ChangeKind, ChangeRequest, ChangeState
from layers.editing.selectors import history_model, record_history
from layers.editing.values import record_values
from layers.models import Status
from layers.selectors.public import registry_public_queryset
from tests.editing.conftest import draft_create, published_create

pytestmark = pytest.mark.django_db


def _public_ids(registry):
    return set(registry_public_queryset(registry).values_list("public_id", flat=True))


def test_full_lifecycle_keeps_the_published_record_unchanged_until_approval(registry, actors):
    record = draft_create(registry, actors.editor, notes="first")
    assert (record.status, record.version, record.created_by) == ("draft", 1, actors.editor)
    assert record.public_id not in _public_ids(registry)

    record = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={"notes": "second"},
        base_version=1,
    ).record
    assert (record.status, record.version, record.notes) == ("draft", 2, "second")

    publication = services.record_submit(
        registry=registry, record=record, user=actors.editor, base_version=2
    )
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW
    assert record.public_id not in _public_ids(registry)
    with pytest.raises(WorkflowError):
        services.record_update(
            registry=registry,
            record=record,
            user=actors.editor,
            values={"notes": "x"},
            base_version=record.version,
        )

    record = services.change_approve(change=publication, user=actors.reviewer)
    assert record.status == Status.PUBLISHED
    assert record.public_id in _public_ids(registry)
    published_version = record.version

    result = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor2,
        values={"notes": "proposed"},
        base_version=published_version,
        comment="fix",
    )
    assert not result.applied and result.change.kind == ChangeKind.UPDATE
    record.refresh_from_db()
    assert (record.notes, record.version) == ("second", published_version)
    assert registry_public_queryset(registry).get(public_id=record.public_id).notes == "second"

    record = services.change_approve(change=result.change, user=actors.reviewer2, comment="ok")
    assert (record.notes, record.version) == ("proposed", published_version + 1)
    assert record.updated_by == actors.editor2
    result.change.refresh_from_db()
    assert (result.change.state, result.change.reviewer) == (ChangeState.APPROVED, actors.reviewer2)

    record = services.record_archive(
        registry=registry, record=record, user=actors.reviewer, base_version=record.version
    )
    assert record.status == Status.ARCHIVED
    assert record.public_id not in _public_ids(registry)
    assert registry.objects().filter(pk=record.pk).exists()  # archived, not deleted

    history = record_history(registry=registry, record=record)
    assert [entry.status for entry in history] == [
        "draft",
        "draft",
        "in_review",
        "published",
        "published",
        "archived",
    ]
    assert [entry.version for entry in history] == list(range(1, 7))
    assert history[4].changes[0].name == "notes"
    assert (history[4].changes[0].old, history[4].changes[0].new) == ("second", "proposed")


def test_rejecting_keeps_the_record_and_the_comment_for_the_author(registry, actors):
    record = published_create(registry, actors, notes="kept")
    result = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={"notes": "wrong"},
        base_version=record.version,
    )
    with pytest.raises(ValidationError):
        services.change_reject(change=result.change, user=actors.reviewer, comment=" ")
    services.change_reject(change=result.change, user=actors.reviewer, comment="Not so.")
    result.change.refresh_from_db()
    record.refresh_from_db()
    assert (result.change.state, result.change.review_comment) == ("rejected", "Not so.")
    assert record.notes == "kept"


def test_a_rejected_draft_goes_back_to_draft(registry, actors):
    record = draft_create(registry, actors.editor)
    change = services.record_submit(
        registry=registry, record=record, user=actors.editor, base_version=1
    )
    services.change_reject(change=change, user=actors.reviewer, comment="Add the address.")
    record.refresh_from_db()
    assert record.status == Status.DRAFT


def test_editor_cannot_publish_approve_or_archive(registry, actors):
    record = draft_create(registry, actors.editor)
    change = services.record_submit(
        registry=registry, record=record, user=actors.editor, base_version=1
    )
    with pytest.raises(NotPermitted):
        services.change_approve(change=change, user=actors.editor2)
    with pytest.raises(NotPermitted):
        services.record_archive(
            registry=registry, record=record, user=actors.editor, base_version=2
        )
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW
    with pytest.raises(ValidationError):
        services.record_update(
            registry=registry,
            record=record,
            user=actors.editor,
            values={"status": "published"},
            base_version=record.version,
        )


def test_reviewer_never_approves_their_own_change(registry, actors):
    # An administrator both edits and reviews; their own change needs another reviewer.
    record = published_create(registry, actors)
    result = services.record_update(
        registry=registry,
        record=record,
        user=actors.administrator,
        values={"notes": "mine"},
        base_version=record.version,
    )
    with pytest.raises(OwnChange):
        services.change_approve(change=result.change, user=actors.administrator)
    result.change.refresh_from_db()
    assert result.change.state == ChangeState.PENDING
    services.change_approve(change=result.change, user=actors.reviewer)

    draft = draft_create(registry, actors.administrator)
    publication = services.record_submit(
        registry=registry, record=draft, user=actors.administrator, base_version=1
    )
    with pytest.raises(OwnChange):
        services.change_approve(change=publication, user=actors.administrator)


def test_outsider_cannot_create(registry, actors):
    with pytest.raises(NotPermitted):
        draft_create(registry, actors.outsider)
    assert not registry.objects().exists()


def test_stale_version_is_refused_with_what_changed(registry, actors):
    record = draft_create(registry, actors.editor, notes="a")
    services.record_update(
        registry=registry,
        record=record,
        user=actors.editor2,
        values={"notes": "b"},
        base_version=1,
    )
    with pytest.raises(StaleVersion) as refused:
        services.record_update(
            registry=registry,
            record=record,
            user=actors.editor,
            values={"notes": "c"},
            base_version=1,
        )
    assert refused.value.current_version == 2
    assert refused.value.changes[0]["fields"] == ["notes"]
    assert refused.value.changes[0]["user"] == "editor2"
    assert "notes" in str(refused.value)
    record.refresh_from_db()
    assert record.notes == "b"


def test_a_change_proposed_on_an_older_version_cannot_be_approved(registry, actors):
    record = published_create(registry, actors, notes="start")
    first = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={"notes": "one"},
        base_version=record.version,
    ).change
    second = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor2,
        values={"address": "two"},
        base_version=record.version,
    ).change
    services.change_approve(change=first, user=actors.reviewer)
    with pytest.raises(StaleVersion):
        services.change_approve(change=second, user=actors.reviewer)
    record.refresh_from_db()
    assert (record.notes, record.address) == ("one", "")


def test_history_records_bulk_and_scripted_writes(registry, actors):
    record = draft_create(registry, actors.editor, notes="before")
    events = history_model(registry).objects.filter(pgh_obj_id=record.pk)
    assert events.count() == 1
    registry.objects().filter(pk=record.pk).update(notes="bulk")  # no service, no save()
    assert events.count() == 2
    assert events.order_by("pgh_id").last().notes == "bulk"


def test_restore_brings_back_an_earlier_version_as_a_change(registry, actors):
    record = published_create(registry, actors, notes="original")
    change = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={"notes": "newer"},
        base_version=record.version,
    ).change
    record = services.change_approve(change=change, user=actors.reviewer)
    original = next(
        e
        for e in record_history(registry=registry, record=record)
        if e.values["notes"] == "original" and e.status == "published"
    )

    result = services.record_restore(
        registry=registry,
        record=record,
        user=actors.editor2,
        event_id=original.id,
        base_version=record.version,
    )
    assert result.change.payload == {"notes": "original"}
    record.refresh_from_db()
    assert record.notes == "newer"
    services.change_approve(change=result.change, user=actors.reviewer)
    record.refresh_from_db()
    assert record_values(registry, record)["notes"] == "original"


def test_archiving_closes_pending_changes(registry, actors):
    record = published_create(registry, actors)
    change = services.record_update(
        registry=registry,
        record=record,
        user=actors.editor,
        values={"notes": "later"},
        base_version=record.version,
    ).change
    services.record_archive(
        registry=registry, record=record, user=actors.reviewer, base_version=record.version
    )
    assert ChangeRequest.objects.get(pk=change.pk).state == ChangeState.WITHDRAWN
