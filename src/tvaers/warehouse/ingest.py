"""`tvaers ingest`: a delivery → validated, pseudonymised rows in the warehouse, atomically.

First the direct load (`direct.py`): the files straight into a copy of the warehouse, every
contract rule checked on what was written, the copy published when all is clean. When
anything is wrong, the exact route: read the files into an in-memory staging database with
row numbers (`staging.py`), check every contract rule set-based (`validate.py`), report
(`report.py`), and — unless strict mode found errors — load the accepted rows into a copy
of the warehouse and publish it (`storage.py`).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from tvaers.config import Settings
from tvaers.i18n import tr
from tvaers.sql import lit, q
from tvaers.warehouse import direct as direct_load
from tvaers.warehouse import notifications, report, storage
from tvaers.warehouse.contract import Table, load_order
from tvaers.warehouse.delivery import Delivery, DeliveryError, open_delivery
from tvaers.warehouse.pseudonym import PseudonymKey, PseudonymKeyError, require_key
from tvaers.warehouse.report import ErrorRow
from tvaers.warehouse.rules import message
from tvaers.warehouse.schema import (
    EXTRA_COLUMNS,
    SCHEMA_VERSION,
    SchemaMismatch,
    check_version,
    create_all,
    warehouse_column,
)
from tvaers.warehouse.staging import stage
from tvaers.warehouse.validate import validate

MODES = ("strict", "quarantine")


class IngestRefused(Exception):
    """The delivery or the environment makes loading impossible (user-facing message)."""


@dataclass
class TableResult:
    table: str
    file: str
    delivered: int
    loaded: int
    quarantined: int


@dataclass
class IngestResult:
    status: str  # "loaded" | "rejected" | "already_loaded"
    fingerprint: str
    delivery_id: int | None = None
    tables: list[TableResult] = field(default_factory=list)
    error_total: int = 0
    error_counts: list[tuple[str, str, int]] = field(default_factory=list)
    first_errors: list[ErrorRow] = field(default_factory=list)
    report_path: Path | None = None
    quarantine_files: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    route: str = ""  # how a loaded delivery went in: "direct" or "staged" (direct.py)

    @property
    def delivered(self) -> int:
        return sum(t.delivered for t in self.tables)

    @property
    def loaded(self) -> int:
        return sum(t.loaded for t in self.tables)

    @property
    def quarantined(self) -> int:
        return sum(t.quarantined for t in self.tables)


def _already_loaded(db: Path, fp: str) -> int | None:
    if not db.exists():
        return None
    con = storage.connect_read_only(db)
    try:
        row = con.execute(
            "SELECT delivery_id FROM deliveries WHERE fingerprint = ?", [fp]
        ).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def _staging_connection(db: Path, spill: Path) -> duckdb.DuckDBPyConnection:
    # A whole-country delivery (hundreds of millions of rows in one table) needs more than
    # the default for the steps DuckDB cannot spill; an operator raises it here.
    limit = Settings.from_env().ingest_memory_limit
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?\s*(MB|GB|MiB|GiB)", limit):
        raise IngestRefused(
            tr(
                f"TVAERS_INGEST_MEMORY_LIMIT skal være fx 3500MB eller 12GB, ikke {limit!r}.",
                f"TVAERS_INGEST_MEMORY_LIMIT must be e.g. 3500MB or 12GB, not {limit!r}.",
            )
        )
    con = duckdb.connect(":memory:")
    storage.configure(con)
    con.execute(f"SET temp_directory = {lit(str(spill))}")
    con.execute(f"SET memory_limit = '{limit}'")
    # Progress of the running statement, for the CLI's bar (DuckDB itself prints nothing).
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    if db.exists():
        con.execute(f"ATTACH {lit(str(db))} AS wh (READ_ONLY)")
        try:
            check_version(con, "wh")
        except SchemaMismatch as exc:
            con.close()
            raise IngestRefused(str(exc)) from None
    else:
        con.execute("ATTACH ':memory:' AS wh")
        create_all(con, "wh")
    return con


def _check_key(con: duckdb.DuckDBPyConnection, key: PseudonymKey | None) -> None:
    if key is None:
        return
    row = con.execute("SELECT value FROM wh.meta WHERE key = 'key_fingerprint'").fetchone()
    if row and row[0] != key.fingerprint:
        raise IngestRefused(
            tr(
                "Lageret er bygget med en anden pseudonymiseringsnøgle; med denne nøgle ville "
                "de samme personer ikke kunne kobles. Brug lagerets nøgle. Intet er indlæst.",
                "The warehouse was built with another pseudonymisation key; with this key the "
                "same persons would not link. Use the warehouse's key. Nothing was loaded.",
            )
        )


def _check_persons_present(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> None:
    needs_persons = any(f.person_column for f in delivery.files.values())
    if (
        needs_persons
        and "persons" not in delivery.files
        and con.execute("SELECT count(*) FROM wh.persons").fetchone()[0] == 0
    ):
        raise IngestRefused(
            tr(
                "Lageret har endnu ingen personer, så leveringen skal have en persons-fil. "
                "Intet er indlæst.",
                "The warehouse has no persons yet, so the delivery must include a persons "
                "file. Nothing was loaded.",
            )
        )


def _missing_columns(delivery: Delivery) -> list[ErrorRow]:
    return [
        ErrorRow(f.path.name, None, col, None, "missing_column", message("missing_column", col))
        for f in delivery.files.values()
        for col in f.missing
    ]


def _write_missing_report(errors: list[ErrorRow], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "row", "column", "value", "rule", "message"])
        for e in errors:
            writer.writerow([e.file, "", e.column, "", e.rule, e.message])


def _clear_report(directory: Path) -> None:
    """A report directory given twice must not mix this run's report with the last one's."""
    (directory / "errors.csv").unlink(missing_ok=True)
    shutil.rmtree(directory / "quarantine", ignore_errors=True)


def _load_table(
    con: duckdb.DuckDBPyConnection, t: Table, delivery_id: int, schema: str = "tgt"
) -> None:
    """acc_<table> into the warehouse table (attached as `schema`): new keys inserted,
    rows of known keys updated where the contract lets them change."""
    extra = EXTRA_COLUMNS.get(t.name, ())
    names = [c.name for c in t.columns] + [staged for _, _, staged in extra]
    target = [q(warehouse_column(c)) for c in t.columns] + [q(name) for name, _, _ in extra]
    on = " AND ".join(f"w.{q(warehouse_column(t.column(k)))} = s.{q(k)}" for k in t.key)
    existing = con.execute(f"SELECT count(*) FROM {schema}.{t.name}").fetchone()[0]
    if existing and (t.updatable or t.fill_only):
        sets, changed = [], []
        for c in t.columns:
            w, s = q(warehouse_column(c)), f"s.{q(c.name)}"
            if c.name in t.updatable:
                sets.append(f"{w} = {s}")
                changed.append(f"w.{w} IS DISTINCT FROM {s}")
            elif c.name in t.fill_only:
                sets.append(f"{w} = coalesce(w.{w}, {s})")
                changed.append(f"(w.{w} IS NULL AND {s} IS NOT NULL)")
        con.execute(
            f"UPDATE {schema}.{t.name} AS w SET {', '.join(sets)}, delivery_id = {delivery_id} "
            f"FROM acc_{t.name} s WHERE {on} AND ({' OR '.join(changed)})"
        )
    anti = f"WHERE NOT EXISTS (SELECT 1 FROM {schema}.{t.name} w WHERE {on})" if existing else ""
    con.execute(
        f"INSERT INTO {schema}.{t.name} ({', '.join(target)}, delivery_id) "
        f"SELECT {', '.join(f's.{q(n)}' for n in names)}, {delivery_id} "
        f"FROM acc_{t.name} s {anti}"
    )


def _table_results(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> list[TableResult]:
    results = []
    for f in delivery.files.values():
        name = f.table.name
        delivered = con.execute(f"SELECT count(*) FROM t_{name}").fetchone()[0]
        if f.bundles is not None:
            delivered += len(f.bundles.problems)  # bundles that gave no row
        rejected = con.execute(
            "SELECT count(DISTINCT _row) FROM errors WHERE tbl = ?", [name]
        ).fetchone()[0]
        results.append(TableResult(name, f.path.name, delivered, delivered - rejected, rejected))
    return results


def _record_delivery(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    mode: str,
    results: list[TableResult],
    key: PseudonymKey | None,
    delivery_id: int,
    schema: str = "tgt",
) -> None:
    con.execute(
        f"INSERT INTO {schema}.deliveries VALUES (?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?)",
        [
            delivery_id,
            delivery.fingerprint,
            delivery.source,
            delivery.extracted_at,
            str(delivery.directory.resolve()),
            delivery.person_key_kind,
            mode,
            sum(r.delivered for r in results),
            sum(r.loaded for r in results),
            sum(r.quarantined for r in results),
        ],
    )
    for r in results:
        period = delivery.files[r.table].table.period
        lo = hi = None
        if period:
            # The extremes first, then their dates: one time-zone conversion, not one a row.
            lo, hi = con.execute(
                f"SELECT CAST(min({q(period)}) AS DATE), CAST(max({q(period)}) AS DATE) "
                f"FROM acc_{r.table}"
            ).fetchone()
        con.execute(
            f"INSERT INTO {schema}.delivery_tables VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [delivery_id, r.table, r.file, r.delivered, r.loaded, r.quarantined, lo, hi],
        )
    meta = {"schema_version": SCHEMA_VERSION}
    if key is not None:
        meta["key_fingerprint"] = key.fingerprint
    for k, v in meta.items():
        con.execute(f"INSERT OR REPLACE INTO {schema}.meta VALUES (?, ?)", [k, v])


def _publish(
    con: duckdb.DuckDBPyConnection,
    db: Path,
    delivery: Delivery,
    mode: str,
    results: list[TableResult],
    key: PseudonymKey | None,
    step: Callable[[str], None],
) -> int:
    con.execute("DETACH wh")
    copy = storage.prepare_copy(db)
    con.execute(f"ATTACH {lit(str(copy))} AS tgt")
    create_all(con, "tgt")
    con.execute("BEGIN TRANSACTION")
    delivery_id = con.execute(
        "SELECT coalesce(max(delivery_id), 0) + 1 FROM tgt.deliveries"
    ).fetchone()[0]
    for t in load_order():
        if t.name in delivery.files:
            step(delivery.files[t.name].path.name)
            _load_table(con, t, delivery_id)
    _record_delivery(con, delivery, mode, results, key, delivery_id)
    con.execute("COMMIT")
    con.execute("DETACH tgt")
    storage.publish(copy, db)
    return delivery_id


def ingest(
    delivery_dir: Path,
    db: Path,
    *,
    mode: str = "strict",
    settings: Settings | None = None,
    report_dir: Path | None = None,
    error_limit: int = 20,
    step: Callable[[str], None] = lambda _: None,
    on_wait: Callable[[], None] = lambda: None,
    watch: Callable[[duckdb.DuckDBPyConnection], None] = lambda _: None,
    restart: Callable[[], None] = lambda: None,
    now: datetime | None = None,
    direct: bool = True,
) -> IngestResult:
    """Load one delivery. Every file this writes — warehouse, work files, reports — is
    readable by the owner only: they hold health data.

    A delivery is first tried by the direct load (`direct.py`); when it finds anything
    wrong, `restart` is told and the delivery is staged exactly, for the error report.
    `direct=False` goes straight to the exact staging (tests compare the two)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    settings = settings or Settings.from_env()
    db = Path(db)
    previous_umask = os.umask(0o077)
    try:
        try:
            delivery = open_delivery(Path(delivery_dir), now=now)
        except DeliveryError as exc:
            raise IngestRefused(str(exc)) from None
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        out_dir = report_dir or db.parent / "tvaers-reports" / f"{stamp}-{delivery.fingerprint[:8]}"
        _clear_report(out_dir)
        result = IngestResult("rejected", delivery.fingerprint, warnings=delivery.warnings)
        missing = _missing_columns(delivery)
        if missing:
            result.error_total = len(missing)
            result.first_errors = missing[:error_limit]
            result.error_counts = [("missing_column", message("missing_column", "…"), len(missing))]
            result.report_path = out_dir / "errors.csv"
            _write_missing_report(missing, result.report_path)
            return result
        with storage.exclusive(db, on_wait=on_wait):
            existing = _already_loaded(db, delivery.fingerprint)
            if existing is not None:
                result.status, result.delivery_id = "already_loaded", existing
                return result
            key = _key_for(delivery, settings)
            spill = storage.private_dir(db, "spill")
            try:
                if direct and _load_directly(delivery, db, mode, key, spill, step, watch, result):
                    return result
                if direct:
                    restart()
                _stage_validate_load(
                    delivery, db, mode, key, out_dir, error_limit, spill, step, watch, result
                )
            finally:
                shutil.rmtree(spill, ignore_errors=True)
            return result
    finally:
        os.umask(previous_umask)


