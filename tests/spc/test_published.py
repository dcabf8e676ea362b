"""Charts against published worked examples (Montgomery, Introduction to Statistical Quality
Control, 6th ed.; the same examples qicharts2 tests against). Data and expected centre lines
and limits are typed from the book; the spec's JSON example (improvement.md) is Table 7.4."""

from __future__ import annotations

import pytest

from tvaers.spc import compute

# Example 6.5: cost of processing mortgage loan applications, 20 weeks.
# Published: x̄ = 300.5, MR̄ = 7.79, I chart UCL 321.22 / LCL 279.78, MR chart UCL 25.45.
COST = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306,
        294, 299, 297, 299, 314, 295, 293, 306, 301, 304]  # fmt: skip

# Example 7.3 (Table 7.7): nonconformities in 26 samples of 100 printed circuit boards.
# Published: c̄ = 19.85, UCL 33.22, LCL 6.48; samples 6 and 20 outside. Revised after
# excluding them (assignable causes): c̄ = 19.67, UCL 32.97, LCL 6.36.
CIRCUIT = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16,
           19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15]  # fmt: skip

# Table 7.4: nonconforming purchase orders, 25 days, variable sample sizes.
# Published: p̄ = 234 / 2450 = 0.096; for n = 100 LCL 0.008, UCL 0.184 (the spec's
# example: cl 0.0955, lcl 0.0073, ucl 0.1837, 1 sigma signal, n_useful 25, longest run 5,
# max 8, crossings 10, min 8).
ORDERS_D = [12, 8, 6, 9, 10, 12, 11, 16, 10, 6, 20, 15, 9, 8, 6, 8, 10, 7, 5, 8, 5, 8, 10, 6, 9]
ORDERS_N = [100, 80, 80, 100, 110, 110, 100, 100, 90, 90, 110, 120, 120,
            120, 110, 80, 80, 80, 90, 100, 100, 100, 100, 90, 90]  # fmt: skip


def test_example_6_5_individuals_chart() -> None:
    r = compute(COST, chart="i")
    assert r.cl[0] == pytest.approx(300.5)
    assert r.ucl[0] == pytest.approx(321.22, abs=0.01)
    assert r.lcl[0] == pytest.approx(279.78, abs=0.01)
    assert not r.sigma_signal.any()  # "the process is in statistical control"


def test_example_6_5_moving_range_chart() -> None:
    r = compute(COST, chart="mr")
    assert r.cl[0] == pytest.approx(7.79, abs=0.005)
    assert r.ucl[0] == pytest.approx(25.45, abs=0.01)
    assert r.lcl[0] == 0
    assert r.to_json()["points"][0]["value"] is None  # the first point has no moving range
    assert r.latest.runs.signal is False


def test_example_7_3_c_chart_and_its_revision() -> None:
    r = compute(CIRCUIT, chart="c")
    # the book rounds c̄ to 19.85 before taking 3·√c̄ (exactly: 33.211 and 6.481)
    assert r.cl[0] == pytest.approx(19.85, abs=0.005)
    assert r.ucl[0] == pytest.approx(33.22, abs=0.015)
    assert r.lcl[0] == pytest.approx(6.48, abs=0.015)
    assert [i + 1 for i in r.sigma_signal.nonzero()[0]] == [6, 20]

    revised = compute(CIRCUIT, chart="c", exclude=[6, 20])
    assert revised.cl[0] == pytest.approx(19.67, abs=0.005)
    assert revised.ucl[0] == pytest.approx(32.97, abs=0.005)
    assert revised.lcl[0] == pytest.approx(6.36, abs=0.005)
    # excluded points still signal (evaluated for every point) but leave the runs analysis
    assert revised.sigma_signal[5] and revised.sigma_signal[19]
    assert revised.latest.n_obs == 24


def test_table_7_4_p_chart_with_varying_sample_sizes() -> None:
    r = compute(ORDERS_D, ORDERS_N, chart="p", x=[f"2024-{i:02d}" for i in range(1, 26)])
    doc = r.to_json()
    first = doc["points"][0]
    assert first["value"] == pytest.approx(0.12)
    assert first["cl"] == pytest.approx(0.0955, abs=5e-5)
    assert first["lcl"] == pytest.approx(0.0073, abs=5e-5)
    assert first["ucl"] == pytest.approx(0.1837, abs=5e-5)
    # n = 80: 0.0955 ± 3·√(0.0955·0.9045/80) = 0.0955 ± 0.0986 → LCL clipped at 0
    assert doc["points"][1]["lcl"] == 0
    assert doc["points"][1]["ucl"] == pytest.approx(0.1941, abs=5e-5)
    # sample 11: 20/110 = 0.1818 > 0.0955 + 3·√(0.0955·0.9045/110) = 0.1798
    assert [p["sigma_signal"] for p in doc["points"]].index(True) == 10
    assert doc["parts"] == [
        {
            "part": 1,
            "n_obs": 25,
            "n_useful": 25,
            "longest_run": 5,
            "longest_run_max": 8,
            "n_crossings": 10,
            "n_crossings_min": 8,
            "runs_signal": False,
            "cl": pytest.approx(0.0955, abs=5e-5),
            "sigma_signals": 1,
        }
    ]
