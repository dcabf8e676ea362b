"""Error reports and quarantine files, written set-based from the `errors` table.

Every value comes through `staging.display_sql`, which masks anything CPR-shaped
(`DDMMYY-xxxx`), so nothing here can write a raw CPR; values that a spreadsheet would run as
a formula are written as text (`safe_text.spreadsheet_safe_sql`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from tvaers.safe_text import spreadsheet_safe_sql
from tvaers.sql import lit, q
from tvaers.warehouse.contract import PERSON
from tvaers.warehouse.delivery import Delivery
from tvaers.warehouse.rules import RULES, message
from tvaers.warehouse.staging import display_sql


@dataclass(frozen=True)
class ErrorRow:
    file: str
    row: int | None
    column: str
    value: str | None
    rule: str
    message: str


def prepare_texts(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> None:
    """Lookup tables so reports can be rendered in SQL, for any number of errors."""
    con.execute("CREATE OR REPLACE TABLE rule_texts (rule VARCHAR, template VARCHAR)")
    con.executemany(
        "INSERT INTO rule_texts VALUES (?, ?)",
        [(rule, message(rule, "{column}", "{other}", "{other}")) for rule in RULES],
    )
    con.execute("CREATE OR REPLACE TABLE file_names (tbl VARCHAR, file VARCHAR, ord INTEGER)")
    con.executemany(
        "INSERT INTO file_names VALUES (?, ?, ?)",
        [(f.table.name, f.path.name, i) for i, f in enumerate(delivery.files.values())],
    )


def _report_select(value: str = "e.val") -> str:
    return f"""
    SELECT f.file, e._row AS row, e.col AS "column", {value} AS value, e.rule,
           replace(replace(t.template, '{{column}}', e.col), '{{other}}', e.other) AS message
    FROM errors e JOIN file_names f USING (tbl) JOIN rule_texts t USING (rule)
    ORDER BY f.ord, e._row, e.col, e.rule
"""


_REPORT_SELECT = _report_select()


def first_errors(con: duckdb.DuckDBPyConnection, limit: int) -> list[ErrorRow]:
    return [ErrorRow(*r) for r in con.execute(_REPORT_SELECT + f" LIMIT {int(limit)}").fetchall()]


def counts_by_rule(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(rule, plain words, count), most frequent first."""
    rows = con.execute(
        "SELECT rule, count(*) AS n FROM errors GROUP BY rule ORDER BY n DESC, rule"
    ).fetchall()
    return [(rule, message(rule, "…", "…", "…"), n) for rule, n in rows]


def write_error_report(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # the file is for a spreadsheet: values that look like formulas are kept as text
    select = _report_select(spreadsheet_safe_sql("e.val"))
    con.execute(f"COPY ({select}) TO {lit(str(path))} (HEADER, DELIMITER ',')")


def write_quarantine(con: duckdb.DuckDBPyConnection, delivery: Delivery, directory: Path) -> dict:
    """One CSV per table with rejected rows: data row, reasons, and the delivered values."""
    written: dict[str, Path] = {}
    for f in delivery.files.values():
        name = f.table.name
        n = con.execute("SELECT count(DISTINCT _row) FROM errors WHERE tbl = ?", [name]).fetchone()[
            0
        ]
        if n == 0:
            continue
        directory.mkdir(parents=True, exist_ok=True)
        columns = []
        for col in f.table.columns:
            if col.name == PERSON or col.name in f.header:
                shown = spreadsheet_safe_sql(display_sql(col))
                columns.append(f"{shown} AS {q(f.source_column(col.name))}")
        path = directory / f"{name}.csv"
        con.execute(
            f"""COPY (
                SELECT s._row AS data_row, e.reasons, {", ".join(columns)}
                FROM t_{name} s JOIN (
                    SELECT _row, string_agg(DISTINCT rule, '; ' ORDER BY rule) AS reasons
                    FROM errors WHERE tbl = {lit(name)} GROUP BY _row) e USING (_row)
                ORDER BY s._row
            ) TO {lit(str(path))} (HEADER, DELIMITER ',')"""
        )
        written[name] = path
    return written
