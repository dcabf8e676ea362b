"""The audit log: who did what, when, for which unit. Written by ``audit()``, never changed.

Pages that show unsuppressed data call ``audit()`` before the data leaves the server. It
commits at once, so the record is durable even if rendering the page fails afterwards.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tvaers.web.models import AuditEntry, utcnow
from tvaers.web.scope import Principal, UnitRef

CSV_COLUMNS = ("id", "at", "actor", "role", "action", "unit_level", "unit_code", "details")


def audit(
    session: Session,
    user: Principal | str | None,
    action: str,
    unit: UnitRef | tuple[str, str] | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry and commit the session.

    ``user`` is the logged-in user, or a text naming another actor ("cli:root"), or None
    for an anonymous request. ``unit`` is the unit whose data was seen, as (level, code).
    """
    if isinstance(user, Principal):
        actor, role = user.username, user.role
    else:
        actor, role = user or "anonymous", None
    level, code = (unit.level, unit.code) if isinstance(unit, UnitRef) else (unit or (None, None))
    entry = AuditEntry(
        at=utcnow(),
        actor=actor,
        role=role,
        action=action,
        unit_level=level,
        unit_code=code,
        # Round-trip through JSON so a value that cannot be stored fails here, not at commit.
        details=json.loads(json.dumps(dict(details or {}), default=str)),
    )
    session.add(entry)
    session.commit()
    return entry


def audit_many(
    session: Session,
    user: Principal,
    action: str,
    entries: Iterable[tuple[UnitRef, Mapping[str, Any]]],
) -> None:
    """One entry per (unit, details), committed together: a page that reveals several units'
    cells logs each unit without a commit (and an fsync) for each."""
    at = utcnow()
    for unit, details in entries:
        session.add(
            AuditEntry(
                at=at,
                actor=user.username,
                role=user.role,
                action=action,
                unit_level=unit.level,
                unit_code=unit.code,
                details=json.loads(json.dumps(dict(details), default=str)),
            )
        )
    session.commit()


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def entries(session: Session, *, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
    """Newest first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))


def all_entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    """Oldest first, in batches, so an export of a long log does not load it all at once."""
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id).limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].id


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
