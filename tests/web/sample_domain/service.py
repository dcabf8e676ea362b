from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.web import records
from tvaers.web.scope import InvalidScope, Principal, can_edit, parse_scope

from .models import Note
from .schemas import NoteCreate, NoteRead, NoteUpdate


def read(note: Note) -> NoteRead:
    return NoteRead(
        id=note.id,
        unit=f"{note.unit_level}:{note.unit_code}",
        title=note.title,
        meeting_day=note.meeting_day,
        version=note.version,
    )


def list_notes(session: Session) -> list[Note]:
    return list(session.scalars(select(Note).order_by(Note.id)))


def _require_edit(user: Principal, level: str, code: str) -> None:
    if not can_edit(user, level, code):
        raise HTTPException(403, "Du kan ikke redigere denne enheds registre.")


def create(session: Session, user: Principal, data: NoteCreate) -> Note:
    try:
        unit = parse_scope(data.unit)
    except InvalidScope as exc:
        raise ValueError(str(exc)) from None
    _require_edit(user, unit.level, unit.code)
    note = Note(
        unit_level=unit.level,
        unit_code=unit.code,
        title=data.title,
        meeting_day=data.meeting_day.isoformat() if data.meeting_day else None,
    )
    return records.create(session, note, user)


def update(session: Session, user: Principal, note_id: int, data: NoteUpdate) -> Note:
    note = session.get(Note, note_id)
    if note is None:
        raise HTTPException(404)
    _require_edit(user, note.unit_level, note.unit_code)
    changes = {
        "title": data.title,
        "meeting_day": data.meeting_day.isoformat() if data.meeting_day else None,
    }
    return records.update(session, note, changes, user, expected_version=data.version)
