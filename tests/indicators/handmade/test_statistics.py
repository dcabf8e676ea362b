"""Statistics: direct standardisation worked by hand, standardised = crude for the country,
the Garwood interval of a rate and the Wilson interval of a percentage."""

from __future__ import annotations

from .builder import Delivery, run

PREV = "preventable_admissions_65plus"


def two_bands() -> Delivery:
    """Women only, in two age bands that nobody leaves during 2023:
    65–69 (born 1956-07-01: 66 on 1 Jan, 66–67 in 2023) and 80–84 (born 1940-07-01: 82–83).

        municipality  65–69 residents / admissions   80–84 residents / admissions
        540           4 / 1                          1 / 0
        461           1 / 0                          4 / 2
        751           2 / 1                          0 / 0
        country       7 / 2                          5 / 2      (the standard population)
    """
    d = Delivery()
    layout = {"540": (4, 1, 1, 0), "461": (1, 0, 4, 2), "751": (2, 1, 0, 0)}
    for code, (young, young_adm, old, old_adm) in layout.items():
        for i in range(young):
            pid = d.person(f"y{code}-{i}", "1956-07-01", municipality=code)
            if i < young_adm:
                d.admission(pid, "2023-05-01T10:00", diagnosis="DE869")
        for i in range(old):
            pid = d.person(f"o{code}-{i}", "1940-07-01", municipality=code)
            if i < old_adm:
                d.admission(pid, "2023-05-01T10:00", diagnosis="DE869")
    return d


def test_municipality_standardised_value_by_hand(tmp_path):
    # Spec: "direct, by sex and 5-year age band ... 65+ starting at the band 65–69. The standard
    # population is the indicator's denominator population of the whole warehouse for the same
    # year"; our decision: a unit with no denominator in a band contributes 0 for that band.
    # std = Σ_band rate_band × standard_band / Σ standard × 1,000, standard = 7 (65–69), 5 (80–84):
    #   540: (1/4 × 7 + 0/1 × 5) / 12 × 1,000 = 1.75 / 12 × 1,000 = 145.8333   (crude 1/5 = 200)
    #   461: (0/1 × 7 + 2/4 × 5) / 12 × 1,000 = 2.5 / 12 × 1,000  = 208.3333   (crude 2/5 = 400)
    #   751: (1/2 × 7 + 0     × 5) / 12 × 1,000 = 3.5 / 12 × 1,000 = 291.6667   (crude 1/2 = 500;
    #        751 has nobody aged 80–84, so that band contributes 0)
    r = run(tmp_path, two_bands())
    expected = {"540": (200, 145.8333), "461": (400, 208.3333), "751": (500, 291.6667)}
    for code, (crude, std) in expected.items():
        row = r.row(PREV, code)
        assert abs(float(row["value"]) - crude) < 1e-3, code
        assert abs(float(row["std_value"]) - std) < 1e-3, code
        assert float(row["std_ci_low"]) <= float(row["std_value"]) <= float(row["std_ci_high"])


def test_country_standardised_value_equals_crude(tmp_path):
    # Spec: "so the country's standardised value equals its crude value".
    # DK crude: 4 admissions / 12 residents 65+ × 1,000 = 333.3333;
    # std: (2/7 × 7 + 2/5 × 5) / 12 × 1,000 = 333.3333.
    r = run(tmp_path, two_bands())
    row = r.row(PREV, "DK")
    assert abs(float(row["value"]) - 333.3333) < 1e-3
    assert row["std_value"] == row["value"]
    # ... per stratum too (stratified indicators are standardised per stratum).
    strat = r.row(PREV, "DK", stratum="dehydration")
    assert strat["std_value"] == strat["value"]
    # A non-standardised indicator leaves the std columns empty.
    plain = r.row("residents_65plus_per_1000", "DK")
    assert (plain["std_value"], plain["std_ci_low"], plain["std_ci_high"]) == ("", "", "")


def test_ci_of_a_rate_is_the_garwood_interval(tmp_path):
    # Spec: "for rates (factor 1,000) the exact Poisson interval on the numerator (Garwood: χ²
    # quantiles) divided by the denominator".
    # 10 residents aged 65+ among 1,000 -> 10 per 1,000;
    # low = χ²(0.025; 2·10) / 2 = 4.7954, high = χ²(0.975; 2·11) / 2 = 18.3904 (per 1,000 of 1,000).
    d = Delivery()
    for i in range(1000):
        d.person(f"p{i}", "1950-07-01" if i < 10 else "1983-03-03", municipality="540")
    r = run(tmp_path, d)
    row = r.row("residents_65plus_per_1000", "540")
    assert (float(row["numerator"]), float(row["denominator"])) == (10, 1000)
    assert float(row["value"]) == 10
    assert abs(float(row["ci_low"]) - 4.7954) < 1e-3
    assert abs(float(row["ci_high"]) - 18.3904) < 1e-3


def test_ci_of_a_percentage_is_the_wilson_interval(tmp_path):
    # Spec: "for percentages the Wilson score interval".
    # 1 of 4 index admissions readmitted -> 25 %; z = 1.959964, p = 0.25, n = 4:
    # centre = (p + z²/2n) / (1 + z²/n) = (0.25 + 0.480182) / 1.960365 = 0.372473,
    # half = z √(p(1−p)/n + z²/4n²) / (1 + z²/n) = 1.959964 × 0.326952 / 1.960365 = 0.326886
    # -> 4.5587 % to 69.9358 %.
    d = Delivery()
    d.person("p1", "1950-07-01")  # index A, then an acute readmission B 9 days later (2 index)
    d.admission("p1", "2023-03-01T10:00", priority="planned")
    d.admission("p1", "2023-03-10T10:00", priority="acute")
    d.person("p2", "1950-07-01")  # one index admission
    d.admission("p2", "2023-03-01T10:00", priority="planned")
    d.person("p3", "1950-07-01")  # one index admission
    d.admission("p3", "2023-03-01T10:00", priority="planned")
    r = run(tmp_path, d)
    row = r.row("readmissions_30d_somatic", "540")
    assert (float(row["numerator"]), float(row["denominator"])) == (1, 4)
    assert float(row["value"]) == 25
    assert abs(float(row["ci_low"]) - 4.5587) < 1e-3
    assert abs(float(row["ci_high"]) - 69.9358) < 1e-3
