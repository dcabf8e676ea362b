"""Danish local time → instant by arithmetic equals ICU's conversion, value for value."""

from __future__ import annotations

import duckdb
import pytest

from tvaers.warehouse import storage
from tvaers.warehouse.localtime import FIRST_YEAR, LAST_YEAR, local_instant_sql


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    storage.configure(c)  # Europe/Copenhagen, as every Tværs connection
    yield c
    c.close()


def _differences(con, timestamps_sql: str) -> tuple[int, list]:
    """How many wall-clock times the arithmetic converts, and those it converts
    differently from ICU (with both results)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE wall AS {timestamps_sql}")
    total = con.execute("SELECT count(*) FROM wall").fetchone()[0]
    wrong = con.execute(
        f"SELECT ts, {local_instant_sql('ts')} AS ours, CAST(ts AS TIMESTAMPTZ) AS icu "
        f"FROM wall WHERE ours IS DISTINCT FROM icu LIMIT 5"
    ).fetchall()
    return total, wrong


def test_every_half_hour_1990_to_2100_equals_icu(con):
    total, wrong = _differences(
        con,
        "SELECT range AS ts FROM range(TIMESTAMP '1990-01-01', TIMESTAMP '2101-01-01', "
        "INTERVAL 30 MINUTE)",
    )
    assert total > 1_900_000
    assert wrong == []


def test_every_minute_and_second_around_each_change_equals_icu(con):
    """The hour that does not exist in March and the hour that occurs twice in October,
    with the hours either side, for every year of the rule."""
    total, wrong = _differences(
        con,
        f"""WITH years AS (SELECT range AS y FROM range({FIRST_YEAR - 1}, {LAST_YEAR + 2})),
        sundays AS (
            SELECT make_date(y, m, 31) - CAST(dayofweek(make_date(y, m, 31)) AS INTEGER) AS d
            FROM years, (VALUES (3), (10)) AS months(m))
        SELECT CAST(d AS TIMESTAMP) + INTERVAL 1 SECOND * s AS ts
        FROM sundays, range(0, 5 * 3600) AS seconds(s)""",
    )
    assert total == (LAST_YEAR - FIRST_YEAR + 3) * 2 * 5 * 3600
    assert wrong == []


@pytest.mark.parametrize(
    "wall_clock",
    [
        "2024-03-31 02:30:00",  # does not exist: ICU reads it as standard time
        "2024-10-27 02:30:00",  # occurs twice: ICU takes standard time (the later instant)
        "2024-06-01 12:00:00.250000",  # a fraction of a second: left to ICU
        "1995-09-24 02:30:00",  # before the EU rule (summer time ended in September)
        "1984-07-01 12:00:00",
        "1850-01-01 00:00:00",  # local mean time in ICU's data
        "2100-07-01 12:00:00",  # after the years of the arithmetic
        "0001-01-01 00:00:00",
    ],
)
def test_edge_values_equal_icu(con, wall_clock):
    ours, icu = con.execute(
        f"SELECT {local_instant_sql('ts')}, CAST(ts AS TIMESTAMPTZ) "
        f"FROM (SELECT TIMESTAMP '{wall_clock}' AS ts)"
    ).fetchone()
    assert ours == icu


def test_null_stays_null(con):
    assert con.execute(f"SELECT {local_instant_sql('NULL::TIMESTAMP')}").fetchone()[0] is None
