"""Danish local time → instant, in SQL arithmetic instead of a time-zone lookup per value.

A delivered date-time without an offset is Danish local time (data contract). DuckDB turns
such a value into an instant with ICU (`CAST(ts AS TIMESTAMPTZ)` under the session's time
zone), which costs about 0.25 µs per value — over two seconds of CPU per date-time column of
a 10-million-row file, most of the parsing time of a delivery. Since 1996 the Danish clock
follows one fixed EU rule, so the offset is a comparison with two instants per year:

- summer time (UTC+2) from the last Sunday of March, 03:00 local, to the last Sunday of
  October, 02:00 local (standard time);
- otherwise standard time (UTC+1).

ICU's choices for the hour that does not exist (02:00–02:59 in March) and the hour that
occurs twice (02:00–02:59 in October) are both standard time, which is what the comparison
above gives. Values outside 1996–2099 (other rules, or none known yet) and values with a
fraction of a second (the conversion below is exact only for whole seconds) are left to ICU.
`tests/warehouse/test_localtime.py` checks the arithmetic against ICU for every half hour of
1990–2100 and every minute around each change.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

FIRST_YEAR, LAST_YEAR = 1996, 2099
_HOUR_US = 3_600_000_000
_EPOCH = datetime(1970, 1, 1)


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month, 31)  # March and October both have 31 days
    return last - timedelta(days=(last.weekday() + 1) % 7)  # weekday(): Monday 0 … Sunday 6


def _wall_clock_us(day: date, hour: int) -> int:
    """Microseconds since 1970 of a wall-clock time read as if it were UTC (what DuckDB's
    epoch_us gives for a TIMESTAMP without a time zone)."""
    return (datetime.combine(day, datetime.min.time()) + timedelta(hours=hour) - _EPOCH) // (
        timedelta(microseconds=1)
    )


@cache
def _bounds_sql() -> tuple[str, str]:
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    starts = [_wall_clock_us(_last_sunday(y, 3), 3) for y in years]
    ends = [_wall_clock_us(_last_sunday(y, 10), 2) for y in years]
    return "[" + ", ".join(map(str, starts)) + "]", "[" + ", ".join(map(str, ends)) + "]"


def local_instant_sql(ts: str) -> str:
    """SQL turning the TIMESTAMP (wall clock, Danish local time) `ts` into a TIMESTAMPTZ,
    equal to `CAST(ts AS TIMESTAMPTZ)` with the session time zone Europe/Copenhagen."""
    starts, ends = _bounds_sql()
    us, i = f"epoch_us({ts})", f"(year({ts}) - {FIRST_YEAR - 1})"
    offset = f"CASE WHEN {us} >= {starts}[{i}] AND {us} < {ends}[{i}] THEN 2 ELSE 1 END"
    return (
        f"CASE WHEN year({ts}) BETWEEN {FIRST_YEAR} AND {LAST_YEAR} AND {us} % 1000000 = 0 "
        f"THEN to_timestamp(({us} - {offset} * {_HOUR_US}) / 1000000) "
        f"ELSE CAST({ts} AS TIMESTAMPTZ) END"
    )
