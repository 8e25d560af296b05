"""Response-time figures: per category and month, the median days to the first answer and
to the fix, of public reports only."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from reports.figures import response_times
from reports.models import Report
from reports.services.submit import report_submit
from tests.reports.conftest import centre, public_report

pytestmark = pytest.mark.django_db


def _timed(report, *, response_days, fix_days=None):
    created = timezone.make_aware(datetime.datetime(2026, 3, 10, 12))
    Report.objects.filter(pk=report.pk).update(
        created_at=created,
        first_response_at=created + datetime.timedelta(days=response_days),
        fixed_at=None if fix_days is None else created + datetime.timedelta(days=fix_days),
    )


def test_medians_per_category_and_month(world):
    for response_days, fix_days in ((1, 4), (2, 10), (6, None)):
        _timed(public_report(world, state="fixed"), response_days=response_days, fix_days=fix_days)
    hidden = report_submit(category_code="tree-fallen", geom=centre(), description="Ще не видно.")
    _timed(hidden, response_days=100, fix_days=100)
    (row,) = [r for r in response_times() if r["category__code"] == "tree-fallen"]
    assert row["reports"] == 3
    assert row["to_response"] == 2.0 and row["to_fix"] == 7.0  # medians of 1,2,6 and 4,10
    assert row["month"].date() == datetime.date(2026, 3, 1)
    page = Client().get("/en/reports/figures/").content.decode()
    assert "Median days" in page and "<td>2.0</td>" in page and "<td>7.0</td>" in page
