"""The residents' reports as computed SDG indicators (``reports/sdg.py``): hand-made reports,
made through the reports' services, in a hand-made hromada of a city (the remainder: a 6 km
square minus two villages) and two villages 400 m across, V1 and V2; every value worked out
by hand, for the hromada and per settlement."""

import datetime
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from reports.models import Moderation, Report, ReportCategory, ReportState
from reports.services.submit import report_submit
from sdg.compute import indicator_compute, yearly_years
from sdg.loading import indicators_load
from sdg.models import Indicator, Settlement
from sdg.services import indicator_upsert
from tests.reports.conftest import REPORTER, REPORTER_EMAIL, public_report, world_create
from tests.sdg.conftest import B_CENTRE, C_CENTRE, ORIGIN, near, square

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
MEDIAN = "16-7-kh-1"
FIXED_30 = "16-6-kh-1"


@pytest.fixture
def hromada(db):
    world = world_create()
    Settlement.objects.all().delete()
    v1, v2 = square(ORIGIN, 200, dx=2000), square(ORIGIN, 200, dx=-2000)
    city = square(ORIGIN, 3000).difference(v1).difference(v2)
    for key, geom, remainder in (("city", city, True), ("V1", v1, False), ("V2", v2, False)):
        Settlement.objects.create(
            key=key,
            name_uk=key,
            name_en=key,
            population=1000,
            geom=geom if geom.geom_type == "MultiPolygon" else MultiPolygon(geom, srid=4326),
            remainder=remainder,
            source="test",
        )
    assert Settlement.objects.get(key="city").geom[0].num_interior_rings == 2
    indicators_load()
    return world


def _moment(year: int, day: int, hours: float = 0) -> datetime.datetime:
    start = datetime.datetime(year, 1, 1, 9, 0, tzinfo=timezone.get_current_timezone())
    return start + datetime.timedelta(days=day, hours=hours)


def _report(world, point, state, *, year=YEAR, response=None, fix=None):
    """A public report made on 1 January + 10 days of ``year``, answered ``response`` days
    and fixed ``fix`` days after it was made (fractions of a day allowed)."""
    report = public_report(world, state=state, geom=point)
    made = _moment(year, 10)
    Report.objects.filter(pk=report.pk).update(
        created_at=made,
        first_response_at=None if response is None else made + datetime.timedelta(days=response),
        fixed_at=None if fix is None else made + datetime.timedelta(days=fix),
    )
    return report


def _hidden_reports(world, point):
    """A report never confirmed by its reporter (but marked published) and a confirmed one
    never published, both answered after 100 days and fixed after 1: never counted."""
    with override_settings(GEOPORTAL_REPORTS_PER_EMAIL_HOUR=1000):
        made = [
            report_submit(
                category_code="tree-fallen",
                geom=point,
                description="Не підтверджене або не опубліковане",
                name=REPORTER,
                email=REPORTER_EMAIL,
            )
            for _ in range(2)
        ]
    moment = _moment(YEAR, 10)
    times = {
        "created_at": moment,
        "first_response_at": moment + datetime.timedelta(days=100),
        "fixed_at": moment + datetime.timedelta(days=1),
    }
    Report.objects.filter(pk=made[0].pk).update(moderation=Moderation.PUBLISHED, **times)
    Report.objects.filter(pk=made[1].pk).update(state=ReportState.FIXED, **times)
    assert not Report.objects.public().filter(pk__in=[r.pk for r in made]).exists()


@pytest.fixture
def reports(hromada):
    world = hromada
    city = [near(ORIGIN, metres) for metres in (0, 50, 100, 150, 900)]
    _report(world, city[0], "fixed", response=1, fix=10)
    _report(world, city[1], "fixed", response=3, fix=40)
    _report(world, city[2], "in_progress", response=5)
    _report(world, city[3], "confirmed")  # not answered yet
    _report(world, near(B_CENTRE, 10), "fixed", response=2, fix=20)
    _report(world, near(B_CENTRE, 50), "not_responsible", response=0.5)
    # Last year: only in last year's value.
    _report(world, city[4], "fixed", year=YEAR - 1, response=50, fix=29.5)
    _hidden_reports(world, near(ORIGIN, 300))
    return world


def _areas(result) -> dict:
    return {key: figures["value"] for key, figures in result.figures.by_area.items()}


def test_the_median_days_to_the_first_answer(reports):
    result = indicator_compute(Indicator.objects.get(code=MEDIAN), year=YEAR)

    # Answered this year: 1, 3, 5 days (city), 2 and 0.5 (V1); the unanswered one is out.
    assert result.value == pytest.approx(2.0)
    # The city's median is of its own reports (those in no village), not a difference.
    assert _areas(result) == {
        "city": pytest.approx(3.0),
        "V1": pytest.approx(1.25),
        "V2": None,
    }
    assert "reports" in result.stamps
    last_year = indicator_compute(Indicator.objects.get(code=MEDIAN), year=YEAR - 1)
    assert last_year.value == pytest.approx(50.0)
    assert _areas(last_year) == {"city": pytest.approx(50.0), "V1": None, "V2": None}


