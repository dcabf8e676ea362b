"""The audit log: who did what, when, for which unit. Appended to, never changed.

``audit()`` writes one entry in the caller's session and commits at once (logins, exports
of the log, the CLI). Pages that show unsuppressed data hand their entries to the
application's ``AuditWriter`` (audit_writer.py), which commits them together with those of
concurrent requests; either way the entry is durable before the data leaves the server,
even if rendering the page fails afterwards.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from tvaers.web.models import AuditEntry, utcnow
from tvaers.web.scope import Principal, UnitRef

CSV_COLUMNS = ("id", "at", "actor", "role", "action", "unit_level", "unit_code", "details")


def entry_values(
    user: Principal | str | None,
    action: str,
    unit: UnitRef | tuple[str, str] | None = None,
    details: Mapping[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The columns of one entry.

    ``user`` is the logged-in user, or a text naming another actor ("cli:root"), or None
    for an anonymous request. ``unit`` is the unit whose data was seen, as (level, code).
    """
    if isinstance(user, Principal):
        actor, role = user.username, user.role
    else:
        actor, role = user or "anonymous", None
    level, code = (unit.level, unit.code) if isinstance(unit, UnitRef) else (unit or (None, None))
    return {
        "at": at or utcnow(),
        "actor": actor,
        "role": role,
        "action": action,
        "unit_level": level,
        "unit_code": code,
        # Round-trip through JSON so a value that cannot be stored fails here, in the
        # request that made it, not at a commit shared with others (see audit_writer).
        "details": json.loads(json.dumps(dict(details or {}), default=str)),
    }


def audit(
    session: Session,
    user: Principal | str | None,
    action: str,
    unit: UnitRef | tuple[str, str] | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry and commit the session (logins, exports, the CLI; views of
    unsuppressed data go through the group-committing ``AuditWriter``)."""
    entry = AuditEntry(**entry_values(user, action, unit, details))
    session.add(entry)
    session.commit()
    return entry


# ``where``: conditions on AuditEntry choosing the entries (see audit_filter.py).


def count(session: Session, where: Sequence[ColumnElement[bool]] = ()) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0


def entries(
    session: Session,
    *,
    limit: int = 100,
    offset: int = 0,
    where: Sequence[ColumnElement[bool]] = (),
) -> list[AuditEntry]:
    """Newest first."""
    query = select(AuditEntry).where(*where).order_by(AuditEntry.id.desc())
    return list(session.scalars(query.limit(limit).offset(offset)))


def actions(session: Session) -> list[str]:
    """The actions the log holds, for choosing one."""
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def all_entries(
    session: Session, batch: int = 1000, where: Sequence[ColumnElement[bool]] = ()
) -> Iterator[AuditEntry]:
    """Oldest first, in batches, so an export of a long log does not load it all at once."""
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.id > last, *where)
                .order_by(AuditEntry.id)
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def units_seen(entry: AuditEntry) -> set[tuple[str, str]]:
    """The units whose data the entry records: its unit, and the ``units`` a view of
    unsuppressed data lists in its details ("LEVEL:CODE")."""
    out = {tuple(u.partition(":")[::2]) for u in (entry.details or {}).get("units", ())}
    if entry.unit_level and entry.unit_code:
        out.add((entry.unit_level, entry.unit_code))
    return out  # type: ignore[return-value]


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "role": entry.role,
        "action": entry.action,
        "unit_level": entry.unit_level,
        "unit_code": entry.unit_code,
        "details": entry.details,
    }


def _cell(value: Any) -> str:
    text = "" if value is None else value if isinstance(value, str) else str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet; the log holds text that
    # users typed (user names at failed logins), so it is defused with a leading quote.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(rows: Iterator[AuditEntry]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for entry in rows:
        row = as_dict(entry)
        row["details"] = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
        yield flush()
