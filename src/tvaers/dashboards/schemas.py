"""The dashboards' JSON twins (and what the OpenAPI description publishes for them)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from tvaers.web.schemas import LinkRead, UnitRead, UserRead


class CellRead(BaseModel):
    """One result cell as this user may see it. ``suppressed`` is the disclosure mark;
    ``hidden`` says the numbers are withheld from you (a viewer, or outside your scope):
    then numerator, value and intervals are null and only the denominator is given. A
    suppressed cell that is not hidden is shown only because of your access, and the
    access is in the audit log."""

    indicator_id: str
    period: str
    period_type: str
    level: str
    unit_code: str
    unit_name: str
    stratum: str
    numerator: int | None
    denominator: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    std_value: float | None
    std_ci_low: float | None
    std_ci_high: float | None
    suppressed: bool
    hidden: bool
    provisional: bool


class StratumRead(BaseModel):
    id: str
    name: str


class IndicatorRead(BaseModel):
    id: str
    version: str
    name: str
    description: str
    unit: str
    factor: int
    direction: str
    standardised: bool
    period_types: list[str]
    strata: list[StratumRead]
    href: str


SpcKind = Literal["common", "improvement", "concern", "increase", "decrease", "change"]


class SpcSummaryRead(BaseModel):
    """The verdict of a series' SPC chart (see docs/spc.md) with its runs analysis: computed
    from the cells as you may see them (a cell hidden from you is a missing point).
    ``kind`` is ``common`` (only random variation) or the kind of change a rule signals,
    judged by the indicator's direction; ``cl`` is the centre line on the indicator's
    scale; ``footer`` names the chart's parameters."""

    unit: UnitRead | None = None
    stratum: str
    period_type: str
    chart: Literal["run", "pp", "up"]
    n_obs: int
    n_useful: int
    longest_run: int
    longest_run_max: int | None
    n_crossings: int
    n_crossings_min: int | None
    runs_signal: bool
    sigma_signals: int
    signal: bool
    cl: float | None
    kind: SpcKind
    text: str
    footer: str


class SpcPointRead(BaseModel):
    """A point of an SPC chart, as in `tvaers spc --format json` (values multiplied)."""

    x: str
    y: float | None
    n: float | None
    value: float | None
    cl: float | None
    lcl: float | None
    ucl: float | None
    part: int
    base: bool
    excluded: bool
    sigma_signal: bool
    note: str | None = None


class SpcPartRead(BaseModel):
    part: int
    n_obs: int
    n_useful: int
    longest_run: int
    longest_run_max: int | None
    n_crossings: int
    n_crossings_min: int | None
    runs_signal: bool
    cl: float | None
    sigma_signals: int


class SpcVerdictRead(BaseModel):
    signal: bool
    kind: SpcKind
    text: str
    footer: str


class SpcChartRead(BaseModel):
    """The SPC chart of the followed unit's series, in the shape of `tvaers spc`'s JSON."""

    unit: UnitRead
    stratum: str
    period_type: str
    chart: Literal["run", "pp", "up"]
    multiply: float
    screen_mr: bool
    points: list[SpcPointRead]
    parts: list[SpcPartRead]
    verdict: SpcVerdictRead


class ChoiceRead(BaseModel):
    value: str
    label: str


Role = Literal["unit", "group", "region", "country"]


class ComparisonRead(BaseModel):
    """A unit beside the followed one on its key figure: its cluster (or sundhedsråd, or
    bilateral collaboration), region or the country, in the same year and measure.
    ``versus``: where the followed unit's 95 % interval lies against this unit's value."""

    role: Role
    unit: UnitRead
    cell: CellRead | None
    versus: Literal["higher", "lower", "similar"] | None
    # Another unit with exactly these figures (the country when the data hold one region)
    same_as: UnitRead | None = None


class KeyFigureRead(BaseModel):
    """One indicator for one unit in the latest year, with the year before and the
    country. ``measure`` is the value compared: standardised where the indicator is."""

    indicator: IndicatorRead
    stratum: str
    measure: Literal["value", "std_value"]
    current: CellRead | None
    previous: CellRead | None
    country: CellRead | None
    trend: Literal["up", "down", "flat"] | None
    trend_assessment: Literal["better", "worse", "neutral"] | None
    versus_country: Literal["higher", "lower", "similar"] | None
    # The change over time: the run chart of the finest kind of period with enough points
    # (months, else quarters, else years); None when no series has 10 periods.
    spc: SpcSummaryRead | None = None
    # The unit beside its cluster (or sundhedsråd), region and country, narrowest first
    comparisons: list[ComparisonRead] = Field(default_factory=list)
    # The small line of the card: the period type of the SPC verdict (else years)
    trend_period_type: str | None = None


