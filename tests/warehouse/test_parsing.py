"""The two-level date-time parse (wall clock, then arithmetic) equals the one-level rule on
every text: the quick route may only be quicker, never give another value."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tvaers.warehouse import storage
from tvaers.warehouse.contract import Column
from tvaers.warehouse.staging import (
    DATE_RE,
    DATETIME_RE,
    LOCAL_DATETIME_RE,
    parse_levels,
    parse_sql,
)

KINDS = [Column("at", "datetime"), Column("at", "datetime_or_date")]

EDGES = [
    "2024-03-31T02:30",  # the hour that does not exist
    "2024-10-27 02:30",  # the hour that occurs twice
    "2024-10-27T01:59:59",
    "2024-01-05T24:00",  # DuckDB reads it as the next midnight
    "2024-01-05T23:59:60",
    "2024-01-05T10:00+02",
    "2024-01-05T10:00:00Z",
    "2024-01-05 10:00:00.25",
    "1995-09-24T02:30",
    "1850-06-01T12:00",
    "0001-01-01T00:00",
    "9999-12-31T23:59:59.999999",
    "2024-02-29T10:00",
    "2023-02-29T10:00",
    "2024-01-05",
    " 2024-01-05T10:00",  # DuckDB's own cast would take these; the contract does not
    "2024-01-05T10:00 ",
    "-024-01-05T10:00",
    "2024-1-05T10:00",
    "",
    "not a time",
]


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    storage.configure(c)
    yield c
    c.close()


def _disagreements(con, texts: list[str]) -> list:
    con.execute("CREATE OR REPLACE TEMP TABLE texts (v VARCHAR)")
    con.executemany("INSERT INTO texts VALUES (?)", [(t,) for t in texts])
    found = []
    for col in KINDS:
        inner, value = parse_levels(col, "v", "wall")
        found += con.execute(
            f"""SELECT {col.kind!r}, v, one, two FROM (
                    SELECT v, {parse_sql(col, "v")} AS one, {value} AS two
                    FROM (SELECT v, {inner} AS wall FROM texts))
                WHERE one IS DISTINCT FROM two"""
        ).fetchall()
    return found


def test_edge_texts_parse_alike(con):
    assert _disagreements(con, EDGES) == []


texts = st.one_of(
    st.from_regex(LOCAL_DATETIME_RE, fullmatch=True),
    st.from_regex(DATETIME_RE, fullmatch=True),
    st.from_regex(DATE_RE, fullmatch=True),
    # well-formed texts of plausible dates, the common case
    st.builds(
        "{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}{}".format,
        st.integers(1900, 2100),
        st.integers(1, 12),
        st.integers(1, 31),
        st.sampled_from(["T", " "]),
        st.integers(0, 24),
        st.integers(0, 59),
        st.sampled_from(["", ":00", ":59", ":30.5", "+01", "Z", "-05:30"]),
    ),
    st.text(alphabet="0123456789-:T .+Z", max_size=22),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=200))
def test_generated_texts_parse_alike(con, batch):
    assert _disagreements(con, batch) == []
