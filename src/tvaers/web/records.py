"""What every registry domain shares, written once: a version on every record (optimistic
concurrency), the history of every change (who, when, before/after) and its line in the
audit log.

A domain's table mixes in ``Versioned`` (models.py); its service creates, changes and
deletes records only through ``create``, ``update`` and ``delete`` here, which

- refuse a save made from a stale copy (``StaleEdit``: the version the editor started from
  is not the stored one — someone saved in between), and nothing is written;
- append a ``ChangeEntry`` with the values before and after, in the same transaction;
- append an entry to the audit log, in the same transaction.

Why a version number and not a lock: registry pages are edited by secretariats over
minutes, in several browsers; a lock would be held by whoever forgot a tab. A version costs
nothing until two people really do edit the same record, and then the second is told and
keeps what they typed (the page shows both).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from fastapi import HTTPException
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tvaers.i18n import tr
from tvaers.web.audit import entry_values
from tvaers.web.models import AuditEntry, ChangeEntry
from tvaers.web.scope import Principal

Actor = Principal | str
R = TypeVar("R")


class StaleEdit(Exception):
    """The record changed since the editor read it; nothing was saved."""

    def __init__(self, entity: str, record_id: Any, expected: int, stored: int | None) -> None:
        self.entity, self.record_id = entity, record_id
        self.expected, self.stored = expected, stored
        super().__init__(self.message())

    def message(self, tr: Callable[[str, str], str] = tr) -> str:
        if self.stored is None:
            return tr(
                "Posten er slettet af en anden, mens du redigerede den. Intet er gemt.",
                "Someone else deleted the record while you were editing it. Nothing was saved.",
            )
        return tr(
            f"En anden har gemt en ny udgave (version {self.stored}), mens du redigerede "
            f"version {self.expected}. Intet er gemt: se den nye udgave, og gem dine "
            "ændringer igen.",
            f"Someone else saved a new version ({self.stored}) while you were editing "
            f"version {self.expected}. Nothing was saved: look at the new version and save "
            "your changes again.",
        )


def require(session: Session, model: type[Any], key: Any) -> Any:
    """The record of ``model`` with this primary key, or 404: a page or a form of a record
    that is not there."""
    found = session.get(model, key)
    if found is None:
        raise HTTPException(404)
    return found


def require_right(allowed: bool, why: str) -> None:
    """403 with ``why`` (in the user's language, naming the record and the scope) unless
    the user may make this edit."""
    if not allowed:
        raise HTTPException(403, why)


def require_editable(
    session: Session,
    model: type[R],
    key: Any,
    may: Callable[[R], bool],
    why: Callable[[R], str],
) -> R:
    """The record of ``model`` with this primary key, if the user may edit it: 404 when it
    is not there, else 403 with ``why(record)`` unless ``may(record)``. Every edit of a
    registry page starts so, and ``why`` needs the record to name it and its scope."""
    found = require(session, model, key)
    require_right(may(found), why(found))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _secret(value: Any) -> str | None:
    # Enough to see *that* a secret changed, nothing to learn it from.
    if value is None:
        return None
    return "•" + hashlib.sha256(str(value).encode()).hexdigest()[:8]


def snapshot(record: Any, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The record's column values as JSON-safe data (what the history keeps). Columns the
    model names in ``__history_secret__`` (a password hash) are kept only as a fingerprint;
    ``__history_exclude__`` and ``exclude`` are left out (bookkeeping like updated_at)."""
    skip = {"version", *exclude, *getattr(record, "__history_exclude__", ())}
    secret = set(getattr(record, "__history_secret__", ()))
    mapper = inspect(record).mapper
    return {
        c.key: (_secret if c.key in secret else _plain)(getattr(record, c.key))
        for c in mapper.column_attrs
        if c.key not in skip
    }


def _entity(record: Any) -> str:
    return getattr(record, "__entity__", record.__tablename__)


def _record_id(record: Any) -> str:
    return "/".join(str(v) for v in inspect(record).identity or ())


def _log(
    session: Session,
    actor: Actor,
    record: Any,
    action: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    version: int,
    audit: bool,
) -> None:
    entity, record_id = _entity(record), _record_id(record)
    values = entry_values(actor, f"record_{action}d", None, {"entity": entity, "id": record_id})
    if audit:
        session.add(AuditEntry(**values))
    old, new = before or {}, after or {}
    changed = sorted(k for k in {*old, *new} if old.get(k) != new.get(k))
    session.add(
        ChangeEntry(
            at=values["at"],
            actor=values["actor"],
            role=values["role"],
            entity=entity,
            record_id=record_id,
            version=version,
            action=action,
            # Only what changed (and the key), so the history reads as a list of edits.
            before=None if before is None else {k: old.get(k) for k in changed},
            after=None if after is None else {k: new.get(k) for k in changed},
        )
    )


def create(session: Session, record: Any, actor: Actor, *, audit: bool = True) -> Any:
    """Add a new record. ``audit=False`` where the caller writes a more telling entry of its
    own in the audit log (the users CLI: "user_added")."""
    session.add(record)
    session.flush()
    _log(session, actor, record, "create", None, snapshot(record), record.version, audit)
    return record


def check_version(record: Any, expected: int | None) -> None:
    if expected is not None and record.version != expected:
        raise StaleEdit(_entity(record), _record_id(record), expected, record.version)


def update(
    session: Session,
    record: Any,
    changes: Mapping[str, Any],
    actor: Actor,
    *,
    expected_version: int | None,
    audit: bool = True,
) -> Any:
    """Apply ``changes`` if the record is still at ``expected_version`` (None: the caller
    holds the record it just read, e.g. the CLI). A save that changes nothing writes
    nothing and keeps the version."""
    check_version(record, expected_version)
    before = snapshot(record)
    for key, value in changes.items():
        setattr(record, key, value)
    after = snapshot(record)
    if before == after and not session.is_modified(record):
        return record
    entity, record_id, read = _entity(record), _record_id(record), record.version
    try:
        session.flush()
    except StaleDataError:
        # Changed or deleted in the moment between our read and our write; the caller's
        # transaction is rolled back by its session scope.
        raise StaleEdit(entity, record_id, expected_version or read, None) from None
    _log(session, actor, record, "update", before, after, record.version, audit)
    return record


def delete(
    session: Session,
    record: Any,
    actor: Actor,
    *,
    expected_version: int | None,
    audit: bool = True,
) -> None:
    check_version(record, expected_version)
    before = snapshot(record)
    entity, record_id, version = _entity(record), _record_id(record), record.version
    _log(session, actor, record, "delete", before, None, version, audit)
    session.delete(record)
    try:
        session.flush()
    except StaleDataError:
        raise StaleEdit(entity, record_id, expected_version or version, None) from None


def history(session: Session, entity: str, record_id: Any) -> list[ChangeEntry]:
    """Every change of one record, oldest first."""
    query = (
        select(ChangeEntry)
        .where(ChangeEntry.entity == entity, ChangeEntry.record_id == str(record_id))
        .order_by(ChangeEntry.id)
    )
    return list(session.scalars(query))


def describe(entry: ChangeEntry) -> str:
    """One line for people: who changed what, from what to what."""
    fields = sorted({*(entry.before or {}), *(entry.after or {})})
    parts = [
        f"{k}: {json.dumps((entry.before or {}).get(k), ensure_ascii=False)} → "
        f"{json.dumps((entry.after or {}).get(k), ensure_ascii=False)}"
        for k in fields
    ]
    return f"{entry.action} v{entry.version} ({entry.actor}): " + "; ".join(parts)
