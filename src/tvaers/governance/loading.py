"""Loading a registry file (`tvaers org import`): check it whole, then make the registry say
what it says.

Plain functions taking a SQLAlchemy session. Every write goes through
``tvaers.web.records`` (history, audit, versions); loading a file writes all or nothing
because the caller's session scope commits once at the end and nothing is written before
the whole file has been checked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.governance import crosscheck, importfile
from tvaers.governance.importfile import RegistryFile, split_unit
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
from tvaers.governance.registry import stored_units
from tvaers.i18n import tr
from tvaers.reference import org
from tvaers.web import records
from tvaers.web.records import Actor


@dataclass
class LoadSummary:
    """What a load changed, per kind: created / updated / removed records."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, action: str) -> None:
        self.counts[f"{kind}.{action}"] += 1

    @property
    def changed(self) -> bool:
        return bool(self.counts)

    def text(self) -> str:
        if not self.counts:
            return tr(
                "Intet ændret: registret er allerede som filen.",
                "Nothing changed: the registry already matches the file.",
            )
        return ", ".join(f"{k}: {v}" for k, v in sorted(self.counts.items()))


def read_checked(session: Session, path: str) -> RegistryFile:
    """The file, checked on its own and against what is stored (ImportInvalid if not)."""
    units = stored_units(session)
    file = importfile.read(path, stored_units=units)
    stored_fora = frozenset(session.scalars(select(Forum.id)))
    stored_people = frozenset(session.scalars(select(Person.id)))
    crosscheck.cross_check(file, stored_fora, stored_people)
    return file


def load(session: Session, path: str, actor: Actor) -> LoadSummary:
    """Check the file, then make the registry say what it says (see governance.md): the
    people and fora it names are updated, a named forum's seats become exactly the file's,
    a named person's offices and a named unit's memberships likewise. Nothing is written
    when the file has a problem. Loading the same file again changes nothing."""
    file = read_checked(session, path)
    summary = LoadSummary()
    for f in file.fora:
        level, code = split_unit(f.unit) or ("", "")
        values = {
            "name": f.name,
            "kind": f.kind,
            "unit_level": level,
            "unit_code": _canonical(level, code),
            "parent_id": f.parent,
            "valid_from": f.valid_from,
            "valid_to": f.valid_to,
        }
        _upsert(session, Forum, f.id, values, actor, summary, "forum")
    for p in file.people:
        _upsert(session, Person, p.id, {"name": p.name}, actor, summary, "person")
        wanted = {}
        for o in p.offices:
            level, code = split_unit(o.unit) or ("", "")
            key = (o.office, level, _canonical(level, code), o.valid_from)
            wanted[key] = {"valid_to": o.valid_to}
        existing = session.scalars(select(Office).where(Office.person_id == p.id)).all()
        _sync(
            session,
            existing,
            lambda r: (r.office, r.unit_level, r.unit_code, r.valid_from),
            wanted,
            lambda key, values, person_id=p.id: Office(
                person_id=person_id,
                office=key[0],
                unit_level=key[1],
                unit_code=key[2],
                valid_from=key[3],
                **values,
            ),
            actor,
            summary,
            "office",
        )
    named_fora = {f.id for f in file.fora} | {s.forum for s in file.seats}
    for forum_id in sorted(named_fora):
        wanted = {
            (s.person, s.role, s.valid_from): {"side": s.side, "valid_to": s.valid_to}
            for s in file.seats
            if s.forum == forum_id
        }
        existing = session.scalars(select(Seat).where(Seat.forum_id == forum_id)).all()
        _sync(
            session,
            existing,
            lambda r: (r.person_id, r.role, r.valid_from),
            wanted,
            lambda key, values, forum_id=forum_id: Seat(
                forum_id=forum_id, person_id=key[0], role=key[1], valid_from=key[2], **values
            ),
            actor,
            summary,
            "seat",
        )
    units = {split_unit(m.unit) for m in file.memberships}
    for level, code in sorted(u for u in units if u is not None):
        wanted = {
            (org.normalise_municipality_code(m.municipality), m.valid_from): {
                "valid_to": m.valid_to,
                "basis": m.basis,
            }
            for m in file.memberships
            if split_unit(m.unit) == (level, code)
        }
        existing = session.scalars(
            select(UnitMembership).where(
                UnitMembership.unit_level == level, UnitMembership.unit_code == code
            )
        ).all()
        _sync(
            session,
            existing,
            lambda r: (r.municipality_code, r.valid_from),
            wanted,
            lambda key, values, level=level, code=code: UnitMembership(
                unit_level=level,
                unit_code=code,
                municipality_code=key[0],
                valid_from=key[1],
                **values,
            ),
            actor,
            summary,
            "membership",
        )
    for m in file.meetings:
        _load_meeting(session, m, actor, summary)
    for d in file.decisions:
        # The decision log only grows: an entry is known by forum, day and text.
        known = session.scalar(
            select(Decision.id).where(
                Decision.forum_id == d.forum, Decision.day == d.date, Decision.text == d.text
            )
        )
        if known is None:
            decision = Decision(
                forum_id=d.forum,
                day=d.date,
                text=d.text,
                subject_kind=d.subject_kind,
                subject_ref=d.subject_ref,
            )
            records.create(session, decision, actor)
            summary.add("decision", "created")
    return summary


