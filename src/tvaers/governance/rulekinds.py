"""The rule kinds: the only code behind the rules (see ``rules``).

Six ways of saying "this forum must seat these people", enough for the eleven rules of
Region Syddanmark 2022-2026 (governance.md). Each takes a rule of its kind, one forum and a
``Snapshot`` of the registry on the checked day, and yields a ``Finding`` per problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy.orm import Session

from tvaers.governance import registry
from tvaers.governance.models import Forum, Office, Person, Seat
from tvaers.governance.rulespec import (
    Finding,
    HolderAlsoSeated,
    HolderDirectsUnitOf,
    OfficeSetMatches,
    RoleOnSide,
    Rule,
    SeatCount,
    SeatPerMember,
    Target,
)
from tvaers.governance.terms import FORUM_KINDS, OFFICES, SEAT_ROLES, SIDES
from tvaers.i18n import tr
from tvaers.reference import org

# --- what a check looks at -----------------------------------------------------------------


@dataclass
class Snapshot:
    """The registry on one day: fora, seats and offices in force, members of units."""

    session: Session
    day: date
    tr: Callable[[str, str], str] = tr  # the language of the messages
    fora: list[Forum] = field(default_factory=list)
    seats: dict[str, list[Seat]] = field(default_factory=dict)
    offices: dict[str, list[Office]] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)

    @classmethod
    def take(cls, session: Session, day: date, tr: Callable[[str, str], str] = tr) -> Snapshot:
        snap = cls(session, day, tr, fora=registry.fora(session, day))
        for seat in registry.all_seats(session, day):
            snap.seats.setdefault(seat.forum_id, []).append(seat)
        snap.offices = registry.offices_on(session, day)
        snap.people = {p.id: p.name for p in session.query(Person)}
        return snap

    def found(self, rule: Rule, f: Forum, unit: str, da: str, en: str) -> Finding:
        return Finding(rule.id, f.id, unit, self.tr(da, en))

    @cached_property
    def region_of(self) -> dict[str, str | None]:
        return {
            f.id: registry.region_of_unit(self.session, f.unit_level, f.unit_code, self.day)
            for f in self.fora
        }

    def members(self, f: Forum) -> list[str]:
        return registry.members(self.session, f.unit_level, f.unit_code, self.day)

    def seats_of(self, f: Forum, role: str | None = None, side: str | None = None) -> list[Seat]:
        return [
            s
            for s in self.seats.get(f.id, [])
            if (role is None or s.role == role) and (side is None or s.side == side)
        ]

    def holds(self, person_id: str, office: str, municipality: str | None = None) -> bool:
        return any(
            o.office == office
            and (
                municipality is None
                or (o.unit_level, o.unit_code) == ("municipality", municipality)
            )
            for o in self.offices.get(person_id, [])
        )

    def municipalities_of(self, person_id: str, office: str | None = None) -> set[str]:
        """The municipalities a person holds an office for (that office only, if given)."""
        return {
            o.unit_code
            for o in self.offices.get(person_id, [])
            if o.unit_level == "municipality" and (office is None or o.office == office)
        }

    def holders(self, office: str, municipality: str) -> list[str]:
        return [p for p in self.offices if self.holds(p, office, municipality)]

    def related(self, f: Forum, target: Target) -> list[Forum]:
        if target.relation == "child":
            return [g for g in self.fora if g.parent_id == f.id and g.kind == target.forum_kind]
        region = self.region_of[f.id]
        return [
            g for g in self.fora if g.kind == target.forum_kind and self.region_of[g.id] == region
        ]


def _name(code: str) -> str:
    return org.municipality(code).name


# --- the kinds -----------------------------------------------------------------------------


def _side(side: str) -> tuple[str, str]:
    return SIDES[side]


def _seat_per_member(rule: SeatPerMember, f: Forum, snap: Snapshot) -> Iterator[Finding]:
    seated = {s.person_id for s in snap.seats_of(f)}
    office_da, office_en = OFFICES[rule.office]
    for code in snap.members(f):
        if any(snap.holds(p, rule.office, code) for p in seated):
            continue
        names = ", ".join(snap.people[p] for p in snap.holders(rule.office, code))
        da = f" ({names} har embedet)" if names else f" (ingen {office_da} registreret {snap.day})"
        en = f" ({names} holds the office)" if names else f" (no {office_en} recorded {snap.day})"
        place = _name(code)
        yield snap.found(
            rule,
            f,
            f"municipality:{code}",
            f"{f.name} har intet sæde for {office_da} i {place}{da}",
            f"{f.name} has no seat for the {office_en} of {place}{en}",
        )


def _seat_count(rule: SeatCount, f: Forum, snap: Snapshot) -> Iterator[Finding]:
    found = len(snap.seats_of(f, rule.role, rule.side))
    if found == rule.count:
        return
    role_da, role_en = SEAT_ROLES[rule.role] if rule.role else ("", "")
    side_da, side_en = _side(rule.side)
    what_da = f"{role_da}-sæder" if rule.role else "sæder"
    what_en = f"{role_en} seats" if rule.role else "seats"
    yield snap.found(
        rule,
        f,
        f.unit,
        f"{f.name} har {found} {what_da} på {side_da}siden; reglen kræver præcis {rule.count}",
        f"{f.name} has {found} {what_en} on the {side_en} side; the rule requires exactly "
        f"{rule.count}",
    )


def _role_on_side(rule: RoleOnSide, f: Forum, snap: Snapshot) -> Iterator[Finding]:
    found = snap.seats_of(f, rule.role)
    role_da, role_en = SEAT_ROLES[rule.role]
    if not found:
        yield snap.found(
            rule, f, f.unit, f"{f.name} har intet {role_da}-sæde", f"{f.name} has no {role_en} seat"
        )
    want_da, want_en = _side(rule.side)
    for s in found:
        if s.side == rule.side:
            continue
        is_da, is_en = _side(s.side)
        who = snap.people[s.person_id]
        yield snap.found(
            rule,
            f,
            f.unit,
            f"{f.name}: {role_da}-sædet ({who}) er på {is_da}siden, ikke {want_da}siden",
            f"{f.name}: the {role_en} seat ({who}) is on the {is_en} side, not the {want_en} side",
        )


def _holder_also_seated(rule: HolderAlsoSeated, f: Forum, snap: Snapshot) -> Iterator[Finding]:
    role_da, role_en = SEAT_ROLES[rule.role]
    targets = snap.related(f, rule.target)
    kind_da, kind_en = FORUM_KINDS[rule.target.forum_kind]
    seated = {x.person_id for t in targets for x in snap.seats_of(t)}
    names = ", ".join(t.name for t in targets)
    for s in snap.seats_of(f, rule.role, rule.side):
        who = snap.people[s.person_id]
        if not targets:
            yield snap.found(
                rule,
                f,
                f.unit,
                f"{f.name}: {role_da} {who} skal have et sæde i {kind_da}, men der er intet "
                f"sådant forum {snap.day}",
                f"{f.name}: {role_en} {who} must hold a seat in the {kind_en}, but there is no "
                f"such forum on {snap.day}",
            )
        elif s.person_id not in seated:
            yield snap.found(
                rule,
                f,
                f.unit,
                f"{f.name}: {role_da} {who} har intet sæde i {names}",
                f"{f.name}: {role_en} {who} holds no seat in {names}",
            )


def _office_set_matches(rule: OfficeSetMatches, f: Forum, snap: Snapshot) -> Iterator[Finding]:
    target = rule.same_municipalities_as
    expected: set[str] = set()
    for t in snap.related(f, target):
        for s in snap.seats_of(t, target.role, target.side):
            expected |= snap.municipalities_of(s.person_id, target.office)
    seated = [s.person_id for s in snap.seats_of(f)]
    actual = {code for p in seated for code in snap.municipalities_of(p, rule.office)}
    office_da, office_en = OFFICES[rule.office]
    kind_da, kind_en = FORUM_KINDS[target.forum_kind]
    for code in sorted(expected - actual, key=int):
        place = _name(code)
        yield snap.found(
            rule,
            f,
            f"municipality:{code}",
            f"{f.name} mangler {office_da} fra {place}, der har et sæde i {kind_da}",
            f"{f.name} lacks the {office_en} of {place}, which holds a seat in the {kind_en}",
        )
    for code in sorted(actual - expected, key=int):
        place = _name(code)
        yield snap.found(
            rule,
            f,
            f"municipality:{code}",
            f"{f.name} har {office_da} fra {place}, der ikke har et sæde i {kind_da}",
            f"{f.name} holds the {office_en} of {place}, which has no seat in the {kind_en}",
        )
    for extra in rule.plus:
        found = sum(1 for p in seated if snap.holds(p, extra.office))
        if found != extra.count:
            extra_da, extra_en = OFFICES[extra.office]
            yield snap.found(
                rule,
                f,
                f.unit,
                f"{f.name} har {found} med embedet {extra_da}; reglen kræver præcis {extra.count}",
                f"{f.name} has {found} holding the office {extra_en}; the rule requires exactly "
                f"{extra.count}",
            )


def _holder_directs_unit_of(
    rule: HolderDirectsUnitOf, f: Forum, snap: Snapshot
) -> Iterator[Finding]:
    target = rule.unit_of
    places: set[str] = set()
    for t in snap.related(f, target):
        for s in snap.seats_of(t, target.role, target.side):
            places |= snap.municipalities_of(s.person_id, target.office)
    role_da, role_en = SEAT_ROLES[rule.role]
    holders = snap.seats_of(f, rule.role, rule.side)
    if not holders:
        yield snap.found(
            rule, f, f.unit, f"{f.name} har ingen {role_da}", f"{f.name} has no {role_en}"
        )
    if not places:
        kind_da, kind_en = FORUM_KINDS[target.forum_kind]
        yield snap.found(
            rule,
            f,
            f.unit,
            f"{f.name}: ingen kommune at sammenligne med ({kind_da} har ingen sådan sæde-"
            f"indehaver med embede i en kommune {snap.day})",
            f"{f.name}: no municipality to compare with (the {kind_en} has no such seat holder "
            f"holding an office in a municipality on {snap.day})",
        )
        return
    names = ", ".join(_name(c) for c in sorted(places, key=int))
    offices_da = " eller ".join(OFFICES[o][0] for o in rule.offices)
    offices_en = " or ".join(OFFICES[o][1] for o in rule.offices)
    for s in holders:
        if any(snap.holds(s.person_id, o, code) for o in rule.offices for code in places):
            continue
        who = snap.people[s.person_id]
        yield snap.found(
            rule,
            f,
            f.unit,
            f"{f.name}: {role_da} {who} er ikke {offices_da} i {names}",
            f"{f.name}: {role_en} {who} is not {offices_en} of {names}",
        )


KINDS: dict[type, Callable[..., Iterator[Finding]]] = {
    SeatPerMember: _seat_per_member,
    SeatCount: _seat_count,
    RoleOnSide: _role_on_side,
    HolderAlsoSeated: _holder_also_seated,
    OfficeSetMatches: _office_set_matches,
    HolderDirectsUnitOf: _holder_directs_unit_of,
}
