"""The denominator population on 1 January: residence, birth, death and age on that day."""

from __future__ import annotations

from .builder import Delivery, run

POP = "population"


def test_moves_around_1_january(tmp_path):
    # Spec: "resident in a municipality on 1 January of Y (a residence period with valid_from
    # ≤ 1 Jan < valid_to)".
    d = Delivery()
    d.person("p0", "1980-05-05", municipality="540")  # 540 all along -> 540
    d.person("p1", "1980-05-05", municipality=None)
    d.residence("p1", "540", "1980-05-05", "2023-01-01")  # valid_to = 1 Jan: not in 540 that day
    d.residence("p1", "461", "2023-01-01")  # valid_from = 1 Jan: in 461 -> 461
    d.person("p2", "1980-05-05", municipality=None)
    d.residence("p2", "540", "1980-05-05", "2023-01-02")  # still in 540 on 1 Jan -> 540
    d.residence("p2", "461", "2023-01-02")
    d.person("p3", "1980-05-05", municipality=None)
    d.residence("p3", "540", "1980-05-05", "2022-12-31")  # no residence at all on 1 Jan
    d.residence("p3", "461", "2023-01-02")  # -> not in the population, not even the country's
    r = run(tmp_path, d)
    # 540: p0 + p2 = 2; 461: p1 = 1; DK: 3.
    assert r.numerator(POP, "540") == 2
    assert r.numerator(POP, "461") == 1
    assert r.numerator(POP, "DK") == 3
    # `population` has an empty denominator and value = numerator.
    assert r.denominator(POP, "540") is None
    assert r.value(POP, "540") == 2


def test_born_on_1_january_is_not_in_that_years_population(tmp_path):
    # Spec: "alive at the start of that day (born before 1 January; no death_date, or a
    # death_date on or after 1 January)". All in 540.
    d = Delivery()
    d.person("b1", "2023-01-01")  # born on 1 Jan -> not in 2023
    d.person("b2", "2022-12-31")  # born the day before -> in, aged 0
    d.person("d1", "1940-03-03", died="2023-01-01")  # died on 1 Jan: alive at its start -> in
    d.person("d2", "1940-03-03", died="2022-12-31")  # died the day before -> not in
    d.person("p0", "1980-05-05")  # -> in
    r = run(tmp_path, d)
    # b2 + d1 + p0 = 3.
    assert r.numerator(POP, "540") == 3
    assert r.numerator(POP, "DK") == 3


def test_age_is_whole_years_on_1_january(tmp_path):
    # Spec: "Age. Whole years completed at the reference time"; the population's age is
    # "measured on that day" (1 Jan). All in 540.
    d = Delivery()
    d.person("a", "1958-01-01")  # 65 on 1 Jan 2023 (birthday) -> 65+
    d.person("b", "1958-01-02")  # 64 -> not 65+
    d.person("c", "1943-01-01")  # 80 -> 65+ and 80+
    d.person("e", "1943-01-02")  # 79 -> 65+ only
    r = run(tmp_path, d)
    # 65+: a, c, e = 3 of 4 -> 750 per 1,000; 80+: c = 1 of 4 -> 250 per 1,000.
    assert r.numerator("residents_65plus_per_1000", "540") == 3
    assert r.denominator("residents_65plus_per_1000", "540") == 4
    assert r.value("residents_65plus_per_1000", "540") == 750
    assert r.numerator("residents_80plus_per_1000", "540") == 1
    assert r.value("residents_80plus_per_1000", "540") == 250
