"""A delivery on disk: which files it has, what they declare, and its fingerprint.

Only headers and metadata are read here; the rows are read by DuckDB in `staging.py`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from tvaers.i18n import tr
from tvaers.warehouse.contract import PERSON, PERSON_KEY_COLUMNS, TABLES, Table

DELIVERY_META = "delivery.json"
_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?\d{4}(?!\d)")


def scrub_cpr(text: str) -> str:
    """Mask anything CPR-shaped in free text (e.g. a line DuckDB quotes in a parse error)."""
    return _CPR_LIKE.sub(lambda m: m.group(1) + "-xxxx", text)


class DeliveryError(Exception):
    """The delivery cannot be read at all (message is user-facing and CPR-free)."""


@dataclass
class DeliveryFile:
    table: Table
    path: Path
    fmt: str  # "csv" | "parquet"
    header: list[str]
    person_column: str | None = None  # "cpr" | "person_id" for person-level tables
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # Parquet: column → DuckDB type

    def source_column(self, contract_column: str) -> str:
        """The delivered column behind a contract column (the person key is cpr/person_id)."""
        if contract_column == PERSON:
            return self.person_column or PERSON
        return contract_column


@dataclass
class Delivery:
    directory: Path
    source: str | None
    extracted_at: date
    extracted_declared: bool
    files: dict[str, DeliveryFile]
    person_key_kind: str | None
    fingerprint: str
    warnings: list[str]


def _read_meta(directory: Path) -> tuple[str | None, date | None]:
    meta_path = directory / DELIVERY_META
    if not meta_path.exists():
        return None, None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DeliveryError(
            tr(
                f"{DELIVERY_META} er ikke gyldig JSON: {exc}",
                f"{DELIVERY_META} is not valid JSON: {exc}",
            )
        ) from None
    if not isinstance(meta, dict):
        raise DeliveryError(
            tr(f"{DELIVERY_META} skal være et objekt", f"{DELIVERY_META} must be an object")
        )
    extracted = meta.get("extracted_at")
    extracted_date = None
    if extracted is not None:
        try:
            extracted_date = date.fromisoformat(str(extracted)[:10])
        except ValueError:
            raise DeliveryError(
                tr(
                    f"{DELIVERY_META}: extracted_at={extracted!r} er ikke en dato (ÅÅÅÅ-MM-DD)",
                    f"{DELIVERY_META}: extracted_at={extracted!r} is not a date (YYYY-MM-DD)",
                )
            ) from None
    source = meta.get("source")
    return (str(source) if source is not None else None), extracted_date


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return next(csv.reader(fh), [])
    except UnicodeDecodeError:
        raise DeliveryError(
            tr(f"{path.name}: filen er ikke UTF-8", f"{path.name}: the file is not UTF-8")
        ) from None


def _parquet_columns(path: Path) -> list[tuple[str, str]]:
    """(name, DuckDB type) of each column."""
    try:
        rows = duckdb.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as exc:
        raise DeliveryError(
            tr(
                f"{path.name}: kan ikke læses som Parquet: {scrub_cpr(str(exc))}",
                f"{path.name}: cannot be read as Parquet: {scrub_cpr(str(exc))}",
            )
        ) from None
    return [(r[0], r[1]) for r in rows]


def _describe_file(t: Table, path: Path, fmt: str) -> DeliveryFile:
    columns = [] if fmt == "csv" else _parquet_columns(path)
    header = _csv_header(path) if fmt == "csv" else [name for name, _ in columns]
    types = dict(columns)
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise DeliveryError(
            tr(
                f"{path.name}: kolonnen {', '.join(dupes)} står flere gange i overskriften",
                f"{path.name}: column {', '.join(dupes)} appears more than once in the header",
            )
        )
    f = DeliveryFile(t, path, fmt, header, types=types)
    expected = {c.name for c in t.columns} - {PERSON}
    if any(c.name == PERSON for c in t.columns):
        keys = [k for k in PERSON_KEY_COLUMNS if k in header]
        if len(keys) == 2:
            raise DeliveryError(
                tr(
                    f"{path.name}: har både cpr og person_id; en levering bruger én af dem",
                    f"{path.name}: has both cpr and person_id; a delivery uses one of them",
                )
            )
        f.person_column = keys[0] if keys else None
        if not keys:
            f.missing.append("cpr / person_id")
        expected |= set(PERSON_KEY_COLUMNS)
    f.missing += [c for c in t.required_columns if c != PERSON and c not in header]
    f.unknown = [h for h in header if h not in expected]
    return f


def fingerprint(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of the delivery's files, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


def open_delivery(directory: Path, now: datetime | None = None) -> Delivery:
    directory = Path(directory)
    if not directory.is_dir():
        raise DeliveryError(
            tr(
                f"Leveringen {directory} er ikke en mappe",
                f"The delivery {directory} is not a directory",
            )
        )
    source, extracted = _read_meta(directory)
    warnings: list[str] = []
    files: dict[str, DeliveryFile] = {}
    known = {f"{t.name}.{ext}" for t in TABLES for ext in ("csv", "parquet")} | {DELIVERY_META}
    for path in sorted(directory.iterdir()):
        # Only data-like files are worth a warning: a misnamed table would otherwise be
        # silently missing. A README beside the data is normal.
        data_like = path.suffix in (".csv", ".parquet", ".json")
        if path.is_file() and data_like and path.name not in known:
            warnings.append(
                tr(
                    f"{path.name}: ukendt fil ignoreres",
                    f"{path.name}: unknown file, ignored",
                )
            )
    for t in TABLES:
        found = [(directory / f"{t.name}.{ext}", ext) for ext in ("csv", "parquet")]
        found = [(p, ext) for p, ext in found if p.exists()]
        if len(found) == 2:
            raise DeliveryError(
                tr(
                    f"{t.name} findes både som .csv og .parquet; lever én af dem",
                    f"{t.name} is delivered both as .csv and .parquet; deliver one of them",
                )
            )
        if found:
            files[t.name] = _describe_file(t, *found[0])
    if not files:
        raise DeliveryError(
            tr(
                f"{directory} indeholder ingen tabelfiler (fx persons.csv)",
                f"{directory} contains no table files (e.g. persons.csv)",
            )
        )
    for f in files.values():
        for col in f.unknown:
            warnings.append(
                tr(
                    f"{f.path.name}: ukendt kolonne {col!r} ignoreres",
                    f"{f.path.name}: unknown column {col!r} ignored",
                )
            )
    kinds = {f.person_column for f in files.values() if f.person_column}
    if len(kinds) > 1:
        raise DeliveryError(
            tr(
                "Leveringen blander cpr og person_id; én levering bruger én personnøgle",
                "The delivery mixes cpr and person_id; one delivery uses one person key",
            )
        )
    paths = [f.path for f in files.values()]
    if (directory / DELIVERY_META).exists():
        paths.append(directory / DELIVERY_META)
    return Delivery(
        directory=directory,
        source=source,
        extracted_at=extracted or (now or datetime.now()).date(),
        extracted_declared=extracted is not None,
        files=files,
        person_key_kind=kinds.pop() if kinds else None,
        fingerprint=fingerprint(paths),
        warnings=warnings,
    )
