"""The agreement file's entries (format in agreement.md) as models: each entry's fields and
their rules. Reading a file and checking the entries against the catalogue, the reference
data and the registry is importfile.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tvaers.agreements.terms import (
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    EXPECTED,
    INITIATIVE_STATUSES,
)
from tvaers.vocabulary import PERIOD_TYPES

_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

Kind = Literal[tuple(AGREEMENT_KINDS)]  # type: ignore[valid-type]
Status = Literal[tuple(AGREEMENT_STATUSES)]  # type: ignore[valid-type]
InitiativeStatus = Literal[tuple(INITIATIVE_STATUSES)]  # type: ignore[valid-type]
Expected = Literal[tuple(EXPECTED)]  # type: ignore[valid-type]
PeriodType = Literal[PERIOD_TYPES]  # type: ignore[valid-type]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _text(value: Any) -> Any:
    # YAML reads 1083 or 2024 as numbers; codes and periods are text.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class SeriesEntry(_Entry):
    indicator: str = Field(min_length=1)
    unit: str = Field(min_length=3, max_length=80)
    stratum: str = ""
    period: PeriodType = "quarter"
    expected: Expected | None = None


class InitiativeEntry(_Entry):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=300)
    name_en: str | None = Field(default=None, max_length=300)
    owner: str = Field(min_length=1, max_length=80)
    aim: str | None = None
    go_live: date | None = None
    status: InitiativeStatus = "running"
    series: list[SeriesEntry] = []


class _Keyed(_Entry):
    id: str = Field(pattern=_ID)


class TargetFields(_Entry):
    """A target's fields but its id: the file's entry, and the web form that changes a
    stored target (agreements.targets), checked by the same rules."""

    indicator: str = Field(min_length=1)
    unit: str | None = Field(default=None, max_length=80)
    level: str | None = None
    region: str | None = None
    stratum: str = ""
    period: PeriodType
    standardised: bool = False
    baseline: str
    # A target of NaN or infinity could never be met nor missed.
    value: float = Field(allow_inf_nan=False)
    by: str

    _codes = field_validator("region", "baseline", "by", mode="before")(_text)


class TargetEntry(TargetFields, _Keyed):
    """A target as the file gives it (its id first, as in the file)."""


class GoalEntry(_Entry):
    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)
    text_en: str | None = None
    national_goal: int | None = None
    initiatives: list[InitiativeEntry] = []
    targets: list[TargetEntry] = []


class FocusAreaEntry(_Entry):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    name_en: str | None = None
    goals: list[GoalEntry] = []


class VisionEntry(_Entry):
    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)
    text_en: str | None = None
    focus_areas: list[FocusAreaEntry] = []


class DecisionRef(_Entry):
    """The governance decision behind a status: the decision of ``forum`` on ``date``."""

    status: Status
    forum: str = Field(min_length=1)
    date: date


class AgreementFile(_Entry):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=300)
    kind: Kind
    parties: list[str] = Field(min_length=1)
    valid_from: date
    valid_to: date | None = None
    status: Status
    example: bool = False
    decisions: list[DecisionRef] = []
    visions: list[VisionEntry] = []

    _parties = field_validator("parties", mode="before")(
        lambda v: [_text(p) for p in v] if isinstance(v, list) else v
    )

    def goals(self) -> Iterator[tuple[str, GoalEntry]]:
        for vi, v in enumerate(self.visions):
            for fi, f in enumerate(v.focus_areas):
                for gi, g in enumerate(f.goals):
                    yield f"visions[{vi}].focus_areas[{fi}].goals[{gi}]", g
