"""Where the indicator SQL runs: DuckDB (default) or Spark (spark.py).

An engine offers the same few operations on both: materialise a query as a table, register
a small parameter table, drop a table. The indicator logic (blocks.py, methods/) only uses
these and the shared SQL text, with the engine's `dialect` for the few differing spellings.

The engine reads the warehouse through normalised input views (`in_*`): the same names and
columns whichever engine runs, and column names that are not SQL words (`start_ts`, not
`start`).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import duckdb

from tvaers.config import Settings, default_compute_memory
from tvaers.i18n import tr
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


_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
_UNITS |= {"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}


def parse_size(text: str) -> int:
    """DuckDB's spelling of a memory size ("10.1 GiB", "953.6 MiB") in bytes."""
    amount, unit = text.split()
    return int(float(amount) * _UNITS[unit])


def _threads(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ComputeError(
            tr(
                f"TVAERS_COMPUTE_THREADS skal være et helt tal større end 0, ikke {raw!r}.",
                f"TVAERS_COMPUTE_THREADS must be a whole number above 0, not {raw!r}.",
            )
        )
    return int(raw)


class DuckDBEngine:
    dialect = DUCKDB

    def __init__(
        self,
        warehouse: Path,
        spill: Path | None = None,
        threads: int | None = None,
        memory_limit: str | None = None,
    ):
        """`memory_limit` and `threads` default to the Settings (TVAERS_COMPUTE_MEMORY_LIMIT,
        TVAERS_COMPUTE_THREADS): a limit derived from the machine's memory rather than one
        fixed figure, so a bigger machine does not spill what it could hold."""
        settings = Settings.from_env()
        memory_limit = memory_limit or settings.compute_memory_limit or default_compute_memory()
        threads = threads or _threads(settings.compute_threads)
        self.con = duckdb.connect(":memory:")
        configure(self.con)
        try:
            self.con.execute(f"SET memory_limit = {lit(memory_limit)}")
        except duckdb.Error:
            self.con.close()
            raise ComputeError(
                tr(
                    f"Hukommelsesgrænsen {memory_limit!r} (TVAERS_COMPUTE_MEMORY_LIMIT) kan "
                    "ikke bruges; skriv fx 8GB eller 12000MB.",
                    f"The memory limit {memory_limit!r} (TVAERS_COMPUTE_MEMORY_LIMIT) cannot "
                    "be used; write e.g. 8GB or 12000MB.",
                )
            ) from None
        self.memory_limit = memory_limit
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET enable_progress_bar_print = false")
        self.spill = spill
        if spill is not None:
            self.con.execute(f"SET temp_directory = {lit(str(spill))}")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.threads = self.con.execute("SELECT current_setting('threads')").fetchone()[0]
        self.con.execute(f"ATTACH {lit(str(warehouse))} AS wh (READ_ONLY)")
        check_version(self.con, "wh")
        for view, (table, columns) in INPUTS.items():
            self.con.execute(f'CREATE TEMP VIEW {view} AS SELECT {columns} FROM wh.main."{table}"')

    def materialize(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def groups_for(self, count_sql: str, bytes_per_row: int) -> int:
        """Into how many groups of persons to split a step whose working set is
        `bytes_per_row` for each row `count_sql` counts, so that one group takes at most
        half the memory limit (the rest holds the tables already built)."""
        rows = self.con.execute(count_sql).fetchone()[0]
        return max(1, math.ceil(rows * bytes_per_row / (self.memory_bytes / 2)))

    @property
    def memory_bytes(self) -> int:
        """The memory limit in bytes, as DuckDB applies it."""
        (raw,) = self.con.execute(
            "SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'"
        ).fetchone()
        return parse_size(raw)

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
