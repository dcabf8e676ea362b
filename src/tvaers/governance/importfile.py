"""The registry file (`tvaers org import FILE.yaml`, format in governance.md): read, check
every entry, and say what is wrong with each, naming the entry.

Nothing here writes: ``read`` turns a file into a checked ``RegistryFile`` or raises
``ImportInvalid`` with every problem found, so the loader (``registry.load``) writes all or
nothing. The checks that need the database (does a seat's person exist there?) take the ids
already stored as arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tvaers.governance.terms import FORUM_KINDS, OFFICES, SEAT_ROLES, SIDES, SUBJECT_KINDS
from tvaers.i18n import tr
from tvaers.reference import org
from tvaers.vocabulary import LEVELS
from tvaers.web.forms import field_errors

Tr = Callable[[str, str], str]
SECTIONS = ("fora", "people", "seats", "memberships", "meetings", "decisions")
# Levels whose memberships the file may load (the rest are the shipped reference data).
MEMBERSHIP_LEVELS = ("sundhedsraad", "bilateral", "cluster")
_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")

ForumKind = Literal[tuple(FORUM_KINDS)]  # type: ignore[valid-type]
OfficeName = Literal[tuple(OFFICES)]  # type: ignore[valid-type]
Side = Literal[tuple(SIDES)]  # type: ignore[valid-type]
SeatRole = Literal[tuple(SEAT_ROLES)]  # type: ignore[valid-type]
SubjectKind = Literal[tuple(SUBJECT_KINDS)]  # type: ignore[valid-type]


class ImportInvalid(ValueError):
    """The file cannot be loaded; ``problems`` names each entry and what is wrong."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path, self.problems = path, problems
        super().__init__(f"{path}: " + "; ".join(problems))


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Period(_Entry):
    valid_from: date
    valid_to: date | None = None


class ForumEntry(_Period):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    kind: ForumKind
    unit: str = Field(min_length=3, max_length=80)
    parent: str | None = None


class OfficeEntry(_Period):
    office: OfficeName
    unit: str = Field(min_length=3, max_length=80)


class PersonEntry(_Entry):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    offices: list[OfficeEntry] = []


class SeatEntry(_Period):
    forum: str = Field(min_length=1)
    person: str = Field(min_length=1)
    side: Side
    role: SeatRole


