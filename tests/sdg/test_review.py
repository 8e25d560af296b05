"""An entered value goes through review: proposed by one person with the edit role of the
indicator's review registry, public only once another reviewer approves it, with history."""

import pytest
from django.contrib.auth import get_user_model

from layers.editing.errors import NotPermitted, OwnChange, WorkflowError
from layers.editing.models import Role
from layers.editing.services import role_grant
from layers.registry import registry_get
from sdg.models import EnteredValue, ValueState
from sdg.selectors import indicator_state
from sdg.services import entered_value_approve, entered_value_propose, entered_value_reject

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    User = get_user_model()
    waste = registry_get("waste-sites")
    editor = User.objects.create_user("sdg-editor", is_staff=True)
    reviewer = User.objects.create_user("sdg-reviewer", is_staff=True)
    other = User.objects.create_user("sdg-other", is_staff=True)
    role_grant(user=editor, registry=waste, role=Role.EDITOR)
    role_grant(user=reviewer, registry=waste, role=Role.REVIEWER)
    role_grant(user=reviewer, registry=waste, role=Role.EDITOR)
    role_grant(user=other, registry=registry_get("trees"), role=Role.REVIEWER)
    return editor, reviewer, other


def test_an_entered_value_is_public_only_after_another_reviewer_approves(indicators, people):
    editor, reviewer, other = people
    indicator = indicators["12-5-kh-1"]
    proposed = entered_value_propose(
        indicator=indicator, user=editor, year=2025, value=9.4, source="carriers' report 2025"
    )
    assert 2025 not in {p.year for p in indicator_state(indicator).series}

    with pytest.raises(NotPermitted):  # a reviewer of another registry
        entered_value_approve(entered=proposed, user=other)
    approved = entered_value_approve(entered=proposed, user=reviewer)
    assert approved.state == ValueState.APPROVED and approved.reviewer == reviewer
    series = {p.year: p.value for p in indicator_state(indicator).series}
    assert series[2025] == pytest.approx(9.4)
    states = list(approved.history.order_by("pgh_id").values_list("state", flat=True))
    assert states == [ValueState.PROPOSED, ValueState.APPROVED]


def test_a_reviewer_never_approves_their_own_value(indicators, people):
    _editor, reviewer, _other = people
    proposed = entered_value_propose(
        indicator=indicators["12-5-kh-1"], user=reviewer, year=2025, value=9.4, source="x"
    )
    with pytest.raises(OwnChange):
        entered_value_approve(entered=proposed, user=reviewer)
    assert EnteredValue.objects.get(pk=proposed.pk).state == ValueState.PROPOSED


def test_proposing_needs_the_edit_role_and_an_entered_indicator(indicators, people):
    _editor, _reviewer, other = people
    with pytest.raises(NotPermitted):
        entered_value_propose(
            indicator=indicators["12-5-kh-1"], user=other, year=2025, value=1, source="x"
        )
    with pytest.raises(WorkflowError):
        entered_value_propose(
            indicator=indicators["15-kh-1"], user=people[0], year=2025, value=1, source="x"
        )


def test_a_rejected_value_is_not_published_and_a_new_approval_replaces_the_old(indicators, people):
    editor, reviewer, _other = people
    indicator = indicators["12-5-kh-1"]
    first = entered_value_propose(indicator=indicator, user=editor, year=2025, value=9, source="a")
    entered_value_approve(entered=first, user=reviewer)
    wrong = entered_value_propose(indicator=indicator, user=editor, year=2025, value=90, source="b")
    entered_value_reject(entered=wrong, user=reviewer, comment="a typo")
    corrected = entered_value_propose(
        indicator=indicator, user=editor, year=2025, value=9.5, source="c"
    )
    entered_value_approve(entered=corrected, user=reviewer)
    assert {p.year: p.value for p in indicator_state(indicator).series}[2025] == 9.5
    assert EnteredValue.objects.get(pk=first.pk).state == ValueState.REJECTED
