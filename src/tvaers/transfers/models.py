"""The task-transfer registry's tables: cases, their assessment sections, the record of who
was informed during consultation, and the steps each case took.

Every table is ``Versioned`` and written only through ``tvaers.web.records``, so each change
has its history (who, when, before/after) and a save from a stale copy is refused. The
deciding forum and the decision are the governance registry's (``governance_fora``,
``governance_decisions``); they are referred to by id without a foreign key, because the
domains' migrations are independent branches (the service checks the references).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tvaers.web.models import Base, Versioned

# SQLite would give a deleted row's id to the next new row, and the history (kept by record
# id) would then mix two records: AUTOINCREMENT never reuses one.
_NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Case(Versioned, Base):
    __tablename__ = "transfers_cases"
    __entity__ = "transfers.case"
    __table_args__ = (Index("ix_transfers_cases_forum", "forum_id"), _NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(32))
    from_sector: Mapped[str] = mapped_column(String(32))
    from_unit: Mapped[str] = mapped_column(String(80))  # LEVEL:CODE
    to_sector: Mapped[str] = mapped_column(String(32))
    to_unit: Mapped[str] = mapped_column(String(80))
    covered_units: Mapped[list[str]] = mapped_column(JSON, default=list)  # ["LEVEL:CODE"]
    forum_id: Mapped[str] = mapped_column(String(64))  # governance_fora.id: owns and decides
    # Agreement goals/initiatives by reference (id or text), and the linked indicator
    # series [{"indicator", "unit", "stratum"}].
    agreement_refs: Mapped[list[str]] = mapped_column(JSON, default=list)
    series: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # title, href
    service: Mapped[str | None] = mapped_column(String(32))  # the contract's municipal service
    decision_year: Mapped[int | None] = mapped_column(Integer)  # for the volume projection
    state: Mapped[str] = mapped_column(String(16), default="draft")
    consultation_on: Mapped[date | None] = mapped_column(Date)  # org structure of the region
    outcome: Mapped[str | None] = mapped_column(String(16))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(Integer)  # governance_decisions.id
    go_live: Mapped[date | None] = mapped_column(Date)
    evaluation_note: Mapped[str | None] = mapped_column(Text)
    evaluation_confirmed_by: Mapped[str | None] = mapped_column(String(64))
    evaluation_confirmed_on: Mapped[date | None] = mapped_column(Date)
    example: Mapped[bool] = mapped_column(Boolean, default=False)  # shipped example, not real


class Section(Versioned, Base):
    """One dimension of a case's assessment."""

    __tablename__ = "transfers_sections"
    __entity__ = "transfers.section"
    __table_args__ = (
        Index("ix_transfers_sections_case", "case_id", "dimension", unique=True),
        _NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("transfers_cases.id"))
    dimension: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="undescribed")
    reason: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # [{"label", "value", "unit"}]: amounts where they fit (DKK, staff, places).
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Informed(Versioned, Base):
    """During consultation: a cluster or sundhedsråd of the region was told (date, forum)."""

    __tablename__ = "transfers_informed"
    __entity__ = "transfers.informed"
    __table_args__ = (
        Index("ix_transfers_informed_case", "case_id", "unit_level", "unit_code", unique=True),
        _NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("transfers_cases.id"))
    unit_level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    forum_id: Mapped[str] = mapped_column(String(64))  # the forum it was told through


class Step(Versioned, Base):
    """A step of the workflow a case took: the decision timeline."""

    __tablename__ = "transfers_steps"
    __entity__ = "transfers.step"
    __table_args__ = (Index("ix_transfers_steps_case", "case_id"), _NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("transfers_cases.id"))
    step: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
