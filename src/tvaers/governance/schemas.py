"""Forms and pages of the organisation section: what a secretariat may post (XUpdate /
XCreate, checked field by field) and what a page shows (XRead, also its JSON twin)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from tvaers.governance.terms import FORUM_KINDS, SEAT_ROLES, SIDES

ForumKind = Literal[tuple(FORUM_KINDS)]  # type: ignore[valid-type]
Side = Literal[tuple(SIDES)]  # type: ignore[valid-type]
SeatRole = Literal[tuple(SEAT_ROLES)]  # type: ignore[valid-type]


class _Period(BaseModel):
    # valid_to after valid_from is checked by the service, in the request's language.
    valid_from: date
    valid_to: date | None = None


class ForumUpdate(_Period):
    name: str = Field(min_length=1, max_length=200)
    kind: ForumKind
    parent: str | None = Field(default=None, max_length=64)
    version: int = Field(ge=1)


class SeatCreate(_Period):
    person: str = Field(min_length=1, max_length=64)
    side: Side
    role: SeatRole


class SeatUpdate(_Period):
    side: Side
    role: SeatRole
    version: int = Field(ge=1)


class SeatRemove(BaseModel):
    version: int = Field(ge=1)


class FindingRead(BaseModel):
    rule: str
    forum: str
    unit: str
    message: str


class ForumRead(BaseModel):
    id: str
    name: str
    kind: str
    kind_label: str
    unit: str
    unit_name: str
    parent: str | None
    valid_from: date
    valid_to: date | None
    seats: int
    href: str
    version: int


class SeatRead(BaseModel):
    id: int
    person: str
    name: str
    side: str
    role: str
    offices: list[str]
    valid_from: date
    valid_to: date | None
    version: int


class DecisionRead(BaseModel):
    day: date
    text: str
    subject_kind: str | None
    subject_ref: str | None


class AgendaItemRead(BaseModel):
    title: str
    subject_kind: str | None
    subject_ref: str | None


class MeetingRead(BaseModel):
    day: date
    title: str
    agenda: list[AgendaItemRead]


class ForumPageRead(BaseModel):
    on: date
    forum: ForumRead
    seats: list[SeatRead]
    meetings: list[MeetingRead]  # up to the date, newest first
    decisions: list[DecisionRead]
    findings: list[FindingRead]  # the rule check of this forum on the date
    history: list[str]  # every change of the forum record, oldest first
    can_edit: bool
    people: list[tuple[str, str]] = []  # (id, name) to choose from when adding a seat


class ForaRead(BaseModel):
    on: date
    fora: list[ForumRead]
    forum: ForumPageRead | None = None  # the chosen forum (?forum=ID), if any
