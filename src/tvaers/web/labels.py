"""Texts and number formats the dashboards share: level, period and stratum names in the
user's language, and numbers written the Danish way (1.234,5) or the English way (1,234.5).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tvaers.formatting import number

if TYPE_CHECKING:
    from tvaers.web.results_store import Snapshot

__all__ = ["number"]

Tr = Callable[[str, str], str]

LEVEL_NAMES = {
    "country": ("Land", "Country"),
    "region": ("Region", "Region"),
    "sundhedsraad": ("Sundhedsråd", "Health council"),
    "cluster": ("Sundhedsklynge", "Health cluster"),
    "bilateral": ("Bilateralt samarbejde", "Bilateral collaboration"),
    "municipality": ("Kommune", "Municipality"),
}
LEVEL_PLURALS = {
    "country": ("Landet", "The country"),
    "region": ("Regioner", "Regions"),
    "sundhedsraad": ("Sundhedsråd", "Health councils"),
    "cluster": ("Sundhedsklynger", "Health clusters"),
    "bilateral": ("Bilaterale samarbejder", "Bilateral collaborations"),
    "municipality": ("Kommuner", "Municipalities"),
}
PERIOD_TYPE_NAMES = {
    "year": ("År", "Years"),
    "quarter": ("Kvartaler", "Quarters"),
    "month": ("Måneder", "Months"),
}
DIRECTION_NAMES = {
    "lower_is_better": ("Lavere er bedre", "Lower is better"),
    "higher_is_better": ("Højere er bedre", "Higher is better"),
    "neutral": (
        "Hverken højere eller lavere er i sig selv bedre",
        "Neither higher nor lower is better as such",
    ),
}
TOTAL = ("I alt", "Total")
# The overview shows one stratum per indicator: the total, else these.
HEADLINE_STRATA = ("", "any", "gp+hospital+municipality")


def level_name(level: str, tr: Tr) -> str:
    return tr(*LEVEL_NAMES.get(level, (level, level)))


def level_plural(level: str, tr: Tr) -> str:
    return tr(*LEVEL_PLURALS.get(level, (level, level)))


def period_type_name(period_type: str, tr: Tr) -> str:
    return tr(*PERIOD_TYPE_NAMES.get(period_type, (period_type, period_type)))


def direction_name(direction: str, tr: Tr) -> str:
    return tr(*DIRECTION_NAMES.get(direction, (direction, direction)))


def headline_stratum(strata: tuple[str, ...]) -> str:
    for candidate in HEADLINE_STRATA:
        if candidate in strata:
            return candidate
    return strata[0] if strata else ""


class StratumNames:
    """Names of the strata and descriptions of the indicators, as the result set being
    shown published them (so a page never mixes one catalogue's words with another's
    numbers). A result file from before they were published shows stratum ids."""

    def __init__(self, snapshot: Snapshot | None) -> None:
        labels = snapshot.labels if snapshot is not None else None
        self._names = labels.strata if labels is not None else {}
        self._descriptions = labels.descriptions if labels is not None else {}

    def name(self, indicator: str, stratum: str, tr: Tr) -> str:
        found = self._names.get((indicator, stratum))
        if found is None:
            return tr(*TOTAL) if stratum == "" else stratum
        return tr(*found)

    def description(self, indicator: str, tr: Tr) -> str:
        da, en = self._descriptions.get(indicator, ("", ""))
        return tr(da, en)


def stratum_names(snapshot: Snapshot | None) -> StratumNames:
    return StratumNames(snapshot)


def decimals_for(factor: int) -> int:
    """Counts (factor 1) are whole numbers; rates and percentages get one decimal."""
    return 0 if factor == 1 else 1
