"""Run one ingest in this process and time where it goes, statement by statement.

    .venv/bin/python benchmarks/stage_profile.py DELIVERY_DIR --db PATH [--json OUT]

`tvaers ingest` itself is not changed: this wraps the DuckDB connection the ingest opens
(every `execute` is timed and labelled with the function that issued it, and for the
column/row checks with the rule and column) plus the file-level steps around it
(fingerprint, warehouse copy and publication). The numbers are for reading, not for the
headline: use `ingest_benchmark.py` for wall time and memory of the real CLI.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

from tvaers.config import Settings
from tvaers.warehouse import delivery as delivery_mod
from tvaers.warehouse import ingest as ingest_mod
from tvaers.warehouse import storage


class Timings:
    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self.statements: list[tuple[float, str, str]] = []
        self.steps: list[tuple[float, str]] = []

    def add(self, label: str, seconds: float, sql: str = "") -> None:
        self.totals[label] += seconds
        self.counts[label] += 1
        if sql:
            self.statements.append((seconds, label, " ".join(sql.split())[:160]))


TIMINGS = Timings()


def _table_of(frame) -> str | None:
    """The contract table a statement works on, from the issuing frame's locals."""
    loc = frame.f_locals
    for candidate in (getattr(loc.get("self"), "t", None), loc.get("t")):
        if hasattr(candidate, "columns") and hasattr(candidate, "name"):
            return candidate.name
    f = loc.get("f")
    return f.table.name if hasattr(f, "table") else None


# Functions that loop over tables but issue statements for the whole delivery (their
# loop variable would name the wrong table); labelled with the statement's verb instead.
_WHOLE_DELIVERY = {
    "_publish",
    "_record_delivery",
    "_staging_connection",
    "_stage_validate_load",
    "_load_directly",
    "_attempt",
    "ingest",
}


def _label(sql: str) -> str:
    """Who issued the statement: module.function, for validation checks the rule and
    column, and the table it works on."""
    frame = sys._getframe(2)
    code = frame.f_code
    module = Path(code.co_filename).stem
    if code.co_name == "add" and module == "validate":
        rule, column = frame.f_locals.get("rule"), frame.f_locals.get("column")
        label = f"validate.{frame.f_back.f_code.co_name}[{rule}:{column}]"
    else:
        label = f"{module}.{code.co_name}"
    if code.co_name in _WHOLE_DELIVERY:
        return f"{label} [{' '.join(str(sql).split()[:1]).upper()}]"
    table = _table_of(frame)
    return f"{label} ({table})" if table else label


class TimedConnection:
    """Forwards everything to the DuckDB connection; times `execute`."""

    def __init__(self, con) -> None:
        self._con = con

    def execute(self, sql, *args, **kwargs):
        label = _label(sql)
        t = time.perf_counter()
        result = self._con.execute(sql, *args, **kwargs)
        TIMINGS.add(label, time.perf_counter() - t, sql)
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def _timed(label: str, fn):
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMINGS.add(label, time.perf_counter() - t)

    return wrapper


def _install() -> None:
    original_connection = ingest_mod._staging_connection
    ingest_mod._staging_connection = lambda db, spill: TimedConnection(
        original_connection(db, spill)
    )
    delivery_mod.fingerprint = _timed(
        "files.fingerprint (sha256 over the files)", delivery_mod.fingerprint
    )
    ingest_mod.open_delivery = _timed(
        "files.open_delivery (headers + fingerprint)", ingest_mod.open_delivery
    )
    storage.prepare_copy = _timed(
        "files.prepare_copy (copy of the warehouse)", storage.prepare_copy
    )
    storage.publish = _timed("files.publish (fsync + rename)", storage.publish)


def run(delivery: Path, db: Path, mode: str = "strict", memory_limit: str | None = None) -> dict:
    _install()
    if memory_limit:
        # An experiment knob: what the staging memory limit costs or saves.
        os.environ["TVAERS_INGEST_MEMORY_LIMIT"] = memory_limit
    started = time.perf_counter()

    def step(name: str) -> None:
        TIMINGS.steps.append((time.perf_counter() - started, name))

    result = ingest_mod.ingest(delivery, db, mode=mode, step=step)
    total = time.perf_counter() - started
    by_label = sorted(TIMINGS.totals.items(), key=lambda kv: -kv[1])
    slowest = sorted(TIMINGS.statements, reverse=True)[:15]
    return {
        "status": result.status,
        "route": result.route,
        "staging_memory_limit": Settings.from_env().ingest_memory_limit,
        "delivered": result.delivered,
        "loaded": result.loaded,
        "quarantined": result.quarantined,
        "errors": result.error_total,
        "error_counts": [[r, n] for r, _, n in result.error_counts],
        "seconds_total": round(total, 3),
        "by_label": [
            {"label": k, "seconds": round(v, 3), "statements": TIMINGS.counts[k]}
            for k, v in by_label
        ],
        "slowest_statements": [
            {"seconds": round(s, 3), "label": label, "sql": sql} for s, label, sql in slowest
        ],
        "steps": [{"at": round(t, 3), "file": name} for t, name in TIMINGS.steps],
    }


def render(profile: dict, top: int = 25) -> str:
    total = profile["seconds_total"]
    lines = [
        f"ingest in-process: {total:.1f} s, status {profile['status']} "
        f"({profile.get('route') or 'not loaded'}), "
        f"{profile['loaded']:,} loaded + {profile['quarantined']:,} quarantined",
        "",
        "| seconds | % | statements | where |",
        "|---:|---:|---:|---|",
    ]
    for row in profile["by_label"][:top]:
        pct = 100 * row["seconds"] / total if total else 0
        lines.append(f"| {row['seconds']:.2f} | {pct:.0f} | {row['statements']} | {row['label']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("delivery", type=Path)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--on-error", default="strict", choices=("strict", "quarantine"))
    parser.add_argument("--json", type=Path, help="write the profile here as JSON")
    parser.add_argument(
        "--memory-limit", help="override the ingest's staging memory limit (e.g. 12GB)"
    )
    args = parser.parse_args(argv)
    profile = run(args.delivery, args.db, args.on_error, args.memory_limit)
    if args.json:
        args.json.write_text(json.dumps(profile, indent=2), encoding="utf-8")
    print(render(profile))
    return 0 if profile["status"] == "loaded" else 1


if __name__ == "__main__":
    sys.exit(main())
