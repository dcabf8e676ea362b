"""Texts and number formats the dashboards share: level, period and stratum names in the
user's language, and numbers written the Danish way (1.234,5) or the English way (1,234.5).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from tvaers.formatting import number
from tvaers.indicators import catalogue

__all__ = ["number"]

Tr = Callable[[str, str], str]

LEVEL_NAMES = {
    "country": ("Land", "Country"),
    "region": ("Region", "Region"),
    "cluster": ("Sundhedsklynge", "Health cluster"),
    "municipality": ("Kommune", "Municipality"),
}
LEVEL_PLURALS = {
    "country": ("Landet", "The country"),
    "region": ("Regioner", "Regions"),
    "cluster": ("Sundhedsklynger", "Health clusters"),
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
# Contacts by sector: the strata are combinations such as "gp+hospital".
SECTOR_NAMES = {
    "gp": ("almen praksis", "general practice"),
    "hospital": ("hospital", "hospital"),
    "municipality": ("kommune", "municipality"),
    "none": ("ingen kontakt", "no contact"),
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
    """Names of the strata from the catalogue (the result file keeps only their ids)."""

    def __init__(self) -> None:
        try:
            cat = catalogue.load()
        except catalogue.CatalogueError:  # the results still show, with ids for names
            cat = None
        self._names: dict[tuple[str, str], tuple[str, str]] = {}
        self._descriptions: dict[str, tuple[str, str]] = {}
        if cat is not None:
            for ind in cat.indicators:
                self._descriptions[ind.id] = (ind.description.da, ind.description.en)
                for s in ind.strata:
                    self._names[(ind.id, s.id)] = (s.name.da, s.name.en)

    def name(self, indicator: str, stratum: str, tr: Tr) -> str:
        if stratum == "":
            return tr(*TOTAL)
        if "+" in stratum or stratum in SECTOR_NAMES:
            parts = [tr(*SECTOR_NAMES.get(p, (p, p))) for p in stratum.split("+")]
            return " + ".join(parts)
        da, en = self._names.get((indicator, stratum), (stratum, stratum))
        return tr(da, en)

    def description(self, indicator: str, tr: Tr) -> str:
        da, en = self._descriptions.get(indicator, ("", ""))
        return tr(da, en)


@cache
def stratum_names() -> StratumNames:
    return StratumNames()


def decimals_for(factor: int) -> int:
    """Counts (factor 1) are whole numbers; rates and percentages get one decimal."""
    return 0 if factor == 1 else 1
