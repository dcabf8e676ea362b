"""The few spellings in which DuckDB and Spark SQL differ.

The indicator logic is written once, as SQL in the subset both engines understand (CTEs,
window functions, CASE, make_date, year/quarter/month/dayofmonth, lpad, concat_ws). Only
the expressions below are spelled per engine; everything else is shared text.
"""

from __future__ import annotations

from dataclasses import dataclass

from tvaers.sql import text_list


@dataclass(frozen=True)
class Dialect:
    name: str

    def epoch(self, ts: str) -> str:
        """Seconds since 1970 of a timestamp (an instant, so time zones do not matter)."""
        if self.name == "spark":
            return f"CAST(unix_timestamp({ts}) AS DOUBLE)"
        return f"epoch({ts})"

    def timestamp(self, seconds: str) -> str:
        """The instant `seconds` after 1970 (the inverse of `epoch`)."""
        if self.name == "spark":
            return f"timestamp_seconds({seconds})"
        return f"to_timestamp({seconds})"

    def ordered(self, *keys: str) -> str:
        """A composite sort key for min_by/max_by (compared field by field)."""
        if self.name == "spark":
            return f"struct({', '.join(keys)})"
        return f"row({', '.join(keys)})"

    def midnight(self, day: str) -> str:
        """Seconds since 1970 of 00:00 Danish time on the date `day` (both engines run in
        the session time zone Europe/Copenhagen)."""
        if self.name == "spark":
            return f"CAST(unix_timestamp(CAST({day} AS TIMESTAMP)) AS DOUBLE)"
        return f"epoch(CAST({day} AS TIMESTAMPTZ))"

    def joined(self, text: str, key: str) -> str:
        """Aggregate: the values of `text` joined by ',' in the order of `key`."""
        if self.name == "spark":
            return (
                f"array_join(transform(array_sort(collect_list(named_struct('k', {key}, "
                f"'v', {text}))), x -> x.v), ',')"
            )
        return f"string_agg({text}, ',' ORDER BY {key})"

    def days_between(self, first: str, last: str) -> str:
        """Whole days from the date `first` to the date `last`."""
        if self.name == "spark":
            return f"datediff({last}, {first})"
        return f"date_diff('day', {first}, {last})"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")


def local_date(ts: str) -> str:
    """The calendar date of a timestamp in Danish local time: both engines run with the
    session time zone Europe/Copenhagen, so a cast is enough."""
    return f"CAST({ts} AS DATE)"


def age(birth: str, on: str) -> str:
    """Whole years completed on the date `on` (someone born on 29 February completes a year
    on 1 March in a common year)."""
    return (
        f"(year({on}) - year({birth}) - CASE WHEN month({on}) * 100 + dayofmonth({on}) "
        f"< month({birth}) * 100 + dayofmonth({birth}) THEN 1 ELSE 0 END)"
    )


def band(age_expr: str) -> str:
    """Lower bound of the 5-year age band (0, 5, …, 85, and 90 for 90+)."""
    return f"CASE WHEN {age_expr} >= 90 THEN 90 ELSE CAST(floor({age_expr} / 5) AS INT) * 5 END"


def has_prefix(column: str, prefixes: tuple[str, ...] | list[str]) -> str:
    """True when `column` starts with one of the code prefixes (`DJ44` matches `DJ441`):
    one IN test per prefix length, so the whole list costs a handful of comparisons."""
    by_length: dict[int, list[str]] = {}
    for p in prefixes:
        by_length.setdefault(len(p), []).append(p)
    tests = [
        f"substr({column}, 1, {n}) IN ({text_list(sorted(ps))})"
        for n, ps in sorted(by_length.items())
    ]
    return "(" + " OR ".join(tests) + ")" if tests else "FALSE"
