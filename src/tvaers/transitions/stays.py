"""`tvaers transitions stays`: the notified stays for an analyst's own work
(transitions.md, "Command line"): one row per stay with the person's pseudonym (the
warehouse's person key, never a CPR number), the episode ids, admission, end, end kind,
class and days on leave.

The stays are built by the same building block as the indicators (indicators/notified.py)
on the DuckDB engine, and written whole to a private file that replaces the target in one
step: a failure leaves no partial file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tvaers.i18n import tr
from tvaers.indicators import notified
from tvaers.indicators.engine import ComputeError, DuckDBEngine
from tvaers.sql import lit, text_list
from tvaers.warehouse import storage

FORMATS = ("csv", "parquet")
COLUMNS = (
    "person_key",
    "episode_ids",
    "admitted_at",
    "ended_at",
    "end_kind",
    "class",
    "leave_days",
)


class StaysError(Exception):
    """The stays cannot be written (user-facing message)."""


@dataclass(frozen=True)
class Written:
    path: Path
    rows: int


def _extracted(con) -> date:
    row = con.execute("SELECT max(extracted_at) FROM wh.main.deliveries").fetchone()
    if row is None or row[0] is None:
        raise StaysError(tr("Lageret har ingen leveringer.", "The warehouse holds no deliveries."))
    return row[0] if isinstance(row[0], date) else date.fromisoformat(str(row[0])[:10])


def write_stays(
    db: Path, out: Path, fmt: str, municipalities: frozenset[str] | None = None
) -> Written:
    """Write the notified stays of `db` to `out`; with `municipalities`, only the stays of
    people who lived in one of them on the admission date (an analyst's scope)."""
    if fmt not in FORMATS:
        raise StaysError(tr(f"ukendt format {fmt!r}", f"unknown format {fmt!r}"))
    if not db.exists():
        raise StaysError(tr(f"Lageret {db} findes ikke.", f"The warehouse {db} does not exist."))
    try:
        engine = DuckDBEngine(db)
    except ComputeError as exc:
        raise StaysError(str(exc)) from None
    try:
        notified.build(engine, _extracted(engine.con))
        where = ""
        if municipalities is not None:
            where = (
                "WHERE EXISTS (SELECT 1 FROM in_residence r WHERE r.person_no = s.person_no "
                "AND r.valid_from <= s.admit_day AND (r.valid_to IS NULL OR r.valid_to > "
                f"s.admit_day) AND r.municipality_code IN ({text_list(sorted(municipalities))}))"
                if municipalities
                else "WHERE FALSE"
            )
        query = f"""
            SELECT p.person_key, s.episodes AS episode_ids,
                   to_timestamp(s.admit_t) AS admitted_at, to_timestamp(s.end_t) AS ended_at,
                   s.end_kind, s.class, round(s.leave_seconds / 86400, 2) AS leave_days
            FROM (SELECT *, CAST(to_timestamp(admit_t) AS DATE) AS admit_day
                  FROM b_notified_stays) s
            JOIN wh.main.persons p ON p.person_no = s.person_no
            {where}
            ORDER BY p.person_key, s.admit_t"""
        out.parent.mkdir(parents=True, exist_ok=True)
        work = storage.work_path(out, "stays")
        options = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER)"
        try:
            engine.con.execute(f"COPY ({query}) TO {lit(str(work))} {options}")
            rows = engine.con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
            storage.publish(work, out)
        finally:
            work.unlink(missing_ok=True)  # after a failure: no partial file left behind
    finally:
        engine.close()
    return Written(out, rows)
