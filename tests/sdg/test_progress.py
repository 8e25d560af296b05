"""Progress status on series with known answers, one per status (worked out by hand with the
formulas of sdg.progress, as sdg-build computes them)."""

import pytest

from sdg.progress import progress_status


@pytest.mark.parametrize(
    ("series", "direction", "target", "status"),
    [
        # Target 20 by 2030 from 10 in 2020: the required rate is 2^(1/10) - 1 = 7.18 %.
        ({2020: 10, 2024: 21}, "increase", 20, "target_achieved"),
        # 13.5 in 2024: 1.35^(1/4) - 1 = 7.79 %, R = 1.09 ≥ 0.95.
        ({2020: 10, 2022: 12, 2024: 13.5}, "increase", 20, "substantial_progress"),
        # 13: 6.78 %, R = 0.94.
        ({2020: 10, 2024: 13}, "increase", 20, "moderate_progress"),
        # 11: 2.41 %, R = 0.34.
        ({2020: 10, 2024: 11}, "increase", 20, "limited_progress"),
        # 9: falling, R < 0.
        ({2020: 10, 2024: 9}, "increase", 20, "deterioration"),
        # Lower is better, 10 → 5 by 2030 (-6.70 % a year); 8 in 2024 is -5.43 %, R = 0.81.
        ({2020: 10, 2024: 8}, "decrease", 5, "moderate_progress"),
        # Without a target: 100 → 107 in four years is 1.71 % a year ≥ 1.5 %.
        ({2020: 100, 2024: 107}, "increase", None, "substantial_progress"),
        ({2020: 100, 2024: 103}, "increase", None, "moderate_progress"),  # 0.74 %
        ({2020: 100, 2024: 101}, "increase", None, "limited_progress"),  # 0.25 %
        ({2020: 100, 2024: 101}, "decrease", None, "deterioration"),
        ({2024: 100}, "increase", 200, "not_available"),  # one year only
    ],
)
def test_progress_status(series, direction, target, status):
    progress = progress_status(
        series, base_year=2020, direction=direction, target=target, target_year=2030
    )
    assert progress.status == status


def test_the_base_is_the_first_year_from_the_baseline_on():
    progress = progress_status({2018: 1, 2021: 10, 2024: 13}, base_year=2020, direction="increase")
    assert progress.base_year == 2021
    assert progress.value == pytest.approx(1.3 ** (1 / 3) - 1)
