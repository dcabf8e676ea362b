"""MedCom HospitalNotification bundles as part of a delivery (transitions.md, "Input 2").

A delivery may hold a folder `hospital_notifications/` of `*.json` files (one Bundle each)
and/or `hospital_notifications.ndjson` (one Bundle a line). Each bundle becomes one row of
`messages` (`medcom.bundle_row`); from there on the rows are staged, pseudonymised and
checked exactly like a flat `messages` file's, with which they may be mixed. A bundle
that gives no row (not JSON, no MessageHeader, …) is an error of its own, named by file,
line and element; in quarantine mode it is listed in the quarantine folder and the rest
loads.

The rows reach DuckDB as an Arrow table registered on the connection (`BUNDLE_RELATION`),
never as a file: they hold the raw CPR until the person map has replaced it.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from tvaers.i18n import tr
from tvaers.safe_text import mask_cpr
from tvaers.sql import lit, q
from tvaers.warehouse.medcom import COLUMNS, BundleProblem, bundle_row

FOLDER = "hospital_notifications"
NDJSON = "hospital_notifications.ndjson"
BUNDLE_RELATION = "bundle_messages"
# A MedCom notification is a few kilobytes; a "bundle" far beyond that is not one, and is
# not read into memory whole.
MAX_BUNDLE_BYTES = 4 * 1024 * 1024
CHUNK = 4 * 1024 * 1024  # an NDJSON file is read in pieces of this size
TABLE = "messages"


class BundleFileError(Exception):
    """A bundle file that must not be read at all (user-facing, CPR-free)."""


@dataclass
class Problem:
    file: str
    line: int | None
    rule: str
    element: str


@dataclass
class BundleSource:
    """The bundles of one delivery: their rows (with the file and line each came from),
    the bundles that gave no row, and the digest of every byte read."""

    paths: list[Path] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""

    @property
    def delivered(self) -> int:
        return len(self.rows) + len(self.problems)

    @property
    def shown_path(self) -> Path:
        return self.paths[0]

    def arrow(self) -> pa.Table:
        names = [*COLUMNS, "_file", "_line", "_idx"]
        data = {c: [r[c] for r in self.rows] for c in COLUMNS}
        data["_file"] = [r["_file"] for r in self.rows]
        data["_line"] = [r["_line"] for r in self.rows]
        data["_idx"] = list(range(1, len(self.rows) + 1))
        types = [pa.string()] * (len(COLUMNS) + 1) + [pa.int64(), pa.int64()]
        return pa.table({n: pa.array(data[n], type=t) for n, t in zip(names, types, strict=True)})


def find(directory: Path) -> tuple[Path | None, Path | None]:
    """The bundle folder and the NDJSON file of a delivery (names matched without regard
    to case, as table files are)."""
    folder = ndjson = None
    for path in directory.iterdir():
        name = path.name.casefold()
        if name == FOLDER and path.is_dir():
            folder = path
        elif name == NDJSON:
            ndjson = path
    return folder, ndjson


def _not_regular(path: Path) -> bool:
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True


def _refuse(shown: str) -> BundleFileError:
    return BundleFileError(
        tr(
            f"{shown}: er ikke en almindelig fil (fx en mappe, en FIFO eller en enhed) og "
            "læses ikke",
            f"{shown}: is not a regular file (e.g. a directory, a FIFO or a device) and is "
            "not read",
        )
    )


def _take(src: BundleSource, data: bytes, shown: str, line: int | None) -> None:
    try:
        row = bundle_row(data)
    except BundleProblem as problem:
        src.problems.append(Problem(shown, line, problem.rule, problem.element))
        return
    row["_file"], row["_line"] = shown, line
    src.rows.append(row)


def _ndjson_lines(path: Path, digest) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of an NDJSON file, read in large chunks (a readline a bundle
    costs more than parsing it); a line longer than MAX_BUNDLE_BYTES is given as None and
    never held whole."""
    number, rest, skipping = 0, b"", False
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            digest.update(chunk)
            if skipping:
                cut = chunk.find(b"\n")
                if cut < 0 and chunk:
                    continue
                chunk, skipping = chunk[cut + 1 :], False
            data = rest + chunk
            if chunk:
                lines = data.split(b"\n")
                rest = lines.pop()
            else:
                lines = [data] if data else []
            for line in lines:
                number += 1
                yield number, (line if len(line) <= MAX_BUNDLE_BYTES else None)
            if not chunk:
                return
            if len(rest) > MAX_BUNDLE_BYTES:
                number += 1
                yield number, None
                rest, skipping = b"", True


