"""Warehouse tables, derived from the contract, plus the bookkeeping of deliveries."""

from __future__ import annotations

from collections.abc import Iterable

from tvaers.warehouse.contract import PERSON, TABLES, Column, Table

SCHEMA_VERSION = "1"


def q(name: str) -> str:
    """Quote an identifier (contract columns include SQL words such as `end` and `at`)."""
    return '"' + name.replace('"', '""') + '"'


def warehouse_column(col: Column) -> str:
    return "person_key" if col.name == PERSON else col.name


def table_ddl(t: Table, schema: str) -> str:
    cols = [f"{q(warehouse_column(c))} {c.warehouse_type}" for c in t.columns]
    cols.append("delivery_id INTEGER NOT NULL")
    return f"CREATE TABLE IF NOT EXISTS {schema}.{q(t.name)} ({', '.join(cols)})"


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


def create_all(con, schema: str, tables: Iterable[Table] = TABLES) -> None:
    for stmt in META_DDL:
        con.execute(stmt.format(s=schema))
    for t in tables:
        con.execute(table_ddl(t, schema))
