"""Hand-worked small cases for the chart rules of improvement.md: freeze, parts, exclusions,
missing values, screening, clipping, Laney P′/U′, multiply and the JSON shape."""

from __future__ import annotations

import math

import pytest

from tvaers.spc import SpcInputError, compute
from tvaers.spc.verdict import verdict


def test_points_on_the_centre_line_are_not_useful() -> None:
    # median of 1 2 1 2 1 is 1: signs 0 + 0 + 0 → 2 useful points in one run
    r = compute([1, 2, 1, 2, 1], chart="run")
    part = r.to_json()["parts"][0]
    assert part["cl"] == 1
    assert (part["n_obs"], part["n_useful"], part["longest_run"], part["n_crossings"]) == (
        5,
        2,
        2,
        0,
    )
    # n_useful 2: max round(log2 2) + 3 = 4; min: Binom(1): P(X≤0) = 0.5 → 0
    assert (part["longest_run_max"], part["n_crossings_min"], part["runs_signal"]) == (4, 0, False)


def test_missing_values_leave_sums_and_moving_ranges() -> None:
    # CL = (1+3+7+9)/4 = 5; MRs: |3−1| = 2, (missing), (missing), |9−7| = 2 → AMR 2
    r = compute([1, 3, None, 7, 9], chart="i")
    assert r.cl[0] == pytest.approx(5)
    assert r.ucl[0] == pytest.approx(5 + 3 * 2 / 1.128)
    doc = r.to_json()
    assert doc["points"][2]["value"] is None and doc["points"][2]["sigma_signal"] is False
    assert doc["parts"][0]["n_obs"] == 5  # missing points count in n_obs
    assert doc["parts"][0]["n_useful"] == 4


def test_a_missing_numerator_leaves_the_denominator_out_of_the_p_centre_line() -> None:
    # (10 + 30) / (100 + 100) = 0.2; the 1,000 of the missing point is not in the sum
    r = compute([10, None, 30], [100, 1000, 100], chart="p")
    assert r.cl[0] == pytest.approx(0.2)


def test_screening_drops_large_moving_ranges() -> None:
    y = [10, 11, 10, 11, 10, 11, 10, 50, 10, 11]  # CL 144/10 = 14.4
    # MRs 1 1 1 1 1 1 40 40 1: AMR 87/9 = 9.667; 3.267·9.667 = 31.6 drops both 40s → AMR 1
    on = compute(y, chart="i")
    assert on.cl[0] == pytest.approx(14.4)
    assert on.ucl[0] == pytest.approx(14.4 + 3 / 1.128)
    assert on.lcl[0] == pytest.approx(14.4 - 3 / 1.128)
    off = compute(y, chart="i", screen_mr=False)
    assert off.ucl[0] == pytest.approx(14.4 + 3 * (87 / 9) / 1.128)
    assert on.sigma_signal[7] and off.sigma_signal.sum() == 1


def test_freeze_takes_the_centre_line_from_the_baseline_and_analyses_everything() -> None:
    r = compute(list(range(1, 13)), chart="run", freeze=6)
    doc = r.to_json()
    assert doc["parts"][0]["cl"] == 3.5  # median of 1..6
    assert [p["base"] for p in doc["points"]] == [True] * 6 + [False] * 6
    # signs − − − + + + + + + + + + over all 12 points: longest 9 > 7, crossings 1 < 3
    part = doc["parts"][0]
    assert (part["n_useful"], part["longest_run"], part["n_crossings"]) == (12, 9, 1)
    assert part["runs_signal"] is True


def test_parts_get_their_own_centre_line_and_freeze_is_ignored() -> None:
    y = [1, 2, 3, 4, 5, 11, 12, 13, 14, 15]
    r = compute(y, chart="i", parts=[5], freeze=2)
    doc = r.to_json()
    assert [p["part"] for p in doc["points"]] == [1] * 5 + [2] * 5
    assert [p["cl"] for p in doc["parts"]] == [3, 13]
    # each part: MRs all 1 → σ = 1/1.128; the first MR of part 2 does not span the boundary
    assert r.ucl[0] == pytest.approx(3 + 3 / 1.128)
    assert r.ucl[9] == pytest.approx(13 + 3 / 1.128)
    assert all(p["base"] for p in doc["points"])
    assert r.freeze is None


def test_excluded_points_stay_on_the_chart_but_leave_cl_and_runs() -> None:
    r = compute([1, 2, 3, 100, 4, 5], chart="run", exclude=[4])
    doc = r.to_json()
    assert doc["parts"][0]["cl"] == 3  # median of 1 2 3 4 5
    assert doc["points"][3]["value"] == 100 and doc["points"][3]["excluded"] is True
    assert doc["points"][3]["base"] is False
    # signs − − 0 + + over the non-excluded points
    assert (doc["parts"][0]["n_obs"], doc["parts"][0]["n_useful"]) == (5, 4)
    assert (doc["parts"][0]["longest_run"], doc["parts"][0]["n_crossings"]) == (2, 1)


def test_an_i_chart_moving_range_spans_an_excluded_point() -> None:
    # 50 excluded: base 2, 4, 6 → MRs |4−2| = 2, |6−4| = 2 (spanning it) → AMR 2
    r = compute([2, 4, 50, 6], chart="i", exclude=[3])
    assert r.cl[0] == pytest.approx(4)
    assert r.ucl[0] == pytest.approx(4 + 3 * 2 / 1.128)
    assert r.sigma_signal[2]  # an excluded point still signals


