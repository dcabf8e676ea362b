"""Read a delivery's files into typed staging tables — set-based, inside DuckDB.

Each table becomes `t_<name>` with, per contract column, the parsed value (`col`) and — only
where the value could not be parsed — the delivered text (`col__bad`), plus `_row`, the
1-based data row in the file. Keeping the text of every value would double the staging
memory for nothing: a value that parsed is shown from its parsed form (`display_sql`).

The raw CPR lives only in the short-lived `raw_<name>` tables (the files as text): the
distinct values are turned into pseudonyms, person numbers and masked forms (`person_map`),
and each `raw_` table is dropped as soon as its typed table exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb

from tvaers.i18n import tr
from tvaers.reference.org import municipality_codes
from tvaers.safe_text import cpr_mask_sql
from tvaers.sql import lit, q
from tvaers.warehouse import notifications
from tvaers.warehouse.contract import PERSON, Column
from tvaers.warehouse.delivery import (
    Delivery,
    DeliveryError,
    DeliveryFile,
    scrub_cpr,
)
from tvaers.warehouse.linescan import blank_lines
from tvaers.warehouse.localtime import local_instant_sql
from tvaers.warehouse.pseudonym import PseudonymKey, hmac_sql, mask_sql
from tvaers.warehouse.schema import EXTRA_COLUMNS

DATE_RE = r"\d{4}-\d{2}-\d{2}"
# Without an offset a date-time is Danish local time; with one, the offset is honoured.
LOCAL_DATETIME_RE = DATE_RE + r"[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
# Contract v1.1: an explicit offset is a real one, −12:00 … +14:00.
OFFSET_RE = r"(Z|\+(0\d|1[0-3])(:?[0-5]\d)?|\+14(:?00)?|-(0\d|1[01])(:?[0-5]\d)?|-12(:?00)?)"
DATETIME_RE = LOCAL_DATETIME_RE + OFFSET_RE + "?"
# Any two-digit offset: a value of this shape that DATETIME_RE refuses has an unreal offset.
ANY_OFFSET_DATETIME_RE = LOCAL_DATETIME_RE + r"[+-]\d{2}(:?\d{2})?"
DECIMAL_RE = r"-?\d+(\.\d+)?"
CPR_RE = r"\d{6}-?\d{4}"


def _in_list(expr: str, values) -> str:
    return f"{expr} IN ({', '.join(lit(v) for v in values)})"


def parse_sql(col: Column, v: str) -> str:
    """SQL turning the delivered text `v` into the column's value; NULL when invalid.
    (Date-times are parsed in two query levels for speed, see `parse_levels`; this is the
    one-level form of the same rule, which `parse_levels` falls back to.)"""
    match col.kind:
        case "text":
            return f"nullif({v}, '')"
        case "date":
            return f"CASE WHEN regexp_full_match({v}, '{DATE_RE}') THEN try_cast({v} AS DATE) END"
        case "datetime":
            return (
                f"CASE WHEN regexp_full_match({v}, '{DATETIME_RE}') "
                f"THEN try_cast({v} AS TIMESTAMPTZ) END"
            )
        case "datetime_or_date":
            return (
                f"CASE WHEN regexp_full_match({v}, '{DATETIME_RE}|{DATE_RE}') "
                f"THEN try_cast({v} AS TIMESTAMPTZ) END"
            )
        case "decimal":
            # 1 followed by 400 zeros matches the pattern but is no finite number (inf)
            return (
                f"CASE WHEN regexp_full_match({v}, '{DECIMAL_RE}') "
                f"AND isfinite(try_cast({v} AS DOUBLE)) THEN try_cast({v} AS DOUBLE) END"
            )
        case "enum":
            return f"CASE WHEN {_in_list(v, col.values)} THEN {v} END"
        case "pattern":
            return f"CASE WHEN regexp_full_match({v}, {lit(col.pattern or '')}) THEN {v} END"
        case "code3":
            code = f"right({v}, 3)"
            return (
                f"CASE WHEN regexp_full_match({v}, '0?\\d{{3}}') "
                f"AND {_in_list(code, sorted(municipality_codes()))} THEN {code} END"
            )
    raise ValueError(f"unknown column kind {col.kind!r}")


def wall_clock_sql(col: Column, v: str) -> str | None:
    """For a date-time column: SQL reading the text `v` as a wall-clock TIMESTAMP when it has
    no offset (NULL otherwise); None for other kinds."""
    if col.kind == "datetime":
        local = LOCAL_DATETIME_RE
    elif col.kind == "datetime_or_date":
        local = f"{LOCAL_DATETIME_RE}|{DATE_RE}"
    else:
        return None
    return f"CASE WHEN regexp_full_match({v}, '{local}') THEN try_cast({v} AS TIMESTAMP) END"


def parse_levels(col: Column, v: str, wall: str) -> tuple[str | None, str]:
    """The column's parse in two query levels: (inner, value). `inner` (or None) is SQL of
    the text `v`, selected one level below as the column `wall`; `value` is SQL of `v` and
    `wall`, equal to `parse_sql(col, v)` for every text.

    Why: a date-time without an offset (nearly all of them) becomes an instant by the
    arithmetic of `localtime.py` rather than ICU's per-value time-zone lookup, and that
    arithmetic needs the wall-clock value as a column (DuckDB would parse the text again
    for every use of an expression). Whenever the quick route gives nothing, the value is
    the one-level rule's, so both agree on every text (tests/warehouse/test_parsing.py)."""
    inner = wall_clock_sql(col, v)
    if inner is None:
        return None, parse_sql(col, v)
    value = (
        f"CASE WHEN {wall} IS NOT NULL THEN {local_instant_sql(wall)} ELSE {parse_sql(col, v)} END"
    )
    return inner, value


