"""The eight national goals (Nationale mål for sundhedsvæsenet), shipped as reference data
(``data/national_goals.yaml``): a goal of an agreement may point to one by its number."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class NationalGoal:
    number: int
    da: str
    en: str
    earlier_da: str | None = None  # the wording before the current one, if it changed

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.da


@cache
def national_goals() -> dict[int, NationalGoal]:
    path = resources.files("tvaers.agreements") / "data" / "national_goals.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        g["number"]: NationalGoal(g["number"], g["da"], g["en"], (g.get("earlier") or {}).get("da"))
        for g in data["goals"]
    }
