"""The whole life of a report, with the mails it sends: created from a record's page by an
unknown address (confirmation link), confirmed, routed to the registry's staff, moderated
(text edited, a photo hidden, with history), answered state by state with public comments,
a duplicate linked to its original, fixed; an anonymous report where the category allows it."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from layers.editing.errors import WorkflowError
from layers.editing.models import ChangeRequest, ChangeState
from reports.models import Moderation, Report, ReportState
from reports.services.handling import (
    report_answer,
    report_moderate,
    report_record_change,
)
from reports.services.submit import report_confirm, report_submit
from tests.reports.conftest import REPORTER, REPORTER_EMAIL, centre, photo_upload

pytestmark = pytest.mark.django_db


def _mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def _link(message, pattern: str) -> str:
    found = re.search(rf"https?://\S+?({pattern})", message.body)
    assert found, message.body
    return found.group(1)


def test_a_report_lives_from_the_form_to_fixed(world, django_capture_on_commit_callbacks):
    actors, ramp = world.actors, world.ramp
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/reports/new/?registry=accessibility&record={ramp.public_id}",
            {
                "category": "accessibility-ramp",
                "description": "Пандус зламаний, телефон завгоспа 067 123 45 67",
                "lat": ramp.geom.y,
                "lon": ramp.geom.x,
                "name": REPORTER,
                "email": REPORTER_EMAIL,
                "record_registry": "accessibility",
                "record_public_id": str(ramp.public_id),
                "photos": [photo_upload("a.jpg"), photo_upload("b.jpg")],
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/reports/new/sent/?confirm=1"
    report = Report.objects.get()
    assert report.state == ReportState.NEW and report.moderation == Moderation.PENDING
    assert (report.record_registry, report.record_public_id) == ("accessibility", ramp.public_id)
    assert report.photos.count() == 2
    assert report.reporter_language == "uk"
    # Only the reporter hears of it: the staff only once it is confirmed.
    (confirmation,) = mail.outbox
    assert confirmation.to == [REPORTER_EMAIL]
    assert f"№ {report.pk}" in confirmation.subject or str(report.pk) in confirmation.subject
    path = _link(confirmation, r"/reports/confirm/[^/\s]+/")
    assert client.get(f"/reports/{report.pk}/").status_code == 404  # not public yet

    # The GET shows a button; the POST confirms, and the registry's staff are told.
    assert client.get(path).status_code == 200
    report.refresh_from_db()
    assert report.state == ReportState.NEW
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 200
    report.refresh_from_db()
    assert report.state == ReportState.CONFIRMED and report.confirmed_at
    staff_told = {address for m in mail.outbox for address in m.to}
    assert staff_told == {"editor@example.org", "reviewer@example.org", "administrator@example.org"}
    assert f"/edit/reports/{report.pk}/" in mail.outbox[0].body
    assert client.get(f"/reports/{report.pk}/").status_code == 404  # moderation first

    # An editor answers but does not moderate; the reviewer moderates.
    first_photo, second_photo = report.photos.all()
    with pytest.raises(PermissionDenied):
        report_moderate(report=report, user=actors.editor, publish=True)
    with pytest.raises(PermissionDenied):
        report_moderate(report=report, user=actors.outsider, publish=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_moderate(
            report=report,
            user=actors.reviewer,
            publish=True,
            description="Пандус зламаний.",
            hidden_photos=[second_photo.pk],
        )
    report.refresh_from_db()
    assert report.is_public and report.description == "Пандус зламаний."
    (published,) = _mails_to(REPORTER_EMAIL)
    assert f"/reports/{report.pk}/" in published.body
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Пандус зламаний." in page and "067" not in page
    assert f"/photos/{first_photo.pk}/thumb.jpg" in page
    assert f"/photos/{second_photo.pk}/" not in page
    assert client.get(f"/reports/{report.pk}/photos/{second_photo.pk}/full.jpg").status_code == 404
    shown = client.get(f"/reports/{report.pk}/photos/{first_photo.pk}/full.jpg")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"Exif" not in b"".join(shown.streaming_content)[:200]
    # The moderator's edit is in the history, with the text it replaced and who did it.
    texts = list(report.history.order_by("pgh_id").values_list("description", flat=True))
    assert texts[0].endswith("067 123 45 67") and texts[-1] == "Пандус зламаний."
    assert report.history.last().pgh_context.metadata["user"] == actors.reviewer.pk

    # State by state, each with a public comment mailed to the reporter.
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        report_answer(report=report, user=actors.editor, state=ReportState.IN_PROGRESS, comment="")
    with pytest.raises(PermissionDenied):
        report_answer(
            report=report, user=actors.outsider, state=ReportState.IN_PROGRESS, comment="Ні"
        )
    with django_capture_on_commit_callbacks(execute=True):
        report_answer(
            report=report,
            user=actors.editor,
            state=ReportState.IN_PROGRESS,
            comment="Передали балансоутримувачу.",
        )
    (in_progress,) = _mails_to(REPORTER_EMAIL)
    assert "Передали балансоутримувачу." in in_progress.body
    report.refresh_from_db()
    assert report.first_response_at is not None and report.fixed_at is None

    # From the report, staff propose a change of the record; it waits for review.
    change = report_record_change(
        report=report,
        user=actors.editor,
        values={"ramp_present": False},
        comment="Позначили, що пандуса фактично немає.",
    )
    assert change.state == ChangeState.PENDING and change.payload == {"ramp_present": False}
    report.refresh_from_db()
    assert report.change_request == change
    pending = ChangeRequest.objects.filter(record_public_id=ramp.public_id, state="pending")
    assert list(pending) == [change]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_answer(
            report=report, user=actors.reviewer, state=ReportState.FIXED, comment="Відремонтовано."
        )
    (fixed,) = _mails_to(REPORTER_EMAIL)
    assert "Відремонтовано." in fixed.body and f"/reports/{report.pk}/" in fixed.body
    report.refresh_from_db()
    assert report.state == ReportState.FIXED and report.fixed_at is not None
    page = client.get(f"/reports/{report.pk}/").content.decode()
    for comment in ("Передали балансоутримувачу.", "Позначили, що", "Відремонтовано."):
        assert comment in page
    assert REPORTER not in page and REPORTER_EMAIL not in page


def test_a_duplicate_names_its_original_and_an_unconfirmed_report_is_not_answered(
    world, django_capture_on_commit_callbacks
):
    actors = world.actors
    with django_capture_on_commit_callbacks(execute=True):
        original = report_submit(
            category_code="tree-fallen", geom=centre(), description="Дерево впало на доріжку."
        )
        again = report_submit(
            category_code="tree-fallen", geom=centre(), description="Повалене дерево."
        )
        waiting = report_submit(
            category_code="tree-fallen",
            geom=centre(),
            description="Ще одне.",
            email="new@example.org",
        )
    # Anonymous (allowed for this category): no address to confirm, so confirmed at once.
    assert original.state == again.state == ReportState.CONFIRMED
    assert waiting.state == ReportState.NEW
    with pytest.raises(WorkflowError):
        report_answer(report=waiting, user=actors.editor, state=ReportState.FIXED, comment="Так")
    with pytest.raises(ValidationError):
        report_answer(report=again, user=actors.editor, state=ReportState.DUPLICATE, comment="Є")
    with pytest.raises(ValidationError):
        report_answer(
            report=again,
            user=actors.editor,
            state=ReportState.DUPLICATE,
            comment="Є",
            duplicate_of=again,
        )
    report_answer(
        report=again,
        user=actors.editor,
        state=ReportState.DUPLICATE,
        comment="Уже відомо.",
        duplicate_of=original,
    )
    again.refresh_from_db()
    assert again.duplicate_of == original and again.state == ReportState.DUPLICATE
    report_moderate(report=again, user=actors.reviewer, publish=True)
    page = Client().get(f"/reports/{again.pk}/").content.decode()
    assert f'href="/reports/{original.pk}/"' in page


def test_a_known_address_needs_no_new_confirmation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = report_submit(
            category_code="waste-overflowing",
            geom=centre(),
            description="Переповнено.",
            email=REPORTER_EMAIL,
        )
    report_confirm(token=_link(mail.outbox[0], r"/reports/confirm/[^/\s]+/").split("/")[-2])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = report_submit(
            category_code="waste-overflowing",
            geom=centre(),
            description="Знову.",
            email=REPORTER_EMAIL.upper(),
        )
    assert first.pk != second.pk and second.state == ReportState.CONFIRMED
    subjects = [m.subject for m in _mails_to(REPORTER_EMAIL.upper())]
    assert len(subjects) == 1 and "confirm" not in subjects[0].lower()


def test_a_forged_or_reused_confirmation_link_changes_nothing(world):
    client = Client()
    response = client.post("/en/reports/confirm/MQ:forged:signature/")
    assert response.status_code == 400
    assert "The confirmation link is not valid or has expired." in response.content.decode()
    assert not Report.objects.exists()


def test_reports_never_confirmed_are_forgotten_once_their_link_expired(
    world, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from reports.services.submit import reports_unconfirmed_purge
    from reports.tasks import reports_purge_unconfirmed

    waiting = report_submit(
        category_code="waste-overflowing",
        geom=centre(),
        description="Ніхто не підтвердив.",
        email="forgot@example.org",
        photos=[photo_upload()],
    )
    fresh = report_submit(
        category_code="waste-overflowing",
        geom=centre(),
        description="Щойно.",
        email="x@example.org",
    )
    kept = report_submit(category_code="waste-dump", geom=centre(), description="Анонімно.")
    Report.objects.filter(pk__in=[waiting.pk, kept.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    image = waiting.photos.get().image
    assert image.storage.exists(image.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_purge_unconfirmed.func(timestamp=0) == 1
    assert set(Report.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}
    assert not image.storage.exists(image.name)
    assert reports_unconfirmed_purge(older_than=datetime.timedelta(days=7)) == 0
