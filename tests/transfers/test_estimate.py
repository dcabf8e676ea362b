"""`transfers.estimate`: the spec's volume definitions against hand-worked service periods
(tests/transfers/warehouse.py lists them; each expectation says how it was worked out)."""

from __future__ import annotations

import pytest

from tests.transfers import warehouse
from tvaers.transfers.estimate import KEYS, EstimateError, compute
from tvaers.web.scope import UnitRef


@pytest.fixture(scope="module")
def volumes(tmp_path_factory):
    db = warehouse.build(tmp_path_factory.mktemp("estimate") / "wh.duckdb")
    return compute(db, "acute_nursing", [2021, 2022, 2023])


def _row(volumes, year, level, code):
    (found,) = [
        r for r in volumes.rows if (r["year"], r["level"], r["unit_code"]) == (year, level, code)
    ]
    return found


def test_esbjerg_2022_counts_each_rule(volumes):
    row = _row(volumes, 2022, "municipality", "561")
    # Persons with a covered day in 2022: 1 (31 Dec), 3 (all year), 4 (two periods, once),
    # 5 (until her death), 6 (January) = 5.
    assert row["persons"] == 5
    # Started in 2022: 1, 4 (twice), 5, 6 = 5.
    assert row["periods_started"] == 5
    # Days: 1 → 31 Dec only = 1; 3 → 365; 4 → 1–10 Mar = 10 and May = 31; 5 → 1–15 Jun = 15
    # (no day after the death); 6 → January = 31. 1 + 365 + 41 + 15 + 31 = 453.
    assert row["service_days"] == 453
    # Hours: 1 → 7 × 1/7 = 1.0; 4 → 14 × 10/7 = 20.0; 5 → 7 × 15/7 = 15.0; the others have
    # none and are left out. 36.0 over 3 periods.
    assert row["hours"] == 36.0
    assert row["hours_covered_periods"] == 3
    # Visits of every kind in 2022 (Danish time): visit, phone, video = 3; the 31 Dec 23:30
    # UTC one is 2023 and the temporary_bed one another service.
    assert row["visits"] == 3
    assert row["suppressed"] is False
    assert list(row) == list(KEYS)


def test_esbjerg_2023_open_periods_end_at_extraction_or_death(volumes):
    row = _row(volumes, 2023, "municipality", "561")
    # 1 → 1–5 Jan = 5; 2 (open) → 1 Nov to the extraction date 15 Dec = 30 + 15 = 45;
    # 3 → 1 Jan–30 Jun = 181; 7 (open) → 1–20 Mar, the death date = 20; F5 → 10. = 261.
    assert row["service_days"] == 261
    assert row["persons"] == 5  # 1, 2, 3, 7, F5
    assert row["periods_started"] == 3  # 2, 7, F5
    # Hours: 1 → 7 × 5/7 = 5.0; 2 → 3.5 × 45/7 = 22.5. = 27.5 over 2 periods.
    assert row["hours"] == 27.5
    assert row["hours_covered_periods"] == 2
    assert row["visits"] == 1  # 00:30 on 1 January 2023, Danish time


def test_a_person_served_by_two_municipalities_counts_once_above_them(volumes):
    varde = _row(volumes, 2022, "municipality", "573")
    # Varde 2022: 6 (February, 28 days) and F1–F4 (10 days each): 5 persons, 68 days.
    assert (varde["persons"], varde["service_days"]) == (5, 68)
    for level, code in (("cluster", "syddanmark-sydvestjylland"), ("region", "1083")):
        row = _row(volumes, 2022, level, code)
        # 5 in Esbjerg + 5 in Varde, person 6 in both: 9 distinct persons.
        assert row["persons"] == 9, level
        # Days, periods, hours and visits add up: 453 + 68, 5 + 5, 36.0, 3.
        assert row["service_days"] == 521
        assert row["periods_started"] == 10
        assert row["hours"] == 36.0
        assert row["visits"] == 3
    assert _row(volumes, 2022, "country", "DK")["persons"] == 9


def test_a_person_count_of_1_to_4_hides_every_measure(volumes):
    # 2021: only person 3 (184 days, 1 Jul–31 Dec): 1 person in Esbjerg, its cluster, its
    # region and the country — every cell is primary-suppressed and shows nothing.
    rows = [r for r in volumes.rows if r["year"] == 2021]
    assert {(r["level"], r["unit_code"]) for r in rows} >= {
        ("municipality", "561"),
        ("region", "1083"),
        ("country", "DK"),
    }
    for r in rows:
        assert r["suppressed"] is True
        assert all(r[k] is None for k in ("persons", "service_days", "hours", "visits"))


def test_select_gives_the_units_asked_and_zeros_where_there_is_nothing(volumes):
    rows = volumes.select([UnitRef("municipality", "575")])  # Vejen: no periods
    assert [r["year"] for r in rows] == [2021, 2022, 2023]
    assert all(r["persons"] == 0 and not r["suppressed"] for r in rows)
    default = volumes.select()
    assert {r["level"] for r in default} == {"municipality"}


def test_default_years_end_before_the_extraction_year(tmp_path):
    db = warehouse.build(tmp_path / "wh.duckdb")
    # First start 2021 (person 3); extraction in 2023, so the last whole year is 2022.
    assert compute(db, "acute_nursing").years == [2021, 2022]


def test_a_period_after_the_extraction_year_is_cut_at_extraction(tmp_path):
    # The open period of person 2 in 2024 with an extraction on 31 March 2024 (a leap
    # year): 31 + 29 + 31 = 91 days (1 person: hidden, so read the unit's days via a
    # second run with four more people, each 1–2 Jan 2024 = 2 days).
    periods = [p for p in warehouse.PERIODS if p[0] == 2]
    periods += [
        (
            100 + i,
            "561",
            "acute_nursing",
            warehouse.date(2024, 1, 1),
            warehouse.date(2024, 1, 2),
            None,
        )
        for i in range(1, 5)
    ]
    db = warehouse.build(
        tmp_path / "wh.duckdb", extracted=warehouse.date(2024, 3, 31), periods=periods, visits=[]
    )
    row = compute(db, "acute_nursing", [2024]).select([UnitRef("municipality", "561")])[0]
    assert row["service_days"] == 91 + 4 * 2
    assert row["hours"] == 45.5  # 3.5 × 91 / 7


def test_bad_input_is_one_clear_error(tmp_path):
    with pytest.raises(EstimateError, match=r"ydelse|service"):
        compute(tmp_path / "x.duckdb", "cleaning")
    with pytest.raises(EstimateError, match=r"findes ikke|does not exist"):
        compute(tmp_path / "missing.duckdb", "acute_nursing")
    db = warehouse.build(tmp_path / "wh.duckdb", periods=[], visits=[])
    with pytest.raises(EstimateError, match=r"ingen perioder|no periods"):
        compute(db, "acute_nursing")
