"""The registry file (`tvaers org import FILE.yaml`, format in governance.md): read, check
every entry, and say what is wrong with each, naming the entry.

Nothing here writes: ``read`` turns a file into a ``RegistryFile`` whose entries are each
checked on their own, or raises ``ImportInvalid`` with every problem found; ``crosscheck``
then looks across entries and at what is stored, so the loader (``loading.load``) writes
all or nothing.
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


class Period(_Entry):
    valid_from: date
    valid_to: date | None = None


class ForumEntry(Period):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    kind: ForumKind
    unit: str = Field(min_length=3, max_length=80)
    parent: str | None = None


class OfficeEntry(Period):
    office: OfficeName
    unit: str = Field(min_length=3, max_length=80)


class PersonEntry(_Entry):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    offices: list[OfficeEntry] = []


class SeatEntry(Period):
    forum: str = Field(min_length=1)
    person: str = Field(min_length=1)
    side: Side
    role: SeatRole


class MembershipEntry(Period):
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


def regular_file(path: str, tr: Tr) -> Path:
    """The file to read, or ImportInvalid if it is missing or not a regular file (never
    opened: a FIFO or a device would hang or never end)."""
    file = Path(path)
    if not file.exists():
        raise ImportInvalid(path, [tr("filen findes ikke", "the file does not exist")])
    if not file.is_file():
        raise ImportInvalid(path, [tr("er ikke en almindelig fil", "is not a regular file")])
    return file


def _parse(path: str, tr: Tr) -> dict[str, Any]:
    file = regular_file(path, tr)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ImportInvalid(
            path, [tr(f"kan ikke læse filen: {reason}", f"cannot read the file: {reason}")]
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
    lists every problem. References between entries and the database: ``crosscheck.cross_check``.

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


def _periods(entry: Any) -> Iterable[Period]:
    if isinstance(entry, Period):
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