def _key_for(delivery: Delivery, settings: Settings) -> PseudonymKey | None:
    if delivery.person_key_kind != "cpr":
        return None
    try:
        return require_key(settings)
    except PseudonymKeyError as exc:
        raise IngestRefused(str(exc)) from None


def _stage_validate_load(
    delivery: Delivery,
    db: Path,
    mode: str,
    key: PseudonymKey | None,
    out_dir: Path,
    error_limit: int,
    spill: Path,
    step: Callable[[str], None],
    watch: Callable[[duckdb.DuckDBPyConnection], None],
    result: IngestResult,
) -> None:
    """The exact staging; runs under the writer lock; fills in `result`."""
    con = _staging_connection(db, spill)
    watch(con)
    try:
        _check_key(con, key)
        _check_persons_present(con, delivery)
        try:
            stage(con, delivery, key, step)
        except DeliveryError as exc:
            raise IngestRefused(str(exc)) from None
        validate(con, delivery, step)
        if "messages" in delivery.files:
            notifications.add_problems(con, delivery.files["messages"].bundles)
        report.prepare_texts(con, delivery)
        result.tables = _table_results(con, delivery)
        result.error_total = con.execute("SELECT count(*) FROM errors").fetchone()[0]
        if result.error_total:
            result.first_errors = report.first_errors(con, error_limit)
            result.error_counts = report.counts_by_rule(con)
            result.report_path = out_dir / "errors.csv"
            report.write_error_report(con, result.report_path)
            if mode == "strict":
                return
            result.quarantine_files = report.write_quarantine(con, delivery, out_dir / "quarantine")
        result.delivery_id = _publish(con, db, delivery, mode, result.tables, key, step)
        result.status, result.route = "loaded", "staged"
    finally:
        con.close()


def _load_directly(
    delivery: Delivery,
    db: Path,
    mode: str,
    key: PseudonymKey | None,
    spill: Path,
    step: Callable[[str], None],
    watch: Callable[[duckdb.DuckDBPyConnection], None],
    result: IngestResult,
) -> bool:
    """The direct load (`direct.py`); True when it loaded and published the delivery."""
    con = _staging_connection(db, spill)
    watch(con)
    try:
        _check_key(con, key)
        _check_persons_present(con, delivery)
        written = direct_load.attempt(con, delivery, db, key, step)
        if written is None:
            return False
        copy, delivery_id = written
        result.tables = _table_results(con, delivery)
        _record_delivery(con, delivery, mode, result.tables, key, delivery_id, schema="wh")
        for t in load_order():
            if t.name in delivery.files:
                step(delivery.files[t.name].path.name)
                direct_load.move_into_place(
                    con, t, lambda t=t: _load_table(con, t, delivery_id, schema="wh")
                )
        con.execute("DETACH wh")
        storage.publish(copy, db)
        result.delivery_id, result.status, result.route = delivery_id, "loaded", "direct"
        return True
    finally:
        con.close()
        storage.work_path(db, "db").unlink(missing_ok=True)  # a copy given up on
