"""Reads of the SDG monitoring: an indicator's yearly series, its current value (computed live,
cached against the change stamps it reads) and the reproduction of a snapshot."""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.cache import cache

from sdg.compute import (
    Result,
    computation_stamps,
    current_year,
    indicator_compute,
    yearly_years,
)
from sdg.models import EnteredValue, Indicator, Settlement, Snapshot, ValueState
from sdg.progress import Progress, progress_status
from sdg.spec import computation_parse

CACHED_SECONDS = 24 * 3600


class SnapshotStale(Exception):
    """The data or the definition changed since the snapshot: it cannot be recomputed now."""


@dataclass
class SeriesPoint:
    year: int
    value: float
    origin: str  # "entered", "snapshot", "live", "baseline"
    source: str = ""


@dataclass
class IndicatorState:
    indicator: Indicator
    series: list[SeriesPoint]
    current: Result | None
    progress: Progress
    by_area: list[dict] = field(default_factory=list)
    breakdown_labels: dict[str, str] = field(default_factory=dict)
    areas_are_settlements: bool = False  # else the polygons of a registry (no map drawn)

    @property
    def latest(self) -> SeriesPoint | None:
        return self.series[-1] if self.series else None


def indicator_current(indicator: Indicator, *, year: int | None = None) -> Result:
    """The live value for a year, computed once per state of what it reads."""
    year = year or current_year()
    stamps = computation_stamps(computation_parse(indicator.computation))
    digest = hashlib.sha256(json.dumps(stamps, sort_keys=True).encode()).hexdigest()[:16]
    key = f"geoportal:sdg:{indicator.code}:{indicator.definition_version}:{year}:{digest}"
    result = cache.get(key)
    if result is None:
        result = indicator_compute(indicator, year=year)
        cache.set(key, result, CACHED_SECONDS)
    return result


def _computed_series(indicator: Indicator, computation, current: Result) -> list[SeriesPoint]:
    if computation.yearly:
        points = []
        for year in yearly_years(indicator):
            result = current if year == current.year else indicator_current(indicator, year=year)
            if result.value is not None:
                points.append(SeriesPoint(year, result.value, "live"))
        return points
    # The last snapshot of each past year (by the definition in force), then the live value.
    by_year: dict[int, SeriesPoint] = {}
    for snapshot in Snapshot.objects.filter(
        indicator=indicator, definition_version=indicator.definition_version
    ).order_by("taken_at"):
        if snapshot.value is not None and snapshot.year != current.year:
            by_year[snapshot.year] = SeriesPoint(snapshot.year, snapshot.value, "snapshot")
    if current.value is not None:
        by_year[current.year] = SeriesPoint(current.year, current.value, "live")
    return [by_year[year] for year in sorted(by_year)]


def _entered_series(indicator: Indicator) -> list[SeriesPoint]:
    return [
        SeriesPoint(entered.year, entered.value, "entered", entered.source)
        for entered in EnteredValue.objects.filter(
            indicator=indicator, state=ValueState.APPROVED
        ).order_by("year")
    ]


def _with_baseline(indicator: Indicator, points: list[SeriesPoint]) -> list[SeriesPoint]:
    if indicator.baseline_value is None or any(p.year == indicator.baseline_year for p in points):
        return points
    baseline = SeriesPoint(indicator.baseline_year, indicator.baseline_value, "baseline")
    return sorted([baseline, *points], key=lambda point: point.year)


def settlement_names() -> dict[str, dict]:
    return {
        s.key: {"name": s.name, "population": s.population}
        for s in Settlement.objects.only("key", "name_uk", "name_en", "population")
    }


def _registry_area_names(registry_id: str) -> dict[str, dict]:
    """The areas of a polygon registry by public id: their names (no residents known)."""
    from layers.registry import public_registry_get
    from layers.selectors.public import registry_public_queryset

    rows = registry_public_queryset(public_registry_get(registry_id)).values_list(
        "public_id", "name"
    )
    return {str(pid): {"name": name or str(pid), "population": None} for pid, name in rows}


def indicator_state(indicator: Indicator) -> IndicatorState:
    """Everything the indicator's page, its downloads and the API show."""
    current, by_area, labels, areas_are_settlements = None, [], {}, False
    if indicator.is_computed:
        computation = computation_parse(indicator.computation)
        current = indicator_current(indicator)
        points = _computed_series(indicator, computation, current)
        labels = computation.breakdown_labels()
        names = (
            settlement_names()
            if computation.areas == "settlements"
            else (_registry_area_names(computation.areas))
        )
        by_area = [
            {"key": key, **names.get(key, {"name": key, "population": None}), **figures}
            for key, figures in current.figures.by_area.items()
        ]
        by_area.sort(key=lambda row: row["name"])
        areas_are_settlements = computation.areas == "settlements"
        if computation.only_values:
            labels = {key: labels[key] for key in computation.only_values if key in labels}
    else:
        points = _entered_series(indicator)
    points = _with_baseline(indicator, points)
    progress = progress_status(
        {point.year: point.value for point in points},
        base_year=indicator.baseline_year,
        direction=indicator.direction,
        target=indicator.target_value,
        target_year=indicator.target_year,
    )
    return IndicatorState(
        indicator, points, current, progress, by_area, labels, areas_are_settlements
    )


def snapshot_reproduce(snapshot: Snapshot) -> float | None:
    """The snapshot's value computed again, when what it was computed from is unchanged: the
    same change stamps and the same definition version. SnapshotStale otherwise."""
    indicator = snapshot.indicator
    if indicator.definition_version != snapshot.definition_version:
        raise SnapshotStale("the indicator's definition changed since")
    stamps = computation_stamps(computation_parse(indicator.computation))
    if stamps != snapshot.stamps:
        changed = sorted(key for key in stamps if stamps.get(key) != snapshot.stamps.get(key))
        raise SnapshotStale(f"changed since: {', '.join(changed)}")
    return indicator_compute(indicator, year=snapshot.year).value
