"""The transition levels the generator is built to show (docs/synthetic-data.md,
"Transitions"), measured on the raw files of a generated delivery with
`transitions_measure.py` — written from the spec, not from the generator.

Region Syddanmark at scale 0.02 (about 26,000 people), 2019-2024. Expected levels come from
rates.py's design, worked out by hand in each test's comments; the tolerances allow for the
sampling noise of a few hundred discharges a municipality.
"""

from __future__ import annotations

from datetime import date

import pytest
from scipy.stats import chi2, spearmanr

from tests.synth import transitions_measure as tm
from tvaers.synth.generate import generate

YEARS = (2019, 2024)
EXTRACTED = date(2025, 1, 1)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("transitions") / "delivery"
    result = generate(
        out, region="syddanmark", scale=0.02, years=YEARS, seed=3, fmt="parquet",
        person_key="cpr",
    )  # fmt: skip
    con = tm.open_delivery(out)
    tm.load_notified(con)
    tm.build_followup(con, EXTRACTED)
    tm.build_uptake(con, EXTRACTED)
    tm.build_coverage(con)
    return result, con


def _heterogeneity(rows: list[tuple[str, int, float]]) -> float:
    """p-value of the chi-square test that every group (name, n, observed share) has the
    pooled share: small when the groups really differ."""
    n_all = sum(n for _, n, _ in rows)
    pooled = sum(n * share for _, n, share in rows) / n_all
    statistic = sum(n * (share - pooled) ** 2 for _, n, share in rows) / (pooled * (1 - pooled))
    return chi2.sf(statistic, len(rows) - 1)


def _by_municipality(con, table: str, column: str, where: str = "true", min_n: int = 30):
    return con.execute(
        f"""SELECT municipality, count(*), avg({column}::INTEGER) FROM {table}
        WHERE {where} GROUP BY 1 HAVING count(*) >= {min_n} ORDER BY 1"""
    ).fetchall()


def _share(con, table: str, column: str, where: str = "true") -> float:
    return con.execute(f"SELECT avg({column}::INTEGER) FROM {table} WHERE {where}").fetchone()[0]


# --- follow-up within 72 hours ------------------------------------------------------------


def test_a_clear_majority_of_home_nursing_recipients_is_followed_up(generated):
    _, con = generated
    # Design: a municipality's level is uniform on 50-86 % (mean 68 %) in 2019 and gains
    # 1-3 points a year in 3 of 4 municipalities (mean 1.5 points): over 2019-2024 (mean
    # 2.5 years after 2019) about 68 + 3.75 ≈ 72 % by the municipality; GP contacts within
    # 72 h (about 10 %) lift the total to about 72 + 28 × 0.10 ≈ 75 %.
    hn = _share(con, "followup", "followed", "grp = 'home_nursing'")
    assert 0.68 <= hn <= 0.82
    # Without home nursing (and not in a nursing home): 35 % of the level (≈ 25 %) plus
    # visits of other services and the GP: about a third, far below the recipients.
    neither = _share(con, "followup", "followed", "grp = 'neither'")
    assert 0.22 <= neither <= 0.48
    assert hn - neither >= 0.25
    # Every kind of contact contributes: the GP part alone is ordinary GP use (≈ 10 %).
    gp = _share(con, "followup", "gp")
    assert 0.05 <= gp <= 0.2


def test_follow_up_differs_between_municipalities_as_designed(generated):
    result, con = generated
    rows = _by_municipality(con, "followup", "municipal", "grp = 'home_nursing'")
    assert len(rows) >= 10
    assert _heterogeneity(rows) < 0.001
    shares = [share for _, n, share in rows if n >= 80]
    # design levels spread over 36 points; measured, with noise, at least 15 points apart
    assert max(shares) - min(shares) >= 0.15
    # Measured levels follow the designed ones (rank correlation over the municipalities).
    design = {m["code"].lstrip("0"): m["followup_level"] for m in result.municipalities}
    rho, _ = spearmanr([share for _, _, share in rows], [design[code] for code, _, _ in rows])
    assert rho >= 0.6


