"""The organisation structure as dated data: municipalities, regions and health clusters.

Every membership carries a validity period ``[valid_from, valid_to)`` (``valid_to`` exclusive,
empty = still in force), so the reform of 2027 — the clusters ending, Region Østdanmark, the
sundhedsråd — is an edit to the CSV files in ``data/``, not to this code. That is also why
every question about membership takes a date: "which units on D", never "which units".

The 2027 structures in the data:

- ``new_regions.csv``: a region formed by merging others (Region Østdanmark from Hovedstaden
  and Sjælland). Its members are the predecessors' members on the day before it starts, so
  its code — declared, not yet confirmed officially — is written in exactly one place.
- ``sundhedsraad.csv`` / ``sundhedsraad_members.csv``: level ``sundhedsraad``, confirmed
  memberships only, each row with its basis. A sundhedsråd lies in the region of its members.
- ``bilateral.csv``: level ``bilateral``, a region and one municipality working together.

The files are read once (stdlib ``csv``; they are small) and cached; callers get fresh lists
of frozen objects so nothing they do can change what the next caller sees.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources

from tvaers.vocabulary import LEVELS, Level

COUNTRY_CODE = "DK"  # the unit code of level "country" in the export format
_COUNTRY_NAME = "Danmark"
_VERIFIED = "verified"  # the `basis` of a membership confirmed on an official page
_CODE3 = re.compile(r"[0-9]{3}")  # [0-9], not \d: "٥٤٠" is not a municipality code


@dataclass(frozen=True)
class Municipality:
    code: str  # official 3-digit code as text, "540"
    name: str
    # The region named in municipalities.csv. It is not dated: for the region on a given
    # day (which changes in 2027) use region_of().
    region_code: str


@dataclass(frozen=True)
class Region:
    code: str  # "1081".."1085"; Østdanmark's is declared (see code_confirmed)
    name: str
    # Derived from the region's memberships: the first day any municipality belonged to it,
    # and the day after the last (None while it still has members).
    valid_from: date | None
    valid_to: date | None
    seat: str | None = None  # known only for regions formed after 2007
    # False while the official code is not confirmed and the data's code is a declared one.
    code_confirmed: bool = True


@dataclass(frozen=True)
class Grouping:
    """A unit of level ``sundhedsraad`` or ``bilateral``: municipalities grouped inside one
    region for a period."""

    level: Level
    code: str
    name: str
    region_code: str | None  # None: no members in the data yet
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class Cluster:
    slug: str  # the unit code; names are not unique ("Sundhedsklynge Midt" exists twice)
    name: str
    region_code: str
    acute_hospital: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class Membership:
    level: Level
    unit_code: str
    municipality_code: str
    valid_from: date | None
    valid_to: date | None
    basis: str  # "verified", or how it was inferred (e.g. from the acute hospital's catchment)

    @property
    def verified(self) -> bool:
        return self.basis == _VERIFIED

    def in_force(self, on: date) -> bool:
        return _in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Unit:
    """One organisational unit of any level, as the export format and the CLI list them."""

    level: Level
    code: str
    name: str
    valid_from: date | None  # None: not dated in the data (municipalities, the country)
    valid_to: date | None


# --- loading ---------------------------------------------------------------------------


def _rows(filename: str) -> list[dict[str, str]]:
    # importlib.resources so the data is found in a wheel or zip as well as in a checkout;
    # utf-8-sig because a CSV edited in a spreadsheet may come back with a BOM.
    path = resources.files("tvaers.reference") / "data" / filename
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None


def _in_force(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on < valid_to)


@cache
def _municipalities() -> dict[str, Municipality]:
    rows = sorted(_rows("municipalities.csv"), key=lambda r: int(r["code"]))
    return {
        r["code"]: Municipality(code=r["code"], name=r["name"], region_code=r["region_code"])
        for r in rows
    }


# The levels whose membership is data, and where: (file, column naming the unit).
_MEMBERSHIP_FILES: dict[str, tuple[str, str]] = {
    "region": ("region_members.csv", "region_code"),
    "cluster": ("cluster_members.csv", "cluster_slug"),
    "sundhedsraad": ("sundhedsraad_members.csv", "sundhedsraad_code"),
    "bilateral": ("bilateral.csv", "code"),
}
MEMBERSHIP_LEVELS: tuple[Level, ...] = tuple(_MEMBERSHIP_FILES)  # type: ignore[assignment]
GROUPING_LEVELS: tuple[Level, ...] = ("sundhedsraad", "bilateral")


def _membership(level: Level, unit_code: str, r: dict[str, str]) -> Membership:
    return Membership(
        level=level,
        unit_code=unit_code,
        municipality_code=r["municipality_code"],
        valid_from=_date(r["valid_from"]),
        valid_to=_date(r["valid_to"]),
        basis=r["basis"],
    )


def _merged_region_members() -> list[Membership]:
    """Members of regions formed by a merger: every member of the predecessors on the day
    before the new region starts, from that day on."""
    found = []
    direct = [_membership("region", r["region_code"], r) for r in _rows("region_members.csv")]
    for new in _rows("new_regions.csv"):
        start = date.fromisoformat(new["valid_from"])
        eve = start - timedelta(days=1)
        predecessors = set(new["formed_from"].split())
        basis = new["basis"]
        found += [
            Membership("region", new["code"], m.municipality_code, start, None, basis)
            for m in direct
            if m.unit_code in predecessors and m.in_force(eve)
        ]
    return found


@cache
def _memberships(level: Level) -> tuple[Membership, ...]:
    filename, unit_column = _MEMBERSHIP_FILES[level]
    result = tuple(_membership(level, r[unit_column], r) for r in _rows(filename))
    if level == "region":
        result += tuple(_merged_region_members())
    # A typo in a hand-edited membership file would otherwise silently drop a municipality
    # from every total, so it fails loudly at first use instead.
    unknown = {m.municipality_code for m in result} - _municipalities().keys()
    if unknown:
        raise ValueError(f"{filename}: unknown municipality codes {sorted(unknown)}")
    return result


@cache
def _regions() -> dict[str, Region]:
    names: dict[str, str] = {}
    for r in _rows("region_members.csv"):
        names.setdefault(r["region_code"], r["region_name"])
    formed = {r["code"]: r for r in _rows("new_regions.csv")}
    names.update({code: r["name"] for code, r in formed.items()})
    result = {}
    for code in sorted(names):
        periods = [m for m in _memberships("region") if m.unit_code == code]
        starts = [m.valid_from for m in periods]
        ends = [m.valid_to for m in periods]
        result[code] = Region(
            code=code,
            name=names[code],
            valid_from=None if None in starts else min(s for s in starts if s is not None),
            valid_to=None if None in ends else max(e for e in ends if e is not None),
            seat=formed[code]["seat"] if code in formed else None,
            code_confirmed=code not in formed or formed[code]["code_status"] == "official",
        )
    return result


@cache
def _clusters() -> dict[str, Cluster]:
    rows = sorted(_rows("clusters.csv"), key=lambda r: (r["region_code"], r["slug"]))
    result = {
        r["slug"]: Cluster(
            slug=r["slug"],
            name=r["name"],
            region_code=r["region_code"],
            acute_hospital=r["acute_hospital"],
            valid_from=_date(r["valid_from"]),
            valid_to=_date(r["valid_to"]),
        )
        for r in rows
    }
    unknown = {m.unit_code for m in _memberships("cluster")} - result.keys()
    if unknown:
        raise ValueError(f"cluster_members.csv: unknown cluster slugs {sorted(unknown)}")
    return result


@cache
def _groupings() -> dict[tuple[str, str], Grouping]:
    """Sundhedsråd and bilateral collaborations, by (level, code)."""
    found: dict[tuple[str, str], Grouping] = {}
    for r in _rows("sundhedsraad.csv"):
        found["sundhedsraad", r["code"]] = Grouping(
            "sundhedsraad", r["code"], r["name"], None, _date(r["valid_from"]), _date(r["valid_to"])
        )
    for r in _rows("bilateral.csv"):
        found["bilateral", r["code"]] = Grouping(
            "bilateral",
            r["code"],
            r["name"],
            r["region_code"],
            _date(r["valid_from"]),
            _date(r["valid_to"]),
        )
    for level in GROUPING_LEVELS:
        unknown = {m.unit_code for m in _memberships(level)} - {c for lv, c in found if lv == level}
        if unknown:
            raise ValueError(f"{_MEMBERSHIP_FILES[level][0]}: unknown units {sorted(unknown)}")
    # A sundhedsråd lies inside one region: the region of its members on its first day.
    for key, g in list(found.items()):
        if g.region_code is not None or g.valid_from is None:
            continue
        homes = {
            home.code
            for m in _memberships(g.level)
            if m.unit_code == g.code
            and (home := _region_on(m.municipality_code, m.valid_from or g.valid_from))
        }
        if len(homes) > 1:
            raise ValueError(f"{g.level} {g.code!r} has members in regions {sorted(homes)}")
        found[key] = replace(g, region_code=next(iter(homes), None))
    return dict(sorted(found.items(), key=lambda kv: (kv[0][0], kv[1].region_code or "", kv[0][1])))


def _region_on(municipality_code: str, on: date) -> Region | None:
    for m in _memberships("region"):
        if m.municipality_code == municipality_code and m.in_force(on):
            return _regions()[m.unit_code]
    return None


# --- checking arguments ----------------------------------------------------------------


def _day(on: date) -> date:
    # datetime is a date subclass but does not compare with one; accept it as its day.
    if isinstance(on, datetime):
        return on.date()
    if not isinstance(on, date):
        raise TypeError(f"expected a date, got {on!r}")
    return on


def _level(level: str) -> Level:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    return level  # type: ignore[return-value]


def _municipality_code(raw: str) -> str:
    code = normalise_municipality_code(raw)
    if code is None or code not in _municipalities():
        raise ValueError(f"unknown municipality {raw!r}")
    return code


def _sorted(codes: Iterable[str]) -> list[Municipality]:
    by_code = _municipalities()
    return [by_code[c] for c in sorted(set(codes), key=int)]


# --- municipalities --------------------------------------------------------------------


def normalise_municipality_code(raw: str) -> str | None:
    """Return the 3-digit code for ``raw`` ("0540" -> "540"), or None if it is not one.

    Only the data contract's one tolerated variant is accepted: a 4-character value with one
    leading zero. Whether the code is a real municipality is not checked here.
    """
    if not isinstance(raw, str):
        return None
    code = raw[1:] if len(raw) == 4 and raw.startswith("0") else raw
    return code if _CODE3.fullmatch(code) else None


def municipalities() -> list[Municipality]:
    """All 98 municipalities, by code."""
    return list(_municipalities().values())


def municipality_codes() -> frozenset[str]:
    return frozenset(_municipalities())


def municipality(code: str) -> Municipality:
    """The municipality with this code ("0540" accepted); ValueError if there is none."""
    return _municipalities()[_municipality_code(code)]


# --- regions and clusters --------------------------------------------------------------


def regions(on: date | None = None) -> list[Region]:
    """Regions that had members on ``on`` (all regions ever, if None), by code."""
    if on is None:
        return list(_regions().values())
    day = _day(on)
    in_force = {m.unit_code for m in _memberships("region") if m.in_force(day)}
    return [r for r in _regions().values() if r.code in in_force]


def region(code: str) -> Region:
    try:
        return _regions()[code]
    except KeyError:
        raise ValueError(f"unknown region {code!r}") from None


def region_of(municipality_code: str, on: date) -> Region | None:
    """The region the municipality belonged to on ``on``; None before any region existed."""
    return _region_on(_municipality_code(municipality_code), _day(on))


def clusters(on: date | None = None) -> list[Cluster]:
    """Clusters in force on ``on`` (all clusters ever, if None), by region then slug."""
    found = _clusters().values()
    if on is None:
        return list(found)
    day = _day(on)
    return [c for c in found if _in_force(c.valid_from, c.valid_to, day)]


def cluster(slug: str) -> Cluster:
    try:
        return _clusters()[slug]
    except KeyError:
        raise ValueError(f"unknown cluster {slug!r}") from None


def clusters_of(municipality_code: str, on: date) -> list[Cluster]:
    """The cluster(s) the municipality belonged to on ``on`` — two for København."""
    code, day = _municipality_code(municipality_code), _day(on)
    slugs = {
        m.unit_code
        for m in _memberships("cluster")
        if m.municipality_code == code and m.in_force(day)
    }
    return [c for c in clusters(day) if c.slug in slugs]


# --- sundhedsråd and bilateral collaborations ------------------------------------------


def groupings(level: Level, on: date | None = None) -> list[Grouping]:
    """Sundhedsråd or bilateral collaborations in force on ``on`` (all ever, if None)."""
    if _level(level) not in GROUPING_LEVELS:
        raise ValueError(f"level {level!r} is not one of {', '.join(GROUPING_LEVELS)}")
    found = [g for (lv, _), g in _groupings().items() if lv == level]
    if on is None:
        return found
    day = _day(on)
    return [g for g in found if _in_force(g.valid_from, g.valid_to, day)]


def grouping(level: Level, code: str) -> Grouping:
    try:
        return _groupings()[_level(level), code]
    except KeyError:
        raise ValueError(f"unknown {level} {code!r}") from None


def unit_name(level: str, code: str) -> str | None:
    """The reference name of a municipality, region, cluster or grouping; None for a level
    the reference data names no unit of (the country). An unknown code raises ValueError,
    so each caller says in its own way that the unit is unknown."""
    if level == "municipality":
        return municipality(code).name
    if level == "region":
        return region(code).name
    if level == "cluster":
        return cluster(code).name
    if level in GROUPING_LEVELS:
        return grouping(level, code).name  # type: ignore[arg-type]
    return None


def missing(level: Level, on: date) -> list[Municipality]:
    """Municipalities without a unit of ``level`` on ``on``, while the level is in force.

    Sundhedsråd are meant to cover the country; until the data holds every membership, these
    are counted in their region and the country only, and pages say so. Empty when no unit of
    the level is in force that day (before 2027 nothing is missing).
    """
    level, day = _level(level), _day(on)
    if level not in ("sundhedsraad", "cluster"):
        raise ValueError(f"level {level!r} is not meant to cover every municipality")
    in_force = units(level, day)
    if not in_force:
        return []
    covered = {m.municipality_code for m in memberships(level, day)}
    return [m for m in municipalities() if m.code not in covered]


# --- any level -------------------------------------------------------------------------


def memberships(level: Level, on: date | None = None) -> list[Membership]:
    """Membership rows of a level made of municipalities (region, cluster, sundhedsraad,
    bilateral) in force on ``on`` (all, if None).

    Use it where the basis matters: ``verified`` rows were confirmed on an official page,
    the others say where they come from.
    """
    if _level(level) not in MEMBERSHIP_LEVELS:
        raise ValueError(
            f"level {level!r} has no membership data; use {', '.join(MEMBERSHIP_LEVELS)}"
        )
    rows = _memberships(level)
    return list(rows) if on is None else [m for m in rows if m.in_force(_day(on))]


def members(level: Level, unit_code: str, on: date) -> list[Municipality]:
    """The municipalities that made up a unit on ``on``, by code.

    A known unit that was not in force on that day (a cluster in 2021) has no members: the
    list is empty. An unknown level or unit raises ValueError.
    """
    level, day = _level(level), _day(on)
    if level == "country":
        if unit_code != COUNTRY_CODE:
            raise ValueError(f"unknown country {unit_code!r}; the only one is {COUNTRY_CODE!r}")
        return municipalities()
    if level == "municipality":
        return [municipality(unit_code)]
    if level in GROUPING_LEVELS:
        grouping(level, unit_code)  # raises for an unknown unit
    else:
        (region if level == "region" else cluster)(unit_code)
    return _sorted(
        m.municipality_code
        for m in _memberships(level)
        if m.unit_code == unit_code and m.in_force(day)
    )


def units(level: Level, on: date | None = None) -> list[Unit]:
    """Every unit of ``level`` in force on ``on`` (all, if None), in reporting order."""
    level = _level(level)
    if level == "country":
        return [Unit("country", COUNTRY_CODE, _COUNTRY_NAME, None, None)]
    if level == "region":
        return [Unit(level, r.code, r.name, r.valid_from, r.valid_to) for r in regions(on)]
    if level == "cluster":
        return [Unit(level, c.slug, c.name, c.valid_from, c.valid_to) for c in clusters(on)]
    if level in GROUPING_LEVELS:
        return [Unit(level, g.code, g.name, g.valid_from, g.valid_to) for g in groupings(level, on)]
    # The municipality list itself is not dated in the data (it is the 2007 one).
    return [Unit(level, m.code, m.name, None, None) for m in municipalities()]
