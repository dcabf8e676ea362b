"""A delivery on disk: which files it has, what they declare, and its fingerprint.

Only headers and metadata are read here; the rows are read by DuckDB in `staging.py`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from tvaers.i18n import tr
from tvaers.safe_text import mask_cpr
from tvaers.warehouse.contract import PERSON, PERSON_KEY_COLUMNS, TABLES, TABLES_BY_NAME, Table
from tvaers.warehouse.linescan import LineScan, scan_files
from tvaers.warehouse.linescan import fingerprint as fingerprint  # its old home, still imported
from tvaers.warehouse.medcom import COLUMNS as BUNDLE_COLUMNS
from tvaers.warehouse.notifications import BundleFileError, BundleSource
from tvaers.warehouse.notifications import find as find_bundles
from tvaers.warehouse.notifications import read as read_bundles

DELIVERY_META = "delivery.json"
# A header names at most a few dozen short columns; anything near this is not a header, and
# reading on would hold an arbitrarily long first line (a file without line breaks) in memory.
HEADER_LIMIT = 64 * 1024
# delivery.json holds two short fields; a larger file is not a delivery description.
META_LIMIT = 64 * 1024
YEAR_RANGE = (1900, 2100)  # contract v1.1: dates and date-times lie in these years

# Kept under its old name: the CPR masking lives in tvaers.safe_text (one rule for every
# output path).
scrub_cpr = mask_cpr


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
    lines: LineScan | None = None  # CSV: the line count the rows read must account for
    # messages: MedCom bundles delivered beside (or instead of) the flat file; `header` then
    # also names the columns the bundles fill, and `file_header` is the flat file's own
    bundles: BundleSource | None = None
    file_header: list[str] | None = None

    @property
    def own_header(self) -> list[str]:
        """The columns of the delivered file itself (none when only bundles came)."""
        return self.header if self.file_header is None else self.file_header

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


def _meta_error(da: str, en: str) -> DeliveryError:
    return DeliveryError(tr(f"{DELIVERY_META}: {da}", f"{DELIVERY_META}: {en}"))


def _read_meta(path: Path | None, load_day: date) -> tuple[str | None, date | None]:
    """(source, extracted_at) from delivery.json, checked by contract v1.1: extracted_at an
    exact YYYY-MM-DD within the contract's years and not after the day after the load."""
    if path is None:
        return None, None
    with path.open("rb") as fh:
        raw = fh.read(META_LIMIT + 1)
    if len(raw) > META_LIMIT:
        raise _meta_error(
            f"filen er større end {META_LIMIT // 1024} KiB",
            f"the file exceeds {META_LIMIT // 1024} KiB",
        )
    try:
        meta = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _meta_error("filen er ikke UTF-8", "the file is not UTF-8") from None
    except ValueError as exc:
        raise _meta_error(
            f"er ikke gyldig JSON: {mask_cpr(str(exc))}",
            f"is not valid JSON: {mask_cpr(str(exc))}",
        ) from None
    except RecursionError:
        raise _meta_error(
            "er ikke gyldig JSON: for dybt indlejret", "is not valid JSON: nested too deeply"
        ) from None
    if not isinstance(meta, dict):
        raise _meta_error("skal være et objekt", "must be an object")
    source = meta.get("source")
    if source is not None and not isinstance(source, str):
        raise _meta_error("source skal være en tekst", "source must be a text")
    if source is not None and mask_cpr(source) != source:
        raise _meta_error(
            "source indeholder noget, der ligner et CPR-nummer",
            "source contains something shaped like a CPR number",
        )
    extracted = meta.get("extracted_at")
    if extracted is None:
        return source, None
    shown = mask_cpr(str(extracted))[:40]
    try:
        if not (isinstance(extracted, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", extracted)):
            raise ValueError
        extracted_date = date.fromisoformat(extracted)
    except ValueError:
        raise _meta_error(
            f"extracted_at={shown!r} er ikke en dato (præcis ÅÅÅÅ-MM-DD)",
            f"extracted_at={shown!r} is not a date (exactly YYYY-MM-DD)",
        ) from None
    if not YEAR_RANGE[0] <= extracted_date.year <= YEAR_RANGE[1]:
        raise _meta_error(
            f"extracted_at={shown} ligger uden for årene {YEAR_RANGE[0]}–{YEAR_RANGE[1]}",
            f"extracted_at={shown} lies outside the years {YEAR_RANGE[0]}–{YEAR_RANGE[1]}",
        )
    if extracted_date > load_day + timedelta(days=1):
        raise _meta_error(
            f"extracted_at={shown} ligger mere end en dag efter indlæsningen ({load_day})",
            f"extracted_at={shown} lies more than a day after the load ({load_day})",
        )
    return source, extracted_date


def _csv_header(path: Path) -> list[str]:
    """The header row, read from at most HEADER_LIMIT bytes (the rows are DuckDB's to read)."""
    with path.open("rb") as fh:
        head = fh.read(HEADER_LIMIT + 1)
    end = head.find(b"\n")
    if end < 0 and len(head) > HEADER_LIMIT:
        raise DeliveryError(
            tr(
                f"{path.name}, linje 1: overskriften er længere end {HEADER_LIMIT // 1024} KiB",
                f"{path.name}, line 1: the header is longer than {HEADER_LIMIT // 1024} KiB",
            )
        )
    line = head if end < 0 else head[:end]
    if b"\0" in line:
        raise DeliveryError(
            tr(
                f"{path.name}, linje 1: overskriften indeholder NUL-tegn",
                f"{path.name}, line 1: the header contains NUL characters",
            )
        )
    try:
        text = line.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        raise DeliveryError(
            tr(f"{path.name}: filen er ikke UTF-8", f"{path.name}: the file is not UTF-8")
        ) from None
    try:
        header = next(csv.reader([text]), [])
    except csv.Error as exc:
        raise DeliveryError(
            tr(
                f"{path.name}, linje 1: overskriften kan ikke læses som CSV ({exc})",
                f"{path.name}, line 1: the header cannot be read as CSV ({exc})",
            )
        ) from None
    if any(not h.strip() for h in header):
        raise DeliveryError(
            tr(
                f"{path.name}, linje 1: en kolonne i overskriften har intet navn",
                f"{path.name}, line 1: a column in the header has no name",
            )
        )
    return header


def _first_line(exc: Exception) -> str:
    """A library's explanation without the query it echoes below it (CPR masked)."""
    return mask_cpr(next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), ""))


