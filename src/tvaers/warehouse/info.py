"""What the warehouse holds — deliveries, rows per table, periods covered."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from tvaers.sql import q
from tvaers.warehouse.contract import PERSON, TABLES
from tvaers.warehouse.schema import check_version
from tvaers.warehouse.storage import connect_read_only


@dataclass(frozen=True)
class DeliveryInfo:
    delivery_id: int
    source: str | None
    extracted_at: date
    loaded_at: str
    fingerprint: str
    mode: str
    rows_delivered: int
    rows_loaded: int
    rows_quarantined: int


@dataclass(frozen=True)
class DeliveryTableInfo:
    delivery_id: int
    table: str
    file: str
    delivered: int
    loaded: int
    quarantined: int
    period_from: date | None
    period_to: date | None


@dataclass(frozen=True)
class TableInfo:
    table: str
    rows: int
    persons: int | None
    period_from: date | None
    period_to: date | None


@dataclass(frozen=True)
class WarehouseSummary:
    deliveries: list[DeliveryInfo]
    delivery_tables: list[DeliveryTableInfo]
    tables: list[TableInfo]
    meta: dict[str, str]


def summarise(db: Path) -> WarehouseSummary:
    con = connect_read_only(db)
    try:
        check_version(con, "main")
        deliveries = [
            DeliveryInfo(*row)
            for row in con.execute(
                "SELECT delivery_id, source, extracted_at, strftime(loaded_at, '%Y-%m-%d %H:%M'), "
                "fingerprint, mode, rows_delivered, rows_loaded, rows_quarantined "
                "FROM deliveries ORDER BY delivery_id"
            ).fetchall()
        ]
        delivery_tables = [
            DeliveryTableInfo(*row)
            for row in con.execute(
                "SELECT delivery_id, table_name, file_name, rows_delivered, rows_loaded, "
                "rows_quarantined, period_from, period_to FROM delivery_tables "
                "ORDER BY delivery_id, table_name"
            ).fetchall()
        ]
        tables = []
        for t in TABLES:
            persons = (
                "count(DISTINCT person_no)" if any(c.name == PERSON for c in t.columns) else "NULL"
            )
            period = (
                f"min(CAST({q(t.period)} AS DATE)), max(CAST({q(t.period)} AS DATE))"
                if t.period
                else "NULL, NULL"
            )
            row = con.execute(f"SELECT count(*), {persons}, {period} FROM {t.name}").fetchone()
            tables.append(TableInfo(t.name, *row))
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()
    return WarehouseSummary(deliveries, delivery_tables, tables, meta)


def as_json(summary: WarehouseSummary) -> dict:
    """The summary as plain JSON-able data (dates as ISO text)."""
    return json.loads(json.dumps(asdict(summary), default=str))
