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
from tvaers.warehouse import notifications
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
    # rows that came from MedCom bundles are reported by their bundle file and line
    con.execute(notifications.ORIGINS_DDL.replace("OR REPLACE TABLE", "TABLE IF NOT EXISTS"))
    con.execute("CREATE OR REPLACE TABLE file_names (tbl VARCHAR, file VARCHAR, ord INTEGER)")
    con.executemany(
        "INSERT INTO file_names VALUES (?, ?, ?)",
        [(f.table.name, f.path.name, i) for i, f in enumerate(delivery.files.values())],
    )


def _report_select(value: str = "e.val") -> str:
    return f"""
    SELECT coalesce(o.file, f.file) AS file,
           CASE WHEN o.tbl IS NULL THEN e._row ELSE o.line END AS row,
           e.col AS "column", {value} AS value, e.rule,
           replace(replace(t.template, '{{column}}', e.col), '{{other}}', e.other) AS message
    FROM errors e JOIN file_names f USING (tbl) JOIN rule_texts t USING (rule)
    LEFT JOIN row_origins o ON o.tbl = e.tbl AND o._row = e._row
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
        if f.bundles is not None and f.bundles.problems:
            directory.mkdir(parents=True, exist_ok=True)
            written[notifications.FOLDER] = _bundle_quarantine(con, directory)
        # rows below zero are bundles that gave no row (notifications.add_problems)
        n = con.execute(
            "SELECT count(DISTINCT _row) FROM errors WHERE tbl = ? AND _row > 0", [name]
        ).fetchone()[0]
        if n == 0:
            continue
        directory.mkdir(parents=True, exist_ok=True)
        columns = []
        for col in f.table.columns:
            if col.name == PERSON or col.name in f.header:
                shown = spreadsheet_safe_sql(display_sql(col))
                columns.append(f"{shown} AS {q(f.source_column(col.name))}")
        path = directory / f"{name}.csv"
        where = "s._row AS data_row"
        if f.bundles is not None:
            # a bundle's row: its file, and its line in an NDJSON file
            where = (
                f"coalesce(o.file, {lit(f.path.name)}) AS file, "
                "CASE WHEN o.tbl IS NULL THEN s._row ELSE o.line END AS data_row"
            )
        con.execute(
            f"""COPY (
                SELECT {where}, e.reasons, {", ".join(columns)}
                FROM t_{name} s JOIN (
                    SELECT _row, string_agg(DISTINCT rule, '; ' ORDER BY rule) AS reasons
                    FROM errors WHERE tbl = {lit(name)} GROUP BY _row) e USING (_row)
                LEFT JOIN row_origins o ON o.tbl = {lit(name)} AND o._row = s._row
                ORDER BY s._row
            ) TO {lit(str(path))} (HEADER, DELIMITER ',')"""
        )
        written[name] = path
    return written


def _bundle_quarantine(con: duckdb.DuckDBPyConnection, directory: Path) -> Path:
    """The bundles that gave no row: file, line (NDJSON), element and rule; their content
    is not copied (it holds the CPR)."""
    path = directory / f"{notifications.FOLDER}.csv"
    con.execute(
        f"""COPY (
            SELECT o.file, o.line, nullif(e.col, '') AS element, e.rule AS reasons
            FROM errors e JOIN row_origins o USING (tbl, _row)
            WHERE e._row < 0 ORDER BY e._row DESC
        ) TO {lit(str(path))} (HEADER, DELIMITER ',')"""
    )
    return path
