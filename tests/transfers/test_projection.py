"""The stated projection: a least-squares line through the last three years and its 95 %
prediction interval, worked out by hand."""

from __future__ import annotations

import pytest

from tvaers.transfers.projection import project


def test_three_points_projected_with_their_prediction_interval():
    # (2021, 10), (2022, 12), (2023, 17): mean year 2022, mean 13; Sxx = 2,
    # Sxy = (−1)(−3) + 0 + (1)(4) = 7, slope 3.5. To 2026: 13 + 3.5 × 4 = 27.
    # Residuals +0.5, −1, +0.5: SSR 1.5, s = √1.5 = 1.2247 (1 degree of freedom).
    # Half-width t(0.975; 1) × s × √(1 + 1/3 + 4²/2) = 12.7062 × 1.2247 × 3.0551 = 47.54.
    found = project([(2020, 99), (2021, 10), (2022, 12), (2023, 17)], 2026)
    assert found.basis == (2021, 2022, 2023)  # the last three years only
    assert found.slope == pytest.approx(3.5)
    assert found.value == pytest.approx(27.0)
    assert found.high == pytest.approx(27 + 47.54, abs=0.01)
    assert found.low == 0.0  # cut at zero: a volume is never negative


def test_a_hidden_year_is_left_out_not_read_as_zero():
    assert project([(2021, 10), (2022, None), (2023, 17)], 2026) is None
    found = project([(2020, 8), (2021, 10), (2022, None), (2023, 17)], 2026)
    assert found.basis == (2020, 2021, 2023)