def read(folder: Path | None, ndjson: Path | None) -> BundleSource:
    """Every bundle of the folder (files in name order) and of the NDJSON file."""
    src = BundleSource()
    digest = hashlib.sha256()
    if folder is not None:
        src.paths.append(folder)
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if not path.name.casefold().endswith(".json"):
                continue
            shown = mask_cpr(f"{folder.name}/{path.name}")
            if _not_regular(path):
                raise _refuse(shown)
            digest.update(f"{folder.name}/{path.name}".encode() + b"\0")
            if path.stat().st_size > MAX_BUNDLE_BYTES:
                digest.update(str(path.stat().st_size).encode())
                src.problems.append(Problem(shown, None, "bundle_too_large", ""))
                continue
            data = path.read_bytes()
            digest.update(data + b"\0")
            _take(src, data, shown, None)
    if ndjson is not None:
        shown = mask_cpr(ndjson.name)
        if _not_regular(ndjson):
            raise _refuse(shown)
        src.paths.append(ndjson)
        digest.update(ndjson.name.encode() + b"\0")
        for number, line in _ndjson_lines(ndjson, digest):
            if line is None:
                src.problems.append(Problem(shown, number, "bundle_too_large", ""))
            elif line.strip():
                _take(src, line, shown, number)
    src.digest = digest.hexdigest()
    return src


def register(con: duckdb.DuckDBPyConnection, src: BundleSource | None) -> None:
    """The bundle rows as the relation BUNDLE_RELATION on `con` (in memory only)."""
    if src is not None:
        # DuckDB refuses to register while the last statement's result is unread (a DDL's
        # included): a statement whose result is read first clears it.
        con.execute("SELECT 1").fetchall()
        con.register(BUNDLE_RELATION, src.arrow())


def rows_sql(columns: list[str], extra: tuple[str, ...] = ()) -> str:
    """The bundle rows with the given contract columns (text), in bundle order."""
    items = [q(c) for c in columns] + list(extra)
    return f"(SELECT {', '.join(items)} FROM {BUNDLE_RELATION} ORDER BY _idx)"


def append_raw(con: duckdb.DuckDBPyConnection, raw: str, header: list[str]) -> None:
    """Add the bundle rows after a flat file's rows in the staging table `raw`, remember
    where each came from (`row_origins`), and add columns the flat file lacked."""
    have = {r[0] for r in con.execute(f"DESCRIBE {raw}").fetchall()}
    for column in [*header, "_file"]:
        if column not in have:
            con.execute(f"ALTER TABLE {raw} ADD COLUMN {q(column)} VARCHAR")
    if "_line" not in have:
        con.execute(f"ALTER TABLE {raw} ADD COLUMN _line BIGINT")
    wanted = [c for c in header if c in COLUMNS]
    con.execute(f"INSERT INTO {raw} BY NAME SELECT * FROM {rows_sql(wanted, ('_file', '_line'))}")
    con.execute(
        f"INSERT INTO row_origins SELECT {lit(TABLE)}, rowid + 1, _file, _line FROM {raw} "
        "WHERE _file IS NOT NULL"
    )


ORIGINS_DDL = (
    "CREATE OR REPLACE TABLE row_origins (tbl VARCHAR, _row BIGINT, file VARCHAR, line BIGINT)"
)


def add_problems(con: duckdb.DuckDBPyConnection, src: BundleSource | None) -> None:
    """The bundles that gave no row, as errors of `messages` under row numbers below zero
    (no staged row has them), with their file and line in `row_origins`."""
    if src is None or not src.problems:
        return
    con.executemany(
        "INSERT INTO errors VALUES (?, ?, ?, NULL, ?, '')",
        [(TABLE, -i, p.element, p.rule) for i, p in enumerate(src.problems, 1)],
    )
    con.executemany(
        "INSERT INTO row_origins VALUES (?, ?, ?, ?)",
        [(TABLE, -i, p.file, p.line) for i, p in enumerate(src.problems, 1)],
    )
