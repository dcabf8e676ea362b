from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tvaers.web.models import Base, Versioned


class Note(Versioned, Base):
    __tablename__ = "sample_notes"
    __entity__ = "notes.note"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(80))
    meeting_day: Mapped[str | None] = mapped_column(String(10))
