"""The status of every target, always computed from the published result set (agreement.md
"Status of a target", improvement.md "Target assurance").

``target_statuses(session, results, agreement_id=None, unit=None, access=None)`` is the one
entry point: the CLI, the pages and the data packs read targets through it. ``results`` is a
published result set (``tvaers.web.results_store.Snapshot``); ``access`` the reader's
disclosure control (``tvaers.web.access.Access``; None: a viewer's view, every suppressed
cell hidden). So the status, its chart and its SPC rest on exactly the values the reader may
see: a hidden cell is a missing point, never 0, and a hidden latest cell shows no value
(``suppressed``).

A level target (``level: municipality, region: 1083``) gives one row per unit of the level
inside the region that has results. The chart is the indicator's Laney chart (P′ for a
percentage, U′ for a rate; an I chart for a standardised target, whose values are not
counts) when the series has at least 10 visible values, else a run chart, and then the
assurance is ``unknown`` (a run chart gives no assurance).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.agreements.models import Target
from tvaers.dashboards.schemas import CellRead
from tvaers.dashboards.spc_view import MIN_POINTS, control_chart, series_chart
from tvaers.i18n import tr
from tvaers.spc import compute
from tvaers.spc.chart import SpcResult
from tvaers.spc.verdict import assurance as spc_assurance
from tvaers.spc.verdict import footer, verdict
from tvaers.web.access import Access
from tvaers.web.results_store import Definition, Snapshot, parents

# The keys of `tvaers agreement status --format json` (agreement.md), in that order.
JSON_KEYS = (
    "target",
    "indicator",
    "unit",
    "stratum",
    "latest_period",
    "latest_value",
    "baseline_value",
    "target_value",
    "by",
    "direction",
    "chart",
    "variation",
    "assurance",
    "suppressed",
)
_VARIATION = {"improvement": "improvement", "concern": "concern", "common": "common_cause"}


@dataclass
class TargetStatus:
    agreement: str
    target: str
    indicator: str
    unit: str  # LEVEL:CODE of this row (a level target's unit)
    unit_name: str
    stratum: str
    period_type: str
    standardised: bool
    latest_period: str | None
    latest_value: float | None
    latest_ci: tuple[float | None, float | None]
    baseline_period: str
    baseline_value: float | None
    target_value: float
    by: str
    direction: str
    chart: str
    variation: str | None  # improvement, concern, common_cause; None without any value
    assurance: str  # met, missed, hit_and_miss, unknown
    suppressed: bool
    footer: str = ""
    result: SpcResult | None = field(default=None, repr=False)

    @property
    def distance(self) -> float | None:
        """How far the latest value is from the target (latest − target)."""
        return None if self.latest_value is None else self.latest_value - self.target_value

    def as_json(self) -> dict[str, Any]:
        """Exactly the spec's keys."""
        return {
            "target": self.target,
            "indicator": self.indicator,
            "unit": self.unit,
            "stratum": self.stratum,
            "latest_period": self.latest_period,
            "latest_value": self.latest_value,
            "baseline_value": self.baseline_value,
            "target_value": self.target_value,
            "by": self.by,
            "direction": self.direction,
            "chart": self.chart,
            "variation": self.variation,
            "assurance": self.assurance,
            "suppressed": self.suppressed,
        }


def target_statuses(
    session: Session,
    results: Snapshot,
    agreement_id: str | None = None,
    unit: str | None = None,
    access: Access | None = None,
    *,
    target: str | None = None,
) -> list[TargetStatus]:
    """One status per target and unit (a level target expanded), in the agreement's order.
    ``unit`` (LEVEL:CODE) keeps only the rows about that unit; ``target`` one target."""
    access = access or Access(None, results)
    query = select(Target).order_by(Target.agreement_id, Target.goal_key, Target.position)
    if agreement_id is not None:
        query = query.where(Target.agreement_id == agreement_id)
    if target is not None:
        query = query.where(Target.key == target)
    out = []
    for t in session.scalars(query):
        for level, code in units_of(t, results):
            if unit is not None and unit != f"{level}:{code}":
                continue
            out.append(_status(t, level, code, results, access))
    return out


def units_of(t: Target, results: Snapshot) -> list[tuple[str, str]]:
    """The units a target is about: its unit, or every unit of its level inside its region
    that has results (on the structure date the results are laid out in)."""
    if t.unit is not None:
        level, _, code = t.unit.partition(":")
        if level == "municipality":
            code = code.lstrip("0") or "0"  # "0540" and "540" are the same municipality
        return [(level, code)]
    assert t.level is not None
    on = results.structure_date(t.level)
    return [
        (t.level, code)
        for code in results.units.get(t.level, {})
        if ("region", t.region) in parents(t.level, code, on)
    ]


def _status(t: Target, level: str, code: str, results: Snapshot, access: Access) -> TargetStatus:
    d = results.definitions.get(t.indicator)
    periods = results.periods.get((t.indicator, t.period_type), [])
    raw = results.cells(
        t.indicator, units=((level, code),), period_type=t.period_type, strata=(t.stratum,)
    )
    cells = {c["period"]: CellRead.model_validate(c) for c in access.apply(raw)}
    value_of = "std_value" if t.standardised else "value"
    latest = cells[max(cells)] if cells else None
    baseline = cells.get(t.baseline)
    row = TargetStatus(
        agreement=t.agreement_id,
        target=t.key,
        indicator=t.indicator,
        unit=f"{level}:{code}",
        unit_name=results.unit_name(level, code) or f"{level}:{code}",
        stratum=t.stratum,
        period_type=t.period_type,
        standardised=t.standardised,
        latest_period=latest.period if latest else None,
        latest_value=getattr(latest, value_of) if latest else None,
        latest_ci=_interval(latest, t.standardised),
        baseline_period=t.baseline,
        baseline_value=getattr(baseline, value_of) if baseline else None,
        target_value=t.value,
        by=t.by,
        direction=d.direction if d else "neutral",
        chart="run",
        variation=None,
        assurance="unknown",
        suppressed=bool(latest and latest.hidden),
    )
    if d is None or not cells:
        return row
    result = _chart(t, d, [cells.get(p) for p in periods], periods)
    if result is None:
        return row
    row.result, row.chart, row.footer = result, result.chart, footer(result)
    row.variation = _VARIATION.get(verdict(result, d.direction).kind)
    if result.chart != "run":
        code_ = spc_assurance(result, t.value, d.direction).code
        row.assurance = code_ if code_ in ("met", "missed", "hit_and_miss") else "unknown"
    return row


def _interval(cell: CellRead | None, standardised: bool) -> tuple[float | None, float | None]:
    if cell is None:
        return (None, None)
    if standardised:
        return (cell.std_ci_low, cell.std_ci_high)
    return (cell.ci_low, cell.ci_high)


def _chart(
    t: Target, d: Definition, cells: list[CellRead | None], periods: list[str]
) -> SpcResult | None:
    """The chart the status rests on, from the visible cells (None: nothing visible)."""
    if t.standardised:
        values = [None if c is None else c.std_value for c in cells]
        shown = sum(v is not None for v in values)
        if shown == 0:
            return None
        chart = "i" if shown >= MIN_POINTS else "run"
        return compute(values, None, periods, chart=chart)
    shown = sum(
        1
        for c in cells
        if c is not None and c.numerator is not None and (c.denominator or not d.has_denominator)
    )
    if shown == 0:
        return None
    chart = (control_chart(d) or "i") if shown >= MIN_POINTS else "run"
    return series_chart(d, cells, periods, chart, tr)
