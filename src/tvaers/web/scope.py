"""Who may see unsuppressed data for which unit.

The rule (issue 4): a viewer never sees unsuppressed values; an analyst or admin sees them
only for units within their scope. A scope is a list of organisational units. A scope on a
region or cluster covers the municipalities that were its members on the date the data is
about (membership is dated: clusters end in 2027), and a country scope covers everything.
A region or cluster is covered when every one of its members on that date is covered: its
unsuppressed total then tells nothing the user could not add up from its members.

A user linked to a registry person (``tvaers users link``) also has the units of the fora
where that person holds a seat (``SeatGrant``), each only on the dates the seat and its forum
are in force — again the date the data is about. A seat widens *where* the user's role
applies, never *what* the role may do: a viewer with seats still sees only suppressed
figures (docs/organisation.md says why).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from tvaers.i18n import tr
from tvaers.reference import org
from tvaers.roles import EDITS_REGISTRIES, ROLES, SEES_UNSUPPRESSED
from tvaers.vocabulary import LEVELS

__all__ = ["ROLES"]


class InvalidScope(ValueError):
    pass


@dataclass(frozen=True, order=True)
class UnitRef:
    level: str
    code: str

    def __str__(self) -> str:
        return f"{self.level}:{self.code}"


@dataclass(frozen=True)
class SeatGrant:
    """A unit the user may treat as in scope while a seat holds: ``[valid_from, valid_to)``
    (valid_to exclusive, None = open), like every period of the reference data."""

    unit: UnitRef
    valid_from: date
    valid_to: date | None = None

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class Principal:
    """The logged-in user as the request sees it, detached from the database session."""

    id: int
    username: str
    display_name: str
    role: str
    scopes: tuple[UnitRef, ...] = field(default=())
    # From the seats of the linked registry person (empty when not linked).
    seats: tuple[SeatGrant, ...] = field(default=())


def scopes_on(user: Principal, day: date) -> tuple[UnitRef, ...]:
    """The user's own scopes and the units of the seats in force on ``day``."""
    granted = tuple(sorted({g.unit for g in user.seats if g.holds_on(day)} - set(user.scopes)))
    return user.scopes + granted


def parse_scope(text: str) -> UnitRef:
    """``LEVEL:CODE`` as the CLI takes it ("cluster:syddanmark-sonderjylland",
    "municipality:0540")."""
    level, sep, code = text.partition(":")
    if not sep:
        raise InvalidScope(
            tr(
                f"ugyldigt omfang {text!r}: skriv NIVEAU:KODE, fx municipality:540",
                f"invalid scope {text!r}: write LEVEL:CODE, e.g. municipality:540",
            )
        )
    return validate_unit(level.strip(), code.strip())


def validate_unit(level: str, code: str) -> UnitRef:
    """The unit in its canonical spelling; InvalidScope if the reference data has no such unit."""
    if level not in LEVELS:
        raise InvalidScope(
            tr(
                f"ukendt niveau {level!r}; vælg {', '.join(LEVELS)}",
                f"unknown level {level!r}; choose {', '.join(LEVELS)}",
            )
        )
    try:
        if level == "municipality":
            code = org.municipality(code).code  # "0540" -> "540"
        elif level == "region":
            org.region(code)
        elif level == "cluster":
            org.cluster(code)
        elif level in org.GROUPING_LEVELS:  # sundhedsraad, bilateral
            org.grouping(level, code)  # type: ignore[arg-type]
        elif code != org.COUNTRY_CODE:
            raise ValueError(code)
    except ValueError:
        raise InvalidScope(
            tr(
                f"ukendt {level} {code!r} (se `tvaers org list`)",
                f"unknown {level} {code!r} (see `tvaers org list`)",
            )
        ) from None
    return UnitRef(level, code)


def unit_name(unit: UnitRef) -> str:
    if unit.level == "municipality":
        return org.municipality(unit.code).name
    if unit.level == "region":
        return org.region(unit.code).name
    if unit.level == "cluster":
        return org.cluster(unit.code).name
    if unit.level in org.GROUPING_LEVELS:
        return org.grouping(unit.level, unit.code).name  # type: ignore[arg-type]
    return tr("Danmark", "Denmark")


def covered_municipalities(scopes: Iterable[UnitRef], on: date) -> frozenset[str]:
    """Codes of the municipalities the scopes cover on ``on``."""
    return frozenset(m.code for s in scopes for m in org.members(s.level, s.code, on))  # type: ignore[arg-type]


def can_see_unsuppressed(
    user: Principal | None, level: str, unit_code: str, on: date | None = None
) -> bool:
    """May ``user`` see unsuppressed values of the unit, for data about the date ``on``?

    ``on`` decides memberships (default today). An unknown unit is never visible.
    """
    if user is None or user.role not in SEES_UNSUPPRESSED:
        return False
    return covers(user, level, unit_code, on)


def can_edit(user: Principal | None, level: str, unit_code: str, on: date | None = None) -> bool:
    """May ``user`` edit registry records that belong to the unit (a forum of a cluster, an
    agreement of a region, …)? A secretariat edits within its scope, an admin anywhere in
    its scope too; analysts and viewers never."""
    if user is None or user.role not in EDITS_REGISTRIES:
        return False
    # A seat grants reading (governance.md), never editing: only the user's own scopes.
    return covers(user, level, unit_code, on, seats=False)


def covers(
    user: Principal, level: str, unit_code: str, on: date | None = None, *, seats: bool = True
) -> bool:
    """Does the user's scope cover the unit on ``on``: the unit itself, the country, or
    every municipality that was its member that day. Seats count for the days they hold,
    unless ``seats`` is false."""
    try:
        target = validate_unit(level, unit_code)
    except InvalidScope:
        return False
    day = on or date.today()
    scopes = scopes_on(user, day) if seats else user.scopes
    if any(s.level == "country" or s == target for s in scopes):
        return True
    members = {m.code for m in org.members(target.level, target.code, day)}  # type: ignore[arg-type]
    return bool(members) and members <= covered_municipalities(scopes, day)
