"""Where the indicator SQL runs: DuckDB (default) or Spark (spark.py).

An engine offers the same few operations on both: materialise a query as a table, register
a small parameter table, drop a table. The indicator logic (blocks.py, methods/) only uses
these and the shared SQL text, with the engine's `dialect` for the few differing spellings.

The engine reads the warehouse through normalised input views (`in_*`): the same names and
columns whichever engine runs, and column names that are not SQL words (`start_ts`, not
`start`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from tvaers.indicators.dialect import DUCKDB
from tvaers.sql import lit
from tvaers.warehouse.schema import check_version
from tvaers.warehouse.storage import configure

# view name -> (warehouse table, its columns under the engine's names)
INPUTS: dict[str, tuple[str, str]] = {
    "in_persons": ("persons", "person_no, birth_date, sex, death_date"),
    "in_residence": ("residence", "person_no, municipality_code, valid_from, valid_to"),
    "in_contacts": (
        "hospital_contacts",
        'contact_id, person_no, "start" AS start_ts, "end" AS end_ts, contact_type, priority, '
        "sector, diagnosis, ready_for_discharge AS ready_ts, discharged_to",
    ),
    "in_diagnoses": ("hospital_diagnoses", "contact_id, code, kind"),
    "in_services": (
        "municipal_services",
        'person_no, municipality_code, service, "start" AS start_date, "end" AS end_date',
    ),
    "in_visits": ("municipal_visits", 'person_no, "at" AS at_ts, kind'),
    "in_gp": ("gp_contacts", 'person_no, "at" AS at_ts, kind'),
    "in_rx": ("prescriptions", "person_no, dispensed_on, atc"),
    "in_referrals": (
        "referrals",
        "referral_id, person_no, from_sector, service, municipality_code, referred_on, started_on",
    ),
    "in_messages": (
        "messages",
        'message_id, person_no, "type" AS msg_type, event, sent_at, event_at, '
        "replaces_message_id, episode_id",
    ),
}


class ComputeError(Exception):
    """The run cannot start (user-facing message): no warehouse, no data, no engine."""


# Enough for a whole country on this 2-core, 24 GB machine; DuckDB spills beyond it.
MEMORY_LIMIT = "10GB"


def parameter_rows(
    years: list[int], extracted: date | None = None
) -> dict[str, tuple[list[tuple[str, str]], list[tuple]]]:
    """The parameter tables every run registers: the years and every period in them, and
    (`recent`) the complete months after the last year up to the extraction date, which
    only the message-based indicators count (transitions.md, "Time rules")."""
    periods = []
    for y in years:
        periods.append((str(y), "year", y, False))
        periods += [(f"{y}-Q{q}", "quarter", y, False) for q in range(1, 5)]
        periods += [(f"{y}-{m:02d}", "month", y, False) for m in range(1, 13)]
    if extracted is not None and years:
        y, m = max(years) + 1, 1
        while date(y, m, 1) < extracted and date(y + m // 12, m % 12 + 1, 1) <= extracted:
            periods.append((f"{y}-{m:02d}", "month", y, True))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return {
        "p_years": ([("year", "INTEGER"), ("jan1", "DATE")], [(y, date(y, 1, 1)) for y in years]),
        "p_periods": (
            [
                ("period", "VARCHAR"),
                ("period_type", "VARCHAR"),
                ("year", "INTEGER"),
                ("recent", "BOOLEAN"),
            ],
            periods,
        ),
    }


class DuckDBEngine:
    dialect = DUCKDB

    def __init__(self, warehouse: Path, spill: Path | None = None, threads: int | None = None):
        self.con = duckdb.connect(":memory:")
        configure(self.con)
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET enable_progress_bar_print = false")
        if spill is not None:
            self.con.execute(f"SET temp_directory = {lit(str(spill))}")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute(f"ATTACH {lit(str(warehouse))} AS wh (READ_ONLY)")
        check_version(self.con, "wh")
        for view, (table, columns) in INPUTS.items():
            self.con.execute(f'CREATE TEMP VIEW {view} AS SELECT {columns} FROM wh.main."{table}"')

    def materialize(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def append(self, name: str, sql: str) -> None:
        self.con.execute(f"INSERT INTO {name} {sql}")

    def register(self, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
        cols = ", ".join(f"{c} {t}" for c, t in columns)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({cols})")
        if rows:
            marks = ", ".join("?" for _ in columns)
            self.con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)

    def drop(self, name: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def scalar(self, sql: str):
        """The single value of a one-row, one-column query (a loop's bound)."""
        return self.con.execute(sql).fetchone()[0]

    def cells_into(self, target: duckdb.DuckDBPyConnection, name: str) -> None:
        """The cells are already where the roll-up runs (the same connection)."""
        assert target is self.con

    def table_into(self, target: duckdb.DuckDBPyConnection, name: str) -> None:
        """So is every other table."""
        assert target is self.con

    def close(self) -> None:
        self.con.close()
