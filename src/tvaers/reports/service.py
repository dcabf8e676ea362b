"""Packs made through the web: made for the user's access (the dashboards' disclosure
control), kept with who and when through ``tvaers.web.records`` (history and audit log),
listed, and handed out again only to users who may see what a pack reveals."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.reports.batch import make_pack
from tvaers.reports.models import ReportPack
from tvaers.reports.schemas import PackRead
from tvaers.web import records
from tvaers.web.access import Access
from tvaers.web.results_store import Snapshot
from tvaers.web.schemas import UnitRead
from tvaers.web.scope import Principal

LIST_LIMIT = 200  # the newest packs on the page


def make(
    db: Session,
    user: Principal,
    snap: Snapshot,
    access: Access,
    level: str,
    code: str,
    period: str | None,
    lang: str,
    sessions: Callable[[], Session] | None = None,
) -> ReportPack:
    """Make the pack for ``access`` (PackError for a unit or year not in the results) and
    keep it; ``sessions`` opens the application database its registry sections read. What
    it revealed stays counted on ``access`` for the caller's audit entry."""
    made = make_pack(snap, level, code, period, lang, "pdf", access=access, sessions=sessions)
    revealed = sorted({f"{key[0]}:{key[1]}" for key in made.revealed})
    record = ReportPack(
        unit_level=level,
        unit_code=code,
        unit_name=made.unit_name,
        period=made.period,
        lang=lang,
        format="pdf",
        fingerprint=made.fingerprint,
        revealed="\n".join(revealed),
        confidential=bool(revealed),
        made_by_id=user.id,
        made_by=user.username,
        size=len(made.data),
        content=made.data,
    )
    return records.create(db, record, user)


def may_download(record: ReportPack, access: Access | None) -> bool:
    """A pack without revealed cells is for everyone; one with them only for users who may
    see the suppressed cells of every unit it reveals."""
    if not record.confidential:
        return True
    if access is None:
        return False
    units = [u.partition(":") for u in record.revealed.splitlines() if u]
    return all(access.visible(level, code) for level, _, code in units)


def reveal(record: ReportPack, access: Access) -> None:
    """Count a confidential pack's units as revealed to the downloader (for the audit). The
    pack keeps which units it revealed, not which cells: the entry names the pack's year
    and no indicator."""
    for unit in record.revealed.splitlines():
        level, _, code = unit.partition(":")
        access.revealed[(level, code, "", record.period)] += 1


def get(db: Session, pack_id: int) -> ReportPack | None:
    return db.get(ReportPack, pack_id)


def listing(db: Session, access: Access | None) -> list[PackRead]:
    rows = db.scalars(
        select(ReportPack)
        .order_by(ReportPack.made_at.desc(), ReportPack.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    return [read(r, may_download(r, access)) for r in rows]


def read(record: ReportPack, allowed: bool) -> PackRead:
    return PackRead(
        id=record.id,
        unit=UnitRead(level=record.unit_level, code=record.unit_code, name=record.unit_name),
        period=record.period,
        lang=record.lang,
        format=record.format,
        fingerprint=record.fingerprint,
        confidential=record.confidential,
        made_by=record.made_by,
        made_at=record.made_at,
        size=record.size,
        href=f"/reports/packs/{record.id}/download",
        may_download=allowed,
    )