def test_mr_chart_includes_an_excluded_point_in_the_differences() -> None:
    # values 1 3 10 4 6 → MR − 2 7 6 2; base (point 3 excluded) MRs 2, 6, 2 → CL 10/3
    r = compute([1, 3, 10, 4, 6], chart="mr", exclude=[3])
    doc = r.to_json()
    assert [p["value"] for p in doc["points"]] == [None, 2, 7, 6, 2]
    assert doc["parts"][0]["cl"] == pytest.approx(10 / 3)
    assert r.ucl[0] == pytest.approx(3.267 * 10 / 3)
    assert r.lcl[0] == 0
    assert doc["parts"][0]["runs_signal"] is False


def test_mr_chart_is_never_screened() -> None:
    y = [10, 11, 10, 11, 10, 11, 10, 50, 10, 11]
    assert compute(y, chart="mr").cl[0] == pytest.approx(87 / 9)


def test_p_limits_are_clipped_at_0_and_1() -> None:
    # CL 38/40 = 0.95; σ = √(0.95·0.05/10) = 0.06892; UCL 1.1568 → 1; LCL 0.7432
    high = compute([9, 10, 10, 9], [10] * 4, chart="p")
    assert high.ucl[0] == 1.0
    assert high.lcl[0] == pytest.approx(0.95 - 3 * math.sqrt(0.95 * 0.05 / 10))
    # CL 0.05: LCL −0.157 → 0; UCL 0.2568
    low = compute([0, 1, 0, 1], [10] * 4, chart="p")
    assert low.lcl[0] == 0.0
    assert low.ucl[0] == pytest.approx(0.05 + 3 * math.sqrt(0.05 * 0.95 / 10))


def test_u_chart_lcl_is_floored_at_zero() -> None:
    # CL 4/40 = 0.1 per unit; σ = √(0.1/10) = 0.1; LCL 0.1 − 0.3 → 0, UCL 0.4
    r = compute([1, 1, 1, 1], [10] * 4, chart="u")
    assert r.cl[0] == pytest.approx(0.1)
    assert (r.lcl[0], r.ucl[0]) == (0.0, pytest.approx(0.4))


def test_laney_p_prime_by_hand() -> None:
    # values 0.1 0.2 0.3 0.2, CL 200/1000 = 0.2; σ_i = 0.04 (n 100) or 0.02 (n 400)
    # z = −2.5 0 2.5 0; MRs 2.5 2.5 2.5 → σ_z = 2.5/1.128 = 2.21631
    r = compute([10, 80, 30, 80], [100, 400, 100, 400], chart="pp")
    sz = 2.5 / 1.128
    assert r.cl[0] == pytest.approx(0.2)
    assert r.ucl[0] == pytest.approx(0.2 + 3 * 0.04 * sz)  # 0.465957
    assert r.lcl[0] == 0.0  # 0.2 − 0.265957 clipped
    assert r.ucl[1] == pytest.approx(0.2 + 3 * 0.02 * sz)  # 0.332979
    assert r.lcl[1] == pytest.approx(0.2 - 3 * 0.02 * sz)  # 0.067021
    assert r.ucl[1] == pytest.approx(0.332979, abs=1e-6)


def test_laney_u_prime_by_hand() -> None:
    # CL 40/400 = 0.1; σ_i = √(0.1/100) = 0.0316228; z = ∓1.58114 → σ_z = 1.58114/1.128
    r = compute([5, 10, 15, 10], [100] * 4, chart="up")
    assert r.ucl[0] == pytest.approx(0.232979, abs=1e-6)
    assert r.lcl[0] == 0.0


def test_short_series_are_computed_and_flagged() -> None:
    r = compute([3, 1, 2], chart="run")
    part = r.to_json()["parts"][0]
    assert part["n_useful"] == 2
    assert "under 10 brugbare punkter" in verdict(r).footer  # said on the chart
    assert compute([5], chart="i").to_json()["parts"][0]["n_obs"] == 1


def test_multiply_scales_values_centre_line_and_limits() -> None:
    plain = compute([10, 80, 30, 80], [100, 400, 100, 400], chart="pp").to_json()
    scaled = compute([10, 80, 30, 80], [100, 400, 100, 400], chart="pp", multiply=100).to_json()
    assert scaled["multiply"] == 100
    assert scaled["parts"][0]["cl"] == pytest.approx(20)
    for a, b in zip(plain["points"], scaled["points"], strict=True):
        assert b["value"] == pytest.approx(a["value"] * 100)
        assert b["ucl"] == pytest.approx(a["ucl"] * 100)
        assert b["y"] == a["y"] and b["n"] == a["n"]


def test_json_shape() -> None:
    doc = compute([1, 2, 3], chart="run", x=["a", "b", "c"]).to_json()
    assert list(doc) == ["chart", "multiply", "screen_mr", "points", "parts"]
    point = doc["points"][0]
    for key in ("x", "y", "n", "value", "cl", "lcl", "ucl", "part", "base", "excluded",
                "sigma_signal"):  # fmt: skip
        assert key in point
    assert point["lcl"] is None and point["ucl"] is None and point["n"] is None
    for key in ("part", "n_obs", "n_useful", "longest_run", "longest_run_max", "n_crossings",
                "n_crossings_min", "runs_signal", "cl", "sigma_signals"):  # fmt: skip
        assert key in doc["parts"][0]


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [
        ({"freeze": 4}, "--freeze 4"),
        ({"freeze": 0}, "--freeze 0"),
        ({"parts": [3]}, "--part 3"),
        ({"exclude": [1, 9]}, "--exclude 9"),
        ({"chart": "p"}, "--chart p"),
        ({"chart": "xbar"}, "--chart xbar"),
        ({"multiply": 0}, "--multiply 0"),
    ],
)
def test_bad_options_name_the_option_and_index(kwargs, option) -> None:
    with pytest.raises(SpcInputError, match=option):
        compute([1, 2, 3], **kwargs)
