"""Periods: years for every indicator; quarters and months for the admission-based ones."""

from __future__ import annotations

from .builder import Delivery, run

PREV = "preventable_admissions_65plus"


def test_quarters_and_months_of_an_admission_indicator(tmp_path):
    # Spec: "Periods: all indicators by year; the admission-based ones ... also by quarter and
    # month"; "Quarterly and monthly periods use the population on 1 January of their year";
    # export: value = numerator / denominator × factor. Four women aged 72 in 540, one acute
    # DE869 admission each (by stay start):
    d = Delivery()
    starts = {
        "q1": "2023-01-15T10:00",  # 2023-Q1, 2023-01
        "q2": "2023-03-31T10:00",  # 2023-Q1, 2023-03
        "q3": "2023-04-01T10:00",  # 2023-Q2, 2023-04
        "q4": "2023-12-31T10:00",  # 2023-Q4, 2023-12 (ends on 1 Jan 2024)
    }
    for pid, start in starts.items():
        d.person(pid, "1950-07-01")
        d.admission(pid, start, diagnosis="DE869")
    r = run(tmp_path, d)
    expected = {
        "2023": 4,
        "2023-Q1": 2,
        "2023-Q2": 1,
        "2023-Q4": 1,
        "2023-01": 1,
        "2023-03": 1,
        "2023-04": 1,
        "2023-12": 1,
    }
    for period, n in expected.items():
        assert r.numerator(PREV, "540", period=period) == n, period
        assert r.denominator(PREV, "540", period=period) == 4, period  # 1 Jan 2023 population
        assert r.value(PREV, "540", period=period) == n / 4 * 1000, period
    # 2023-Q1: 2 / 4 × 1,000 = 500 (not annualised).
    assert r.value(PREV, "540", period="2023-Q1") == 500
    # Indicators that are not admission-based come by year only.
    assert r.periods("population") == {"2023"}
    assert r.periods("chronic_prevalence") == {"2023"}
    assert r.periods("residents_65plus_per_1000") == {"2023"}
