"""An owner fills a whole barrier-free checklist on a phone with the keyboard only — signs
in, opens the object's checklist, answers every criterion section by section (one "no" with
its note), names the responsible person and submits — and axe-core finds no serious or
critical problem on any step."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from layers.campaigns import services
from layers.models.campaigns import ChecklistSubmission, SubmissionState
from layers.registry import registry_get
from layers.rules.accessibility import Answer
from layers.services.checklist import checklist_load
from tests.editing.conftest import actors_create, published_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "owner-browser-password"
MAX_KEYS = 200  # more presses than any page here needs: a page that traps focus fails

ACTIVE = """() => {
  const el = document.activeElement;
  const group = el.name ? document.querySelectorAll(`[name="${el.name}"]:checked`).length : 0;
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
          value: el.value || '', href: el.getAttribute('href') || '', checkedInGroup: group,
          summary: el.tagName === 'SUMMARY',
          open: el.tagName === 'SUMMARY' && el.parentElement.open};
}"""


def _world():
    call_command("load_boundary", verbosity=0)  # a transactional test starts empty
    actors = actors_create()
    template = checklist_load().template
    clinic = published_create(
        registry_get("accessibility"), actors, name="Амбулаторія № 7", category="health_care"
    )
    owner = get_user_model().objects.create_user("vlasnyk", password=PASSWORD)
    services.stewardship_grant(
        user=actors.reviewer, person=owner, accessible_object=clinic, organisation="КНП"
    )
    today = timezone.localdate()
    services.campaign_open(
        user=actors.reviewer,
        year=today.year,
        template=template,
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=today + datetime.timedelta(days=30),
    )
    return clinic


def _tab_until(page, wanted, act=None) -> dict:
    """Press Tab until ``wanted(active)``; ``act(active)`` may press keys on the way."""
    for _ in range(MAX_KEYS):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if wanted(active):
            return active
        if act:
            act(active)
    raise AssertionError("the keyboard never reached what it looked for")


def _answerer(page, state: dict):
    """What to press on each control a Tab reaches in a section: the first unanswered
    criterion of the checklist gets "ні" (arrow right) and its note, every other "так"
    (space), the responsible person is typed in once."""

    def act(active):
        if active["type"] == "radio" and not active["checkedInGroup"]:
            if not state["noted"]:
                page.keyboard.press("ArrowRight")
                state["noted"] = state["note_due"] = True
            else:
                page.keyboard.press("Space")
        elif active["summary"] and state["note_due"] and not active["open"]:
            page.keyboard.press("Enter")
        elif active["tag"] == "textarea" and state["note_due"]:
            page.keyboard.type("Поріг 5 см, пандуса немає")
            state["note_due"] = False
        elif active["name"] == "filled_by" and not page.input_value("#id_filled_by"):
            page.keyboard.type("О. Коваль, завідувач господарства")

    return act


def _press_and_load(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)


def test_an_owner_fills_and_submits_a_checklist_with_the_keyboard(
    live_server, page, axe_violations, screenshot
):
    clinic = _world()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/barrier-free/")
    assert "/login/" in page.url
    _tab_until(page, lambda a: a["name"] == "username")
    page.keyboard.type("vlasnyk")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    _press_and_load(page)
    assert page.url.endswith("/barrier-free/")
    assert axe_violations() == []

    _tab_until(page, lambda a: a["tag"] == "a" and "/barrier-free/objects/" in a["href"])
    _press_and_load(page)
    _tab_until(page, lambda a: a["value"] == "start")
    _press_and_load(page)
    assert page.url.endswith("/1/")

    state = {"noted": False, "note_due": False}
    for _section in range(20):
        assert axe_violations() == []
        _tab_until(
            page,
            lambda a: a["name"] == "then" and a["value"] in ("next", "overview"),
            _answerer(page, state),
        )
        last = page.evaluate("() => document.activeElement.value") == "overview"
        screenshot("campaign-section-phone")
        _press_and_load(page)
        if last:
            break
    assert axe_violations() == []
    screenshot("campaign-overview-phone")
    _tab_until(page, lambda a: a["value"] == "submit")
    _press_and_load(page)
    assert "надіслано громаді" in page.inner_text("main")
    assert axe_violations() == []

    submission = ChecklistSubmission.objects.get(accessible_object=clinic)
    assert submission.state == SubmissionState.SUBMITTED
    answers = list(submission.answers.values())
    assert answers.count(Answer.NO) == 1 and set(answers) == {Answer.YES, Answer.NO}
    assert [e["note"] for e in submission.evidence.values()] == ["Поріг 5 см, пандуса немає"]
    assert submission.filled_by == "О. Коваль, завідувач господарства"
    assert page.console_errors == []