def cpr_birth_sql(n: str) -> str:
    """The birth date coded in a normalised 10-digit CPR, by the century rule; NULL if none."""
    yy = f"({n}[5:6])::INTEGER"
    d7 = f"({n}[7])::INTEGER"
    century = (
        f"CASE WHEN {d7} <= 3 THEN 1900 "
        f"WHEN {d7} IN (4, 9) THEN CASE WHEN {yy} <= 36 THEN 2000 ELSE 1900 END "
        f"ELSE CASE WHEN {yy} <= 57 THEN 2000 ELSE 1800 END END"
    )
    return f"try_cast(printf('%04d-%s-%s', {century} + {yy}, {n}[3:4], {n}[1:2]) AS DATE)"


def source_sql(f: DeliveryFile) -> str:
    """The file as a relation of text columns, in file order (MedCom bundles: in bundle
    order, from the relation notifications.py registers)."""
    if f.fmt == "bundles":
        return notifications.rows_sql(f.header)
    if f.fmt == "csv":
        columns = "{" + ", ".join(f"{lit(h)}: 'VARCHAR'" for h in f.own_header) + "}"
        return (
            f"read_csv({lit(str(f.path))}, header = true, auto_detect = false, "
            f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', "
            f"strict_mode = true, null_padding = false, encoding = 'utf-8')"
        )
    select = ", ".join(f"CAST({q(h)} AS VARCHAR) AS {q(h)}" for h in f.own_header)
    return f"(SELECT {select} FROM read_parquet({lit(str(f.path))}))"


def _reading(con: duckdb.DuckDBPyConnection, f: DeliveryFile, sql: str, params=None) -> None:
    """Run a statement that reads `f`; a file DuckDB cannot read is the delivery's fault."""
    try:
        con.execute(sql, params)
    except duckdb.Error as exc:
        reason = _reason(exc)
        line = re.search(r"CSV Error on Line: (\d+)", reason)
        where = tr(f", linje {line[1]}", f", line {line[1]}") if line else ""
        raise DeliveryError(f"{f.path.name}{where}: {reason}") from None