def test_the_share_fixed_within_30_days(reports):
    result = indicator_compute(Indicator.objects.get(code=FIXED_30), year=YEAR)

    # Counted (not the one that is not the city's responsibility): 4 in the city, 1 in V1;
    # fixed within 30 days: 10 days (city) and 20 days (V1); 40 days is too late.
    assert result.figures.numerator == 2
    assert result.figures.denominator == 5
    assert result.value == pytest.approx(40.0)
    assert _areas(result) == {"city": pytest.approx(25.0), "V1": pytest.approx(100.0), "V2": None}
    last_year = indicator_compute(Indicator.objects.get(code=FIXED_30), year=YEAR - 1)
    assert last_year.value == pytest.approx(100.0)  # 29.5 days: within
    assert yearly_years(Indicator.objects.get(code=FIXED_30))[-2:] == [YEAR - 1, YEAR]


def test_a_filter_by_category_registry_and_within_days(reports):
    world = reports
    ramp = _report(world, near(C_CENTRE, 10), "fixed", response=0.25, fix=1)
    Report.objects.filter(pk=ramp.pk).update(
        category=ReportCategory.objects.get(code="accessibility-ramp")
    )
    indicator = Indicator.objects.get(code=MEDIAN)
    computation = {
        "numerator": {
            "aggregate": "reports_count",
            "to": "response",
            "within_days": 2,
            "categories": ["tree-fallen"],
            "registry": "trees",
        }
    }
    indicator_upsert(code=indicator.code, values={"computation": computation})
    result = indicator_compute(Indicator.objects.get(code=MEDIAN), year=YEAR)
    # Answered within 2 days among the tree-fallen reports: 1 (city), 2 and 0.5 (V1); the
    # V2 report is of another category.
    assert result.value == 3
    assert _areas(result) == {"city": 1, "V1": 2, "V2": 0}

    # Both filters hold together: no tree-fallen report is of the accessibility registry.
    computation["numerator"]["registry"] = "accessibility"
    indicator_upsert(code=indicator.code, values={"computation": computation})
    assert indicator_compute(Indicator.objects.get(code=MEDIAN), year=YEAR).value == 0
    del computation["numerator"]["categories"]
    indicator_upsert(code=indicator.code, values={"computation": computation})
    result = indicator_compute(Indicator.objects.get(code=MEDIAN), year=YEAR)
    assert result.value == 1
    assert _areas(result) == {"city": 0, "V1": 0, "V2": 1}


def test_the_dashboard_shows_them(reports):
    client = Client()
    goal = client.get("/en/sdg/goals/16/").content.decode()
    assert "Median days to the first public answer" in goal
    assert "fixed within 30 days" in goal
    for code in (MEDIAN, FIXED_30):
        page = client.get(f"/sdg/indicators/{code}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert 'id="sdg-chart"' in text and 'id="sdg-areas"' in text and 'id="sdg-map"' in text


@pytest.mark.parametrize(
    ("numerator", "extra", "message"),
    [
        (
            {"aggregate": "reports_count", "categories": ["no-such-category"]},
            {},
            "no report category",
        ),
        ({"aggregate": "reports_count", "categories": "tree-fallen"}, {}, "list of codes"),
        ({"aggregate": "reports_count", "registry": "nowhere"}, {}, "no registry"),
        ({"aggregate": "reports_count", "states": ["new"]}, {}, "not a state of a public"),
        ({"aggregate": "reports_count", "to": "answer"}, {}, '"to", if given'),
        ({"aggregate": "reports_count", "within_days": 3}, {}, 'needs a count with "to"'),
        ({"aggregate": "reports_count", "to": "fix", "within_days": -1}, {}, "number of days"),
        ({"aggregate": "reports_count", "period": "month"}, {}, "period must be"),
        ({"aggregate": "reports_count", "filter": "a = 1"}, {}, "unknown keys filter"),
        ({"aggregate": "reports_median_days"}, {}, '"to" must be "response" or "fix"'),
        ({"aggregate": "reports_median_days", "to": "fix", "within_days": 3}, {}, "unknown keys"),
        (
            {"aggregate": "reports_median_days", "to": "fix"},
            {"denominator": {"aggregate": "population"}},
            "takes no denominator",
        ),
        (
            {"aggregate": "reports_count"},
            {"denominator": {"aggregate": "reports_median_days", "to": "fix"}},
            "cannot be a denominator",
        ),
        ({"aggregate": "reports_count"}, {"breakdown": "category"}, "breakdown: not available"),
    ],
)
def test_an_invalid_reports_computation_is_refused_at_save(hromada, numerator, extra, message):
    indicator = Indicator.objects.get(code=MEDIAN)
    with pytest.raises(ValidationError) as caught:
        indicator_upsert(
            code=indicator.code, values={"computation": {"numerator": numerator, **extra}}
        )
    assert message in " ".join(caught.value.message_dict["computation"])
    indicator.refresh_from_db()
    assert indicator.computation["numerator"]["aggregate"] == "reports_median_days"


def test_sdg_and_layers_never_import_reports():
    root = Path(__file__).parents[2]
    for app in ("sdg", "layers"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "from reports" not in text and "import reports" not in text, path
