"""The generated population against the published figures it is calibrated to.

About 100,000 people (the whole country at scale 0.017), six years, measured on the raw
generated files with `calibration.py` — not with the indicator engine. Targets and their
sources are in docs/synthetic-data.md; the tolerances below allow for the sampling noise of
100,000 people and say how close "near the published level" has to be.
"""

from __future__ import annotations

import pytest

from tests.synth import calibration
from tvaers.synth.generate import generate

SCALE = 0.017  # × 5.96 million ≈ 101,000 people
YEARS = (2019, 2024)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    out = tmp_path_factory.mktemp("calibration") / "delivery"
    generate(
        out, region="all", scale=SCALE, years=YEARS, seed=7, fmt="parquet", person_key="person_id"
    )
    return calibration.open_delivery([out])


@pytest.fixture(scope="module")
def yearly(con):
    return [calibration.rates(con, year) for year in range(YEARS[0], YEARS[1] + 1)]


def _mean(values):
    values = list(values)
    return sum(values) / len(values)


def test_population_size_follows_the_scale(yearly):
    assert yearly[0].residents == pytest.approx(5_961_249 * SCALE, rel=0.05)
    # 65+ share: 1,195,216 of 5.87 million in 2022 ≈ 20 %
    share_65 = _mean(r.residents_65plus / r.residents for r in yearly)
    assert 0.17 <= share_65 <= 0.23


def test_admissions_near_790_000_a_year_for_the_country(yearly):
    target = 1000 * 790_000 / 5_900_000  # ≈ 134 per 1,000 residents
    assert _mean(r.admissions_per_1000 for r in yearly) == pytest.approx(target, rel=0.15)


def test_outpatient_visits_near_11_9_million_a_year(yearly):
    target = 1000 * 11_900_000 / 5_900_000  # ≈ 2,017 per 1,000 residents
    assert _mean(r.outpatient_per_1000 for r in yearly) == pytest.approx(target, rel=0.15)


def test_preventable_admissions_of_the_elderly_near_60_per_1000(yearly):
    assert _mean(r.preventable_65plus_per_1000 for r in yearly) == pytest.approx(60, rel=0.2)


def test_readmissions_of_the_elderly_between_15_and_20_percent(yearly):
    share = _mean(r.readmission_share_65plus for r in yearly[:-1])  # the last year is cut short
    assert 0.14 <= share <= 0.21


def test_chronic_prevalence_near_published_levels(con):
    p = calibration.chronic_prevalence(con, YEARS[1])
    assert 0.04 <= p["t2d"] <= 0.065
    assert 0.035 <= p["copd"] <= 0.06
    assert 0.065 <= p["asthma"] <= 0.095
