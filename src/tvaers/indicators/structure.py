"""Which municipalities make up each cluster and region for a series (catalogue:
"Aggregation above the municipality").

A whole series uses one structure: the memberships in force on the level's structure date.
By default that is the last day the level is in force, or the extraction date for a level
still in force; `--structure-date` restates every level to one chosen date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tvaers.reference import org

AGGREGATE_LEVELS = ("cluster", "region")


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
    records them, so its structure can be rebuilt)."""
    rows = [("municipality", m.code, m.name, m.code) for m in org.municipalities()]
    for level in AGGREGATE_LEVELS:
        on = dates[level]
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
