"""What the organisation pages do, as plain functions taking a session: read a forum as on
a date, and the secretariat's edits of a forum and its seats. All rules and guards are here
(scope, references, periods); every write goes through tvaers.web.records (history, audit,
a stale save refused with StaleEdit)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.governance import registry, rules
from tvaers.governance.models import Forum, Person, Seat
from tvaers.governance.schemas import (
    AgendaItemRead,
    DecisionRead,
    FindingRead,
    ForumPageRead,
    ForumRead,
    ForumUpdate,
    MeetingRead,
    SeatCreate,
    SeatRead,
    SeatUpdate,
)
from tvaers.governance.terms import FORUM_KINDS, OFFICES
from tvaers.i18n import tr as default_tr
from tvaers.web import records
from tvaers.web.forms import FormInvalid
from tvaers.web.scope import Principal, UnitRef, can_edit, unit_name

Tr = Callable[[str, str], str]


def forum_href(forum_id: str) -> str:
    return f"/organisation/fora?forum={forum_id}"


def _unit_name(level: str, code: str) -> str:
    try:
        return unit_name(UnitRef(level, code))
    except ValueError:
        return f"{level}:{code}"  # a sundhedsråd only imported memberships define


def read_forum(session: Session, f: Forum, on: date, tr: Tr = default_tr) -> ForumRead:
    return ForumRead(
        id=f.id,
        name=f.name,
        kind=f.kind,
        kind_label=tr(*FORUM_KINDS[f.kind]),
        unit=f.unit,
        unit_name=_unit_name(f.unit_level, f.unit_code),
        parent=f.parent_id,
        valid_from=f.valid_from,
        valid_to=f.valid_to,
        seats=len(registry.seats(session, f.id, on)),
        href=forum_href(f.id),
        version=f.version,
    )


def require_forum(session: Session, forum_id: str) -> Forum:
    found = registry.forum(session, forum_id)
    if found is None:
        raise HTTPException(404)
    return found


def may_edit(user: Principal, f: Forum) -> bool:
    return can_edit(user, f.unit_level, f.unit_code)


def _editable_forum(session: Session, user: Principal, forum_id: str, tr: Tr) -> Forum:
    """The forum, if this user may edit it (else 404 or 403)."""
    return records.require_editable(
        session,
        Forum,
        forum_id,
        lambda f: may_edit(user, f),
        lambda f: tr(
            f"Du kan ikke redigere {f.name}: forummet hører til {f.unit}, uden for dit omfang.",
            f"You cannot edit {f.name}: the forum belongs to {f.unit}, outside your scope.",
        ),
    )


def forum_page(
    session: Session, user: Principal, forum_id: str, on: date, tr: Tr = default_tr
) -> ForumPageRead:
    f = require_forum(session, forum_id)
    seats = [
        SeatRead(
            id=v.seat.id,
            person=v.person.id,
            name=v.person.name,
            side=v.seat.side,
            role=v.seat.role,
            offices=[f"{tr(*OFFICES[o.office])} ({o.unit_level}:{o.unit_code})" for o in v.offices],
            valid_from=v.seat.valid_from,
            valid_to=v.seat.valid_to,
            version=v.seat.version,
        )
        for v in registry.seats(session, f.id, on)
    ]
    editable = may_edit(user, f)
    people = []
    if editable:
        people = [(p.id, p.name) for p in session.scalars(select(Person).order_by(Person.name))]
    return ForumPageRead(
        on=on,
        forum=read_forum(session, f, on, tr),
        seats=seats,
        meetings=[
            MeetingRead(
                day=m.day,
                title=m.title,
                agenda=[
                    AgendaItemRead(
                        title=a.title, subject_kind=a.subject_kind, subject_ref=a.subject_ref
                    )
                    for a in registry.agenda(session, m.id)
                ],
            )
            for m in registry.meetings(session, f.id, on)
        ],
        decisions=[
            DecisionRead(
                day=d.day, text=d.text, subject_kind=d.subject_kind, subject_ref=d.subject_ref
            )
            for d in registry.decisions(session, f.id, on)
        ],
        findings=[FindingRead(**x.as_json()) for x in rules.check_forum(session, f.id, on, tr)],
        history=[records.describe(e) for e in records.history(session, "governance.forum", f.id)],
        can_edit=editable,
        people=people,
    )


def _invalid(field: str, message: str, values: dict) -> FormInvalid:
    return FormInvalid({field: message}, values)


def _check_period(start: date, end: date | None, values: dict, tr: Tr) -> None:
    if end is not None and end <= start:
        raise _invalid(
            "valid_to",
            tr(
                f"skal ligge efter gyldig fra ({start.isoformat()})",
                f"must lie after valid from ({start.isoformat()})",
            ),
            values,
        )


def update_forum(
    session: Session,
    user: Principal,
    forum_id: str,
    data: ForumUpdate,
    values: dict,
    tr: Tr = default_tr,
) -> Forum:
    f = _editable_forum(session, user, forum_id, tr)
    records.check_version(f, data.version)  # before anything else: a stale form says so
    _check_period(data.valid_from, data.valid_to, values, tr)
    if data.parent is not None:
        if data.parent == f.id:
            raise _invalid(
                "parent",
                tr("et forum kan ikke høre under sig selv", "a forum cannot be its own parent"),
                values,
            )
        if registry.forum(session, data.parent) is None:
            raise _invalid(
                "parent",
                tr(f"ukendt forum {data.parent!r}", f"unknown forum {data.parent!r}"),
                values,
            )
    changes = {
        "name": data.name,
        "kind": data.kind,
        "parent_id": data.parent,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
    }
    return records.update(session, f, changes, user, expected_version=data.version)


def _overlapping(
    session: Session,
    f: Forum,
    person: str,
    role: str,
    start: date,
    end: date | None,
    skip: int | None,
) -> bool:
    for s in session.scalars(
        select(Seat).where(Seat.forum_id == f.id, Seat.person_id == person, Seat.role == role)
    ):
        if s.id == skip:
            continue
        if s.valid_from < (end or date.max) and start < (s.valid_to or date.max):
            return True
    return False


def add_seat(
    session: Session,
    user: Principal,
    forum_id: str,
    data: SeatCreate,
    values: dict,
    tr: Tr = default_tr,
) -> Seat:
    f = _editable_forum(session, user, forum_id, tr)
    _check_period(data.valid_from, data.valid_to, values, tr)
    if session.get(Person, data.person) is None:
        raise _invalid(
            "person",
            tr(f"ukendt person {data.person!r}", f"unknown person {data.person!r}"),
            values,
        )
    if _overlapping(session, f, data.person, data.role, data.valid_from, data.valid_to, None):
        raise _invalid(
            "valid_from",
            tr(
                "personen har allerede dette sæde i en overlappende periode",
                "the person already holds this seat in an overlapping period",
            ),
            values,
        )
    seat = Seat(
        forum_id=f.id,
        person_id=data.person,
        side=data.side,
        role=data.role,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
    )
    return records.create(session, seat, user)


def _require_seat(session: Session, f: Forum, seat_id: int) -> Seat:
    seat = session.get(Seat, seat_id)
    if seat is None or seat.forum_id != f.id:
        raise HTTPException(404)
    return seat


def update_seat(
    session: Session,
    user: Principal,
    forum_id: str,
    seat_id: int,
    data: SeatUpdate,
    values: dict,
    tr: Tr = default_tr,
) -> Seat:
    f = _editable_forum(session, user, forum_id, tr)
    seat = _require_seat(session, f, seat_id)
    records.check_version(seat, data.version)
    _check_period(data.valid_from, data.valid_to, values, tr)
    if _overlapping(session, f, seat.person_id, data.role, data.valid_from, data.valid_to, seat.id):
        raise _invalid(
            "valid_from",
            tr(
                "personen har allerede dette sæde i en overlappende periode",
                "the person already holds this seat in an overlapping period",
            ),
            values,
        )
    changes = {
        "side": data.side,
        "role": data.role,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
    }
    return records.update(session, seat, changes, user, expected_version=data.version)


def remove_seat(
    session: Session,
    user: Principal,
    forum_id: str,
    seat_id: int,
    version: int,
    tr: Tr = default_tr,
) -> None:
    f = _editable_forum(session, user, forum_id, tr)
    seat = _require_seat(session, f, seat_id)
    records.delete(session, seat, user, expected_version=version)
