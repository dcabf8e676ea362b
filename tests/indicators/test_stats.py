"""The indicator engine's confidence intervals, checked against published values.

Every test in this module runs with warnings as errors: masking undefined entries (zero
denominators, missing values) must happen before the arithmetic, not after it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import gamma

from tvaers.indicators.stats import fay_feuer_ci, normal_ci, poisson_ci, wilson_ci

pytestmark = pytest.mark.filterwarnings("error")


# --- Garwood exact Poisson limits ---------------------------------------------------------

# 95 % exact limits for a Poisson count x, as tabulated in the standard tables (Garwood 1936;
# Breslow & Day 1987, vol. II; Ulm 1990, Am J Epidemiol 131:373–375), written as printed.
GARWOOD_95 = [
    (0, "0.000", "3.689"),
    (1, "0.0253", "5.572"),
    (2, "0.2422", "7.225"),
    (5, "1.623", "11.67"),
    (10, "4.795", "18.39"),
]


def _printed(value: str):
    """A printed table value, matched to half a unit in its last printed digit."""
    decimals = len(value.partition(".")[2])
    return pytest.approx(float(value), abs=0.5 * 10**-decimals)


@pytest.mark.parametrize(("x", "low", "high"), GARWOOD_95)
def test_poisson_ci_matches_published_garwood_limits(x, low, high):
    lo, hi = poisson_ci(x, 1, 1)
    assert lo == _printed(low)
    assert hi == _printed(high)


def test_poisson_ci_lower_limit_is_exactly_zero_for_zero_count():
    lo, hi = poisson_ci(0, 250, 1000)
    assert lo == 0.0
    assert hi == pytest.approx(3.689 / 250 * 1000, rel=5e-4)


def test_poisson_ci_divides_by_denominator_and_scales_by_factor():
    lo, hi = poisson_ci(10, 2000, 1000)
    assert lo == pytest.approx(4.795 / 2000 * 1000, rel=5e-4)
    assert hi == pytest.approx(18.39 / 2000 * 1000, rel=5e-4)
    lo1, hi1 = poisson_ci(10, 2000, 1)
    assert lo == pytest.approx(1000 * lo1)
    assert hi == pytest.approx(1000 * hi1)


# --- Wilson score interval ----------------------------------------------------------------

# Newcombe 1998, Statistics in Medicine 17:857–872, Table II, method 3 (score interval
# without continuity correction), worked examples (a)–(d).
NEWCOMBE_WILSON = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("x", "n", "low", "high"), NEWCOMBE_WILSON)
def test_wilson_ci_matches_newcombe_worked_examples(x, n, low, high):
    lo, hi = wilson_ci(x, n, 1)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize(("x", "n", "low", "high"), NEWCOMBE_WILSON)
def test_wilson_ci_percentage_scaling(x, n, low, high):
    lo, hi = wilson_ci(x, n, 100)
    assert lo == pytest.approx(100 * low, abs=5e-3)
    assert hi == pytest.approx(100 * high, abs=5e-3)


def test_wilson_ci_is_symmetric_and_reaches_one_at_x_equal_n():
    # The score interval for n - x is the mirror image of the one for x.
    lo, hi = wilson_ci(20, 20, 1)
    assert hi == 1.0
    assert lo == pytest.approx(1 - 0.1611, abs=5e-5)
    lo_a, hi_a = wilson_ci(81, 263, 1)
    lo_b, hi_b = wilson_ci(263 - 81, 263, 1)
    assert lo_b == pytest.approx(1 - hi_a)
    assert hi_b == pytest.approx(1 - lo_a)


def test_wilson_ci_undefined_outside_zero_to_n():
    lo, hi = wilson_ci([-1, 5, 3, 3], [4, 4, 0, np.nan], 100)
    assert np.isnan(lo).all()
    assert np.isnan(hi).all()


# --- Fay–Feuer gamma interval -------------------------------------------------------------


@pytest.mark.parametrize("x", [0, 1, 2, 5, 10, 37, 250])
@pytest.mark.parametrize("n", [1, 17, 1000, 123_456])
def test_fay_feuer_single_stratum_equals_garwood_over_n(x, n):
    # One stratum, weight 1: y = x/n, v = x/n², wm = 1/n. Fay & Feuer (1997) built the method
    # so that it reduces to the exact Poisson interval here.
    lo, hi = fay_feuer_ci(x / n, x / n**2, 1 / n, 1000)
    g_lo, g_hi = poisson_ci(x, n, 1000)
    assert lo == pytest.approx(g_lo, rel=1e-9, abs=1e-15)
    assert hi == pytest.approx(g_hi, rel=1e-9)


def _standardise(w, x, n):
    """y, v and wm for one unit, straight from the definitions (strata with n = 0 dropped)."""
    strata = [(wi, xi, ni) for wi, xi, ni in zip(w, x, n, strict=True) if ni > 0]
    y = sum(wi * xi / ni for wi, xi, ni in strata)
    v = sum(wi**2 * xi / ni**2 for wi, xi, ni in strata)
    wm = max(wi / ni for wi, _, ni in strata)
    return y, v, wm


def test_fay_feuer_hand_worked_three_strata():
    w = (0.5, 0.3, 0.2)
    x = (2, 5, 9)
    n = (1000, 2000, 4000)
    y, v, wm = _standardise(w, x, n)
    # By hand: y  = .5·2/1000 + .3·5/2000 + .2·9/4000          = 0.0022
    #          v  = .25·2/1000² + .09·5/2000² + .04·9/4000²     = 6.35e-7
    #          wm = max(.5/1000, .3/2000, .2/4000)              = 5e-4
    assert y == pytest.approx(0.0022)
    assert v == pytest.approx(6.35e-7)
    assert wm == pytest.approx(5e-4)
    # Fay & Feuer's limits are quantiles of gamma distributions matched on mean and variance:
    # lower: mean y, variance v; upper: mean y + wm, variance v + wm². Written here with the
    # shape/scale parametrisation, a different route from the chi-square form in the module.
    low = gamma.ppf(0.025, y**2 / v, scale=v / y) * 1000
    high = gamma.ppf(0.975, (y + wm) ** 2 / (v + wm**2), scale=(v + wm**2) / (y + wm)) * 1000
    lo, hi = fay_feuer_ci(y, v, wm, 1000)
    assert lo == pytest.approx(low, rel=1e-9)
    assert hi == pytest.approx(high, rel=1e-9)
    assert lo < 2.2 < hi


def test_fay_feuer_zero_events_gives_zero_lower_limit():
    w, n = (0.6, 0.4), (500, 2000)
    y, v, wm = _standardise(w, (0, 0), n)
    lo, hi = fay_feuer_ci(y, v, wm, 1000)
    assert lo == 0.0
    # With no events the upper limit is the x = 0 Garwood limit scaled by wm.
    assert hi == pytest.approx(3.689 * wm * 1000, rel=5e-4)


def test_fay_feuer_undefined_inputs():
    lo, hi = fay_feuer_ci(
        [np.nan, 0.001, 0.001, 0.0, -0.1, 0.001],
        [1e-7, 0.0, 1e-7, 1e-7, 1e-7, None],
        [1e-3, 1e-3, 0.0, 1e-3, 1e-3, 1e-3],
        1000,
    )
    assert np.isnan(lo).all()
    assert np.isnan(hi).all()


# --- normal approximation -----------------------------------------------------------------


def test_normal_ci_hand_worked():
    # y = 0.30, v = 0.0004 -> 0.30 ± 1.959964·0.02
    lo, hi = normal_ci(0.30, 0.0004, 100)
    assert lo == pytest.approx((0.30 - 1.959964 * 0.02) * 100, abs=1e-5)
    assert hi == pytest.approx((0.30 + 1.959964 * 0.02) * 100, abs=1e-5)


def test_normal_ci_clips_to_unit_interval_before_scaling():
    lo, hi = normal_ci([0.01, 0.99], [0.01, 0.01], 100)
    np.testing.assert_allclose(lo, [0.0, (0.99 - 1.959964 * 0.1) * 100], atol=1e-4)
    np.testing.assert_allclose(hi, [(0.01 + 1.959964 * 0.1) * 100, 100.0], atol=1e-4)


def test_normal_ci_undefined_inputs():
    lo, hi = normal_ci([np.nan, 0.5, 1.2, 0.5], [0.01, -0.01, 0.01, None], 100)
    assert np.isnan(lo).all()
    assert np.isnan(hi).all()


# --- vectorisation, NaN handling, level ---------------------------------------------------


@pytest.mark.parametrize("ci", [poisson_ci, wilson_ci])
def test_vectorised_mixed_counts_match_elementwise_calls(ci):
    x = np.array([0, 3, 0, 12, 7, 5, 2])
    n = np.array([40, 40, 0, 90, 0, np.nan, 40])
    lo, hi = ci(x, n, 100)
    assert lo.shape == hi.shape == (7,)
    assert lo.dtype == hi.dtype == np.float64
    undefined = (n == 0) | np.isnan(n)
    assert np.isnan(lo[undefined]).all()
    assert np.isnan(hi[undefined]).all()
    assert not np.isnan(lo[~undefined]).any()
    for i in np.flatnonzero(~undefined):
        lo_i, hi_i = ci(int(x[i]), float(n[i]), 100)
        assert lo[i] == pytest.approx(float(lo_i))
        assert hi[i] == pytest.approx(float(hi_i))


def test_none_in_lists_is_missing():
    lo, hi = poisson_ci([1, None, 4], [10, 10, None], 1000)
    assert np.isnan(lo[1:]).all()
    assert np.isnan(hi[1:]).all()
    assert lo[0] == pytest.approx(2.53, rel=5e-3)
    lo, hi = poisson_ci(None, 10, 1000)
    assert np.isnan(lo) and np.isnan(hi)


def test_broadcasting_and_scalar_results():
    lo, hi = poisson_ci(np.arange(6).reshape(2, 3), [[100], [200]], 1000)
    assert lo.shape == hi.shape == (2, 3)
    lo, hi = wilson_ci(3, 10, 100)
    assert isinstance(lo, np.ndarray) and lo.shape == ()


def test_factor_may_be_an_array():
    lo, hi = poisson_ci([5, 5], [100, 100], [1000, 100])
    assert lo[0] == pytest.approx(10 * lo[1])
    assert hi[0] == pytest.approx(10 * hi[1])


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.1])
def test_level_outside_zero_one_is_rejected(level):
    for call in (
        lambda: poisson_ci(1, 10, 1, level),
        lambda: wilson_ci(1, 10, 1, level),
        lambda: fay_feuer_ci(0.1, 0.01, 0.1, 1, level),
        lambda: normal_ci(0.1, 0.01, 1, level),
    ):
        with pytest.raises(ValueError, match="level"):
            call()


# --- properties ---------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=100_000)
levels = st.lists(st.floats(min_value=0.5, max_value=0.999), min_size=2, max_size=2).map(sorted)


@given(x=counts, n=st.integers(min_value=1, max_value=10_000_000), level=levels)
def test_poisson_ci_contains_rate_and_widens_with_level(x, n, level):
    value = x / n * 1000
    lo1, hi1 = poisson_ci(x, n, 1000, level[0])
    lo2, hi2 = poisson_ci(x, n, 1000, level[1])
    assert lo2 <= lo1 * (1 + 1e-12) and lo1 <= value <= hi1 <= hi2 * (1 + 1e-12)


@given(data=st.data(), n=st.integers(min_value=1, max_value=1_000_000), level=levels)
def test_wilson_ci_contains_proportion_and_widens_with_level(data, n, level):
    x = data.draw(st.integers(min_value=0, max_value=n))
    value = x / n * 100
    lo1, hi1 = wilson_ci(x, n, 100, level[0])
    lo2, hi2 = wilson_ci(x, n, 100, level[1])
    assert lo2 <= lo1 + 1e-9 and lo1 <= value + 1e-9 and value <= hi1 + 1e-9
    assert hi1 <= hi2 + 1e-9


stratum = st.tuples(
    st.floats(min_value=0.01, max_value=1.0),  # unnormalised standard weight
    st.integers(min_value=0, max_value=500),  # count
    st.integers(min_value=1, max_value=100_000),  # persons
)


@given(strata=st.lists(stratum, min_size=1, max_size=36), level=levels)
def test_fay_feuer_contains_standardised_rate_and_widens_with_level(strata, level):
    total = sum(s[0] for s in strata)
    w = [s[0] / total for s in strata]
    y, v, wm = _standardise(w, [s[1] for s in strata], [s[2] for s in strata])
    lo1, hi1 = fay_feuer_ci(y, v, wm, 1000, level[0])
    lo2, hi2 = fay_feuer_ci(y, v, wm, 1000, level[1])
    value = y * 1000
    assert all(math.isfinite(float(b)) for b in (lo1, hi1, lo2, hi2))
    assert lo2 <= lo1 * (1 + 1e-9) and lo1 <= value * (1 + 1e-12)
    assert value <= hi1 <= hi2 * (1 + 1e-9)