def test_follow_up_improves_over_the_years(generated):
    result, con = generated
    by_year = con.execute(
        """SELECT year, count(*), avg(municipal::INTEGER) FROM followup
        WHERE grp = 'home_nursing' GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    # weighted least-squares slope of the municipal level on the year
    n_all = sum(n for _, n, _ in by_year)
    y_mean = sum(y * n for y, n, _ in by_year) / n_all
    p_mean = sum(p * n for _, n, p in by_year) / n_all
    slope = sum(n * (y - y_mean) * (p - p_mean) for y, n, p in by_year) / sum(
        n * (y - y_mean) ** 2 for y, n, _ in by_year
    )
    # Design: 1.5 points a year on average (see above); at least 0.7 measured.
    assert slope >= 0.007
    # Improving municipalities improve more than the flat ones (first two years against the
    # last two, pooled over each group).
    gains = {m["code"].lstrip("0"): m["followup_gain_per_year"] > 0 for m in result.municipalities}
    change = {}
    for improving in (True, False):
        codes = ", ".join(f"'{c}'" for c, g in gains.items() if g == improving)
        early, late = (
            _share(con, "followup", "municipal",
                   f"grp = 'home_nursing' AND year IN {years} AND municipality IN ({codes})")
            for years in ((2019, 2020), (2023, 2024))
        )  # fmt: skip
        change[improving] = late - early
    # improving: 4 years × 2 points ≈ +8 points; flat: 0
    assert change[True] >= 0.04
    assert change[True] > change[False]


# --- referral uptake -----------------------------------------------------------------------


def test_referral_uptake_by_service(generated):
    _, con = generated
    uptake = dict(
        con.execute("SELECT service, avg(started::INTEGER) FROM uptake GROUP BY 1").fetchall()
    )
    # rates.UPTAKE_30D for an average municipality in 2019 (88 %, 55 %, 62 %, ...); the
    # municipal shifts (logit, sd 0.45) and gains (0.1 logit a year in 60 % of them) move
    # the average a few points, mostly up.
    assert 0.82 <= uptake["rehabilitation"] <= 0.95
    assert 0.42 <= uptake["smoking_cessation"] <= 0.68
    assert 0.50 <= uptake["patient_education"] <= 0.75
    for service in ("home_nursing", "acute_nursing", "outreach_team"):
        assert uptake[service] >= 0.9, service
    assert uptake["temporary_bed"] >= 0.99  # begins on the day of discharge
    # who referred: a hospital's referral is acted on more often than a GP's (composition
    # adds to it: GPs refer to the offers many decline)
    by_sector = dict(
        con.execute("SELECT from_sector, avg(started::INTEGER) FROM uptake GROUP BY 1").fetchall()
    )
    assert by_sector["hospital"] > by_sector["gp"] + 0.05
    # the same service, other referrer: smoking cessation from hospital vs from GP
    smoking = dict(
        con.execute(
            """SELECT from_sector, avg(started::INTEGER) FROM uptake
            WHERE service = 'smoking_cessation' GROUP BY 1"""
        ).fetchall()
    )
    assert smoking["hospital"] > smoking["gp"]


def test_referral_uptake_differs_between_municipalities(generated):
    _, con = generated
    # Services differ a lot and municipalities refer to different mixes, so compare each
    # municipality with what the region's per-service levels predict for its referrals.
    rows = con.execute(
        """WITH s AS (SELECT service, avg(started::INTEGER) AS p FROM uptake GROUP BY 1)
        SELECT municipality, sum(started::INTEGER), sum(p), sum(p * (1 - p))
        FROM uptake JOIN s USING (service) GROUP BY 1 HAVING count(*) >= 100"""
    ).fetchall()
    statistic = sum((observed - expected) ** 2 / var for _, observed, expected, var in rows)
    assert chi2.sf(statistic, len(rows) - 1) < 0.001


def test_copd_patients_get_smoking_cessation_referrals(generated):
    _, con = generated
    for year in (2020, 2024):
        copd, referred = tm.copd_smoking_referrals(con, year)
        # rates: 5 % of COPD patients a year (+0.4 % of all adults) times a municipal factor
        # with mean 1: about 5-6 % (roughly a fifth of the third who smoke)
        assert copd > 300
        assert 0.03 <= referred / copd <= 0.09, year


# --- discharge-notification coverage and hip fractures -------------------------------------


def test_most_discharges_have_a_notification_with_a_few_percent_missing(generated):
    _, con = generated
    coverage = _share(con, "coverage", "notified")
    # missing: a hospital level uniform on 1-7 % (mean 4 %) × municipal noise 0.6-1.4
    assert 0.93 <= coverage <= 0.985
    rows = _by_municipality(con, "coverage", "notified", min_n=200)
    assert _heterogeneity(rows) < 0.01
    shares = [share for _, _, share in rows]
    assert max(shares) - min(shares) >= 0.02


def test_hip_fracture_patients_discharged_to_nursing_homes(generated):
    _, con = generated
    per_year = tm.hip_fractures_to_nursing_home(con)
    total = sum(per_year.get(y, 0) for y in range(2019, 2025))
    # About 1,500 a year nationally (rates.HIP_FRACTURE_NURSING_HOME); Syddanmark holds
    # 20.5 % of the population, so at scale 0.02 about 1,500 × 0.205 × 0.02 ≈ 6 a year,
    # 37 in six years.
    assert 18 <= total <= 70
