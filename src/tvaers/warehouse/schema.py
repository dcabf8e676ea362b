"""Warehouse tables, derived from the contract, plus the bookkeeping of deliveries."""

from __future__ import annotations

from collections.abc import Iterable

from tvaers.i18n import tr
from tvaers.sql import q
from tvaers.warehouse.contract import PERSON, TABLES, Column, Table

SCHEMA_VERSION = "2"  # 2: persons numbered (person_no)


# Persons are numbered in the warehouse: every person-level table refers to `person_no`, and
# only `persons` holds the pseudonym (`person_key`, 64 hex digits, or the upstream
# person_id). A number is an eighth of the pseudonym's size, and joins on it are cheap.
PERSON_NO = "person_no"
# Warehouse columns not delivered as such, per table: (column, type, staging column).
EXTRA_COLUMNS = {"persons": (("person_key", "VARCHAR", "_person_key"),)}


def warehouse_column(col: Column) -> str:
    return PERSON_NO if col.name == PERSON else col.name


def _compression(t: Table, col: Column) -> str:
    """A table's own identifier (contact_id, message_id, …) differs in every row, so the
    dictionary compression DuckDB would otherwise pick finds nothing to share and is the
    slowest part of writing it: zstd writes it in half the time, as small, and reads it
    as fast."""
    return " USING COMPRESSION zstd" if t.key == (col.name,) and col.kind == "text" else ""


def table_ddl(
    t: Table, schema: str, name: str | None = None, extra: Iterable[tuple[str, str]] = ()
) -> str:
    """The warehouse table of `t` (under another `name`, with `extra` columns at the end,
    for a table that becomes it later)."""
    cols = [f"{q(warehouse_column(c))} {c.warehouse_type}{_compression(t, c)}" for c in t.columns]
    cols += [f"{q(col)} {sql_type}" for col, sql_type, _ in EXTRA_COLUMNS.get(t.name, ())]
    cols.append("delivery_id INTEGER NOT NULL")
    cols += [f"{q(col)} {sql_type}" for col, sql_type in extra]
    return f"CREATE TABLE IF NOT EXISTS {schema}.{q(name or t.name)} ({', '.join(cols)})"


META_DDL = (
    "CREATE TABLE IF NOT EXISTS {s}.meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS {s}.deliveries (
        delivery_id INTEGER PRIMARY KEY,
        fingerprint VARCHAR NOT NULL UNIQUE,
        source VARCHAR,
        extracted_at DATE NOT NULL,
        loaded_at TIMESTAMPTZ NOT NULL,
        directory VARCHAR,
        person_key_kind VARCHAR,
        mode VARCHAR NOT NULL,
        rows_delivered BIGINT NOT NULL,
        rows_loaded BIGINT NOT NULL,
        rows_quarantined BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {s}.delivery_tables (
        delivery_id INTEGER NOT NULL,
        table_name VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        rows_delivered BIGINT NOT NULL,
        rows_loaded BIGINT NOT NULL,
        rows_quarantined BIGINT NOT NULL,
        period_from DATE,
        period_to DATE)""",
)


class SchemaMismatch(Exception):
    """The warehouse file was made by another version of Tværs (user-facing message)."""


def check_version(con, schema: str) -> None:
    """Refuse a warehouse whose tables are laid out differently from this version's."""
    row = con.execute(f"SELECT value FROM {schema}.meta WHERE key = 'schema_version'").fetchone()
    if row and row[0] != SCHEMA_VERSION:
        raise SchemaMismatch(
            tr(
                f"Lageret har skemaversion {row[0]}, men denne version af Tværs bruger "
                f"{SCHEMA_VERSION}. Byg lageret op igen fra leveringerne.",
                f"The warehouse has schema version {row[0]}, but this version of Tværs uses "
                f"{SCHEMA_VERSION}. Rebuild the warehouse from the deliveries.",
            )
        )


def create_all(con, schema: str, tables: Iterable[Table] = TABLES) -> None:
    """Every table, and in a warehouse written before a column was added to the contract
    (v1.1: `messages.event_at`, `replaces_message_id`) that column, empty: an added
    optional column needs no rebuild, so the schema version stays."""
    for stmt in META_DDL:
        con.execute(stmt.format(s=schema))
    stored: dict[str, set[str]] = {}
    for table_name, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = 'main'",
        [schema],
    ).fetchall():
        stored.setdefault(table_name, set()).add(column)
    for t in tables:
        if t.name not in stored:
            con.execute(table_ddl(t, schema))
            continue
        for c in t.columns:
            if warehouse_column(c) not in stored[t.name]:
                con.execute(
                    f"ALTER TABLE {schema}.{q(t.name)} "
                    f"ADD COLUMN {q(warehouse_column(c))} {c.warehouse_type}"
                )
