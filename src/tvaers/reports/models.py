"""The packs made through the web, kept as they were handed out: the document itself, its
unit, year, language and fingerprint, who made it and when, and whether it holds cells
shown only because of the maker's access (then only users who may see those units'
suppressed cells may download it again)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tvaers.web.models import Base, UTCDateTime, Versioned, utcnow


class ReportPack(Versioned, Base):
    __tablename__ = "report_packs"
    __entity__ = "reports.pack"
    # The history keeps what identifies the pack, not the document's bytes.
    __history_exclude__ = ("content",)
    __table_args__ = (
        Index("ix_report_packs_unit", "unit_level", "unit_code"),
        {"sqlite_autoincrement": True},  # a deleted row's id is never reused
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(64))
    unit_name: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(8))
    lang: Mapped[str] = mapped_column(String(2))
    format: Mapped[str] = mapped_column(String(8))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # Units whose suppressed cells the pack shows ("level:code" per line; empty: none).
    revealed: Mapped[str] = mapped_column(Text, default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    made_by_id: Mapped[int] = mapped_column(Integer)
    made_by: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    size: Mapped[int] = mapped_column(Integer)
    # Read only when the document is downloaded, not when packs are listed.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
