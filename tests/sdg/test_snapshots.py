"""Snapshots store the value with the change stamps and definition version it was computed
from; recomputing from the same stamps reproduces the value, and a change of the data is
detected rather than silently giving another figure."""

import pytest
from django.core.management import call_command

from sdg.models import Snapshot
from sdg.selectors import SnapshotStale, indicator_state, snapshot_reproduce
from sdg.services import snapshot_take
from sdg.tasks import sdg_snapshot_monthly
from tests.sdg.conftest import A_CENTRE, B_CENTRE, near, tree

pytestmark = pytest.mark.django_db


def test_a_snapshot_reproduces_from_the_same_stamps(settlements, indicators):
    tree(A_CENTRE, condition="hazardous")
    tree(near(A_CENTRE, 10), condition="good")
    tree(B_CENTRE, condition="good")
    indicator = indicators["15-kh-2"]

    snapshot = snapshot_take(indicator=indicator)

    assert snapshot.value == pytest.approx(100 / 3)
    assert set(snapshot.stamps) == {"trees", "settlements"}
    assert snapshot.definition_version == indicator.definition_version
    assert snapshot_reproduce(snapshot) == pytest.approx(snapshot.value)

    tree(near(B_CENTRE, 10), condition="dead")  # the registry's stamp moves
    with pytest.raises(SnapshotStale, match="trees"):
        snapshot_reproduce(snapshot)


def test_the_monthly_task_and_the_command_snapshot_every_computed_indicator(
    settlements, indicators
):
    computed = sum(1 for i in indicators.values() if i.is_computed)
    assert sdg_snapshot_monthly(timestamp=0) == computed
    call_command("sdg_snapshot", "15-kh-1", verbosity=0)
    assert Snapshot.objects.count() == computed + 1


def test_the_series_takes_the_last_snapshot_of_a_past_year(settlements, indicators):
    import datetime

    from django.utils import timezone

    tree(A_CENTRE, condition="good")
    indicator = indicators["15-kh-1"]
    last_year = timezone.now() - datetime.timedelta(days=400)
    snapshot = snapshot_take(indicator=indicator, moment=last_year)
    series = indicator_state(indicator).series
    assert [(p.year, p.origin) for p in series] == [
        (snapshot.year, "snapshot"),
        (timezone.localdate().year, "live"),
    ]
