"""The agreement registry's tables: agreements with their status steps (each resting on a
governance decision), the tree of visions, focus areas and goals, initiatives with PDSA
cycles and own measurements, targets, and input rounds with their answers.

Every table is ``Versioned`` and written only through ``tvaers.web.records``, so each change
has its history. Parts of an agreement are keyed by (agreement id, the file's key), so the
history of "sa-syd-2024/t1" reads across re-imports of the same agreement.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tvaers.web.models import Base, UTCDateTime, Versioned

# SQLite would give a deleted row's id to the next new row, and the history (kept by record
# id) would then mix two records: AUTOINCREMENT never reuses one (PostgreSQL never does).
_NEVER_REUSE_IDS = {"sqlite_autoincrement": True}
_AGREEMENT_FK = "agreements.id"
# The shared columns below come first in their tables, a base mixin's before a derived
# one's, then each table's own: the column order of migration a001. (SQLAlchemy's default
# puts the class's own columns first, then a derived mixin's, then its base's.)
_FIRST, _SECOND = -2, -1


class _AgreementPart:
    """A part of an agreement under the file's key: vision, focus area, goal, initiative or
    target (see the module's note on the key)."""

    agreement_id: Mapped[str] = mapped_column(
        ForeignKey(_AGREEMENT_FK), primary_key=True, sort_order=_FIRST
    )
    key: Mapped[str] = mapped_column(String(64), primary_key=True, sort_order=_FIRST)


class _UnderGoal(_AgreementPart):
    """A part placed under a goal of the agreement's tree, in the file's order."""

    goal_key: Mapped[str] = mapped_column(String(64), sort_order=_SECOND)
    position: Mapped[int] = mapped_column(Integer, sort_order=_SECOND)


class _OfAgreement:
    """A numbered row of an agreement (its table arguments: ``_numbered``)."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=_FIRST)
    agreement_id: Mapped[str] = mapped_column(ForeignKey(_AGREEMENT_FK), sort_order=_FIRST)


class _OfInitiative(_OfAgreement):
    """A row belonging to one initiative of an agreement (PDSA cycles, measurements)."""

    initiative_key: Mapped[str] = mapped_column(String(64), sort_order=_SECOND)


def _numbered(index: str, *columns: str) -> tuple[Any, ...]:
    """Table arguments of a numbered row: its index and ids that are never reused."""
    return (Index(index, *columns), _NEVER_REUSE_IDS)


class Agreement(Versioned, Base):
    __tablename__ = "agreements"
    __entity__ = "agreements.agreement"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    # Units ("LEVEL:CODE") and governance forum ids, in the file's order.
    parties: Mapped[list[str]] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    example: Mapped[bool] = mapped_column(default=False)  # shipped example, not a real one


class StatusStep(_OfAgreement, Versioned, Base):
    """The agreement reached ``status`` on ``day`` by the governance decision ``decision_id``
    (a row of the decision log; None where no decision is recorded yet)."""

    __tablename__ = "agreement_status_steps"
    __entity__ = "agreements.status_step"
    __table_args__ = _numbered("ix_agreement_status_steps_agreement", "agreement_id")

    status: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    # No foreign key: the decision log belongs to the governance branch; the service checks.
    decision_id: Mapped[int | None] = mapped_column(Integer)


class Item(_AgreementPart, Versioned, Base):
    """A vision, focus area or goal (``kind``); ``parent_key`` is the item above it."""

    __tablename__ = "agreement_items"
    __entity__ = "agreements.item"

    kind: Mapped[str] = mapped_column(String(16))
    parent_key: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    national_goal: Mapped[int | None] = mapped_column(Integer)


class Initiative(_UnderGoal, Versioned, Base):
    __tablename__ = "agreement_initiatives"
    __entity__ = "agreements.initiative"

    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(80))  # a unit LEVEL:CODE or a forum id
    aim: Mapped[str | None] = mapped_column(Text)
    go_live: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    # [{indicator, unit, stratum, period, expected}]: the series it expects to move.
    series: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The go-live date is only offered as a part boundary; a user confirms it (who, when).
    boundary_confirmed_by: Mapped[str | None] = mapped_column(String(128))
    boundary_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Target(_UnderGoal, Versioned, Base):
    __tablename__ = "agreement_targets"
    __entity__ = "agreements.target"

    indicator: Mapped[str] = mapped_column(String(64))
    # Either a unit (LEVEL:CODE) or a level within a region (one row per unit in the status).
    unit: Mapped[str | None] = mapped_column(String(80))
    level: Mapped[str | None] = mapped_column(String(16))
    region: Mapped[str | None] = mapped_column(String(8))
    stratum: Mapped[str] = mapped_column(String(64))
    period_type: Mapped[str] = mapped_column(String(8))
    standardised: Mapped[bool] = mapped_column(default=False)
    baseline: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float)
    by: Mapped[str] = mapped_column(String(16))


class PdsaCycle(_OfInitiative, Versioned, Base):
    __tablename__ = "agreement_pdsa_cycles"
    __entity__ = "agreements.pdsa_cycle"
    __table_args__ = _numbered("ix_agreement_pdsa_initiative", "agreement_id", "initiative_key")

    title: Mapped[str] = mapped_column(String(200))
    plan: Mapped[str] = mapped_column(Text)
    do: Mapped[str | None] = mapped_column(Text)
    study: Mapped[str | None] = mapped_column(Text)
    act: Mapped[str | None] = mapped_column(Text)
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)
    responsible: Mapped[str] = mapped_column(String(200))


class Measurement(_OfInitiative, Versioned, Base):
    """An initiative's own measurements: the CSV of `tvaers spc chart` as uploaded (kept
    whole, so the chart can always be drawn again from exactly what was given)."""

    __tablename__ = "agreement_measurements"
    __entity__ = "agreements.measurement"
    __table_args__ = _numbered(
        "ix_agreement_measurements_initiative", "agreement_id", "initiative_key"
    )

    pdsa_id: Mapped[int | None] = mapped_column(Integer)  # the cycle it belongs to, if any
    title: Mapped[str] = mapped_column(String(200))
    chart: Mapped[str] = mapped_column(String(8))
    csv: Mapped[str] = mapped_column(Text)


class InputRound(Versioned, Base):
    __tablename__ = "agreement_input_rounds"
    __entity__ = "agreements.input_round"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # The unit whose secretariat runs the round (LEVEL:CODE): it edits, it sees every answer.
    owner: Mapped[str] = mapped_column(String(80))
    agreement_id: Mapped[str | None] = mapped_column(String(64))  # the agreement it feeds
    questions: Mapped[list[str]] = mapped_column(JSON)
    respondents: Mapped[list[str]] = mapped_column(JSON)  # units LEVEL:CODE or forum ids
    deadline: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(default=False)


class Answer(Versioned, Base):
    """One respondent's answer to a round: a text per question, and the themes the
    secretariat tagged it with."""

    __tablename__ = "agreement_input_answers"
    __entity__ = "agreements.answer"

    round_id: Mapped[str] = mapped_column(ForeignKey("agreement_input_rounds.id"), primary_key=True)
    respondent: Mapped[str] = mapped_column(String(80), primary_key=True)
    texts: Mapped[list[str]] = mapped_column(JSON)
    themes: Mapped[list[str]] = mapped_column(JSON)
    answered_by: Mapped[str] = mapped_column(String(128))
