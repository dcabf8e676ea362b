"""The warehouse file: exclusive writers, atomic publication, read-only readers.

A write never touches the published file. It works on a copy beside it and, when done,
renames the copy over the original in one step. A crash or a kill at any moment leaves the
published warehouse byte-for-byte as it was; readers that already opened it keep their
snapshot, new readers see the new one. The cost is one file copy per load, which is cheap
next to validating a delivery.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from tvaers.i18n import tr

TIMEZONE = "Europe/Copenhagen"


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def _work_prefix(db: Path) -> str:
    return db.name + ".work-"


@contextlib.contextmanager
def exclusive(db: Path, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """One writer at a time per warehouse (an advisory lock file beside it). When another
    writer holds it, `on_wait` is told once and we wait our turn."""
    db.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        _remove_leftovers(db)
        yield
    finally:
        os.close(fd)


def _remove_leftovers(db: Path) -> None:
    """Work files of a writer that was killed; safe to remove while we hold the lock."""
    for path in db.parent.glob(_work_prefix(db) + "*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def work_path(db: Path, suffix: str) -> Path:
    return db.with_name(f"{_work_prefix(db)}{os.getpid()}-{suffix}")


def private_dir(db: Path, suffix: str) -> Path:
    path = work_path(db, suffix)
    path.mkdir(mode=0o700)
    return path


def prepare_copy(db: Path) -> Path:
    """A private copy of the published warehouse (or nothing yet, for a new one)."""
    target = work_path(db, "db")
    if db.exists():
        shutil.copyfile(db, target)
        os.chmod(target, 0o600)
    return target


def publish(copy: Path, db: Path) -> None:
    """Make the finished copy the warehouse, durably and in one step."""
    os.chmod(copy, 0o600)  # health data: owner only, whoever created the file
    with open(copy, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(copy, db)
    dir_fd = os.open(db.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def configure(con: duckdb.DuckDBPyConnection) -> None:
    """Session settings every Tværs connection uses: Danish local time for dates."""
    con.execute(f"SET TimeZone = '{TIMEZONE}'")


def connect_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    if not db.exists():
        raise FileNotFoundError(
            tr(f"Lageret {db} findes ikke endnu", f"The warehouse {db} does not exist yet")
        )
    con = duckdb.connect(str(db), read_only=True)
    configure(con)
    return con
