"""Forms (XCreate / XUpdate, checked field by field) and pages (XRead, also the JSON twins)
of the agreement section."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from tvaers.agreements.file_entries import TargetEntry, TargetFields
from tvaers.agreements.terms import AGREEMENT_STATUSES, INITIATIVE_STATUSES
from tvaers.spc import CHARTS

Status = Literal[tuple(AGREEMENT_STATUSES)]  # type: ignore[valid-type]
InitiativeStatus = Literal[tuple(INITIATIVE_STATUSES)]  # type: ignore[valid-type]
Chart = Literal[CHARTS]  # type: ignore[valid-type]

# --- forms -----------------------------------------------------------------------------


class StatusChange(BaseModel):
    status: Status
    decision: int = Field(ge=1)  # the governance decision (its id in the decision log)
    version: int = Field(ge=1)


class InitiativeUpdate(BaseModel):
    status: InitiativeStatus
    aim: str | None = Field(default=None, max_length=4000)
    go_live: date | None = None
    version: int = Field(ge=1)


class BoundaryConfirm(BaseModel):
    version: int = Field(ge=1)


class PdsaCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    plan: str = Field(min_length=1, max_length=4000)
    do: str | None = Field(default=None, max_length=4000)
    study: str | None = Field(default=None, max_length=4000)
    act: str | None = Field(default=None, max_length=4000)
    starts: date
    ends: date | None = None
    responsible: str = Field(min_length=1, max_length=200)


class PdsaUpdate(PdsaCreate):
    version: int = Field(ge=1)


class TargetUpdate(TargetFields):
    """A stored target changed on its page: the file's fields and rules (file_entries), so
    what the form takes the import takes, and the reverse."""

    version: int = Field(ge=1)


class TargetCreate(TargetEntry):
    """A new target under a goal of the agreement: a file's target entry, and its goal."""

    goal: str = Field(min_length=1, max_length=64)


class MeasurementCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    chart: Chart = "run"
    pdsa: int | None = Field(default=None, ge=1)


# --- pages -----------------------------------------------------------------------------


class PartyRead(BaseModel):
    ref: str  # LEVEL:CODE or a forum id
    name: str
    href: str | None  # the forum's page, for a forum


class StatusStepRead(BaseModel):
    status: str
    status_label: str
    day: date
    decision: int | None
    decision_text: str | None
    forum: str | None


class AgreementRead(BaseModel):
    id: str
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    valid_from: date
    valid_to: date | None
    example: bool
    href: str
    version: int


class TargetRowRead(BaseModel):
    """One row of a target's status: the spec's JSON keys and what a page shows beside them."""

    target: str
    indicator: str
    indicator_name: str
    unit: str
    unit_name: str
    stratum: str
    period_type: str
    standardised: bool
    latest_period: str | None
    latest_value: float | None
    latest_ci_low: float | None
    latest_ci_high: float | None
    baseline_period: str
    baseline_value: float | None
    target_value: float
    by: str
    distance: float | None
    direction: str
    chart: str
    variation: str | None
    variation_text: str
    assurance: str
    assurance_text: str
    icon: str
    suppressed: bool
    footer: str
    href: str


class TargetRead(BaseModel):
    id: str
    indicator: str
    indicator_name: str
    unit: str | None
    level: str | None
    region: str | None
    stratum: str
    period_type: str
    standardised: bool
    baseline: str
    value: float
    by: str
    href: str
    rows: list[TargetRowRead]
    version: int


class SeriesRead(BaseModel):
    indicator: str
    unit: str
    stratum: str
    period: str
    expected: str | None


class InitiativeRead(BaseModel):
    id: str
    name: str
    owner: str
    owner_name: str
    aim: str | None
    go_live: date | None
    status: str
    status_label: str
    series: list[SeriesRead]
    pdsa_cycles: int
    href: str
    version: int


class GoalRead(BaseModel):
    id: str
    text: str
    national_goal: int | None
    national_goal_text: str | None
    initiatives: list[InitiativeRead]
    targets: list[TargetRead]


class FocusAreaRead(BaseModel):
    id: str
    name: str
    goals: list[GoalRead]


class VisionRead(BaseModel):
    id: str
    text: str
    focus_areas: list[FocusAreaRead]


class DecisionChoiceRead(BaseModel):
    id: int
    forum: str
    day: date
    text: str


class InputRoundLinkRead(BaseModel):
    id: str
    name: str
    deadline: date
    href: str


class AgreementPageRead(BaseModel):
    agreement: AgreementRead
    parties: list[PartyRead]
    steps: list[StatusStepRead]
    visions: list[VisionRead]
    results: bool  # False before the first compute run: no status can be computed
    computed_at: str | None
    can_edit: bool
    decisions: list[DecisionChoiceRead]  # the decisions about it, to base a status on
    input_rounds: list[InputRoundLinkRead]
    history: list[str]


class AgreementsRead(BaseModel):
    agreements: list[AgreementRead]
    input_rounds: list[InputRoundLinkRead]
    can_create_round: bool


class ChartRead(BaseModel):
    """A chart in the shape of `tvaers spc --format json`, with its verdict and footer."""

    title: str
    unit: str
    chart: str
    doc: dict[str, Any]
    verdict: str
    footer: str
    target: float | None = None
    boundary_after: int | None = None  # the offered part boundary (after point k)
    boundary_period: str | None = None
    boundary_confirmed: bool = False


class TargetPageRead(BaseModel):
    agreement: AgreementRead
    goal: str
    target: TargetRead
    unit: str | None  # the unit whose chart is shown
    chart: ChartRead | None
    results: bool
    can_edit: bool
    history: list[str]


class PdsaRead(BaseModel):
    id: int
    title: str
    plan: str
    do: str | None
    study: str | None
    act: str | None
    starts: date
    ends: date | None
    responsible: str
    version: int


class MeasurementRead(BaseModel):
    id: int
    title: str
    pdsa: int | None
    chart: ChartRead


class InitiativePageRead(BaseModel):
    agreement: AgreementRead
    goal: str
    initiative: InitiativeRead
    boundary_confirmed_by: str | None
    boundary_confirmed_at: datetime | None
    charts: list[ChartRead]
    pdsa: list[PdsaRead]
    measurements: list[MeasurementRead]
    targets: list[TargetRowRead]  # the status of the goal's targets (the roll-up)
    can_edit: bool
    results: bool
    history: list[str]
