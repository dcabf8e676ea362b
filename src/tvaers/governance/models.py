"""The governance registry's tables: fora, people and their public offices, seats,
meetings with agenda items, the decision log, and imported unit memberships.

Every table is ``Versioned`` and written only through ``tvaers.web.records``, so each change
has its history. Periods are ``[valid_from, valid_to)`` like the reference data (valid_to
exclusive, None = open), which is what "as on date D" queries read.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tvaers.web.models import Base, Versioned

# SQLite would give a deleted row's id to the next new row, and the history (kept by record
# id) would then mix two records: AUTOINCREMENT never reuses one (PostgreSQL never does).
_NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Forum(Versioned, Base):
    __tablename__ = "governance_fora"
    __entity__ = "governance.forum"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    unit_level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(64))
    # No foreign key: a file may name a parent defined further down; the service checks it.
    parent_id: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    @property
    def unit(self) -> str:
        return f"{self.unit_level}:{self.unit_code}"


class Person(Versioned, Base):
    """Only what the public record holds: a name and the public offices below."""

    __tablename__ = "governance_people"
    __entity__ = "governance.person"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Office(Versioned, Base):
    __tablename__ = "governance_offices"
    __entity__ = "governance.office"
    __table_args__ = (Index("ix_governance_offices_person", "person_id"), _NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("governance_people.id"))
    office: Mapped[str] = mapped_column(String(32))
    unit_level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Seat(Versioned, Base):
    __tablename__ = "governance_seats"
    __entity__ = "governance.seat"
    __table_args__ = (Index("ix_governance_seats_forum", "forum_id"), _NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[str] = mapped_column(ForeignKey("governance_fora.id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("governance_people.id"))
    side: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Meeting(Versioned, Base):
    __tablename__ = "governance_meetings"
    __entity__ = "governance.meeting"
    __table_args__ = _NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[str] = mapped_column(ForeignKey("governance_fora.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))


class AgendaItem(Versioned, Base):
    """A point on a meeting's agenda, optionally about a task transfer, an agreement item or
    an input round (``subject_kind`` + ``subject_ref``, the other registry's id)."""

    __tablename__ = "governance_agenda_items"
    __entity__ = "governance.agenda_item"
    __table_args__ = _NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meetings.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    subject_kind: Mapped[str | None] = mapped_column(String(32))
    subject_ref: Mapped[str | None] = mapped_column(String(64))


class Decision(Versioned, Base):
    __tablename__ = "governance_decisions"
    __entity__ = "governance.decision"
    __table_args__ = _NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[str] = mapped_column(ForeignKey("governance_fora.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    subject_kind: Mapped[str | None] = mapped_column(String(32))
    subject_ref: Mapped[str | None] = mapped_column(String(64))


class UnitMembership(Versioned, Base):
    """A municipality's dated membership of a unit loaded by an operator (`tvaers org
    import`, section ``memberships``): the sundhedsråd beyond the shipped confirmed ones."""

    __tablename__ = "governance_unit_memberships"
    __entity__ = "governance.membership"
    __table_args__ = (
        Index("ix_governance_memberships_unit", "unit_level", "unit_code"),
        _NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(64))
    municipality_code: Mapped[str] = mapped_column(String(3))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(200))