def _parquet_names(path: Path) -> list[str]:
    """The file's top-level column names as stored: DuckDB renames a repeated name
    (`sex`, `sex_1`), which would hide a second `sex` column."""
    rows = duckdb.execute(
        "SELECT name, coalesce(num_children, 0) FROM parquet_schema(?)", [str(path)]
    ).fetchall()
    names: list[str] = []
    pending = [rows[0][1]] if rows else []  # children still to visit, per open level
    for name, children in rows[1:]:
        if len(pending) == 1:
            names.append(name)
        pending[-1] -= 1
        if children:
            pending.append(children)
        while len(pending) > 1 and pending[-1] == 0:
            pending.pop()
    return names


def _parquet_columns(path: Path) -> list[tuple[str, str]]:
    """(name, DuckDB type) of each column."""
    try:
        rows = duckdb.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        stored = _parquet_names(path)
    except duckdb.Error as exc:
        raise DeliveryError(
            tr(
                f"{path.name}: kan ikke læses som Parquet: {_first_line(exc)}",
                f"{path.name}: cannot be read as Parquet: {_first_line(exc)}",
            )
        ) from None
    dupes = sorted({n for n in stored if stored.count(n) > 1})
    if dupes:
        raise DeliveryError(
            tr(
                f"{path.name}: kolonnen {mask_cpr(', '.join(dupes))} står flere gange i filen",
                f"{path.name}: column {mask_cpr(', '.join(dupes))} appears more than once",
            )
        )
    return [(r[0], r[1]) for r in rows]


