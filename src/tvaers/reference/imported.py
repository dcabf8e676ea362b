"""The membership levels (sundhedsråd, bilateral collaborations) with what operators loaded
into the application database (`tvaers org import`) merged into the shipped reference data.

The reference data cannot know the memberships an operator loads later; a domain that keeps
them says so with its ``memberships`` hook (tvaers.domains), so this module never imports
it. A membership the reference data ships already is not counted twice.
"""

from __future__ import annotations

import contextlib
import importlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from tvaers.domains import domains
from tvaers.reference import org


@dataclass(frozen=True)
class Level:
    """A membership level on a date: its units, their memberships, the municipalities
    without a unit, and how many memberships came from the application database."""

    units: list[org.Grouping]
    memberships: list[org.Membership]
    missing: list[str]  # municipality codes without a unit, while any unit is in force
    imported: int


def imported_memberships(session: Any, level: str, on: date) -> list[org.Membership]:
    found: list[org.Membership] = []
    for d in domains():
        if d.memberships:
            module = importlib.import_module(d.memberships)
            found += module.imported_memberships(session, level, on)
    return found


def level_on(level: str, on: date, extra: list[org.Membership]) -> Level:
    shipped = org.memberships(level, on)  # type: ignore[arg-type]
    known = {(m.unit_code, m.municipality_code) for m in shipped}
    added = [m for m in extra if (m.unit_code, m.municipality_code) not in known]
    rows = shipped + added
    units = {g.code: g for g in org.groupings(level, on)}  # type: ignore[arg-type]
    for code in sorted({m.unit_code for m in added} - units.keys()):
        units[code] = _imported_unit(level, code, on, [m for m in added if m.unit_code == code])
    covered = {m.municipality_code for m in rows}
    missing = sorted(org.municipality_codes() - covered, key=int) if units else []
    return Level(sorted(units.values(), key=lambda g: g.code), rows, missing, len(added))


def _imported_unit(level: str, code: str, on: date, rows: list[org.Membership]) -> org.Grouping:
    """A unit that only imported memberships define: named by the reference data if it
    knows the code, else by the code; in the region of its members, if they share one."""
    name = code
    with contextlib.suppress(ValueError):
        name = org.grouping(level, code).name  # type: ignore[arg-type]
    homes = {r.code for m in rows if (r := org.region_of(m.municipality_code, on)) is not None}
    starts = [m.valid_from for m in rows if m.valid_from]
    ends = [m.valid_to for m in rows]
    return org.Grouping(
        level=level,  # type: ignore[arg-type]
        code=code,
        name=name,
        region_code=next(iter(homes)) if len(homes) == 1 else None,
        valid_from=min(starts) if starts else None,
        valid_to=None if None in ends else max(e for e in ends if e),
    )
