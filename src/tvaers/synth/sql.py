"""SQL building blocks shared by the generator modules: seeded hashes, contract values.

Everything random in the generator is a pure function of (seed, a row's integer identity,
a stream number). That is what makes the output identical for a given seed no matter how
DuckDB schedules its threads, and lets each table be generated on its own, streamed
straight into its file, without keeping the others in memory.

Stream numbers: every call site passes its own constant `k`, so two decisions never share a
random number by accident. The numbers are grouped by module (see STREAMS) only so a reader
can find a collision by eye.
"""

from __future__ import annotations

from tvaers.sql import lit
from tvaers.synth.rates import HISTORY_YEARS
from tvaers.warehouse.contract import MESSAGE_EVENTS, MUNICIPAL_SERVICES, table

# Stream number ranges per module (documentation; the constants live at the call sites).
STREAMS = {
    "population": range(1, 100),
    "chronic": range(100, 200),
    "hospital": range(200, 400),
    "care": range(400, 500),
    "gp": range(500, 600),
}

# Seeded hashes on DuckDB's built-in hash() of the arguments and the seed. It is native and
# about 30 times faster than a hash written out in SQL (benchmarks/make_delivery.py does
# that; nested here it blew up the expressions). The price: the data are identical for a
# given seed *and DuckDB version*; a DuckDB upgrade may change them. Arguments are cast to
# BIGINT so a column's integer type never changes the value.
MACROS = """
CREATE OR REPLACE MACRO hh(i, j, k) AS
    hash(CAST(i AS BIGINT), CAST(j AS BIGINT), CAST(k AS BIGINT), CAST({seed} AS BIGINT));
-- 31-bit non-negative integer, for modulus use.
CREATE OR REPLACE MACRO h(i, k) AS CAST(hh(i, 0, k) % 2147483648 AS BIGINT);
CREATE OR REPLACE MACRO h2(i, j, k) AS CAST(hh(i, j, k) % 2147483648 AS BIGINT);
-- Uniform in [0, 1) (53 bits).
CREATE OR REPLACE MACRO u(i, k) AS CAST(hh(i, 0, k) >> 11 AS DOUBLE) / 9007199254740992.0;
CREATE OR REPLACE MACRO u2(i, j, k) AS CAST(hh(i, j, k) >> 11 AS DOUBLE) / 9007199254740992.0;
-- Uniform in (0, 1]: safe under ln().
CREATE OR REPLACE MACRO up(i, k) AS
    (CAST(hh(i, 0, k) >> 11 AS DOUBLE) + 1) / 9007199254740992.0;
CREATE OR REPLACE MACRO up2(i, j, k) AS
    (CAST(hh(i, j, k) >> 11 AS DOUBLE) + 1) / 9007199254740992.0;
-- Standard normal (Box-Muller) from two streams.
CREATE OR REPLACE MACRO z(i, k) AS sqrt(-2 * ln(up(i, k))) * cos(2 * pi() * u(i, (k) + 1));
CREATE OR REPLACE MACRO z2(i, j, k) AS
    sqrt(-2 * ln(up2(i, j, k))) * cos(2 * pi() * u2(i, j, (k) + 1));
-- Exponential with mean 1.
CREATE OR REPLACE MACRO ex2(i, j, k) AS -ln(up2(i, j, k));
-- Stochastic rounding: an integer whose mean is exactly x (x >= 0). Used for event counts,
-- so a rate of 0.13 admissions a year gives 0.13 admissions a year on average, not 0.
CREATE OR REPLACE MACRO sround(x, r) AS
    (floor(x) + CASE WHEN (r) < x - floor(x) THEN 1 ELSE 0 END)::BIGINT;
-- Seasonal time warp on [0, 1): density about 1 + a*cos(2*pi*t), so events cluster in
-- winter (t = 0 is 1 January). Monotone for a < 1, so slot order within a year is kept.
CREATE OR REPLACE MACRO season(t, a) AS t - (a) / (2 * pi()) * sin(2 * pi() * t);
-- Wall-clock local time that does not exist (02:00-02:59 on the last Sunday of March, when
-- Danish summer time starts) is clamped to 03:00: monotone, so end >= start is kept.
CREATE OR REPLACE MACRO no_gap(ts) AS CASE
    WHEN month(ts) = 3 AND day(ts) >= 25 AND dayofweek(ts) = 0 AND hour(ts) = 2
    THEN date_trunc('day', ts) + INTERVAL 3 HOUR ELSE ts END;
-- A date plus a (possibly fractional, non-negative) number of days: DuckDB adds only INTEGER.
CREATE OR REPLACE MACRO dadd(d, n) AS (d) + CAST(floor(n) AS INTEGER);
CREATE OR REPLACE MACRO minutes(x) AS to_minutes(CAST(round(x) AS BIGINT));
-- Move a weekend day to the Friday before (GP and outpatient contacts happen on weekdays).
CREATE OR REPLACE MACRO weekday(d) AS
    CASE dayofweek(d) WHEN 6 THEN d - 1 WHEN 0 THEN d - 2 ELSE d END;
-- The same for day offset `dn` (from jan1) of a person-year, but never before `lo` (birth).
CREATE OR REPLACE MACRO weekday_in(jan1, dn, lo) AS
    jan1 + CAST(greatest(lo, dn - [2, 0, 0, 0, 0, 0, 1][dayofweek(jan1 + CAST(dn AS INTEGER)) + 1])
                AS INTEGER);
"""