def _reason(exc: duckdb.Error) -> str:
    """DuckDB's explanation without its echo of the offending line (which may hold a CPR)
    and without its advice on reader options, which the user does not control."""
    lines = []
    for line in str(exc).splitlines():
        if not line.strip() or line.startswith("Possible fixes"):
            break
        if not line.startswith("Original Line"):
            lines.append(line.strip())
    return scrub_cpr("; ".join(lines))


def display_sql(col: Column, alias: str = "s") -> str:
    """SQL for a value as delivered: the text when it could not be parsed, else the parsed
    value written the way the contract writes it (CPR masked)."""
    v = f"{alias}.{q(col.name)}"
    if col.kind == "person":
        # a CPR is masked in the map already; a person_id shaped like one (an impossible
        # date) is masked here, as every CPR-shaped value in a report is
        return cpr_mask_sql(f"{alias}.{q(PERSON + '__shown')}")
    shown = {
        "date": f"strftime({v}, '%Y-%m-%d')",
        "datetime": f"strftime({v}, '%Y-%m-%dT%H:%M:%S')",
        "datetime_or_date": f"strftime({v}, '%Y-%m-%dT%H:%M:%S')",
        "decimal": f"CAST({v} AS VARCHAR)",
    }.get(col.kind, v)
    # Any column may hold a CPR number by mistake (a shifted header): shown masked.
    return cpr_mask_sql(f"coalesce({alias}.{q(col.name + '__bad')}, {shown})")


def is_cpr_sql(v: str) -> str:
    """SQL: the text `v` is a valid CPR number (DDMMYY[-]SSSS, a real date by the century
    rule)."""
    digits = f"replace({v}, '-', '')"
    # CASE, not AND: the digits are cast only where the shape is right (and the length
    # test first spares most values the regular expression)
    return (
        f"CASE WHEN length({v}) IN (10, 11) AND regexp_full_match({v}, '{CPR_RE}') "
        f"THEN {cpr_birth_sql(digits)} IS NOT NULL ELSE false END"
    )


def build_person_map(
    con: duckdb.DuckDBPyConnection,
    files: list[DeliveryFile],
    key: PseudonymKey | None,
    persons_in: Callable[[DeliveryFile], str] = lambda f: f"raw_{f.table.name}",
) -> None:
    """person_map(raw → person_key, person_no, shown, cpr_birth): pseudonyms computed once
    per distinct value, so a 10-million-row table costs one HMAC per person, not per row.
    Each valid key gets its warehouse number, or a new one after the warehouse's highest
    (numbers of keys that end up rejected are simply never used). `persons_in(f)` is a
    relation with the file's person key column as text."""
    person_files = [f for f in files if f.person_column]
    if not person_files:
        con.execute(
            "CREATE OR REPLACE TABLE person_map (raw VARCHAR, person_key VARCHAR, "
            "person_no BIGINT, shown VARCHAR, cpr_birth DATE)"
        )
        return
    kind = person_files[0].person_column
    distinct = " UNION ".join(
        f"SELECT DISTINCT {q(kind)} AS raw FROM {persons_in(f)}" for f in person_files
    )
    if kind == "cpr":
        assert key is not None
        ipad, opad = key.sql_pads()
        con.execute(
            f"""CREATE OR REPLACE TABLE person_keys AS
            WITH d AS (SELECT raw FROM ({distinct}) WHERE raw IS NOT NULL),
            n AS (SELECT raw, CASE WHEN regexp_full_match(raw, '{CPR_RE}')
                                   THEN replace(raw, '-', '') END AS cpr10 FROM d),
            b AS (SELECT raw, cpr10, {cpr_birth_sql("cpr10")} AS cpr_birth FROM n)
            SELECT raw,
                   CASE WHEN cpr_birth IS NOT NULL THEN {hmac_sql("cpr10")} END AS person,
                   {mask_sql("raw")} AS shown,
                   cpr_birth
            FROM b""",
            {"ipad": ipad, "opad": opad},
        )
    else:
        # A CPR number delivered as person_id would be stored raw: refuse it, masked.
        con.execute(
            f"""CREATE OR REPLACE TABLE person_keys AS
            WITH d AS (SELECT raw FROM ({distinct}) WHERE raw IS NOT NULL),
            b AS (SELECT raw, CASE WHEN regexp_full_match(raw, '{CPR_RE}')
                  THEN {cpr_birth_sql("replace(raw, '-', '')")} END AS cpr_birth FROM d)
            SELECT raw,
                   CASE WHEN cpr_birth IS NULL AND length(raw) BETWEEN 1 AND 64
                        THEN raw END AS person,
                   CASE WHEN cpr_birth IS NULL THEN raw ELSE {mask_sql("raw")} END AS shown,
                   cpr_birth
            FROM b"""
        )
    _number_persons(con)