def _load_meeting(session: Session, m: Any, actor: Actor, summary: LoadSummary) -> None:
    """A meeting is known by forum, day and title; its agenda becomes exactly the file's
    (an item is known by its title). Meetings the file does not list are left alone: a file
    need not repeat the history of every meeting."""
    meeting = session.scalar(
        select(Meeting).where(
            Meeting.forum_id == m.forum, Meeting.day == m.date, Meeting.title == m.title
        )
    )
    if meeting is None:
        meeting = records.create(
            session, Meeting(forum_id=m.forum, day=m.date, title=m.title), actor
        )
        summary.add("meeting", "created")
    wanted = {
        a.title: {"subject_kind": a.subject_kind, "subject_ref": a.subject_ref} for a in m.agenda
    }
    existing = session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).all()
    _sync(
        session,
        existing,
        lambda r: r.title,
        wanted,
        lambda key, values, meeting_id=meeting.id: AgendaItem(
            meeting_id=meeting_id, title=key, **values
        ),
        actor,
        summary,
        "agenda_item",
    )


def _canonical(level: str, code: str) -> str:
    return org.municipality(code).code if level == "municipality" else code


def _upsert(
    session: Session,
    model: type[Any],
    record_id: str,
    values: dict[str, Any],
    actor: Actor,
    summary: LoadSummary,
    kind: str,
) -> Any:
    record = session.get(model, record_id)
    if record is None:
        summary.add(kind, "created")
        return records.create(session, model(id=record_id, **values), actor)
    before = record.version
    records.update(session, record, values, actor, expected_version=None)
    if record.version != before:
        summary.add(kind, "updated")
    return record


def _sync(
    session: Session,
    existing: Any,
    key_of: Any,
    wanted: dict[Any, dict[str, Any]],
    make: Any,
    actor: Actor,
    summary: LoadSummary,
    kind: str,
) -> None:
    """Make the stored rows of one owner exactly ``wanted`` (identity key -> values)."""
    stored = {key_of(r): r for r in existing}
    for key, record in stored.items():
        if key not in wanted:
            records.delete(session, record, actor, expected_version=None)
            summary.add(kind, "removed")
    for key, values in wanted.items():
        record = stored.get(key)
        if record is None:
            records.create(session, make(key, values), actor)
            summary.add(kind, "created")
            continue
        before = record.version
        records.update(session, record, values, actor, expected_version=None)
        if record.version != before:
            summary.add(kind, "updated")
