"""An indicator's data as files: CSV in the Open SDG data layout (sdg-build reads ``Year``,
then one column per disaggregation, then ``Value``; the headline rows leave the
disaggregation columns empty) and JSON (the API's resource)."""

import csv
import io

from sdg.selectors import IndicatorState

YEAR, VALUE = "Year", "Value"
SETTLEMENT, BREAKDOWN = "Settlement", "Breakdown"


def _number(value):
    return "" if value is None else repr(round(float(value), 6))


def open_sdg_rows(state: IndicatorState) -> list[dict]:
    """Rows of the CSV: the yearly headline series, then the current year's values by
    settlement and by breakdown value (the figures computed live)."""
    rows = [
        {YEAR: point.year, SETTLEMENT: "", BREAKDOWN: "", VALUE: _number(point.value)}
        for point in state.series
    ]
    if state.current is not None:
        year = state.current.year
        for area in state.by_area:
            if area["value"] is not None:
                rows.append(
                    {
                        YEAR: year,
                        SETTLEMENT: area["name"],
                        BREAKDOWN: "",
                        VALUE: _number(area["value"]),
                    }
                )
        for key, figures in state.current.by_breakdown.items():
            if figures.value is not None:
                rows.append(
                    {
                        YEAR: year,
                        SETTLEMENT: "",
                        BREAKDOWN: state.breakdown_labels.get(key, key),
                        VALUE: _number(figures.value),
                    }
                )
    return rows


def open_sdg_csv(state: IndicatorState) -> str:
    columns = [YEAR, SETTLEMENT]
    if state.breakdown_labels:
        columns.append(BREAKDOWN)
    columns.append(VALUE)
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(open_sdg_rows(state))
    return out.getvalue()


def indicator_json(state: IndicatorState, *, url: str) -> dict:
    indicator = state.indicator
    current = state.current
    return {
        "code": indicator.code,
        "url": url,
        "goal": indicator.goal,
        "target": indicator.target,
        "title": {"uk": indicator.title_uk, "en": indicator.title_en},
        "definition": {"uk": indicator.definition_uk, "en": indicator.definition_en},
        "unit": {"uk": indicator.unit_uk, "en": indicator.unit_en},
        "responsible_body": {"uk": indicator.responsible_uk, "en": indicator.responsible_en},
        "source": {"uk": indicator.source_uk, "en": indicator.source_en},
        "method": {"uk": indicator.method_uk, "en": indicator.method_en},
        "frequency": indicator.frequency,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "baseline": {"year": indicator.baseline_year, "value": indicator.baseline_value},
        "target_value": {"year": indicator.target_year, "value": indicator.target_value},
        "definition_version": indicator.definition_version,
        "current": None
        if current is None
        else {"year": current.year, "value": current.value, "stamps": current.stamps},
        "latest": None
        if state.latest is None
        else {"year": state.latest.year, "value": state.latest.value},
        "progress": {"status": state.progress.status, "label": state.progress.label},
        "series": [
            {"year": p.year, "value": p.value, "origin": p.origin, "source": p.source}
            for p in state.series
        ],
        "by_settlement": [
            {
                "key": area["key"],
                "name": area["name"],
                "population": area["population"],
                "value": area["value"],
            }
            for area in state.by_area
        ],
        "by_breakdown": []
        if current is None
        else [
            {"value_of": key, "label": state.breakdown_labels.get(key, key), "value": figures.value}
            for key, figures in current.by_breakdown.items()
        ],
    }


def csv_filename(code: str) -> str:
    """Open SDG's name of an indicator's data file."""
    return f"indicator_{code}.csv"
