"""Memberships loaded with `tvaers org import` as the reference data spells them, so the
organisation page and `tvaers org list` show them beside the shipped ones (through the
registry's ``memberships`` hook, see tvaers.domains and tvaers.reference.imported)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.governance.models import UnitMembership
from tvaers.governance.registry import in_force
from tvaers.reference import org


def imported_memberships(session: Session, level: str, on: date) -> list[org.Membership]:
    """The imported memberships of ``level`` in force on ``on``."""
    rows = session.scalars(
        select(UnitMembership)
        .where(UnitMembership.unit_level == level, in_force(UnitMembership, on))
        .order_by(UnitMembership.unit_code, UnitMembership.municipality_code)
    )
    return [
        org.Membership(
            level=level,  # type: ignore[arg-type]
            unit_code=m.unit_code,
            municipality_code=m.municipality_code,
            valid_from=m.valid_from,
            valid_to=m.valid_to,
            basis=m.basis,
        )
        for m in rows
    ]
