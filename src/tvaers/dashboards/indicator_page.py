"""The indicator page's data: a series over time, the units side by side, a funnel plot,
the strata, and the table — all from cells that have passed disclosure control.

Query parameters choose what is shown: the level compared (``level``), the kind of period
(``period_type``) and the period (``period``), the stratum, the unit followed over time
(``unit``), the area whose units are compared and whose value is the reference (``area``),
crude or standardised values (``measure``), and the SPC chart of the followed unit's
series (``chart``: the run chart, or Laney's P′/U′ control chart; see spc_view).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException

from tvaers.dashboards import comparison, funnel, indicator_charts, spc_view
from tvaers.dashboards.schemas import (
    CellRead,
    ChoiceRead,
    FunnelRead,
    IndicatorPageRead,
)
from tvaers.dashboards.summary import (
    View,
    download_links,
    levels_present,
    measure_of,
    primary_unit,
)
from tvaers.reference import org
from tvaers.web.labels import (
    headline_stratum,
    level_name,
    level_plural,
    period_type_name,
    stratum_names,
)
from tvaers.web.results_store import Definition
from tvaers.web.schemas import UnitRead


@dataclass(frozen=True)
class Choice:
    level: str | None = None
    period_type: str | None = None
    period: str | None = None
    stratum: str | None = None
    unit: str | None = None
    area: str | None = None
    measure: str | None = None
    chart: str | None = None


def _stratum_param(value: str | None) -> str | None:
    # The total has the id "" in the results; in a URL it is spelled "total".
    return "" if value == "total" else value


def _value(cell: CellRead, measure: str) -> tuple[Any, Any, Any]:
    if measure == "std_value":
        return cell.std_value, cell.std_ci_low, cell.std_ci_high
    return cell.value, cell.ci_low, cell.ci_high


def area_units(view: View, level: str, area: tuple[str, str]) -> list[str]:
    """Codes of the units of ``level`` inside ``area`` that have results."""
    snap = view.snap
    present = snap.units.get(level, {})
    if area[0] == "country":
        return list(present)
    on = snap.structure_date(area[0])
    if level == "municipality":
        inside = {m.code for m in org.members(area[0], area[1], on)}  # type: ignore[arg-type]
    elif level == "cluster" and area[0] == "region":
        inside = {c.slug for c in org.clusters(on) if c.region_code == area[1]}
    elif level in org.GROUPING_LEVELS and area[0] == "region":
        on = snap.structure_date(level)
        inside = {g.code for g in org.groupings(level, on) if g.region_code == area[1]}  # type: ignore[arg-type]
    else:
        inside = set()
    return [c for c in present if c in inside]


def build(view: View, d: Definition, choice: Choice) -> IndicatorPageRead:
    snap, tr, lang = view.snap, view.tr, view.lang
    names = stratum_names(view.snapshot)

    levels = [lv for lv in levels_present(snap)]
    level = choice.level or ("municipality" if "municipality" in levels else levels[0])
    period_types = snap.period_types(d.id)
    period_type = choice.period_type or "year"
    if level not in levels or period_type not in period_types:
        raise HTTPException(404)
    periods = snap.periods[(d.id, period_type)]
    # A period of another kind (left over when the kind is switched) means the latest.
    period = choice.period if choice.period in periods else periods[-1]
    stratum = _stratum_param(choice.stratum)
    stratum = headline_stratum(d.strata) if stratum is None else stratum
    measure = choice.measure or measure_of(d)
    chart = choice.chart or "run"
    if (
        chart not in spc_view.chart_types(d)
        or stratum not in d.strata
        or measure not in ("value", "std_value")
        or (measure == "std_value" and not d.standardised)
    ):
        raise HTTPException(404)

    focus = view.parse_unit(choice.unit) or primary_unit(view)
    if snap.unit_name(*focus) is None:
        raise HTTPException(404)
    area = view.parse_unit(choice.area) or ("country", org.COUNTRY_CODE)
    area_levels = {
        "municipality": ("country", "region", "sundhedsraad", "cluster"),
        "cluster": ("country", "region"),
        "sundhedsraad": ("country", "region"),
        "bilateral": ("country", "region"),
    }.get(level, ("country",))
    if snap.unit_name(*area) is None:
        raise HTTPException(404)
    if area[0] not in area_levels:  # left over when the level is switched
        area = ("country", org.COUNTRY_CODE)

    # The focus unit, the units it belongs to and the country, over time.
    # The lines: the unit beside its cluster (or sundhedsråd), region and country.
    followed = comparison.followed_units(snap, *focus)
    series = view.cells(
        snap.cells(d.id, units=tuple(followed), period_type=period_type, strata=(stratum,))
    )
    order = {u: i for i, u in enumerate(followed)}
    series.sort(key=lambda c: (order[(c.level, c.unit_code)], c.period))

    # The level's units inside the area, side by side, and the area itself.
    inside = area_units(view, level, area)
    compared: list[CellRead] = []
    area_cell = None
    if level != "country" and inside:
        rows = snap.cells(
            d.id,
            units=(*((level, c) for c in inside), area),
            periods=(period,),
            strata=(stratum,),
        )
        cells = view.cells(rows)
        compared = [c for c in cells if c.level == level and c.unit_code in inside]
        area_cell = next((c for c in cells if (c.level, c.unit_code) == area), None)

    # The strata of the period for the focus unit, its nearest parent and the country.
    strata: list[CellRead] = []
    strata_units: list[tuple[str, str]] = []
    if len(d.strata) > 1:
        strata_units = list(dict.fromkeys([focus, *followed[1:2], ("country", org.COUNTRY_CODE)]))
        strata = view.cells(snap.cells(d.id, units=tuple(strata_units), periods=(period,)))
        rank = {u: i for i, u in enumerate(strata_units)}
        position = {s: i for i, s in enumerate(d.strata)}
        strata.sort(key=lambda c: (position.get(c.stratum, 99), rank[(c.level, c.unit_code)]))

    spc_read, spc_spec, spc_units = spc_view.for_page(
        view, d, series, focus, followed, stratum, period_type, chart
    )

    funnel_read = _funnel(view, d, compared, area_cell)
    unit_label = d.unit(lang)
    stratum_label = names.name(d.id, stratum, tr)
    title = d.name(lang) + ("" if stratum == "" else f" – {stratum_label}")
    page_charts = indicator_charts.page_charts(
        view,
        d,
        title,
        unit_label,
        measure,
        period,
        period_type,
        series,
        compared,
        area_cell,
        funnel_read,
        strata,
        focus=focus,
        followed=followed,
    )
    if spc_spec is not None and spc_read is not None:
        page_charts["spc"] = spc_view.chart_spec(
            spc_spec,
            d,
            title=title,
            unit_name=spc_read.unit.name,
            y_title=unit_label + (tr(" (rå værdier)", " (crude values)") if d.standardised else ""),
            period_type=period_type,
            lang=lang,
            tr=tr,
        )

    def option(value: str, label: str) -> ChoiceRead:
        return ChoiceRead(value=value, label=label)

    choices = {
        "level": [option(lv, level_plural(lv, tr)) for lv in levels],
        "period_type": [option(t, period_type_name(t, tr)) for t in period_types],
        "period": [option(p, p) for p in reversed(periods)],
        "stratum": [option(s or "total", names.name(d.id, s, tr)) for s in d.strata],
        "unit": [
            option(f"{lv}:{c}", f"{name} ({level_name(lv, tr).lower()})")
            for lv in levels
            for c, name in snap.units[lv].items()
        ],
        "area": [
            option(f"{lv}:{c}", name)
            for lv in area_levels
            for c, name in snap.units.get(lv, {}).items()
        ],
        "measure": [option("value", tr("Rå værdier", "Crude values"))]
        + (
            [option("std_value", tr("Standardiserede værdier", "Standardised values"))]
            if d.standardised
            else []
        ),
        "chart": [
            option(
                t,
                tr("Seriediagram", "Run chart")
                if t == "run"
                else tr("Kontroldiagram (Laney)", "Control chart (Laney)"),
            )
            for t in spc_view.chart_types(d)
        ],
    }
    downloads = {
        "table": download_links(view, indicators=[d.id], levels=[level], periods=[period]),
        "series": download_links(
            view, indicators=[d.id], units=followed, periods=[period_type], strata=[stratum]
        ),
    }
    if strata:
        downloads["strata"] = download_links(
            view, indicators=[d.id], units=strata_units, periods=[period]
        )
    return IndicatorPageRead(
        indicator=view.indicator(d),
        level=level,
        period_type=period_type,
        period=period,
        stratum=stratum,
        measure=measure,  # type: ignore[arg-type]
        unit=view.unit(*focus),
        area=view.unit(*area),
        computed_at=snap.computed_at,
        choices=choices,
        series=series,
        comparison=compared,
        area_cell=area_cell,
        funnel=funnel_read,
        strata=strata,
        charts=page_charts,
        downloads=downloads,
        chart=chart,  # type: ignore[arg-type]
        spc=spc_read,
        spc_units=spc_units,
        missing=missing_members(view, level),
    )


def missing_members(view: View, level: str) -> list[UnitRead]:
    """The municipalities without a unit of ``level`` on its structure date, for a level
    meant to cover the country (sundhedsråd)."""
    if level != "sundhedsraad":
        return []
    on = view.snap.structure_date(level)
    return [view.unit("municipality", m.code) for m in org.missing(level, on)]


def _funnel(
    view: View, d: Definition, comparison: list[CellRead], area_cell: CellRead | None
) -> FunnelRead | None:
    """Funnel plots compare crude values: the limits are about chance in the counts."""
    if not d.has_denominator or area_cell is None or area_cell.value is None:
        return None
    points = [c for c in comparison if c.value is not None and c.denominator]
    if not points:
        return None
    dens = [float(c.denominator or 0) for c in points]
    pct = d.is_percentage
    grid = funnel.limits(area_cell.value, d.factor, pct, min(dens), max(dens))
    flags = funnel.outside(
        [float(c.value or 0) for c in points], dens, area_cell.value, d.factor, pct
    )
    outliers = {c.unit_code: f for c, f in zip(points, flags, strict=True) if f}

    return FunnelRead(
        centre=area_cell.value,
        centre_unit=view.unit(area_cell.level, area_cell.unit_code),
        limits=grid,
        outliers=outliers,  # type: ignore[arg-type]
    )
