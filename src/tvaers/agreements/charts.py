"""The charts of the agreement pages: a target's series with the target line, an
initiative's series with its go-live date offered as a part boundary, and an initiative's
own measurements. All drawn by the SPC code the dashboards use (spc_view, spc.vega), from
cells that have passed the reader's disclosure control."""

from __future__ import annotations

from datetime import date
from typing import Any

from tvaers.agreements.schemas import ChartRead
from tvaers.dashboards.schemas import CellRead
from tvaers.dashboards.spc_view import MIN_POINTS, chart_spec, control_chart, series_chart
from tvaers.i18n import language
from tvaers.spc.chart import SpcResult
from tvaers.spc.verdict import verdict
from tvaers.web.access import Access
from tvaers.web.labels import Tr
from tvaers.web.results_store import Definition, Snapshot

TARGET_GREEN = "#1b6e3a"


def chart_read(
    result: SpcResult, title: str, unit: str, direction: str, lang: str, **extra: Any
) -> ChartRead:
    with language(lang):
        v = verdict(result, direction)
        doc = result.to_json()
    return ChartRead(
        title=title,
        unit=unit,
        chart=result.chart,
        doc=doc,
        verdict=v.text,
        footer=v.footer,
        **extra,
    )


def vega(
    result: SpcResult,
    d: Definition,
    *,
    title: str,
    unit_name: str,
    period_type: str,
    lang: str,
    tr: Tr,
    target: float | None = None,
) -> dict[str, Any]:
    """The page's chart (as the dashboards draw it) with the target as a dashed line."""
    spec = chart_spec(
        result,
        d,
        title=title,
        unit_name=unit_name,
        y_title=d.unit(lang),
        period_type=period_type,
        lang=lang,
        tr=tr,
    )
    if target is not None:
        # The line's own accessible name (an SVG image without one fails WCAG 1.1.1).
        line = tr(f"Målet: {target:g}", f"The target: {target:g}")
        spec["layer"].append(
            {
                "mark": {
                    "type": "rule",
                    "color": TARGET_GREEN,
                    "strokeDash": [4, 3],
                    "strokeWidth": 2,
                    "description": line,
                },
                "encoding": {"y": {"datum": target}},
            }
        )
        spec["description"] += tr(
            f" Målet ({target:g}) er den stiplede grønne linje.",
            f" The target ({target:g}) is the dashed green line.",
        )
    return spec


def own_definition(title: str, direction: str = "neutral") -> Definition:
    """What the chart code needs to know of an initiative's own measure (no catalogue)."""
    return Definition("own", "1", title, title, "", "", 1, direction, False, (), ())


def period_of(day: date, period_type: str) -> str:
    if period_type == "year":
        return str(day.year)
    if period_type == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def boundary_after(periods: list[str], go_live: date | None, period_type: str) -> int | None:
    """The part boundary a go-live date offers: after the last period before it (None when
    the date lies outside the series, leaving no point on one side)."""
    if go_live is None:
        return None
    first = period_of(go_live, period_type)
    k = sum(1 for p in periods if p < first)
    return k if 0 < k < len(periods) else None


def series_result(
    snap: Snapshot,
    access: Access,
    indicator: str,
    unit: tuple[str, str],
    stratum: str,
    period_type: str,
    tr: Tr,
    parts: tuple[int, ...] = (),
) -> tuple[Definition, list[str], SpcResult] | None:
    """An indicator series of one unit as the reader may see it, charted (Laney's chart from
    10 visible values, else a run chart); None when nothing of it is visible."""
    d = snap.definitions.get(indicator)
    if d is None:
        return None
    periods = snap.periods.get((indicator, period_type), [])
    raw = snap.cells(indicator, units=(unit,), period_type=period_type, strata=(stratum,))
    cells = {c["period"]: CellRead.model_validate(c) for c in access.apply(raw)}
    shown = sum(1 for c in cells.values() if c.numerator is not None)
    if not shown:
        return None
    chart = (control_chart(d) or "i") if shown >= MIN_POINTS else "run"
    result = series_chart(d, [cells.get(p) for p in periods], periods, chart, tr)
    if parts:
        from tvaers.spc import compute

        # The same points, split at the confirmed boundary: each part its own centre line.
        result = compute(
            result.y,
            result.n,
            result.x,
            chart=chart,
            parts=parts,
            multiply=result.multiply,
            notes=result.notes,
        )
    return d, periods, result
