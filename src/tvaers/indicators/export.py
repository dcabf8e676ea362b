"""Reading the published results for people: the export format of the data contract and the
selection that `show` and the web app use. Disclosure control is applied here, on the way
out, unless an operator asks for the unsuppressed numbers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from tvaers.i18n import tr
from tvaers.indicators.results import open_results
from tvaers.sql import lit
from tvaers.vocabulary import LEVELS_NARROWEST_FIRST, PERIOD_TYPES

EXPORT_COLUMNS = (
    "indicator_id",
    "period",
    "level",
    "unit_code",
    "unit_name",
    "stratum",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "std_value",
    "std_ci_low",
    "std_ci_high",
    "suppressed",
)
FORMATS = ("csv", "parquet", "xlsx", "json")
LEVELS = LEVELS_NARROWEST_FIRST


class SelectionError(Exception):
    """A filter names something the result set does not hold (user-facing message)."""


@dataclass(frozen=True)
class Selection:
    indicators: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    # exact periods ("2023", "2023-Q1", "2023-01") and/or period types ("year", …)
    periods: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    strata: tuple[str, ...] | None = None


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(lit(v) for v in values)})"


def where_clause(con: duckdb.DuckDBPyConnection, sel: Selection) -> str:
    """SQL condition for the selection, after checking each filter against the results."""
    parts = ["TRUE"]
    known = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM results").fetchall()}
    unknown = [i for i in sel.indicators if i not in known]
    if unknown:
        raise SelectionError(
            tr(
                f"Ukendt indikator: {', '.join(unknown)}. Kendte: {', '.join(sorted(known))}.",
                f"Unknown indicator: {', '.join(unknown)}. Known: {', '.join(sorted(known))}.",
            )
        )
    bad_levels = [lv for lv in sel.levels if lv not in LEVELS]
    if bad_levels:
        raise SelectionError(
            tr(
                f"Ukendt niveau: {', '.join(bad_levels)}. Vælg blandt {', '.join(LEVELS)}.",
                f"Unknown level: {', '.join(bad_levels)}. Choose from {', '.join(LEVELS)}.",
            )
        )
    if sel.indicators:
        parts.append(_in("indicator_id", sel.indicators))
    if sel.levels:
        parts.append(_in("level", sel.levels))
    if sel.periods:
        types = [p for p in sel.periods if p in PERIOD_TYPES]
        exact = [p for p in sel.periods if p not in PERIOD_TYPES]
        periods = {r[0] for r in con.execute("SELECT DISTINCT period FROM results").fetchall()}
        missing = [p for p in exact if p not in periods]
        if missing:
            raise SelectionError(
                tr(
                    f"Perioden {', '.join(missing)} findes ikke i resultaterne "
                    f"({min(periods)} … {max(periods)}).",
                    f"The period {', '.join(missing)} is not in the results "
                    f"({min(periods)} … {max(periods)}).",
                )
            )
        ors = []
        if types:
            ors.append(_in("period_type", types))
        if exact:
            ors.append(_in("period", exact))
        parts.append("(" + " OR ".join(ors) + ")")
    if sel.units:
        parts.append(_in("unit_code", sel.units))
    if sel.strata is not None:
        parts.append(_in("stratum", sel.strata))
    return " AND ".join(parts)


def export_query(where: str, unsuppressed: bool, extra: str = "") -> str:
    """The export format's rows. A suppressed cell keeps its denominator (unless it is
    another indicator's hidden numerator: then the results table holds it apart, in
    `hidden_denominator`) and loses its numerator, value and intervals; it is never shown
    as 0."""
    hide = "FALSE" if unsuppressed else "suppressed"

    def shown(expr: str) -> str:
        return f"CASE WHEN {hide} THEN NULL ELSE {expr} END"

    level_order = "CASE level " + " ".join(f"WHEN '{lv}' THEN {n}" for n, lv in enumerate(LEVELS))
    return f"""
        SELECT indicator_id, period, level, unit_code, unit_name,
               stratum,
               {shown("CAST(round(numerator) AS BIGINT)")} AS numerator,
               {"coalesce(denominator, hidden_denominator)" if unsuppressed else "denominator"}
                   AS denominator,
               {shown("round(value, 4)")} AS value,
               {shown("round(ci_low, 4)")} AS ci_low,
               {shown("round(ci_high, 4)")} AS ci_high,
               {shown("round(std_value, 4)")} AS std_value,
               {shown("round(std_ci_low, 4)")} AS std_ci_low,
               {shown("round(std_ci_high, 4)")} AS std_ci_high,
               {hide} AS suppressed{extra}
        FROM results WHERE {where}
        ORDER BY indicator_id, period_type, period, {level_order} END, unit_code, stratum"""


def csv_text(column: str, value: object) -> str:
    """One value as the CSV export writes it (DuckDB's COPY of ``export_query``), for CSV
    written row by row elsewhere (the web downloads): ``true``/``false``, the numerator a
    whole number, other numbers rounded to 4 decimals, nothing as an empty field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Half away from zero, as DuckDB's round() does (Python's round() goes to even).
        places = Decimal(0) if column == "numerator" else Decimal("0.0001")
        rounded = Decimal(repr(value)).quantize(places, ROUND_HALF_UP)
        return str(int(rounded)) if column == "numerator" else repr(float(rounded))
    return str(value)


def export(db: Path, out: Path, fmt: str, sel: Selection, unsuppressed: bool = False) -> int:
    """Write the selection to `out` (whole or not at all); returns the number of rows."""
    if fmt not in FORMATS:
        raise SelectionError(tr(f"Ukendt format {fmt!r}", f"Unknown format {fmt!r}"))
    con = open_results(db)
    try:
        query = export_query(where_clause(con, sel), unsuppressed)
        tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            if fmt == "csv":
                con.execute(f"COPY ({query}) TO {lit(str(tmp))} (FORMAT csv, HEADER true)")
            elif fmt == "parquet":
                con.execute(f"COPY ({query}) TO {lit(str(tmp))} (FORMAT parquet)")
            elif fmt == "json":
                con.execute(f"COPY ({query}) TO {lit(str(tmp))} (FORMAT json, ARRAY true)")
            else:
                _write_xlsx(con.execute(query), tmp)
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
        return con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
    finally:
        con.close()


def _write_xlsx(cursor, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = book.add_worksheet("indikatorer")
        sheet.write_row(0, 0, EXPORT_COLUMNS)
        row = 1
        while batch := cursor.fetchmany(10_000):
            for values in batch:
                sheet.write_row(row, 0, ["" if v is None else v for v in values])
                row += 1
    finally:
        book.close()


def rows(db: Path, sel: Selection, unsuppressed: bool = False) -> list[dict]:
    """The selection as dicts in the export format plus `period_type` and `provisional`
    (for `show` and the web app)."""
    con = open_results(db)
    try:
        cur = con.execute(
            export_query(where_clause(con, sel), unsuppressed, ", period_type, provisional")
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
