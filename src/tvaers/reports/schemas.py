"""The JSON twin of the packs page."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from tvaers.web.schemas import UnitRead


class PackRead(BaseModel):
    """A pack made through the web. ``confidential``: it shows suppressed cells because of
    its maker's access; only users who may see them download it."""

    id: int
    unit: UnitRead
    period: str
    lang: str
    format: str
    fingerprint: str
    confidential: bool
    made_by: str
    made_at: datetime
    size: int
    href: str  # the document
    may_download: bool


class PackListRead(BaseModel):
    packs: list[PackRead]
    message: str | None = None