class MembershipEntry(_Period):
    unit: str = Field(min_length=3, max_length=80)
    municipality: str
    basis: str = Field(min_length=1, max_length=200)

    @field_validator("municipality", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        # YAML reads 461 as a number; a municipality code is text ("0461" is "461").
        return str(value) if isinstance(value, int) else value


class DecisionEntry(_Entry):
    forum: str = Field(min_length=1)
    date: date
    text: str = Field(min_length=1)
    subject_kind: SubjectKind | None = None
    subject_ref: str | None = Field(default=None, max_length=64)


class AgendaEntry(_Entry):
    title: str = Field(min_length=1, max_length=200)
    subject_kind: SubjectKind | None = None
    subject_ref: str | None = Field(default=None, max_length=64)


class MeetingEntry(_Entry):
    forum: str = Field(min_length=1)
    date: date
    title: str = Field(min_length=1, max_length=200)
    agenda: list[AgendaEntry] = []


@dataclass(frozen=True)
class RegistryFile:
    path: str
    fora: list[ForumEntry]
    people: list[PersonEntry]
    seats: list[SeatEntry]
    memberships: list[MembershipEntry]
    meetings: list[MeetingEntry]
    decisions: list[DecisionEntry]


_MODELS: dict[str, type[_Entry]] = {
    "fora": ForumEntry,
    "people": PersonEntry,
    "seats": SeatEntry,
    "memberships": MembershipEntry,
    "meetings": MeetingEntry,
    "decisions": DecisionEntry,
}


def _label(section: str, index: int, raw: Any) -> str:
    """How an entry is named in a message: its section, position (from 1) and id."""
    key = None
    if isinstance(raw, dict):
        key = raw.get("id") or (
            f"{raw.get('forum')}/{raw.get('person')}" if section == "seats" else None
        )
        key = key or (f"{raw.get('unit')}/{raw.get('municipality')}" if "unit" in raw else None)
    return f"{section}[{index + 1}]" + (f" ({key})" if key else "")


def _parse(path: str, tr: Tr) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportInvalid(
            path, [tr(f"kan ikke læse filen: {exc}", f"cannot read the file: {exc}")]
        ) from None
    try:
        # safe_load: a registry file is data; no YAML tag may construct objects.
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ImportInvalid(
            path, [tr(f"ikke gyldig YAML: {exc}", f"not valid YAML: {exc}")]
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ImportInvalid(
            path,
            [
                tr(
                    "filen skal være en YAML-mapping med afsnittene " + ", ".join(SECTIONS),
                    "the file must be a YAML mapping with the sections " + ", ".join(SECTIONS),
                )
            ],
        )
    unknown = [str(k) for k in data if k not in SECTIONS]
    if unknown:
        raise ImportInvalid(
            path,
            [
                tr(
                    f"ukendt afsnit {', '.join(unknown)}; kendte: {', '.join(SECTIONS)}",
                    f"unknown section {', '.join(unknown)}; known: {', '.join(SECTIONS)}",
                )
            ],
        )
    return data


def read(
    path: str | Path, tr: Tr = tr, stored_units: frozenset[tuple[str, str]] = frozenset()
) -> RegistryFile:
    """The file's entries, each checked on its own (fields, periods, units); ImportInvalid
    lists every problem. References between entries and the database: ``cross_check``.

    ``stored_units``: sundhedsråd and bilateral units that stored memberships define."""
    path = str(path)
    data = _parse(path, tr)
    defined = stored_units | _defined_by(data.get("memberships"))
    problems: list[str] = []
    parsed: dict[str, list[Any]] = {name: [] for name in SECTIONS}
    for section, model in _MODELS.items():
        entries = data.get(section) or []
        if not isinstance(entries, list):
            problems.append(tr(f"{section}: skal være en liste", f"{section}: must be a list"))
            continue
        for index, raw in enumerate(entries):
            label = _label(section, index, raw)
            if not isinstance(raw, dict):
                problems.append(tr(f"{label}: skal være en mapping", f"{label}: must be a mapping"))
                continue
            try:
                entry = model.model_validate(raw)
            except ValidationError as exc:
                problems += [
                    f"{label}: {field}: {msg}" for field, msg in field_errors(exc, tr).items()
                ]
                continue
            problems += [f"{label}: {p}" for p in _entry_problems(entry, tr, defined)]
            parsed[section].append(entry)
    if problems:
        raise ImportInvalid(path, problems)
    return RegistryFile(path, **parsed)


def _periods(entry: Any) -> Iterable[_Period]:
    if isinstance(entry, _Period):
        yield entry
    if isinstance(entry, PersonEntry):
        yield from entry.offices


def _defined_by(raw: Any) -> frozenset[tuple[str, str]]:
    """(level, code) of the units the file's memberships name (checked on their own)."""
    if not isinstance(raw, list):
        return frozenset()
    units = (split_unit(str(m.get("unit", ""))) for m in raw if isinstance(m, dict))
    return frozenset(u for u in units if u is not None)


def _entry_problems(entry: Any, tr: Tr, defined: frozenset[tuple[str, str]]) -> list[str]:
    problems = []
    for p in _periods(entry):
        if p.valid_to is not None and p.valid_to <= p.valid_from:
            where = f"{p.office}: " if isinstance(p, OfficeEntry) else ""
            problems.append(
                tr(
                    f"{where}valid_to {p.valid_to} skal ligge efter valid_from {p.valid_from}",
                    f"{where}valid_to {p.valid_to} must lie after valid_from {p.valid_from}",
                )
            )
    if isinstance(entry, ForumEntry):
        problems += unit_problems(entry.unit, tr, defined)
    if isinstance(entry, PersonEntry):
        keys = [(o.office, o.unit, o.valid_from) for o in entry.offices]
        for office, unit, start in sorted({k for k in keys if keys.count(k) > 1}):
            problems.append(
                tr(
                    f"{office} {unit} fra {start} står der to gange",
                    f"{office} {unit} from {start} appears twice",
                )
            )
        for office in entry.offices:
            problems += [f"{office.office}: {p}" for p in unit_problems(office.unit, tr, defined)]
    if isinstance(entry, MembershipEntry):
        problems += _membership_problems(entry, tr)
    return problems


def split_unit(text: str) -> tuple[str, str] | None:
    level, sep, code = text.partition(":")
    return (level.strip(), code.strip()) if sep and level.strip() and code.strip() else None


def unit_problems(
    text: str, tr: Tr, defined: frozenset[tuple[str, str]] = frozenset()
) -> list[str]:
    """Why ``text`` ("LEVEL:CODE") names no unit, or nothing. ``defined`` holds sundhedsråd
    and bilateral units that memberships (file or database) define beyond the shipped ones."""
    parts = split_unit(text)
    if parts is None:
        return [tr(f"enhed {text!r}: skriv NIVEAU:KODE", f"unit {text!r}: write LEVEL:CODE")]
    level, code = parts
    if level not in LEVELS:
        return [
            tr(
                f"enhed {text!r}: ukendt niveau {level!r}; vælg {', '.join(LEVELS)}",
                f"unit {text!r}: unknown level {level!r}; choose {', '.join(LEVELS)}",
            )
        ]
    if level in org.GROUPING_LEVELS and (level, code) in defined:
        return []
    try:
        if level == "municipality":
            org.municipality(code)
        elif level == "region":
            org.region(code)
        elif level == "cluster":
            org.cluster(code)
        elif level in org.GROUPING_LEVELS:
            org.grouping(level, code)  # type: ignore[arg-type]
        elif code != org.COUNTRY_CODE:
            raise ValueError(code)
    except ValueError:
        return [tr(f"enheden {text!r} findes ikke", f"the unit {text!r} does not exist")]
    return []


def _membership_problems(entry: MembershipEntry, tr: Tr) -> list[str]:
    parts = split_unit(entry.unit)
    if parts is None or parts[0] not in MEMBERSHIP_LEVELS:
        return [
            tr(
                f"unit {entry.unit!r}: medlemskaber kan indlæses for niveauerne "
                f"{', '.join(MEMBERSHIP_LEVELS)} (NIVEAU:KODE)",
                f"unit {entry.unit!r}: memberships can be loaded for the levels "
                f"{', '.join(MEMBERSHIP_LEVELS)} (LEVEL:CODE)",
            )
        ]
    problems = []
    level, code = parts
    # A new sundhedsråd or bilateral unit is defined by its memberships; a cluster must exist.
    if level == "cluster" or not _SLUG.fullmatch(code):
        problems += unit_problems(entry.unit, tr)
    if org.normalise_municipality_code(entry.municipality) not in org.municipality_codes():
        problems.append(
            tr(
                f"kommunen {entry.municipality!r} findes ikke",
                f"the municipality {entry.municipality!r} does not exist",
            )
        )
    return problems


def _overlap(a: _Period, b: _Period) -> bool:
    a_end, b_end = a.valid_to or date.max, b.valid_to or date.max
    return a.valid_from < b_end and b.valid_from < a_end


def cross_check(
    file: RegistryFile,
    stored_fora: frozenset[str],
    stored_people: frozenset[str],
    tr: Tr = tr,
) -> None:
    """References between entries and to what is stored: duplicate ids, a parent, a seat's
    forum or person, a decision's forum that exists nowhere, identical seats that overlap.
    ImportInvalid lists them all."""
    problems: list[str] = []
    for section, entries in (("fora", file.fora), ("people", file.people)):
        seen: set[str] = set()
        for index, e in enumerate(entries):
            if e.id in seen:
                problems.append(
                    tr(
                        f"{section}[{index + 1}] ({e.id}): id {e.id!r} står der to gange",
                        f"{section}[{index + 1}] ({e.id}): id {e.id!r} appears twice",
                    )
                )
            seen.add(e.id)
    fora = stored_fora | {f.id for f in file.fora}
    people = stored_people | {p.id for p in file.people}
    for index, f in enumerate(file.fora):
        label = f"fora[{index + 1}] ({f.id})"
        if f.parent is not None and f.parent not in fora:
            problems.append(
                tr(f"{label}: ukendt parent {f.parent!r}", f"{label}: unknown parent {f.parent!r}")
            )
        if f.parent == f.id:
            problems.append(tr(f"{label}: er sin egen parent", f"{label}: is its own parent"))
    for index, s in enumerate(file.seats):
        label = f"seats[{index + 1}] ({s.forum}/{s.person})"
        if s.forum not in fora:
            problems.append(
                tr(f"{label}: ukendt forum {s.forum!r}", f"{label}: unknown forum {s.forum!r}")
            )
        if s.person not in people:
            problems.append(
                tr(f"{label}: ukendt person {s.person!r}", f"{label}: unknown person {s.person!r}")
            )
        for other_index, o in enumerate(file.seats[:index]):
            # A seat is identified by forum, person, role and valid_from: twice is one too
            # many; the same seat again in an overlapping period is a double booking.
            same = (o.forum, o.person, o.role) == (s.forum, s.person, s.role)
            if same and (o.valid_from == s.valid_from or _overlap(o, s)):
                problems.append(
                    tr(
                        f"{label}: samme sæde som seats[{other_index + 1}] i en overlappende "
                        "periode",
                        f"{label}: the same seat as seats[{other_index + 1}] in an overlapping "
                        "period",
                    )
                )
    seen_members: dict[tuple[str, str | None, date], int] = {}
    for index, ms in enumerate(file.memberships):
        key = (ms.unit, org.normalise_municipality_code(ms.municipality), ms.valid_from)
        if key in seen_members:
            label = f"memberships[{index + 1}] ({ms.unit}/{ms.municipality})"
            first = seen_members[key] + 1
            problems.append(
                tr(
                    f"{label}: samme medlemskab som memberships[{first}]",
                    f"{label}: the same membership as memberships[{first}]",
                )
            )
        seen_members.setdefault(key, index)
    for index, m in enumerate(file.meetings):
        label = f"meetings[{index + 1}]"
        if m.forum not in fora:
            problems.append(
                tr(f"{label}: ukendt forum {m.forum!r}", f"{label}: unknown forum {m.forum!r}")
            )
        titles = [a.title for a in m.agenda]
        if len(set(titles)) < len(titles):
            problems.append(
                tr(
                    f"{label}: et dagsordenspunkt står der to gange",
                    f"{label}: an agenda item appears twice",
                )
            )
        earlier = [(e.forum, e.date, e.title) for e in file.meetings[:index]]
        if (m.forum, m.date, m.title) in earlier:
            problems.append(
                tr(f"{label}: samme møde står der to gange", f"{label}: the same meeting twice")
            )
    for index, d in enumerate(file.decisions):
        if d.forum not in fora:
            label = f"decisions[{index + 1}]"
            problems.append(
                tr(f"{label}: ukendt forum {d.forum!r}", f"{label}: unknown forum {d.forum!r}")
            )
    if problems:
        raise ImportInvalid(file.path, problems)
