"""Response-time figures of public reports: per category and month of reporting, how many,
the median days to the first response (the first state staff set) and to the fix."""

from django.db.models import Aggregate, Count, F, FloatField, Func
from django.db.models.functions import TruncMonth

from reports.selectors import reports_public


class _Days(Func):
    """Days between two timestamps, as a fraction (``EXTRACT(EPOCH ...) / 86400``)."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0"
    arg_joiner = " - "
    output_field = FloatField()


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median, nulls left out."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def response_times() -> list[dict]:
    """Rows of month, category code and titles, count and the two medians (None when no
    report of the group had one), newest month first."""
    rows = (
        reports_public()
        .annotate(month=TruncMonth("created_at"))
        .values("month", "category__code", "category__title_uk", "category__title_en")
        .annotate(
            reports=Count("id"),
            to_response=Median(_Days(F("first_response_at"), F("created_at"))),
            to_fix=Median(_Days(F("fixed_at"), F("created_at"))),
        )
        .order_by("-month", "category__code")
    )
    return [
        {
            **row,
            "to_response": None if row["to_response"] is None else round(row["to_response"], 1),
            "to_fix": None if row["to_fix"] is None else round(row["to_fix"], 1),
        }
        for row in rows
    ]
