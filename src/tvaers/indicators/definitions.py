"""What a definition file may say: the vocabulary of its fields and the plain types the
catalogue is made of. Shared by the loader (catalogue.py) and the methods (methods/),
which is why it imports neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tvaers.i18n import tr
from tvaers.vocabulary import (
    CONTACT_SECTORS,
    CONTACT_TYPES,
    DISCHARGE_KINDS,
    GP_CONTACT_KINDS,
    PERIOD_TYPES,
    PRIORITIES,
    SECTORS,
    VISIT_KINDS,
)

# The shared words, re-exported for the loader and the methods.
__all__ = [
    "CONTACT_SECTORS",
    "CONTACT_TYPES",
    "DISCHARGE_KINDS",
    "GP_CONTACT_KINDS",
    "PERIOD_TYPES",
    "PRIORITIES",
    "SECTORS",
    "VISIT_KINDS",
]

DIRECTIONS = ("lower_is_better", "higher_is_better", "neutral")
DIAGNOSIS_PREFIX = re.compile(r"^D[A-Z][0-9A-Z]{0,5}$")
ATC_PREFIX = re.compile(r"^[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$")


@dataclass(frozen=True)
class Texts:
    da: str
    en: str

    def __str__(self) -> str:
        return tr(self.da, self.en)


@dataclass(frozen=True)
class Prescriptions:
    atc: tuple[str, ...]
    min_dispensings: int
    lookback_years: int
    within_days: int | None = None
    min_age_at_last: int | None = None


@dataclass(frozen=True)
class Disease:
    id: str
    name: Texts
    diagnoses: tuple[str, ...]
    prescriptions: Prescriptions | None
    excluded_by: tuple[str, ...]


@dataclass(frozen=True)
class FollowupRules:
    """What counts as a follow-up contact after a discharge (transitions.md)."""

    visit_kinds: tuple[str, ...]
    gp_excluded_kinds: tuple[str, ...]


@dataclass(frozen=True)
class Blocks:
    version: str
    source: str
    stay_contact_types: tuple[str, ...]
    link_gap_hours: float
    admission_min_hours: float
    diseases: tuple[Disease, ...]
    digest: str
    followup: FollowupRules = FollowupRules(("visit",), ("email",))


@dataclass(frozen=True)
class Stratum:
    id: str  # "" for the unstratified row
    name: Texts
    codes: tuple[str, ...] = ()


TOTAL = Stratum("", Texts("I alt", "Total"))
