"""The registry's store: "as on date D" questions. Plain functions taking a SQLAlchemy
session. Loading a registry file is in loading.py."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tvaers.governance import importfile
from tvaers.governance.models import (
    AgendaItem,
    Decision,
    Forum,
    Meeting,
    Office,
    Person,
    Seat,
    UnitMembership,
)
from tvaers.reference import org


def in_force(model: Any, day: date) -> Any:
    """The SQL condition "valid on ``day``" for a table with a [valid_from, valid_to) period."""
    return (model.valid_from <= day) & or_(model.valid_to.is_(None), model.valid_to > day)


# --- questions on a date -------------------------------------------------------------------


def fora(session: Session, on: date | None = None) -> list[Forum]:
    """Fora in force on ``on`` (all, if None), by unit then id."""
    query = select(Forum).order_by(Forum.unit_level, Forum.unit_code, Forum.id)
    if on is not None:
        query = query.where(in_force(Forum, on))
    return list(session.scalars(query))


def forum(session: Session, forum_id: str) -> Forum | None:
    return session.get(Forum, forum_id)


@dataclass(frozen=True)
class SeatView:
    seat: Seat
    person: Person
    offices: list[Office]  # the person's offices in force on the date asked


_ROLE_ORDER = {"chair": 0, "co_chair": 1, "vice_chair": 2, "member": 3, "participant": 4}


def seats(session: Session, forum_id: str, on: date) -> list[SeatView]:
    """The forum's seats in force on ``on`` with their holders and the offices they hold
    that day; chairs first, then by side and name."""
    rows = session.execute(
        select(Seat, Person)
        .join(Person, Person.id == Seat.person_id)
        .where(Seat.forum_id == forum_id, in_force(Seat, on))
    ).all()
    held = offices_on(session, on, {p.id for _, p in rows})
    found = [SeatView(s, p, held.get(p.id, [])) for s, p in rows]
    return sorted(found, key=lambda v: (_ROLE_ORDER[v.seat.role], v.seat.side, v.person.name))


def all_seats(session: Session, on: date) -> list[Seat]:
    return list(session.scalars(select(Seat).where(in_force(Seat, on)).order_by(Seat.id)))


def offices_on(
    session: Session, on: date, people: set[str] | None = None
) -> dict[str, list[Office]]:
    """Offices in force on ``on`` by person id (for ``people`` only, if given)."""
    query = select(Office).where(in_force(Office, on)).order_by(Office.id)
    if people is not None:
        query = query.where(Office.person_id.in_(sorted(people)))
    found: dict[str, list[Office]] = {}
    for office in session.scalars(query):
        found.setdefault(office.person_id, []).append(office)
    return found


def decisions(
    session: Session, forum_id: str | None = None, on: date | None = None
) -> list[Decision]:
    """The decision log up to ``on`` (everything, if None), newest first."""
    query = select(Decision).order_by(Decision.day.desc(), Decision.id.desc())
    if forum_id is not None:
        query = query.where(Decision.forum_id == forum_id)
    if on is not None:
        query = query.where(Decision.day <= on)
    return list(session.scalars(query))


def stored_units(session: Session) -> frozenset[tuple[str, str]]:
    """(level, code) of the units that imported memberships define."""
    rows = session.execute(select(UnitMembership.unit_level, UnitMembership.unit_code).distinct())
    return frozenset((level, code) for level, code in rows)


def members(session: Session, level: str, code: str, on: date) -> list[str]:
    """Municipality codes of a unit on ``on``: the shipped reference data and the imported
    memberships together (a unit the reference data does not know has only the latter)."""
    found: set[str] = set()
    with contextlib.suppress(ValueError):  # a unit only imported memberships define
        found = {m.code for m in org.members(level, code, on)}  # type: ignore[arg-type]
    if level in importfile.MEMBERSHIP_LEVELS:
        found |= set(
            session.scalars(
                select(UnitMembership.municipality_code).where(
                    UnitMembership.unit_level == level,
                    UnitMembership.unit_code == code,
                    in_force(UnitMembership, on),
                )
            )
        )
    return sorted(found, key=int)


@dataclass(frozen=True)
class UnitView:
    """A unit of a membership level on a date, shipped and imported memberships together."""

    code: str
    name: str
    region_code: str | None
    members: list[str]  # municipality codes
    imported: int  # how many of the members only `tvaers org import` brought


def units_on(session: Session, level: str, on: date) -> list[UnitView]:
    """The units of ``level`` (sundhedsraad, bilateral, cluster) with members on ``on``:
    those in the reference data and those imported memberships define."""
    names = {u.code: u.name for u in org.units(level, on)}  # type: ignore[arg-type]
    rows = session.execute(
        select(UnitMembership.unit_code, UnitMembership.municipality_code).where(
            UnitMembership.unit_level == level, in_force(UnitMembership, on)
        )
    ).all()
    imported: dict[str, set[str]] = {}
    for code, municipality in rows:
        imported.setdefault(code, set()).add(municipality)
    found = []
    for code in sorted(names.keys() | imported.keys()):
        only_imported = imported.get(code, set()) - _shipped(level, code, on)
        found.append(
            UnitView(
                code=code,
                name=names.get(code, code),
                region_code=region_of_unit(session, level, code, on),
                members=members(session, level, code, on),
                imported=len(only_imported),
            )
        )
    return found


def _shipped(level: str, code: str, on: date) -> set[str]:
    try:
        return {m.code for m in org.members(level, code, on)}  # type: ignore[arg-type]
    except ValueError:
        return set()


def missing_on(session: Session, level: str, on: date) -> list[str]:
    """Municipality codes without a unit of ``level`` on ``on`` (shipped and imported
    memberships together), while any unit of the level is in force; [] otherwise."""
    found = units_on(session, level, on)
    if not found:
        return []
    covered = {m for u in found for m in u.members}
    return sorted(org.municipality_codes() - covered, key=int)


def region_of_unit(session: Session, level: str, code: str, on: date) -> str | None:
    """The region a unit lies in on ``on`` (its members' region); None for the country."""
    if level == "region":
        return code
    homes = {
        r.code for m in members(session, level, code, on) if (r := org.region_of(m, on)) is not None
    }
    return next(iter(homes)) if len(homes) == 1 else None


def meetings(session: Session, forum_id: str, on: date | None = None) -> list[Meeting]:
    """A forum's meetings up to ``on`` (all, if None), newest first."""
    query = select(Meeting).where(Meeting.forum_id == forum_id)
    if on is not None:
        query = query.where(Meeting.day <= on)
    return list(session.scalars(query.order_by(Meeting.day.desc(), Meeting.id.desc())))


def agenda(session: Session, meeting_id: int) -> list[AgendaItem]:
    query = select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
    return list(session.scalars(query.order_by(AgendaItem.id)))
