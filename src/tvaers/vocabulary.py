"""The words Tværs shares across packages, declared once: organisational levels, period
types, hospital sectors, contact sectors, discharge kinds.

Everything else reads them from here: the contract, the catalogue's validation, the engine,
the web and the CLI. A new level (the sundhedsråd of 2027) or period type is one line here
plus the data that fills it, never a hunt through the code for copies.
"""

from __future__ import annotations

from typing import Literal, get_args

# Organisational levels, broadest first (the order reports use). `sundhedsraad` (the health
# councils from 2027) and `bilateral` (a region and one municipality) are made of
# municipalities inside one region, like the clusters.
Level = Literal["country", "region", "sundhedsraad", "cluster", "bilateral", "municipality"]
LEVELS: tuple[Level, ...] = get_args(Level)
# The same, narrowest first: the order of the result set and the export.
LEVELS_NARROWEST_FIRST: tuple[Level, ...] = tuple(reversed(LEVELS))
# Levels made of municipalities by a dated membership (roll-up, scope, disclosure control).
AGGREGATE_LEVELS: tuple[Level, ...] = ("bilateral", "cluster", "sundhedsraad", "region")

PeriodType = Literal["year", "quarter", "month"]
PERIOD_TYPES: tuple[PeriodType, ...] = get_args(PeriodType)

# Hospital contacts: their sector, priority and type (the contract's columns).
SECTORS = ("somatic", "psychiatric")
PRIORITIES = ("acute", "planned")
CONTACT_TYPES = ("physical", "virtual", "home")
# The sectors a citizen can have contacts with (chronic_contacts_by_sector's strata).
CONTACT_SECTORS = ("gp", "hospital", "municipality")
# The kinds of municipal visit and of GP contact (the contract's `kind` columns).
VISIT_KINDS = ("visit", "phone", "video")
GP_CONTACT_KINDS = ("consultation", "phone", "email", "video", "home_visit", "chronic_care_review")
# Where a hospital stay ends (the contract's `discharged_to`).
DISCHARGE_KINDS = (
    "home",
    "nursing_home",
    "temporary_bed",
    "hospice",
    "other_hospital",
    "died",
    "other",
)
