"""The direct load: a clean delivery goes from its files straight into the warehouse copy.

Most deliveries have no errors, and for them the exact staging of `staging.py` — each file
first copied as text, so that a rejected value can be shown as delivered with its data row
— is work for nothing. The direct load reads each file once, parses it by the same rules
(`staging.parse_levels`), pseudonymises it through the same person map, and writes it into
a table of the private warehouse copy; then the same validation (`validate.py`) runs over
what was written, through views shaped like the staging tables.

If anything at all is wrong — a value that does not parse, a person key that does not
resolve, any rule — the direct load gives up (`None`) and ingest stages the delivery
exactly and reports as always; nothing of the attempt is kept. A clean delivery is loaded
exactly as the staged load would load it (tests/warehouse/test_direct.py compares the two),
faster and without holding the delivery in memory (docs/performance.md).

Parquet columns that already are dates or timestamps are taken as they are, instead of as
text parsed back; a value the text route would treat differently (a year outside 1–9999, a
time zone's odd offset before 1900) goes the text route.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from tvaers.sql import lit, q
from tvaers.warehouse import notifications, storage
from tvaers.warehouse.contract import PERSON, Column, Table, load_order
from tvaers.warehouse.delivery import Delivery, DeliveryFile
from tvaers.warehouse.localtime import local_instant_sql
from tvaers.warehouse.medcom import COLUMNS as BUNDLE_COLUMNS
from tvaers.warehouse.pseudonym import PseudonymKey
from tvaers.warehouse.schema import (
    EXTRA_COLUMNS,
    create_all,
    table_ddl,
    warehouse_column,
)
from tvaers.warehouse.staging import (
    build_person_map,
    delivered_columns,
    is_cpr_sql,
    parse_levels,
    parse_sql,
    person_join,
    source_sql,
    value_name,
    wall_name,
)
from tvaers.warehouse.validate import validate

# Incoming rows carry these until they are known to be clean: whether any value of the row
# failed to parse or its person key did not resolve, and the birth date coded in the CPR
# (for the persons rule that compares it with birth_date).
HIDDEN = (("_bad", "BOOLEAN"), ("_cpr_birth", "DATE"))

# Typed Parquet values taken as they are: those whose text form the contract's patterns
# accept and parse back to the same value (outside these, the text route decides).
_TYPED_RANGE = {
    "DATE": ("DATE '0001-01-01'", "DATE '9999-12-31'"),
    "TIMESTAMP": ("TIMESTAMP '0001-01-01'", "TIMESTAMP '9999-12-31 23:59:59.999999'"),
    # from 1900 Copenhagen's offsets are whole hours, which the text form can carry
    "TIMESTAMP WITH TIME ZONE": (
        "TIMESTAMPTZ '1900-01-01 00:00:00+00'",
        "TIMESTAMPTZ '9999-12-30 00:00:00+00'",
    ),
}
_TYPED_KINDS = {
    "date": {"DATE"},
    "datetime": {"TIMESTAMP", "TIMESTAMP WITH TIME ZONE"},
    "datetime_or_date": {"DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"},
}


def incoming(t: Table) -> str:
    return f"_incoming_{t.name}"


def _typed(f: DeliveryFile, col: Column) -> str | None:
    """The Parquet type of a column that is taken as it is, or None (the text route)."""
    sql_type = f.types.get(col.name)
    return sql_type if sql_type in _TYPED_KINDS.get(col.kind, ()) else None


def _value_items(f: DeliveryFile) -> tuple[list[str], list[str], list[str], list[str]]:
    """Select items for reading `f` in three levels: (delivered, inner, values, bad).

    `delivered` are the file's contract columns (text, unless taken typed); `inner` the
    wall-clock and typed-in-range columns; `values` each value as `<column>__value`; `bad`
    one condition per column, true when a delivered value did not give a value."""
    delivered, inner, values, bad = [], [], [], []
    for name in delivered_columns(f):
        col = next((c for c in f.table.columns if f.source_column(c.name) == name), None)
        typed = _typed(f, col) if col is not None and col.name != PERSON else None
        if typed is None:
            delivered.append(f"CAST({q(name)} AS VARCHAR) AS {q(name)}")
        else:
            delivered.append(q(name))
    for col in f.table.columns:
        if col.name == PERSON or col.name not in f.header:
            continue
        raw, typed = q(col.name), _typed(f, col)
        if typed is None:
            wall, value = parse_levels(col, raw, wall_name(col))
            if wall is not None:
                inner.append(f"{wall} AS {wall_name(col)}")
            bad.append(f"({raw} <> '' AND {value_name(col)} IS NULL)")
            if col.kind == "text":
                # A CPR number in an identifier column (cpr_outside_person_key) must not
                # reach even the private copy: the row goes the exact route, which rejects it.
                bad.append(f"({is_cpr_sql(raw)})")
        else:
            low, high = _TYPED_RANGE[typed]
            as_text = parse_sql(col, f"CAST({raw} AS VARCHAR)")
            taken = wall_name(col)
            inner.append(f"CASE WHEN {raw} BETWEEN {low} AND {high} THEN {raw} END AS {taken}")
            if col.warehouse_type == "TIMESTAMPTZ" and typed != "TIMESTAMP WITH TIME ZONE":
                taken = local_instant_sql(f"CAST({taken} AS TIMESTAMP)")
            value = f"CASE WHEN {wall_name(col)} IS NOT NULL THEN {taken} ELSE {as_text} END"
            bad.append(f"({raw} IS NOT NULL AND {value_name(col)} IS NULL)")
        values.append(f"{value} AS {value_name(col)}")
    return delivered, inner, values, bad


def _source(f: DeliveryFile) -> str:
    if f.fmt == "bundles":
        return source_sql(f)
    if f.bundles is not None:
        # a flat file and MedCom bundles: one relation, columns matched by name (a column
        # only one of them has is empty in the other's rows)
        bundle_rows = notifications.rows_sql([c for c in f.header if c in BUNDLE_COLUMNS])
        return f"(SELECT * FROM {source_sql(f)} UNION ALL BY NAME SELECT * FROM {bundle_rows})"
    if f.fmt == "csv":
        return source_sql(f)  # every column as text, as the exact staging reads it
    return f"read_parquet({lit(str(f.path))})"


def _persons_in(f: DeliveryFile) -> str:
    key = q(f.person_column or PERSON)
    return f"(SELECT CAST({key} AS VARCHAR) AS {key} FROM {_source(f)})"


def _write_incoming(con: duckdb.DuckDBPyConnection, f: DeliveryFile, delivery_id: int) -> None:
    """wh._incoming_<table>: the file's rows as warehouse rows, with HIDDEN columns."""
    t = f.table
    delivered, inner, values, bad = _value_items(f)
    outer, join = [], ""
    for col in t.columns:
        if col.name == PERSON:
            join = person_join(f, "l1")
            values += ["pm.person_no AS _person_no", "pm.cpr_birth AS _cpr_birth_map"]
            bad.append(f"({q(f.person_column or PERSON)} IS NOT NULL AND _person_no IS NULL)")
            outer.append("_person_no")
        elif col.name in f.header:
            outer.append(value_name(col))
        else:
            outer.append("NULL")
    if t.name in EXTRA_COLUMNS:
        values.append("pm.person_key AS _person_key")
        outer.append("_person_key")
    any_bad = " OR ".join(bad) or "false"
    outer += [str(delivery_id), f"coalesce({any_bad}, false)"]
    outer.append("_cpr_birth_map" if join else "NULL")
    level1 = f"SELECT {', '.join(delivered + inner)} FROM {_source(f)}"
    level2 = f"SELECT l1.*, {', '.join(values)} FROM ({level1}) l1 {join}"
    con.execute(table_ddl(t, "wh", incoming(t), HIDDEN))
    # The person map (one row a person) must be the join's build side and the file its
    # probe side, streamed through. DuckDB knows no row count for a CSV file and may
    # choose the other way round: a hash table of the whole file (10 million contacts:
    # 22 s of CPU and 3 GB), so its choice is switched off for this statement.
    con.execute("SET disabled_optimizers = 'build_side_probe_side'")
    try:
        con.execute(f"INSERT INTO wh.{incoming(t)} SELECT {', '.join(outer)} FROM ({level2}) l2")
    finally:
        con.execute("RESET disabled_optimizers")