def _number_persons(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """CREATE OR REPLACE TABLE person_map AS
        WITH k AS (SELECT DISTINCT person FROM person_keys WHERE person IS NOT NULL),
        known AS (SELECT k.person, w.person_no FROM k LEFT JOIN wh.persons w
                  ON w.person_key = k.person),
        base AS (SELECT coalesce(max(person_no), 0) AS top FROM wh.persons),
        numbered AS (
            SELECT person, coalesce(person_no, base.top + row_number() OVER (
                PARTITION BY person_no IS NULL ORDER BY person)) AS person_no
            FROM known, base)
        SELECT p.raw, p.person AS person_key, n.person_no, p.shown, p.cpr_birth
        FROM person_keys p LEFT JOIN numbered n USING (person)"""
    )
    con.execute("DROP TABLE person_keys")


def read_raw(con: duckdb.DuckDBPyConnection, f: DeliveryFile) -> None:
    """raw_<table>: the file as text. A plain scan into a table keeps the file's order, so
    rowid + 1 is the data row. (Numbering with row_number() OVER () on the scan keeps the
    order too, but runs the whole parse single-threaded: 28 s against 17 s for 10M rows.)"""
    raw = f"raw_{f.table.name}"
    if f.fmt == "bundles":
        con.execute(f"CREATE OR REPLACE TABLE {raw} AS SELECT * FROM {source_sql(f)} WHERE false")
        notifications.append_raw(con, raw, f.header)
        return
    _reading(con, f, f"CREATE OR REPLACE TABLE {raw} AS SELECT * FROM {source_sql(f)}")
    check_all_rows_read(con, f, raw)
    if f.bundles is not None:
        notifications.append_raw(con, raw, f.header)


def check_all_rows_read(con: duckdb.DuckDBPyConnection, f: DeliveryFile, relation: str) -> None:
    """Every line of the file is a row read, a line break inside a quoted value, or an empty
    line; otherwise the reader stopped early or skipped lines, and the delivery is refused
    rather than loaded with silently missing rows. The lines were counted with the
    fingerprint; the slower accounting (line breaks in values, empty lines) runs only when
    the rows read fall short of the lines."""
    if f.lines is None:
        return
    rows = con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
    expected = f.lines.data_lines
    if rows >= expected:
        return
    inside = " + ".join(
        f"coalesce(sum(length({q(c)}) - length(replace({q(c)}, chr(10), ''))), 0)"
        for c in f.own_header
    )
    expected -= con.execute(f"SELECT {inside} FROM {relation}").fetchone()[0]
    expected -= blank_lines(f.path)
    if rows < expected:
        raise DeliveryError(
            tr(
                f"{f.path.name}, linje {rows + 2}: filen har {expected} datalinjer, men kun "
                f"{rows} rækker kunne læses; rækkerne fra linje {rows + 2} kan ikke læses "
                "(afkortet fil, for lang linje eller ulæselige tegn)",
                f"{f.path.name}, line {rows + 2}: the file has {expected} data lines but only "
                f"{rows} rows could be read; the rows from line {rows + 2} on cannot be read "
                "(a truncated file, a line too long or unreadable characters)",
            )
        )


def value_name(col: Column) -> str:
    return q(col.name + "__value")


def wall_name(col: Column) -> str:
    return q(col.name + "__wall")


