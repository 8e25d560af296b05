"""An owner's checklist from the first answer to the year's assessment, through the pages:
filled section by section, submitted, returned with a comment, corrected, resubmitted and
accepted — the object's status and public rating follow, and the history holds each step."""

import datetime
import re

import pytest
from django.core import mail

from layers.campaigns.checklist import checklist_of
from layers.models.accessibility import AccessibleObject
from layers.models.campaigns import ChecklistSubmission, SubmissionState
from layers.rules.accessibility import Answer, AssessmentStatus, TrafficLight
from tests.campaigns.conftest import client_for

# Transactional: mail goes once a decision is committed, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _url(world, *rest) -> str:
    tail = "/".join(str(part) for part in rest)
    return f"/barrier-free/objects/{world.clinic.public_id}/{world.campaign.year}/{tail}"


def _uk(text: str) -> str:
    from django.utils import translation
    from django.utils.html import escape

    with translation.override("uk"):
        return escape(translation.gettext(text.replace("&#x27;", "'")))


def _fill(client, world, answer_for) -> None:
    """Answer every section on its page (``answer_for(criterion) -> answer, note``)."""
    submission = ChecklistSubmission.objects.get(accessible_object=world.clinic)
    for section in checklist_of(submission).sections:
        submission.refresh_from_db()
        data = {"version": submission.version, "then": "next", "filled_by": "О. Коваль, завгосп"}
        for state in section.criteria:
            answer, note = answer_for(state.criterion)
            data[f"answer_{state.key}"] = answer
            data[f"note_{state.key}"] = note
        response = client.post(_url(world, section.number) + "/", data)
        assert response.status_code == 302, response.content.decode()[:2000]


def _submit(client, world):
    submission = ChecklistSubmission.objects.get(accessible_object=world.clinic)
    return client.post(_url(world), {"action": "submit", "version": submission.version})


