"""The published result set: a DuckDB file beside the warehouse (`<name>.results.duckdb`).

It is written whole to a private file and renamed over the previous one in one step, so a
reader sees the old set or the new one, never half of either; a reader that has the old
file open keeps reading it. It holds the results table (unsuppressed numbers with the
disclosure mark), the run (when, which deliveries, which definition versions, which
structure dates) and the definitions' texts for the readers: names, units, descriptions and
stratum names (`definitions`, `strata`), so a reader never needs the catalogue itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from tvaers.i18n import tr
from tvaers.indicators.catalogue import Catalogue
from tvaers.sql import lit
from tvaers.warehouse import storage


def results_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.results.duckdb")


@dataclass(frozen=True)
class Run:
    computed_at: str
    engine: str
    years: list[int]
    structure_dates: dict[str, str]
    deliveries: list[dict]
    definitions: dict[str, str]
    catalogue: str


class NoResults(Exception):
    """No result set has been computed for this warehouse (user-facing message)."""


def publish(
    con: duckdb.DuckDBPyConnection, db: Path, cat: Catalogue, run: Run, extra: tuple[str, ...] = ()
) -> Path:
    """Write the `results` table of `con` (and the `extra` tables, of the results table's
    shape) and the run to the result file, atomically."""
    target = results_path(db)
    with storage.exclusive(target):
        work = storage.work_path(target, "results")
        con.execute(f"ATTACH {lit(str(work))} AS out")
        try:
            con.execute(
                "CREATE TABLE out.results AS SELECT * FROM results "
                "ORDER BY indicator_id, level, unit_code, period, stratum"
            )
            for table in extra:
                con.execute(
                    f"CREATE TABLE out.{table} AS SELECT * FROM {table} "
                    "ORDER BY indicator_id, level, unit_code, period, stratum"
                )
            con.execute("CREATE TABLE out.run (key VARCHAR PRIMARY KEY, value VARCHAR)")
            con.executemany(
                "INSERT INTO out.run VALUES (?, ?)",
                [(k, json.dumps(v, ensure_ascii=False)) for k, v in run.__dict__.items()],
            )
            _write_definitions(con, cat)
        finally:
            con.execute("DETACH out")
        storage.publish(work, target)
    return target


def _write_definitions(con: duckdb.DuckDBPyConnection, cat: Catalogue) -> None:
    """What a reader needs to show the results without the catalogue: each indicator's
    names, unit and description, and each stratum's name, in Danish and English — the
    definitions the numbers were computed from, not whatever the catalogue says later."""
    con.execute(
        """CREATE TABLE out.definitions (indicator_id VARCHAR PRIMARY KEY,
           version VARCHAR, name_da VARCHAR, name_en VARCHAR, unit_da VARCHAR,
           unit_en VARCHAR, factor INTEGER, direction VARCHAR, standardised BOOLEAN,
           periods VARCHAR, strata VARCHAR, description_da VARCHAR, description_en VARCHAR)"""
    )
    con.executemany(
        f"INSERT INTO out.definitions VALUES ({', '.join(['?'] * 13)})",
        [
            (
                i.id,
                i.version,
                i.name.da,
                i.name.en,
                i.unit.da,
                i.unit.en,
                i.factor,
                i.direction,
                i.standardised,
                ",".join(i.periods),
                json.dumps([s.id for s in i.strata]),
                i.description.da,
                i.description.en,
            )
            for i in cat.indicators
        ],
    )
    con.execute(
        """CREATE TABLE out.strata (indicator_id VARCHAR NOT NULL, stratum VARCHAR NOT NULL,
           position INTEGER NOT NULL, name_da VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
           PRIMARY KEY (indicator_id, stratum))"""
    )
    con.executemany(
        "INSERT INTO out.strata VALUES (?, ?, ?, ?, ?)",
        [
            (i.id, s.id, n, s.name.da, s.name.en)
            for i in cat.indicators
            for n, s in enumerate(i.strata)
        ],
    )


@dataclass(frozen=True)
class Labels:
    """The published texts of a result set: (indicator, stratum) -> (da, en) names and
    indicator -> (da, en) descriptions. Empty for a result file written before they were
    published (the readers then show stratum ids until the next compute run)."""

    strata: dict[tuple[str, str], tuple[str, str]]
    descriptions: dict[str, tuple[str, str]]


def read_labels(con: duckdb.DuckDBPyConnection) -> Labels:
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "strata" not in tables:
        return Labels({}, {})
    strata = {
        (ind, s): (da, en)
        for ind, s, da, en in con.execute(
            "SELECT indicator_id, stratum, name_da, name_en FROM strata"
        ).fetchall()
    }
    descriptions = {
        ind: (da, en)
        for ind, da, en in con.execute(
            "SELECT indicator_id, description_da, description_en FROM definitions"
        ).fetchall()
    }
    return Labels(strata, descriptions)


def open_results(db: Path) -> duckdb.DuckDBPyConnection:
    path = results_path(db)
    if not path.exists():
        raise NoResults(
            tr(
                f"Der er ingen beregnede indikatorer for {db}. Kør først "
                f"'tvaers indicators compute --db {db}'.",
                f"No indicators have been computed for {db}. Run "
                f"'tvaers indicators compute --db {db}' first.",
            )
        )
    con = duckdb.connect(str(path), read_only=True)
    storage.configure(con)
    return con


def read_run(con: duckdb.DuckDBPyConnection) -> Run:
    values = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM run").fetchall()}
    return Run(**values)


def now_text() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