def parsed_value_items(
    f: DeliveryFile, text: Callable[[Column], str] = lambda c: q(c.name)
) -> tuple[list[str], list[str]]:
    """Select items of the two parsing levels (`parse_levels`) for the delivered contract
    columns of `f` other than the person key: level 1 adds each date-time's wall-clock
    column, level 2 each column's value as `<column>__value`. `text(col)` is the SQL of the
    column's delivered text in level 2 (the level-1 column of the same name by default)."""
    inner, values = [], []
    for col in f.table.columns:
        if col.name == PERSON or col.name not in f.header:
            continue
        wall, value = parse_levels(col, text(col), wall_name(col))
        if wall is not None:
            inner.append(f"{wall} AS {wall_name(col)}")
        values.append(f"{value} AS {value_name(col)}")
    return inner, values


def delivered_columns(f: DeliveryFile) -> list[str]:
    """The file's columns that the contract knows (the person key as delivered); unknown
    columns are ignored, so their names cannot clash with the staging's own."""
    known = {f.source_column(c.name) for c in f.table.columns}
    return [h for h in f.header if h in known]


def person_join(f: DeliveryFile, alias: str) -> str:
    """The join that gives each row its entry of the person map (`pm`)."""
    return f"LEFT JOIN person_map pm ON {alias}.{q(f.person_column or PERSON)} = pm.raw"


def build_typed(con: duckdb.DuckDBPyConnection, f: DeliveryFile) -> None:
    """t_<table>: parsed values, the row number taken from raw_'s rowid *before* the join
    with the person map (a hash join does not keep the order); then raw_ is dropped.

    Three query levels, so every value is parsed once: the row number and wall-clock
    values, then the values and the person map, then the delivered text of each value that
    did not parse (`<column>__bad`)."""
    t = f.table
    inner, values = parsed_value_items(f)
    outer = ["_row"]
    join = ""
    for col in t.columns:
        if col.name == PERSON:
            join = person_join(f, "l1")
            values += [
                f"pm.person_no AS {q(PERSON)}",
                f"pm.shown AS {q(PERSON + '__shown')}",
                "pm.cpr_birth AS _cpr_birth",
            ]
            outer += [q(PERSON), q(PERSON + "__shown"), "_cpr_birth"]
            if t.name in EXTRA_COLUMNS:
                values.append("pm.person_key AS _person_key")
                outer.append("_person_key")
        elif col.name not in f.header:
            outer += [f"NULL::{col.warehouse_type} AS {q(col.name)}"]
            outer += [f"NULL::VARCHAR AS {q(col.name + '__bad')}"]
        else:
            raw, value = q(col.name), value_name(col)
            outer += [
                f"{value} AS {raw}",
                f"CASE WHEN {raw} <> '' AND {value} IS NULL THEN {raw} END "
                f"AS {q(col.name + '__bad')}",
            ]
    delivered = ", ".join(f"r.{q(c)}" for c in delivered_columns(f))
    level1 = f"SELECT r.rowid + 1 AS _row, {', '.join([delivered, *inner])} FROM raw_{t.name} r"
    level2 = f"SELECT l1.*, {', '.join(values)} FROM ({level1}) l1 {join}"
    con.execute(
        f"CREATE OR REPLACE TABLE t_{t.name} AS SELECT {', '.join(outer)} FROM ({level2}) l2"
    )
    con.execute(f"DROP TABLE raw_{t.name}")


def stage(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    key: PseudonymKey | None,
    step: Callable[[str], None] = lambda _: None,
) -> None:
    """All of the delivery's files into typed staging tables."""
    files = list(delivery.files.values())
    for f in files:
        notifications.register(con, f.bundles)
    con.execute(notifications.ORIGINS_DDL)
    for f in files:
        step(f.path.name)
        read_raw(con, f)
    build_person_map(con, files, key)
    for f in files:
        build_typed(con, f)
    # The map pairs raw CPRs with pseudonyms; the staging tables carry all that is needed.
    con.execute("DROP TABLE person_map")