def _describe_file(t: Table, path: Path, fmt: str) -> DeliveryFile:
    columns = [] if fmt == "csv" else _parquet_columns(path)
    header = _csv_header(path) if fmt == "csv" else [name for name, _ in columns]
    types = dict(columns)
    # DuckDB's column names ignore case, so `sex` and `SEX` are one column twice.
    folded = [h.casefold() for h in header]
    dupes = sorted({h for h in header if folded.count(h.casefold()) > 1})
    if dupes:
        shown = mask_cpr(", ".join(dupes))
        raise DeliveryError(
            tr(
                f"{path.name}: kolonnen {shown} står flere gange i overskriften",
                f"{path.name}: column {shown} appears more than once in the header",
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


def _not_regular(path: Path) -> DeliveryError | None:
    """A directory, FIFO or device under a table's name is an error, found without opening
    it (opening a FIFO waits for a writer for ever)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = 0
    if stat.S_ISREG(mode):
        return None
    return DeliveryError(
        tr(
            f"{mask_cpr(path.name)}: er ikke en almindelig fil (fx en mappe, en FIFO eller en "
            "enhed) og læses ikke",
            f"{mask_cpr(path.name)}: is not a regular file (e.g. a directory, a FIFO or a "
            "device) and is not read",
        )
    )


def _match_files(directory: Path) -> tuple[dict[str, list[Path]], list[Path], list[str]]:
    """Table files by table (names matched without regard to case), delivery.json files,
    and warnings for data-like files that match nothing."""
    by_table: dict[str, list[Path]] = {}
    metas: list[Path] = []
    warnings: list[str] = []
    table_names = {t.name for t in TABLES}
    for path in sorted(directory.iterdir()):
        name = path.name.casefold()
        stem, _, ext = name.rpartition(".")
        if name == DELIVERY_META:
            metas.append(path)
        elif ext in ("csv", "parquet") and stem in table_names:
            by_table.setdefault(stem, []).append(path)
        elif name in ("hospital_notifications", "hospital_notifications.ndjson"):
            pass  # MedCom bundles (notifications.py)
        elif ext in ("csv", "parquet", "json"):
            # Only data-like files are worth a warning: a misnamed table would otherwise be
            # silently missing. A README beside the data is normal.
            warnings.append(
                tr(
                    f"{mask_cpr(path.name)}: ukendt fil ignoreres",
                    f"{mask_cpr(path.name)}: unknown file, ignored",
                )
            )
    return by_table, metas, warnings


def _several_files(paths: list[Path]) -> DeliveryError:
    names = mask_cpr(", ".join(p.name for p in paths))
    table_name = paths[0].name.casefold().rpartition(".")[0]
    if len({p.suffix.casefold() for p in paths}) > 1:
        return DeliveryError(
            tr(
                f"{table_name} findes både som .csv og .parquet ({names}); lever én af dem",
                f"{table_name} is delivered both as .csv and .parquet ({names}); "
                "deliver one of them",
            )
        )
    return DeliveryError(
        tr(
            f"{names}: flere filer for samme tabel ({table_name}); lever én af dem",
            f"{names}: several files for one table ({table_name}); deliver one of them",
        )
    )


def _bundles(directory: Path, files: dict[str, DeliveryFile]) -> BundleSource | None:
    """Read the delivery's MedCom bundles, if any, into its `messages` file: beside a flat
    messages file, or as the only source of the table."""
    folder, ndjson = find_bundles(directory)
    if folder is None and ndjson is None:
        return None
    try:
        src = read_bundles(folder, ndjson)
    except BundleFileError as exc:
        raise DeliveryError(str(exc)) from None
    f = files.get("messages")
    if f is None:
        f = files["messages"] = DeliveryFile(
            TABLES_BY_NAME["messages"], src.shown_path, "bundles", [], person_column="cpr"
        )
        f.file_header = []
    elif f.person_column == "person_id":
        raise DeliveryError(
            tr(
                f"{f.path.name}: bruger person_id, men MedCom-adviserne bærer CPR-nummeret; "
                "én levering bruger én personnøgle",
                f"{f.path.name}: uses person_id, but the MedCom notifications carry the CPR "
                "number; one delivery uses one person key",
            )
        )
    else:
        f.file_header = list(f.header)
        f.types = {}  # every value as text, as the bundles' values are
        f.person_column = f.person_column or "cpr"
    f.bundles = src
    f.header = list(f.own_header) + [
        c for c in BUNDLE_COLUMNS if c not in f.own_header and c not in PERSON_KEY_COLUMNS
    ]
    if "cpr" not in f.header:
        f.header.append("cpr")
    return src


def open_delivery(directory: Path, now: datetime | None = None) -> Delivery:
    directory = Path(directory)
    if not directory.is_dir():
        raise DeliveryError(
            tr(
                f"Leveringen {directory} er ikke en mappe",
                f"The delivery {directory} is not a directory",
            )
        )
    by_table, metas, warnings = _match_files(directory)
    for paths in [*by_table.values(), metas]:
        if len(paths) > 1:
            raise _several_files(paths)
        for path in paths:
            if problem := _not_regular(path):
                raise problem
    load_day = (now or datetime.now()).date()
    source, extracted = _read_meta(metas[0] if metas else None, load_day)
    files: dict[str, DeliveryFile] = {}
    for t in TABLES:
        if t.name in by_table:
            path = by_table[t.name][0]
            files[t.name] = _describe_file(t, path, path.suffix.casefold().lstrip("."))
    bundles = _bundles(directory, files)
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
                    f"{f.path.name}: ukendt kolonne {mask_cpr(repr(col))} ignoreres",
                    f"{f.path.name}: unknown column {mask_cpr(repr(col))} ignored",
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
    paths = [f.path for f in files.values() if f.fmt != "bundles"] + metas
    digest, scans = scan_files(paths, {f.path for f in files.values() if f.fmt == "csv"})
    if bundles is not None:
        digest = hashlib.sha256(f"{digest}:{bundles.digest}".encode()).hexdigest()
    for f in files.values():
        f.lines = scans.get(f.path)
        if f.lines and f.lines.nul_line:
            raise DeliveryError(
                tr(
                    f"{f.path.name}, linje {f.lines.nul_line}: indeholder NUL-tegn (en beskadiget "
                    "eller afkortet fil?); rækken kan ikke læses",
                    f"{f.path.name}, line {f.lines.nul_line}: contains NUL characters (a damaged "
                    "or truncated file?); the row cannot be read",
                )
            )
    return Delivery(
        directory=directory,
        source=source,
        extracted_at=extracted or load_day,
        extracted_declared=extracted is not None,
        files=files,
        person_key_kind=kinds.pop() if kinds else None,
        fingerprint=digest,
        warnings=warnings,
    )
