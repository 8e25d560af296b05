"""Progress status as Open SDG computes it (sdg-build's ``ProgressMeasure``, after Statistics
Canada's method): the compound annual growth rate (CAGR) from the base year to the latest
year, compared with the rate needed to reach the target on time, or without a target with
fixed rates; the desired direction decides the sign.

    CAGR(a, b, t_a, t_b) = (b / a) ** (1 / (t_b - t_a)) - 1
    with a target:    R = s · d · CAGR(observed) / |CAGR(base → target by the target year)|
                      target achieved if the latest value is at or beyond the target;
                      R ≥ 0.95 substantial, 0.60 ≤ R < 0.95 moderate, 0 ≤ R < 0.60 limited
                      (insufficient), R < 0 deterioration
    without a target: v = s · d · CAGR(observed);
                      v ≥ 1.5 % substantial, 0.5 % ≤ v < 1.5 % moderate, 0 ≤ v < 0.5 %
                      limited, v < 0 deterioration

d is +1 when higher is better and -1 otherwise; s is -1 when the base value is negative. The
base year is the indicator's baseline year, or the first later year with a value; a zero
base value or target counts as 0.001 (as in sdg-build); fewer than two years, a base after the
latest year or values of opposite signs: not available.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TARGET_ACHIEVED = "target_achieved"
SUBSTANTIAL = "substantial_progress"
MODERATE = "moderate_progress"
LIMITED = "limited_progress"
DETERIORATION = "deterioration"
NOT_AVAILABLE = "not_available"

STATUS_LABELS = {
    TARGET_ACHIEVED: _("target achieved"),
    SUBSTANTIAL: _("substantial progress"),
    MODERATE: _("moderate progress"),
    LIMITED: _("insufficient progress"),
    DETERIORATION: _("deterioration"),
    NOT_AVAILABLE: _("not enough data yet"),
}
_WITH_TARGET = {"high": 0.95, "med": 0.6, "low": 0.0}
_WITHOUT_TARGET = {"high": 0.015, "med": 0.005, "low": 0.0}


@dataclass(frozen=True)
class Progress:
    status: str
    value: float | None  # R (with a target) or the signed CAGR (without)
    base_year: int | None
    current_year: int | None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _cagr(first: float, last: float, first_year: int, last_year: int) -> float:
    return (last / first) ** (1 / (last_year - first_year)) - 1


def progress_status(
    series: dict[int, float],
    *,
    base_year: int,
    direction: str,
    target: float | None = None,
    target_year: int | None = None,
) -> Progress:
    """The status of a yearly series ({year: value}); ``direction``: increase / decrease."""
    years = sorted(year for year, value in series.items() if value is not None)
    if not years:
        return Progress(NOT_AVAILABLE, None, None, None)
    current_year = years[-1]
    current = float(series[current_year])
    later = [year for year in years if year >= base_year]
    if not later:
        return Progress(NOT_AVAILABLE, None, None, current_year)
    base_year = later[0]
    base = float(series[base_year]) or 0.001
    d = 1 if direction == "increase" else -1
    if target is not None:
        target = float(target) or 0.001
        if (d == -1 and current <= target) or (d == 1 and current >= target):
            return Progress(TARGET_ACHIEVED, None, base_year, current_year)
    if current_year - base_year < 1:
        return Progress(NOT_AVAILABLE, None, base_year, current_year)
    if (base > 0 and current < 0) or (base < 0 and current > 0):
        return Progress(NOT_AVAILABLE, None, base_year, current_year)
    sign = -1 if base < 0 else 1
    observed = _cagr(base, current, base_year, current_year)
    if target is not None:
        required = _cagr(base, target, base_year, target_year or 2030)
        value = sign * d * observed / abs(required) if required else None
        thresholds = _WITH_TARGET
    else:
        value = sign * d * observed
        thresholds = _WITHOUT_TARGET
    if value is None:
        return Progress(NOT_AVAILABLE, None, base_year, current_year)
    if value >= thresholds["high"]:
        status = SUBSTANTIAL
    elif value >= thresholds["med"]:
        status = MODERATE
    elif value >= thresholds["low"]:
        status = LIMITED
    else:
        status = DETERIORATION
    return Progress(status, value, base_year, current_year)
