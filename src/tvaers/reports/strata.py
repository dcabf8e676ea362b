"""The section on chronic disease and contacts by sector: an indicator's strata (the
diseases, the sector combinations) for the unit, the unit it first belongs to and the
country, as the indicator page shows them (its grouped bars and its cells)."""

from __future__ import annotations

from dataclasses import dataclass

from tvaers.dashboards.schemas import IndicatorPageRead
from tvaers.dashboards.summary import View
from tvaers.reports.cells import Shown, show
from tvaers.reports.figures import Figure, draw
from tvaers.web.labels import stratum_names
from tvaers.web.results_store import Definition
from tvaers.web.schemas import UnitRead


@dataclass(frozen=True)
class StrataRow:
    stratum: str
    cells: tuple[Shown, ...]  # one per unit of the block, in order


@dataclass(frozen=True)
class StrataBlock:
    id: str
    name: str
    unit_label: str
    period: str
    units: list[UnitRead]
    rows: list[StrataRow]
    figure: Figure | None


def strata_block(view: View, d: Definition, page: IndicatorPageRead) -> StrataBlock | None:
    if not page.strata:
        return None
    tr, lang = view.tr, view.lang
    names = stratum_names(view.snapshot)
    units = list(dict.fromkeys((c.level, c.unit_code) for c in page.strata))
    by_key = {(c.stratum, c.level, c.unit_code): c for c in page.strata}
    rows = [
        StrataRow(
            names.name(d.id, s, tr),
            tuple(show(by_key.get((s, *u)), d.factor, lang) for u in units),
        )
        for s in d.strata
        if any((s, *u) in by_key for u in units)
    ]
    spec = page.charts.get("strata")
    return StrataBlock(
        id=d.id,
        name=d.name(lang),
        unit_label=d.unit(lang),
        period=page.period,
        units=[view.unit(*u) for u in units],
        rows=rows,
        figure=draw(spec, lang) if spec is not None else None,
    )