class MemberRowRead(BaseModel):
    """A row of the table of a broad unit's members: one indicator's latest value, its
    place against the unit's own value and the SPC verdict of its series."""

    unit: UnitRead
    group: UnitRead | None
    cell: CellRead | None
    versus: Literal["higher", "lower", "similar"] | None
    spc: SpcSummaryRead | None


class MembersTableRead(BaseModel):
    indicator: IndicatorRead
    measure: Literal["value", "std_value"]
    period: str
    level: str
    sort: Literal["name", "value", "verdict"]
    descending: bool
    rows: list[MemberRowRead]


class UnitSummaryRead(BaseModel):
    unit: UnitRead
    href: str
    parents: list[UnitRead]
    members: list[UnitRead]
    # Clusters, sundhedsråd and bilateral collaborations inside a region (or the country),
    # and the regions of the country, by name
    groups: list[UnitRead] = Field(default_factory=list)
    # Broad units (region, country): every member with one indicator, sortable
    table: MembersTableRead | None = None
    table_choices: list[ChoiceRead] = Field(default_factory=list)
    # The key figures' small trend lines (Vega-Lite), by indicator id
    charts: dict[str, dict[str, Any]] = Field(default_factory=dict)
    # Said once when the data hold a single region: the country's figures are its figures
    same_as_country: UnitRead | None = None
    period: str | None
    computed_at: str | None
    figures: list[KeyFigureRead]
    downloads: list[LinkRead]
    message: str | None = None


class OverviewRead(UnitSummaryRead):
    user: UserRead
    choices: list[UnitRead]
    links: list[LinkRead]


class FunnelRead(BaseModel):
    centre: float
    centre_unit: UnitRead
    limits: list[dict[str, float]]
    outliers: dict[str, Literal["high", "low"]]


class IndicatorPageRead(BaseModel):
    indicator: IndicatorRead
    level: str
    period_type: str
    period: str
    stratum: str
    measure: Literal["value", "std_value"]
    unit: UnitRead
    area: UnitRead
    computed_at: str | None
    choices: dict[str, list[ChoiceRead]]
    series: list[CellRead]
    comparison: list[CellRead]
    area_cell: CellRead | None
    funnel: FunnelRead | None
    strata: list[CellRead]
    charts: dict[str, dict[str, Any]]
    # CSV and Excel of each table: "table" (the units), "series", "strata" (if any)
    downloads: dict[str, list[LinkRead]]
    # SPC of the series over time: the chart asked for ("run", or the Laney chart "pp" for
    # percentages, "up" for rates), the followed unit's chart (None below 10 periods) and
    # the verdicts of the followed unit and the units it belongs to.
    chart: Literal["run", "pp", "up"] = "run"
    spc: SpcChartRead | None = None
    spc_units: list[SpcSummaryRead] = Field(default_factory=list)
    # Municipalities in no unit of the shown level (a sundhedsråd whose memberships are not
    # loaded yet) on its structure date: counted in their region and the country only.
    missing: list[UnitRead] = Field(default_factory=list)


class IndicatorListRead(BaseModel):
    computed_at: str | None
    indicators: list[IndicatorRead]
    message: str | None = None


class OrgUnitRead(UnitRead):
    href: str
    valid_from: date | None = None
    valid_to: date | None = None
    region_code: str | None = None
    members: list[OrgUnitRead] = Field(default_factory=list)


class OrganisationRead(BaseModel):
    on: date
    regions: list[OrgUnitRead]
    clusters: list[OrgUnitRead]
    municipalities: list[OrgUnitRead]
    # From 2027: the sundhedsråd in force, and the municipalities the data has none for yet
    # (they count in their region and the country only).
    sundhedsraad: list[OrgUnitRead] = Field(default_factory=list)
    sundhedsraad_missing: list[OrgUnitRead] = Field(default_factory=list)
    bilateral: list[OrgUnitRead] = Field(default_factory=list)


class SuppressedCellsRead(BaseModel):
    indicator: IndicatorRead
    period: str
    choices: dict[str, list[ChoiceRead]]
    cells: list[CellRead]
    downloads: list[LinkRead]


class HelpIndexRead(BaseModel):
    """The user guide's pages (their titles are the guide's own, in English; each page
    starts with a Danish summary)."""

    pages: list[LinkRead]
    summaries: dict[str, str]


class HelpPageRead(BaseModel):
    slug: str
    title: str
    summary: str
    html: str  # rendered from the Markdown with raw HTML escaped
