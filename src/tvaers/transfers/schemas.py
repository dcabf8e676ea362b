"""Forms and pages of the task-transfer section: what a secretariat may post (checked field
by field; the lists in text areas are parsed by forms.py) and what a page shows (also its
JSON twin)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from tvaers.transfers.terms import KINDS, OUTCOMES, PARTY_SECTORS, SETTABLE_SECTION_STATES
from tvaers.transfers.workflow import STEPS
from tvaers.warehouse.contract import MUNICIPAL_SERVICES

Kind = Literal[tuple(KINDS)]  # type: ignore[valid-type]
Sector = Literal[tuple(PARTY_SECTORS)]  # type: ignore[valid-type]
SectionState = Literal[SETTABLE_SECTION_STATES]  # type: ignore[valid-type]
Outcome = Literal[tuple(OUTCOMES)]  # type: ignore[valid-type]
StepName = Literal[STEPS]  # type: ignore[valid-type]
Service = Literal[MUNICIPAL_SERVICES]  # type: ignore[valid-type]


class CaseFields(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    target_group: str = Field(default="", max_length=300)
    kind: Kind
    from_sector: Sector
    from_unit: str = Field(min_length=1, max_length=80)  # LEVEL:CODE
    to_sector: Sector
    to_unit: str = Field(min_length=1, max_length=80)
    covered_units: str = Field(default="", max_length=2_000)  # one LEVEL:CODE a line
    agreement_refs: str = Field(default="", max_length=4_000)  # one reference a line
    series: str = Field(default="", max_length=4_000)  # INDICATOR LEVEL:CODE [STRATUM]
    documents: str = Field(default="", max_length=8_000)  # TITLE | LINK
    service: Service | None = None
    decision_year: int | None = Field(default=None, ge=2000, le=2100)
    go_live: date | None = None


class CaseCreate(CaseFields):
    forum: str = Field(min_length=1, max_length=64)


class CaseUpdate(CaseFields):
    version: int = Field(ge=1)


class SectionUpdate(BaseModel):
    state: SectionState
    reason: str = Field(default="", max_length=4_000)
    text: str = Field(default="", max_length=20_000)
    figures: str = Field(default="", max_length=4_000)  # LABEL; AMOUNT; UNIT a line
    version: int = Field(ge=1)


class InformedCreate(BaseModel):
    unit: str = Field(min_length=1, max_length=80)
    day: date
    forum: str = Field(min_length=1, max_length=64)


class StepPost(BaseModel):
    step: StepName
    version: int = Field(ge=1)
    outcome: Outcome | None = None
    decided_on: date | None = None
    decision_text: str = Field(default="", max_length=4_000)
    note: str = Field(default="", max_length=4_000)


class EvaluationConfirm(BaseModel):
    note: str = Field(min_length=1, max_length=8_000)
    version: int = Field(ge=1)


# --- what the pages show --------------------------------------------------------------


class UnitLabel(BaseModel):
    unit: str  # LEVEL:CODE
    name: str


class SeriesLink(BaseModel):
    indicator: str
    unit: str
    stratum: str
    href: str


class DocumentLink(BaseModel):
    title: str
    href: str


class FigureRead(BaseModel):
    label: str
    value: float
    unit: str


class SectionRead(BaseModel):
    dimension: str
    label: str
    hint: str
    state: str
    state_label: str
    reason: str
    text: str
    figures: list[FigureRead]
    version: int


class InformedRead(BaseModel):
    unit: str
    name: str
    day: date | None  # None: not yet informed
    forum: str | None


class TimelineEntry(BaseModel):
    day: date
    what: str
    actor: str | None
    note: str


class StepChoice(BaseModel):
    step: str
    label: str
    target: str
    missing: list[str]  # what the guards still miss (empty: the step can be taken)


class VolumeRead(BaseModel):
    year: int
    unit: str
    unit_name: str
    persons: int | None
    periods_started: int | None
    service_days: int | None
    hours: float | None
    hours_covered_periods: int | None
    visits: int | None
    suppressed: bool


class ProjectionRead(BaseModel):
    unit: str
    unit_name: str
    measure: str
    year: int
    value: float
    low: float
    high: float
    slope: float
    basis: list[int]


class VolumesRead(BaseModel):
    service: str | None
    service_label: str | None
    extracted: date | None
    rows: list[VolumeRead]
    projections: list[ProjectionRead]
    method: str
    message: str | None  # why there are no volumes (no service, no warehouse, …)


class SpcPartRead(BaseModel):
    part: int  # 1 before go-live, 2 after
    points: int
    centre: float | None
    signal: bool


class EvaluationSeriesRead(BaseModel):
    indicator: str
    unit: str
    stratum: str
    parts: list[SpcPartRead]
    message: str | None


class EvaluationRead(BaseModel):
    go_live: date | None
    series: list[EvaluationSeriesRead]
    note: str | None
    confirmed_by: str | None
    confirmed_on: date | None


class CaseSummary(BaseModel):
    id: int
    title: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    forum: str
    forum_name: str
    open_conditions: bool
    example: bool
    href: str


class CaseRead(CaseSummary):
    description: str
    target_group: str
    from_sector: str
    from_unit: UnitLabel
    to_sector: str
    to_unit: UnitLabel
    covered_units: list[UnitLabel]
    agreement_refs: list[str]
    series: list[SeriesLink]
    documents: list[DocumentLink]
    service: str | None
    decision_year: int | None
    go_live: date | None
    outcome: str | None
    decided_on: date | None
    decision_id: int | None
    consultation_on: date | None
    open_dimensions: list[str]
    version: int


class CasePageRead(BaseModel):
    case: CaseRead
    sections: list[SectionRead]
    informed: list[InformedRead]
    steps: list[StepChoice]
    timeline: list[TimelineEntry]
    volumes: VolumesRead
    evaluation: EvaluationRead
    history: list[str]
    can_edit: bool
    print_href: str


class CasesRead(BaseModel):
    unit: str | None
    forum: str | None
    cases: list[CaseSummary]
    fora: list[UnitLabel]  # fora that own cases, to choose from (unit: the forum's id)
    can_create: bool
    create_fora: list[UnitLabel]  # the fora the user may open a case for
