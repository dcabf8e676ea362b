"""The Anhøj rules: critical values and the runs analysis on hand-worked sequences."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import numpy as np
import pytest

from tvaers.spc.runs import analyse, crossings_min, longest_run_max

# The critical values for n = 10..100 useful observations as published in qicharts2's
# documentation ("Critical values for runs and crossing"; Anhøj & Olesen 2014). Upper limit
# for the longest run: 6 for 10–11, 7 for 12–22, 8 for 23–45, 9 for 46–90, 10 for 91–100
# (also in the table "Critical values for run length in run chart" reproducing the paper).
PUBLISHED_LONGEST = {n: 6 if n <= 11 else 7 if n <= 22 else 8 if n <= 45 else 9 if n <= 90 else 10
                     for n in range(10, 101)}  # fmt: skip
# Lower limit for the number of crossings, n = 10, 11, …, 100, typed row by row.
PUBLISHED_CROSSINGS = dict(zip(range(10, 101), [
    2, 2, 3, 3, 4, 4, 4, 5, 5, 6,  # 10–19
    6, 6, 7, 7, 8, 8, 8, 9, 9, 10,  # 20–29
    10, 11, 11, 11, 12, 12, 13, 13, 14, 14,  # 30–39
    14, 15, 15, 16, 16, 17, 17, 17, 18, 18,  # 40–49
    19, 19, 20, 20, 21, 21, 21, 22, 22, 23,  # 50–59
    23, 24, 24, 25, 25, 25, 26, 26, 27, 27,  # 60–69
    28, 28, 29, 29, 29, 30, 30, 31, 31, 32,  # 70–79
    32, 33, 33, 34, 34, 34, 35, 35, 36, 36,  # 80–89
    37, 37, 38, 38, 39, 39, 39, 40, 40, 41,  # 90–99
    41,  # 100
], strict=True))  # fmt: skip

# Worked by hand from the binomial tail (n useful → n − 1 trials):
# 10: P(X≤1) = 10/512 = 0.020, P(X≤2) = 46/512 = 0.090 → 2
# 12: P(X≤2) = 67/2048 = 0.033, P(X≤3) = 232/2048 = 0.113 → 3
# 20: P(X≤5) = 16664/524288 = 0.032, P(X≤6) = 43796/524288 = 0.084 → 6
# 24: P(X≤7) = 390656/8388608 = 0.047, P(X≤8) = 0.105 → 8
# 25: P(X≤7) = 536155/16777216 = 0.032, P(X≤8) = 0.076 → 8 (the spec's example)
HAND_CROSSINGS = {10: 2, 12: 3, 20: 6, 24: 8, 25: 8}


def test_longest_run_limits_match_the_published_table() -> None:
    n = np.arange(10, 101)
    assert dict(zip(n.tolist(), longest_run_max(n).tolist(), strict=True)) == PUBLISHED_LONGEST


def test_crossing_limits_match_the_published_table() -> None:
    n = np.arange(10, 101)
    assert dict(zip(n.tolist(), crossings_min(n).tolist(), strict=True)) == PUBLISHED_CROSSINGS


def test_crossing_limits_match_hand_worked_values() -> None:
    for n, expected in HAND_CROSSINGS.items():
        assert int(crossings_min(n)) == expected, n


def _exact_crossings_min(n: int) -> int:
    # smallest x with P(X <= x) >= 1/20 in exact rational arithmetic
    cdf = Fraction(0)
    for x in range(n):
        cdf += Fraction(comb(n - 1, x), 2 ** (n - 1))
        if cdf >= Fraction(1, 20):
            return x
    raise AssertionError("the CDF reaches 1")


def test_crossing_limits_equal_the_exact_binomial_quantile_for_10_to_100() -> None:
    n = np.arange(10, 101)
    assert crossings_min(n).tolist() == [_exact_crossings_min(int(k)) for k in n]


def test_points_on_the_centre_line_neither_break_nor_extend_a_run() -> None:
    # signs: + 0 + − 0 0 − + → useful + + − − + : runs ++, −−, + → longest 2, crossings 2
    r = analyse(np.array([2, 1, 3, 0, 1, 1, -1, 5]), 1)
    assert (r.n_useful, r.longest_run, r.n_crossings) == (5, 2, 2)
    # n = 5: max round(log2 5 = 2.32) + 3 = 5; min: Binom(4): P(X≤0) = 1/16 ≥ 0.05 → 0
    assert (r.longest_run_max, r.n_crossings_min, r.signal) == (5, 0, False)


def test_missing_values_are_skipped() -> None:
    r = analyse(np.array([0, np.nan, 0, 2, np.nan, 2]), 1)
    assert (r.n_useful, r.longest_run, r.n_crossings) == (4, 2, 1)


def test_a_long_run_signals() -> None:
    # 12 useful: 3 below then 9 above; max = round(log2 12 = 3.58) + 3 = 7 < 9
    r = analyse(np.array([0] * 3 + [2] * 9), 1)
    assert (r.longest_run, r.longest_run_max, r.n_crossings, r.n_crossings_min) == (9, 7, 1, 3)
    assert r.signal


def test_too_few_crossings_signal_without_a_long_run() -> None:
    # 20 useful in runs of 5: longest 5 ≤ max 7, crossings 3 < min 6
    r = analyse(np.array(([0] * 5 + [2] * 5) * 2), 1)
    assert (r.longest_run, r.n_crossings) == (5, 3)
    assert r.signal


def test_no_useful_observations_no_signal() -> None:
    r = analyse(np.array([1, 1, np.nan]), 1)
    assert (r.n_useful, r.longest_run, r.n_crossings, r.signal) == (0, 0, 0, False)
    assert r.longest_run_max is None and r.n_crossings_min is None


@pytest.mark.parametrize("n", [1, 2, 9])
def test_short_series_are_analysed_anyway(n: int) -> None:
    r = analyse(np.arange(n, dtype=float), -1)
    assert r.n_useful == n and r.longest_run == n
