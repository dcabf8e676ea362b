"""Making packs: one (the CLI's `pack`, the web's download) or every unit of a level in
parallel processes (`packs`).

The result set is read once per process: the parent checks the request on it, and each
worker process reads it once and makes many packs from it; so is the application database
(the registry sections), opened by URL in each process. Each pack is written whole or not
at all (a temporary file renamed into place).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tvaers.indicators.results import NoResults, open_results, results_path
from tvaers.reports import render
from tvaers.reports.appdb import registries
from tvaers.reports.content import build, check_request
from tvaers.reports.operator import access_for
from tvaers.web.access import Access
from tvaers.web.results_store import Snapshot

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Made:
    data: bytes
    unit_name: str
    period: str
    fingerprint: str
    seconds: float
    revealed: dict[tuple[str, str, str, str], int]  # (level, code, indicator, period)


@dataclass(frozen=True)
class MadeAll:
    files: list[Path]
    seconds: float


def open_snapshot(db: Path) -> Snapshot:
    """The published result set of the warehouse ``db`` (NoResults when there is none)."""
    open_results(db).close()  # the library's own check and message when there is none
    st = os.stat(results_path(db))
    return Snapshot.open(db, (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size))


def make_pack(
    snap: Snapshot,
    level: str,
    code: str,
    period: str | None,
    lang: str,
    fmt: str,
    unsuppressed: bool = False,
    *,
    access: Access | None = None,
    made: date | None = None,
    warehouse: Path | None = None,
    sessions: Callable[[], Session] | None = None,
) -> Made:
    """One pack: for an operator (suppressed, or all unsuppressed), or for a web user's
    ``access``; ``sessions`` opens the application database of the registry sections."""
    start = time.perf_counter()
    chosen = access if access is not None else access_for(snap, unsuppressed)
    pack = build(
        snap,
        chosen,
        level,
        code,
        period=period,
        lang=lang,
        made=made,
        confidential=unsuppressed,
        warehouse=warehouse,
        sessions=sessions,
    )
    data = render.render(pack, fmt)
    return Made(
        data,
        pack.unit.name,
        pack.period,
        pack.fingerprint,
        time.perf_counter() - start,
        pack.revealed,
    )


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def pack_name(level: str, code: str, period: str, fmt: str = "pdf") -> str:
    return f"datapakke-{level}-{code}-{period}.{fmt}"


# A worker process's state: the result set it read once and what every pack shares.
_WORKER: dict[str, object] = {}


def _start_worker(
    db: Path, level: str, period: str, lang: str, out_dir: Path, app_db_url: str | None
) -> None:
    # Open for the worker's life (kept in _WORKER): the process ends when the pool is done.
    stack = ExitStack()
    found = stack.enter_context(registries(app_db_url))
    _WORKER.update(
        stack=stack,
        snap=open_snapshot(db),
        level=level,
        period=period,
        lang=lang,
        out_dir=out_dir,
        sessions=found.sessions,
    )


def _one(code: str) -> str:
    snap: Snapshot = _WORKER["snap"]  # type: ignore[assignment]
    level, period, lang = _WORKER["level"], _WORKER["period"], _WORKER["lang"]
    out_dir: Path = _WORKER["out_dir"]  # type: ignore[assignment]
    sessions: Callable[[], Session] | None = _WORKER.get("sessions")  # type: ignore[assignment]
    made = make_pack(snap, level, code, period, lang, "pdf", sessions=sessions)  # type: ignore[arg-type]
    target = out_dir / pack_name(level, code, made.period)  # type: ignore[arg-type]
    write_atomically(target, made.data)
    return str(target)


def make_all(
    db: Path,
    snap: Snapshot,
    level: str,
    period: str | None,
    lang: str,
    out_dir: Path,
    workers: int,
    app_db_url: str | None = None,
) -> MadeAll:
    """A PDF pack for every unit of ``level`` in the results, ``workers`` at a time, with
    the registry sections from the application database at ``app_db_url`` (see appdb)."""
    if not snap.units.get(level):
        raise NoResults(str(db))
    codes = list(snap.units[level])
    chosen = check_request(snap, level, codes[0], period)  # the period, checked once
    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    if workers == 1 or len(codes) == 1:
        with registries(app_db_url) as found:
            _WORKER.update(
                snap=snap,
                level=level,
                period=chosen,
                lang=lang,
                out_dir=out_dir,
                sessions=found.sessions,
            )
            try:
                files = [_one(c) for c in codes]
            finally:
                _WORKER.clear()
    else:
        # Spawned, not forked: the chart renderer (vl-convert) runs threads of its own that
        # a forked child would inherit stopped. Each worker reads the result set once.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            min(workers, len(codes)),
            mp_context=context,
            initializer=_start_worker,
            initargs=(db, level, chosen, lang, out_dir, app_db_url),
        ) as pool:
            files = list(pool.map(_one, codes))
    return MadeAll([Path(f) for f in files], time.perf_counter() - start)
