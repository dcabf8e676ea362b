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


class ChartForumRead(BaseModel):
    id: str
    name: str
    kind: str
    kind_label: str
    unit: str
    unit_name: str
    parent: str | None  # the forum it sits under (its id), if any
    parent_name: str | None  # that forum's name when it is in force on the date
    depth: int  # 0 for a forum with no parent in the chart
    seats: dict[str, int]  # side -> seats on the date (sides with none left out)
    in_region: bool  # False for a forum above the region's own fora, serving a wider unit
    href: str


class RegionChoiceRead(BaseModel):
    code: str
    name: str


class ChartRead(BaseModel):
    """The organisation chart of a region on a date: the fora in reading order (a parent
    before its children), which the picture (``svg_href``) draws as a tree."""

    on: date
    region: str
    region_name: str
    fora: list[ChartForumRead]
    regions: list[RegionChoiceRead]  # the regions in force on the date, to choose from
    svg_href: str
