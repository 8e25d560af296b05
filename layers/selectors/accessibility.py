"""Public reads of the accessibility registry besides the map: the city's programmes (the
"Accessible business" award and the micro-grants for adaptation) by year, and how fresh an
object's official assessment and on-site verification are.

Every read starts from ``registry_public_queryset``: only published objects, only their
public properties.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from layers.clock import current_year
from layers.models.accessibility import Assessment
from layers.registry import public_registry_get
from layers.selectors.map import property_display, record_title, record_url
from layers.selectors.ordering import in_ukrainian_order
from layers.selectors.public import registry_public_queryset

ACCESSIBILITY = "accessibility"

# The public page's two lists and the year field that puts an object on each.
PROGRAMME_FIELDS = {"award": "award_year", "microgrants": "microgrant_year"}


@dataclass(frozen=True)
class ProgrammeYear:
    """One year of a programme: the published objects it took in that year, by name."""

    year: int
    records: tuple[dict, ...]


def accessibility_programme_years(*, programme: str) -> list[ProgrammeYear]:
    """The published objects of a programme (``award`` or ``microgrants``) grouped by
    year, newest year first; each with its title, address, category and page URL."""
    field = PROGRAMME_FIELDS[programme]
    registry = public_registry_get(ACCESSIBILITY)
    rows = (
        registry_public_queryset(registry)
        .filter(**{f"{field}__isnull": False})
        .order_by(f"-{field}", in_ukrainian_order("name"), "id")
        .values("public_id", "name", "address", "category", field)
    )
    return [
        ProgrammeYear(
            year=year,
            records=tuple(
                {
                    "title": record_title(registry, row),
                    "address": row["address"],
                    "category": property_display(registry, "category", row["category"]),
                    "url": record_url(registry, row["public_id"]),
                }
                for row in group
            ),
        )
        for year, group in groupby(rows, key=lambda row: row[field])
    ]


def accessibility_latest_assessment(pk: int) -> Assessment | None:
    """The object's latest official assessment: the latest with a derived status, the one
    its rating and ``last_assessed_on`` follow (an assessment whose answers are not yet
    entered has no status and says nothing)."""
    return (
        Assessment.objects.filter(accessible_object_id=pk)
        .exclude(status="")
        .select_related("template")
        .order_by("-year", "-assessed_on")
        .first()
    )


@dataclass(frozen=True)
class Freshness:
    """When an object was last assessed officially and last verified on site."""

    current_year: int
    last_assessed_on: datetime.date | None
    assessment: Assessment | None
    verified_on: datetime.date | None

    @property
    def assessed_this_year(self) -> bool:
        return self.last_assessed_on is not None and self.last_assessed_on.year >= self.current_year

    @property
    def never_assessed(self) -> bool:
        return self.last_assessed_on is None


def accessibility_freshness(record: dict) -> Freshness:
    """The freshness of a published object from its public values (``record_public_get``)."""
    return Freshness(
        current_year=current_year(),
        last_assessed_on=record.get("last_assessed_on"),
        assessment=accessibility_latest_assessment(record["pk"]),
        verified_on=record.get("verified_on"),
    )
