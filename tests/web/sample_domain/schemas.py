from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class NoteCreate(BaseModel):
    unit: str = Field(min_length=1, max_length=80)  # LEVEL:CODE
    title: str = Field(min_length=1, max_length=80)
    meeting_day: date | None = None


class NoteUpdate(BaseModel):
    title: str = Field(min_length=1, max_length=80)
    meeting_day: date | None = None
    version: int = Field(ge=1)


class NoteRead(BaseModel):
    id: int
    unit: str
    title: str
    meeting_day: str | None
    version: int


class NotesRead(BaseModel):
    notes: list[NoteRead]
    can_edit: bool
