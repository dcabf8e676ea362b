"""The indicator page's charts (Vega-Lite, see charts.py) from its cells after disclosure
control: the followed unit over time beside the units it belongs to, the units side by side,
the funnel plot and the strata. The followed unit has its role's colour on every chart;
hidden cells are gaps and labelled rows, never left out silently."""

from __future__ import annotations

from typing import Any

from tvaers.dashboards import charts
from tvaers.dashboards.chart_style import role_of
from tvaers.dashboards.schemas import CellRead, FunnelRead
from tvaers.dashboards.summary import View
from tvaers.web.labels import period_type_name, stratum_names
from tvaers.web.results_store import Definition


def _value(cell: CellRead, measure: str) -> tuple[Any, Any, Any]:
    if measure == "std_value":
        return cell.std_value, cell.std_ci_low, cell.std_ci_high
    return cell.value, cell.ci_low, cell.ci_high


def page_charts(
    view: View,
    d: Definition,
    title: str,
    unit_label: str,
    measure: str,
    period: str,
    period_type: str,
    series: list[CellRead],
    comparison: list[CellRead],
    area_cell: CellRead | None,
    funnel_read: FunnelRead | None,
    strata: list[CellRead],
    *,
    focus: tuple[str, str],
    followed: list[tuple[str, str]],
) -> dict[str, dict[str, Any]]:
    """The page's Vega-Lite charts: the series over time, the units side by side, the
    funnel plot and the strata; the followed unit highlighted in each."""
    tr = view.tr
    names = stratum_names(view.snapshot)
    std = measure == "std_value"
    y_title = unit_label + (tr(" (standardiseret)", " (standardised)") if std else "")
    out: dict[str, dict[str, Any]] = {}
    no_data = tr("ingen data", "no data")

    def triple(c: CellRead, m: str = measure) -> dict[str, Any]:
        v, lo, hi = _value(c, m)
        return {"value": v, "lo": lo, "hi": hi}

    def gap_or_triple(c: CellRead | None) -> dict[str, Any]:
        if c is None:
            return {"value": None, "lo": None, "hi": None, "note": no_data}
        found = triple(c)
        return {**found, "note": hidden if c.hidden else None}

    hidden = tr("skjult (diskretioneret)", "hidden (suppressed)")
    names_of = {(c.level, c.unit_code): c.unit_name for c in series}
    roles = {names_of[u]: role_of(u[0], focus[0]) for u in followed if u in names_of}
    # Every period of every line: a suppressed or missing cell is a gap in its line, never
    # a straight line drawn across it.
    by_key = {(c.level, c.unit_code, c.period): c for c in series}
    values = [
        {"period": p, "unit": names_of[u], **gap_or_triple(by_key.get((*u, p)))}
        for u in followed
        if u in names_of
        for p in view.snap.periods[(d.id, period_type)]
    ]
    if not any(v["value"] is not None for v in values):
        values = []
    if values:
        out["series"] = charts.series(
            values,
            description=tr(
                f"{title}: udviklingen over tid ({period_type_name(period_type, tr).lower()}), "
                "linjediagram med 95 %-konfidensinterval. Tallene står i tabellen under.",
                f"{title}: development over time ({period_type_name(period_type, tr).lower()}), "
                "line chart with 95 % confidence interval. The figures are in the table below.",
            ),
            x_title=tr("Periode", "Period"),
            y_title=y_title,
            roles=roles,
        )
    # Every unit keeps its row: a hidden one is labelled, not dropped.
    bars = [
        {"unit": c.unit_name, **triple(c), "note": hidden if c.hidden else None} for c in comparison
    ]
    focus_name = view.unit(*focus).name
    if not any(b["value"] is not None for b in bars):
        bars = []
    if bars:
        reference = _value(area_cell, measure)[0] if area_cell else None
        out["bars"] = charts.bars(
            bars,
            description=tr(
                f"{title}, {period}: enhederne side om side, søjlediagram med 95 %-"
                "konfidensintervaller og den overordnede enheds værdi som lodret linje. "
                "Tallene står i tabellen under.",
                f"{title}, {period}: the units side by side, bar chart with 95 % confidence "
                "intervals and the parent unit's value as a vertical line. The figures are in "
                "the table below.",
            ),
            x_title=y_title,
            reference=reference,
            reference_label=(area_cell.unit_name if area_cell else ""),
            focus=focus_name,
            hidden_text=hidden,
            clipped_text=tr(
                "intervallet fortsætter ud over aksen", "the interval goes on beyond the axis"
            ),
            reference_role=role_of(area_cell.level, focus[0]) if area_cell else "country",
        )
    if funnel_read is not None:
        flag_names = {
            "high": tr("over grænsen", "above the limit"),
            "low": tr("under grænsen", "below the limit"),
        }
        points = [
            {
                "unit": c.unit_name,
                "denominator": c.denominator,
                "value": c.value,
                "flag": flag_names.get(
                    funnel_read.outliers.get(c.unit_code, ""),
                    tr("inden for grænserne", "within the limits"),
                ),
                "outside": c.unit_code in funnel_read.outliers,
            }
            for c in comparison
            if c.value is not None and c.denominator
        ]
        out["funnel"] = charts.funnel(
            points,
            funnel_read.limits,
            description=tr(
                f"{title}, {period}: tragtdiagram. Hver enhed er et punkt med antallet i "
                f"nævneren ud ad x-aksen og den rå værdi op ad y-aksen; linjerne er 95 %- og "
                f"99,8 %-kontrolgrænser om {funnel_read.centre_unit.name}s værdi.",
                f"{title}, {period}: funnel plot. Each unit is a point with its denominator "
                f"along the x axis and its crude value up the y axis; the lines are 95 % and "
                f"99.8 % control limits around the value of {funnel_read.centre_unit.name}.",
            ),
            x_title=tr("Nævner (antal borgere eller forløb)", "Denominator (people or stays)"),
            y_title=unit_label,
            centre=funnel_read.centre,
            centre_label=funnel_read.centre_unit.name,
            limit_labels=(tr("95 %-grænse", "95 % limit"), tr("99,8 %-grænse", "99.8 % limit")),
            focus=focus_name,
            centre_role=role_of(funnel_read.centre_unit.level, focus[0]),
        )
    if strata:
        m = measure if all(c.std_value is not None or c.hidden for c in strata) else "value"
        values = [
            {"stratum": names.name(d.id, c.stratum, tr), "unit": c.unit_name, **triple(c, m)}
            for c in strata
            if _value(c, m)[0] is not None
        ]
        if values:
            out["strata"] = charts.grouped(
                values,
                description=tr(
                    f"{d.name('da')}, {period}, fordelt på undergrupper: grupperet "
                    "søjlediagram. Tallene står i tabellen under.",
                    f"{d.name('en')}, {period}, by subgroup: grouped bar chart. The figures "
                    "are in the table below.",
                ),
                y_title=unit_label,
                roles={c.unit_name: role_of(c.level, focus[0]) for c in strata},
            )
    return out