def test_fill_submit_return_correct_resubmit_accept(world):
    owner, reviewer = client_for(world.owner), client_for(world.actors.reviewer)
    before = AccessibleObject.objects.get(pk=world.clinic.pk)
    assert before.traffic_light == TrafficLight.GREEN  # from the attributes alone

    assert owner.post(_url(world), {"action": "start"}).status_code == 302
    # Half a checklist is kept: the owner goes on later.
    first = checklist_of(ChecklistSubmission.objects.get()).sections[0]
    response = owner.post(
        _url(world, 1) + "/",
        {"version": 1, "then": "stay", f"answer_{first.criteria[0].key}": "yes"},
    )
    assert response.status_code == 302
    page = owner.get(_url(world)).content.decode()
    assert "1 з 4" in page or "1 of 4" in page

    # A "no" without a note is refused at submission, with the count.
    _fill(owner, world, lambda criterion: (Answer.NO, ""))
    response = _submit(owner, world)
    assert response.status_code == 400
    assert ChecklistSubmission.objects.get().state == SubmissionState.IN_PROGRESS

    _fill(owner, world, lambda c: (Answer.NO, "Немає поручнів на пандусі"))
    assert _submit(owner, world).status_code == 302
    submission = ChecklistSubmission.objects.get()
    assert submission.state == SubmissionState.SUBMITTED
    assert any("reviewer@example.org" in m.to for m in mail.outbox)

    # Submitted: the owner can no longer change it.
    locked = owner.post(_url(world, 1) + "/", {"version": submission.version, "then": "stay"})
    assert ChecklistSubmission.objects.get().version == submission.version
    assert locked.status_code == 409

    review_url = f"/barrier-free/campaigns/{world.campaign.year}/review/{submission.pk}/"
    page = reviewer.get(review_url).content.decode()
    assert "Немає поручнів на пандусі" in page
    # Returning needs a comment; with one, it goes back to the owner, who is told.
    assert reviewer.post(review_url, {"decision": "return"}).status_code == 400
    comment = "Фото входу? Двері «Д'Арт» & пандус"
    response = reviewer.post(review_url, {"decision": "return", "comment": comment})
    assert response.status_code == 302
    assert ChecklistSubmission.objects.get().state == SubmissionState.RETURNED
    # A plain-text mail: the comment as written, not HTML-escaped (&#x27; or &amp;).
    assert any("owner@example.org" in m.to and comment in m.body for m in mail.outbox)
    assert "Фото входу?" in owner.get("/barrier-free/").content.decode()

    # Corrected: every criterion met now, resubmitted.
    _fill(owner, world, lambda c: (Answer.YES, ""))
    assert _submit(owner, world).status_code == 302
    assert ChecklistSubmission.objects.get().state == SubmissionState.SUBMITTED

    response = reviewer.post(review_url, {"decision": "accept", "comment": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    submission = ChecklistSubmission.objects.get()
    assert submission.state == SubmissionState.ACCEPTED
    assessment = submission.assessment
    assert assessment.year == world.campaign.year
    assert assessment.status == AssessmentStatus.BARRIER_FREE
    assert assessment.assessed_by == "О. Коваль, завгосп"
    assert set(assessment.answers.values_list("answer", flat=True)) == {Answer.YES}
    after = AccessibleObject.objects.get(pk=world.clinic.pk)
    assert after.traffic_light == TrafficLight.GREEN
    assert after.last_assessed_on == assessment.assessed_on
    assert after.version == before.version + 1

    # The history: every step of the checklist, and the object's change by the reviewer.
    actions = [
        event.pgh_context.metadata["action"]
        for event in submission.history.select_related("pgh_context").order_by("pgh_id")
    ]
    compact = [a for i, a in enumerate(actions) if i == 0 or actions[i - 1] != a]
    assert compact == ["start", "save", "submit", "return", "save", "submit", "accept_checklist"]
    page = reviewer.get(review_url).content.decode()
    for step in ("returned for correction", "accepted as the year&#x27;s assessment"):
        assert step in page or _uk(step) in page, step
    assert "Фото входу?" in page

    object_events = after.history.select_related("pgh_context").order_by("-pgh_id")
    latest = object_events.first()
    assert latest.pgh_context.metadata["action"] == "accept_checklist"
    assert latest.pgh_context.metadata["user"] == world.actors.reviewer.pk


def test_a_not_barrier_free_checklist_turns_the_object_red(world):
    """A critical "no" accepted: the official status decides the traffic light, although
    the attributes alone gave green."""
    owner, reviewer = client_for(world.owner), client_for(world.actors.reviewer2)
    owner.post(_url(world), {"action": "start"})
    _fill(owner, world, lambda c: (Answer.NO, "Вхід зі сходами без пандуса"))
    assert _submit(owner, world).status_code == 302
    submission = ChecklistSubmission.objects.get()
    reviewer.post(
        f"/barrier-free/campaigns/{world.campaign.year}/review/{submission.pk}/",
        {"decision": "accept"},
    )
    obj = AccessibleObject.objects.get(pk=world.clinic.pk)
    assert obj.traffic_light == TrafficLight.RED
    assert obj.assessments.get().status == AssessmentStatus.NOT_BARRIER_FREE


def test_an_all_not_applicable_checklist_cannot_be_submitted(world):
    owner = client_for(world.owner)
    owner.post(_url(world), {"action": "start"})
    _fill(owner, world, lambda c: (Answer.NOT_APPLICABLE, ""))
    response = _submit(owner, world)
    assert response.status_code == 400
    assert re.search("not applicable|не застосовується", response.content.decode())
    assert ChecklistSubmission.objects.get().state == SubmissionState.IN_PROGRESS


def test_a_stale_tab_does_not_overwrite_newer_answers(world):
    owner = client_for(world.owner)
    owner.post(_url(world), {"action": "start"})
    key = checklist_of(ChecklistSubmission.objects.get()).sections[0].criteria[0].key
    owner.post(_url(world, 1) + "/", {"version": 1, "then": "stay", f"answer_{key}": "yes"})
    stale = owner.post(_url(world, 1) + "/", {"version": 1, "then": "stay", f"answer_{key}": "no"})
    assert stale.status_code == 400
    assert ChecklistSubmission.objects.get().answers == {key: "yes"}


def test_starting_from_last_years_answers_copies_them_to_check(world):
    from layers.editing import services as editing
    from layers.models.accessibility import ChecklistCriterion
    from layers.registry import registry_get
    from layers.services.accessibility import assessment_item

    registry = registry_get("accessibility")
    criteria = ChecklistCriterion.objects.filter(
        section__template=world.template, section__object_group=world.clinic.object_group
    )
    last_year = assessment_item(
        obj=world.clinic,
        year=world.campaign.year - 1,
        template=world.template,
        answers={criterion: Answer.YES for criterion in criteria},
        assessed_on=datetime.date(world.campaign.year - 1, 7, 1),
    )
    result = editing.record_update(
        registry=registry,
        record=world.clinic,
        user=world.actors.editor,
        values={},
        parts={"assessments": [last_year]},
        base_version=world.clinic.version,
    )
    editing.change_approve(change=result.change, user=world.actors.reviewer)
    owner = client_for(world.owner)
    assert "start_from_last_year" in owner.get(_url(world)).content.decode()
    owner.post(_url(world), {"action": "start_from_last_year"})
    submission = ChecklistSubmission.objects.get()
    assert submission.answers == {str(c.pk): Answer.YES for c in criteria}
    assert submission.evidence == {}