def _staging_view(con: duckdb.DuckDBPyConnection, f: DeliveryFile) -> None:
    """t_<table> over the incoming rows, shaped as `validate` expects the staging tables.
    Every value parsed (that was checked first), so no text is kept as bad, and a person
    key was delivered exactly where it resolved; row numbers are those of the incoming
    table, not the file's, since the direct load never reports a row."""
    t = f.table
    items = ["rowid + 1 AS _row"]
    for col in t.columns:
        items.append(f"{q(warehouse_column(col))} AS {q(col.name)}")
        if col.name == PERSON:
            items += [
                f"CASE WHEN {q(warehouse_column(col))} IS NOT NULL THEN '' END "
                f"AS {q(PERSON + '__shown')}",
                "_cpr_birth",
            ]
        else:
            items.append(f"NULL::VARCHAR AS {q(col.name + '__bad')}")
    items += [f"{q(name)} AS {q(staged)}" for name, _, staged in EXTRA_COLUMNS.get(t.name, ())]
    con.execute(
        f"CREATE OR REPLACE VIEW t_{t.name} AS SELECT {', '.join(items)} FROM wh.{incoming(t)}"
    )


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def attempt(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    db: Path,
    key: PseudonymKey | None,
    step: Callable[[str], None],
) -> tuple[Path, int] | None:
    """Write and validate the delivery in a new warehouse copy, attached as `wh`: (the copy,
    the delivery id) when every row is clean, else None (the copy is left for the caller
    to remove, with the connection). A file DuckDB cannot read also gives None: the exact
    staging reads it again and says what is wrong with it, naming the file."""
    files = [delivery.files[t.name] for t in load_order() if t.name in delivery.files]
    if any(f.bundles is not None and f.bundles.problems for f in files):
        return None  # a bundle that gave no row is reported by the exact route
    for f in files:
        notifications.register(con, f.bundles)
    try:
        build_person_map(con, files, key, _persons_in)
        con.execute("DETACH wh")
        copy = storage.prepare_copy(db)
        con.execute(f"ATTACH {lit(str(copy))} AS wh")
        create_all(con, "wh")
        delivery_id = _count(con, "SELECT coalesce(max(delivery_id), 0) + 1 FROM wh.deliveries")
        for f in files:
            step(f.path.name)
            _write_incoming(con, f, delivery_id)
            if _count(con, f"SELECT count(*) FROM wh.{incoming(f.table)} WHERE _bad"):
                return None
            # Fewer rows than lines: the exact staging accounts for every line, or refuses.
            expected = (f.lines.data_lines if f.lines else 0) + (
                f.bundles.delivered if f.bundles else 0
            )
            if _count(con, f"SELECT count(*) FROM wh.{incoming(f.table)}") < expected:
                return None
            _staging_view(con, f)
        con.execute("DROP TABLE person_map")  # raw CPRs beside pseudonyms: kept no longer
        validate(con, delivery, step)
        if _count(con, "SELECT count(*) FROM errors"):
            return None
    except duckdb.Error:
        return None
    return copy, delivery_id


def move_into_place(con: duckdb.DuckDBPyConnection, t: Table, merge: Callable[[], None]) -> None:
    """The incoming rows of `t` become the warehouse's: an empty table is simply replaced by
    the incoming one (no second write of the rows), otherwise `merge` loads them the way the
    staged load does (replacing rows of the same key) and the incoming table goes."""
    if _count(con, f"SELECT count(*) FROM wh.{q(t.name)}"):
        merge()
        con.execute(f"DROP TABLE wh.{incoming(t)}")
        return
    con.execute(f"DROP TABLE wh.{q(t.name)}")
    for column, _ in HIDDEN:
        con.execute(f"ALTER TABLE wh.{incoming(t)} DROP COLUMN {column}")
    con.execute(f"ALTER TABLE wh.{incoming(t)} RENAME TO {q(t.name)}")
