"""The dashboard, the year's summary (XLSX and CSV in the checklist layout) and the
reminders, against checklists accepted through the services."""

import csv
import datetime
import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from layers.campaigns import services
from layers.campaigns.checklist import checklist_of
from layers.campaigns.reminders import campaign_reminders_send
from layers.campaigns.selectors import campaign_dashboard
from layers.models.accessibility import Assessment
from layers.models.campaigns import Campaign
from layers.rules.accessibility import Answer
from tests.campaigns.conftest import client_for

pytestmark = pytest.mark.django_db


def _accept(world, obj, owner, answer):
    submission = services.submission_start(
        user=owner, accessible_object=obj, campaign=world.campaign
    )
    keys = [c.key for c in checklist_of(submission).criteria]
    submission = services.submission_save(
        submission=submission,
        user=owner,
        base_version=submission.version,
        answers={key: answer for key in keys},
        notes={key: "Сходи без пандуса" for key in keys},
        filled_by="Відповідальна особа",
    )
    submission = services.submission_submit(
        submission=submission, user=owner, base_version=submission.version
    )
    return services.submission_accept(submission=submission, user=world.actors.reviewer)


def test_summary_equals_the_accepted_assessments(world):
    _accept(world, world.clinic, world.owner, Answer.YES)
    _accept(world, world.library, world.other_owner, Answer.NO)
    reviewer = client_for(world.actors.reviewer)
    year = world.campaign.year
    stored = {
        str(a.accessible_object.public_id): {
            f"{x.criterion.section.code}/{x.criterion.code}": x.answer
            for x in a.answers.select_related("criterion__section")
        }
        for a in Assessment.objects.filter(year=year).select_related("accessible_object")
    }
    assert len(stored) == 2

    response = reviewer.get(f"/barrier-free/campaigns/{year}/summary.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    codes, _labels, *rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    from_csv = {
        row[0]: {code: cell for code, cell in zip(codes, row, strict=True) if "/" in code and cell}
        for row in rows
    }
    assert from_csv == stored

    response = reviewer.get(f"/barrier-free/campaigns/{year}/summary.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    summary, checklists = workbook.worksheets
    counts = {row[0]: row[1:] for row in summary.iter_rows(min_row=3, values_only=True)}
    buildings = counts["будівлі та споруди"]
    assert buildings == (1, 0, 1, 2)  # barrier-free, partially, not, total
    sheet = list(checklists.iter_rows(values_only=True))
    assert list(sheet[0]) == codes and len(sheet) == 4


def test_dashboard_counts_states_and_overdue(world):
    _accept(world, world.clinic, world.owner, Answer.YES)
    services.submission_start(
        user=world.other_owner, accessible_object=world.library, campaign=world.campaign
    )
    board = campaign_dashboard(world.campaign, today=world.campaign.ends_on)
    assert board.totals["accepted"] == 1 and board.totals["in_progress"] == 1
    assert board.totals["overdue"] == 0
    late = campaign_dashboard(world.campaign, today=world.campaign.ends_on + datetime.timedelta(1))
    assert late.totals["overdue"] == 1
    owners = dict(late.by_owner())
    assert owners["Управління культури"]["overdue"] == 1
    page = client_for(world.actors.editor).get(f"/barrier-free/campaigns/{world.campaign.year}/")
    assert page.status_code == 200 and "Управління культури" in page.content.decode()


def test_reminders_go_once_before_and_once_after_the_deadline(
    world, django_capture_on_commit_callbacks
):
    campaign = world.campaign
    _accept(world, world.clinic, world.owner, Answer.YES)
    early = campaign.ends_on - datetime.timedelta(days=campaign.reminder_days + 1)
    due = campaign.ends_on - datetime.timedelta(days=campaign.reminder_days)
    with django_capture_on_commit_callbacks(execute=True):
        mail.outbox.clear()
        assert campaign_reminders_send(today=early) == 0
        assert campaign_reminders_send(today=due) == 1  # the library's owner only
        assert campaign_reminders_send(today=due) == 0
        assert campaign_reminders_send(today=campaign.ends_on + datetime.timedelta(1)) == 1
        assert campaign_reminders_send(today=campaign.ends_on + datetime.timedelta(2)) == 0
    assert [m.to for m in mail.outbox] == [["owner2@example.org"], ["owner2@example.org"]]
    assert "Бібліотека" in mail.outbox[0].body and "Амбулаторія" not in mail.outbox[0].body
    assert Campaign.objects.get().reminded_after_at is not None


def test_an_assessment_reviewed_through_the_editor_counts_too(world):
    """Not every assessment comes from an owner: staff enter some (the editor, an import);
    reviewed, they are the year's official ones, in the summary and done on the dashboard."""
    from layers.editing import services as editing
    from layers.editing.models import ChangeRequest
    from layers.models.accessibility import ChecklistCriterion
    from layers.registry import registry_get
    from layers.services.accessibility import assessment_item

    registry, library = registry_get("accessibility"), world.library
    criteria = ChecklistCriterion.objects.filter(
        section__template=world.template, section__object_group=library.object_group
    )
    item = assessment_item(
        obj=library,
        year=world.campaign.year,
        template=world.template,
        answers={criterion: Answer.NO for criterion in criteria},
    )
    result = editing.record_update(
        registry=registry,
        record=library,
        user=world.actors.editor,
        values={},
        parts={"assessments": [item]},
        base_version=library.version,
    )
    editing.change_approve(
        change=ChangeRequest.objects.get(pk=result.change.pk), user=world.actors.reviewer
    )

    board = campaign_dashboard(world.campaign, today=world.campaign.ends_on)
    assert {row.obj.pk: row.progress for row in board.rows}[library.pk] == "accepted"
    response = client_for(world.actors.reviewer).get(
        f"/barrier-free/campaigns/{world.campaign.year}/summary.csv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[2:]
    assert [row[0] for row in rows] == [str(library.public_id)]
    assert set(row for row in rows[0][7:] if row) == {Answer.NO}


def test_a_campaign_takes_its_window_from_its_template(world):
    from django.core.exceptions import ValidationError

    world.template.campaign_start, world.template.campaign_end = "05-15", "09-30"
    world.template.full_clean()
    world.template.save()
    campaign = services.campaign_open(user=world.actors.reviewer, year=2025)
    assert (campaign.starts_on, campaign.ends_on) == (
        datetime.date(2025, 5, 15),
        datetime.date(2025, 9, 30),
    )
    assert campaign.template == world.template
    for wrong in ("02-29", "13-01", "6-1", "06-31", ""):
        world.template.campaign_start = wrong
        with pytest.raises(ValidationError):
            world.template.full_clean()
    # No template in force that year: a clear refusal, nothing opened.
    with pytest.raises(ValidationError):
        services.campaign_open(user=world.actors.reviewer, year=2022)
    assert not Campaign.objects.filter(year=2022).exists()
