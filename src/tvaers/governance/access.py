"""Seat-based read access (governance.md, "In the web application"): a user linked to a
registry person has the units of the fora where that person holds a seat, for as long as
the seat — and its forum — is in force. The core asks through the registry's ``people``
hook (tvaers.domains), so it never imports this domain."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.governance.models import Forum, Person, Seat
from tvaers.web.scope import InvalidScope, SeatGrant, validate_unit


def person_name(session: Session, person_id: str) -> str | None:
    """The registry person's name, or None if the registry has no such person."""
    found = session.get(Person, person_id)
    return found.name if found is not None else None


def seat_grants(session: Session, person_id: str) -> tuple[SeatGrant, ...]:
    """Every seat the person has held, holds or will hold, as the forum's unit for the days
    both the seat and the forum are in force (an empty overlap grants nothing)."""
    rows = session.execute(
        select(Seat.valid_from, Seat.valid_to, Forum)
        .join(Forum, Forum.id == Seat.forum_id)
        .where(Seat.person_id == person_id)
    ).all()
    grants = set()
    for seat_from, seat_to, forum in rows:
        start = max(seat_from, forum.valid_from)
        ends = [d for d in (seat_to, forum.valid_to) if d is not None]
        end = min(ends) if ends else None
        try:
            unit = validate_unit(forum.unit_level, forum.unit_code)
        except InvalidScope:
            # A unit only imported memberships define (a sundhedsråd loaded with `tvaers org
            # import`): no results are laid out in it, and the scope check could not say who
            # its members are, so it grants nothing rather than break every page.
            continue
        if end is None or start < end:
            grants.add(SeatGrant(unit, start, end))
    return tuple(sorted(grants, key=lambda g: (g.unit, g.valid_from, g.valid_to or date.max)))
