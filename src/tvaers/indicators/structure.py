"""Which municipalities make up each unit above the municipality for a series — bilateral
collaborations, clusters, sundhedsråd and regions (catalogue: "Aggregation above the
municipality"; the levels are vocabulary.AGGREGATE_LEVELS).

A whole series uses one structure: the memberships in force on the level's structure date.
By default that is the last day the level is in force, or the extraction date for a level
still in force; `--structure-date` restates every level to one chosen date (2027-01-01: the
four regions of 2027 with Region Østdanmark, the sundhedsråd, no clusters, for every year of
the series).

A level with no unit in force on its date (the sundhedsråd before 2027, the clusters from
2027) has no rows. A municipality that belongs to no sundhedsråd (memberships not yet
loaded) is counted in its region and the country only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tvaers.reference import org
from tvaers.vocabulary import AGGREGATE_LEVELS


@dataclass(frozen=True)
class Structure:
    dates: dict[str, date]  # level -> structure date
    # (level, unit_code, unit_name, municipality_code), municipalities included
    members: tuple[tuple[str, str, str, str], ...]


def default_date(level: str, extracted: date) -> date:
    rows = org.memberships(level)
    if not rows or any(m.valid_to is None for m in rows):
        return extracted
    last_day = max(m.valid_to for m in rows if m.valid_to) - timedelta(days=1)
    return min(last_day, extracted)


def build(extracted: date, structure_date: date | None = None) -> Structure:
    dates = {lvl: structure_date or default_date(lvl, extracted) for lvl in AGGREGATE_LEVELS}
    return on_dates(dates)


def on_dates(dates: dict[str, date]) -> Structure:
    """The structure with each level's memberships on its given date (a result set's run
    records them, so its structure can be rebuilt). A level without a date (a result set
    computed before the level existed) has no units."""
    rows = [("municipality", m.code, m.name, m.code) for m in org.municipalities()]
    for level in AGGREGATE_LEVELS:
        on = dates.get(level)
        if on is None:
            continue
        for unit in org.units(level, on):
            rows += [
                (level, unit.code, unit.name, m.code) for m in org.members(level, unit.code, on)
            ]
    return Structure(dates, tuple(rows))


def unit_names() -> dict[tuple[str, str], str]:
    """(level, code) -> Danish name, for every unit ever in the reference data."""
    names = {("country", org.COUNTRY_CODE): org.units("country")[0].name}
    for level in ("municipality", *AGGREGATE_LEVELS):
        names.update({(level, u.code): u.name for u in org.units(level)})
    return names