def macros(seed: int) -> str:
    return MACROS.format(seed=int(seed))


def val(table_name: str, column: str, value: str) -> str:
    """A SQL literal for an enum value, checked against the contract, so a generator never
    writes a value the contract does not know (the contract is the only place they live)."""
    values = table(table_name).column(column).values
    if value not in values:
        raise ValueError(f"{value!r} is not a value of {table_name}.{column}")
    return lit(value)


def service(value: str) -> str:
    if value not in MUNICIPAL_SERVICES:
        raise ValueError(f"{value!r} is not a municipal service")
    return lit(value)


def event(value: str) -> str:
    if value not in MESSAGE_EVENTS:
        raise ValueError(f"{value!r} is not a MedCom event")
    return lit(value)


def pick(options: list[tuple[str, float]], r: str) -> str:
    """CASE expression choosing among (sql_value, weight) by the uniform expression `r`."""
    total = sum(w for _, w in options)
    parts, cum = [], 0.0
    for value, w in options[:-1]:
        cum += w / total
        parts.append(f"WHEN {r} < {cum:.6f} THEN {value}")
    return f"(CASE {' '.join(parts)} ELSE {options[-1][0]} END)"


def code_list(codes: list[tuple[str, int]]) -> str:
    """A SQL list literal with each code repeated by its integer weight: indexing it with a
    uniform random number draws codes with those weights (cheaper than a join per row)."""
    flat = [c for c, w in codes for _ in range(w)]
    return "[" + ", ".join(lit(c) for c in flat) + "]"


def draw(codes: list[tuple[str, int]], r: str) -> str:
    """Draw one code of a weighted list with the uniform expression `r`."""
    n = sum(w for _, w in codes)
    return f"{code_list(codes)}[1 + CAST(floor(({r}) * {n}) AS INTEGER)]"


class Ctx:
    """The period being generated, as SQL literals for the builders."""

    def __init__(self, years: tuple[int, int], seed: int):
        self.y0, self.y1 = years
        self.seed = seed
        self.first_day = f"DATE '{self.y0}-01-01'"
        # extracted_at: the day after the last year. Nothing may lie after it (+1 day);
        # events at or after the cutoff are left out or left ongoing.
        self.cutoff = f"DATE '{self.y1 + 1}-01-01'"
        self.cutoff_ts = f"TIMESTAMP '{self.y1 + 1}-01-01 00:00:00'"
        self.history_from = f"DATE '{self.y0 - HISTORY_YEARS}-01-01'"
        self.n_years = self.y1 - self.y0 + 1


def muni_at(date_expr: str) -> str:
    """The municipality index (mi) a person lives in on a date (one move at most)."""
    return f"(CASE WHEN move_date IS NOT NULL AND {date_expr} >= move_date THEN mi2 ELSE mi1 END)"


def at(column: str, date_expr: str) -> str:
    """A municipal attribute of where the person lives on a date: persons carries each
    attribute for the first (…1) and second (…2) municipality, so the big streams need no
    join (a join there made DuckDB build its hash table on the wrong, huge side)."""
    return (
        f"(CASE WHEN move_date IS NOT NULL AND {date_expr} >= move_date "
        f"THEN {column}2 ELSE {column}1 END)"
    )
