"""Writing the generated relations as contract files: column names, order and formats come
from the contract (warehouse/contract.py), never from here.

Every table is written with one DuckDB COPY from a SELECT, so rows stream from the
generator into the file. CSV gets text in the contract's formats (dates `YYYY-MM-DD`, times
`YYYY-MM-DDTHH:MM`, Danish local time); Parquet keeps native DATE and TIMESTAMP columns, as
a producer writing Parquet would. With split_by_source the same SELECT is partitioned by
source (region / municipality / GP) into one delivery directory per source.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from tvaers.warehouse.contract import PERSON, table

# Which source delivers which table when deliveries are split by source (data contract:
# "the region's hospital data, each municipality's care data, GP data").
REGION_TABLES = ("persons", "residence", "hospital_contacts", "hospital_diagnoses", "messages")
MUNICIPALITY_TABLES = ("municipal_services", "municipal_visits", "referrals")
GP_TABLES = ("gp_contacts", "prescriptions")
GP_DIR = "gp"
GP_SOURCE = "Almen praksis (syntetisk)"
for _name in REGION_TABLES + MUNICIPALITY_TABLES + GP_TABLES:
    table(_name)  # fails loudly if the contract renames a table


def person_column(person_key: str) -> str:
    if person_key not in ("cpr", "person_id"):
        raise ValueError("person_key must be cpr or person_id")
    return person_key


def export_select(name: str, source: str, fmt: str, person_key: str, part: str | None) -> str:
    """SELECT of the contract's columns, in the contract's order, from the internal
    relation `source` (which names the person key column `person`)."""
    items = []
    for col in table(name).columns:
        v = f'src."{col.name}"'
        if col.name == PERSON:
            items.append(f"src.person AS {person_column(person_key)}")
        elif col.kind == "date":
            items.append(
                f"strftime({v}, '%Y-%m-%d') AS \"{col.name}\""
                if fmt == "csv"
                else f'CAST({v} AS DATE) AS "{col.name}"'
            )
        elif col.kind in ("datetime", "datetime_or_date"):
            # Minutes only; local times in the hour skipped by summer time are moved to 03:00.
            ts = f"no_gap(date_trunc('minute', {v}))"
            items.append(
                f"strftime({ts}, '%Y-%m-%dT%H:%M') AS \"{col.name}\""
                if fmt == "csv"
                else f'CAST({ts} AS TIMESTAMP) AS "{col.name}"'
            )
        elif col.kind == "decimal":
            items.append(f'round(CAST({v} AS DOUBLE), 1) AS "{col.name}"')
        else:
            items.append(f'CAST({v} AS VARCHAR) AS "{col.name}"')
    if part:
        items.append(f"{part} AS _part")
    return f"SELECT {', '.join(items)} FROM ({source}) src"


def _options(fmt: str) -> str:
    if fmt == "csv":
        return "FORMAT csv, HEADER, DELIMITER ','"
    if fmt == "parquet":
        return "FORMAT parquet, COMPRESSION zstd"
    raise ValueError("fmt must be csv or parquet")


def copy_table(con: duckdb.DuckDBPyConnection, select: str, path: Path, fmt: str) -> int:
    row = con.execute(f"COPY ({select}) TO '{path}' ({_options(fmt)})").fetchone()
    return int(row[0]) if row else 0


def copy_partitioned(
    con: duckdb.DuckDBPyConnection, select: str, out: Path, name: str, fmt: str, scratch: Path
) -> int:
    """Write `select` (with a `_part` column naming the delivery directory) as
    out/<_part>/<name>.<fmt>. DuckDB writes hive-style folders; they are renamed."""
    tmp = scratch / f"part-{name}"
    shutil.rmtree(tmp, ignore_errors=True)
    row = con.execute(
        f"COPY ({select}) TO '{tmp}' ({_options(fmt)}, PARTITION_BY (_part))"
    ).fetchone()
    for folder in sorted(tmp.iterdir()):
        part = folder.name.split("=", 1)[1]
        files = sorted(folder.glob(f"*.{fmt}"))
        if len(files) != 1:  # pragma: no cover - DuckDB wrote several files per partition
            raise RuntimeError(f"expected one file in {folder}, found {len(files)}")
        (out / part).mkdir(parents=True, exist_ok=True)
        files[0].rename(out / part / f"{name}.{fmt}")
    shutil.rmtree(tmp, ignore_errors=True)
    return int(row[0]) if row else 0


def write_meta(directory: Path, source: str, extracted_at: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    meta = {"source": source, "extracted_at": extracted_at}
    (directory / "delivery.json").write_text(
        json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8"
    )
