"""One indicator's section of a pack: the SPC chart of the unit's monthly or quarterly
series, the unit among its peers (funnel plot, or ranked bars with intervals), and a short
table of the unit's years.

The peers and the years are the indicator page's data (dashboards/indicator_page.py
``build``) and charts; the SPC chart and its verdict come from dashboards/spc_view.py,
over the series up to the end of the pack's year.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException

from tvaers.dashboards import indicator_page, spc_view
from tvaers.dashboards.schemas import IndicatorPageRead
from tvaers.dashboards.summary import View
from tvaers.reference import org
from tvaers.reports.cells import Shown, show
from tvaers.reports.figures import Figure, draw, highlight
from tvaers.spc.chart import SpcInputError
from tvaers.web.labels import headline_stratum, level_plural, period_type_name, stratum_names
from tvaers.web.results_store import Definition

YEARS_SHOWN = 6  # the short table's years, the pack's year last
CHART_HEIGHT = 180  # both charts and the table on one page


@dataclass(frozen=True)
class YearRow:
    period: str
    cell: Shown


@dataclass(frozen=True)
class IndicatorSection:
    id: str
    name: str
    description: str
    unit_label: str
    stratum_name: str
    standardised: bool
    spc: Figure | None
    spc_text: str  # the verdict, or why there is none
    spc_footer: str
    spc_caption: str
    peers: Figure | None
    peers_caption: str
    years: list[YearRow]


def _area(view: View, level: str, code: str) -> str:
    """Whose units the unit is set among: a municipality among its region's, any other
    unit among the country's units of its level."""
    if level == "municipality":
        on = view.snap.structure_date("region")
        region = org.region_of(code, on)
        if region is not None and view.snap.unit_name("region", region.code) is not None:
            return f"region:{region.code}"
    return f"country:{org.COUNTRY_CODE}"


def _spc(
    view: View, d: Definition, focus: tuple[str, str], period: str, title: str
) -> tuple[Figure | None, str, str, str]:
    snap, tr, lang = view.snap, view.tr, view.lang
    period_type = spc_view.card_period_type(snap, d)
    if period_type is None:
        return None, tr("for få perioder til SPC", "too few periods for SPC"), "", ""
    periods = [p for p in snap.periods[(d.id, period_type)] if p[:4] <= period]
    if len(periods) < spc_view.MIN_POINTS:
        return None, tr("for få perioder til SPC", "too few periods for SPC"), "", ""
    stratum = headline_stratum(d.strata)
    rows = snap.cells(d.id, units=(focus,), period_type=period_type, strata=(stratum,))
    by_period = {c.period: c for c in view.cells(rows)}
    unit = view.unit(*focus)
    try:
        result = spc_view.series_chart(d, [by_period.get(p) for p in periods], periods, "run", tr)
    except SpcInputError:
        return None, tr("ingen synlige værdier", "no visible values"), "", ""
    read = spc_view.chart_read(result, d, unit, stratum, period_type, lang)
    y_title = d.unit(lang) + (tr(" (rå værdier)", " (crude values)") if d.standardised else "")
    spec = spc_view.chart_spec(
        result,
        d,
        title=title,
        unit_name=unit.name,
        y_title=y_title,
        period_type=period_type,
        lang=lang,
        tr=tr,
    )
    kinds = period_type_name(period_type, tr).lower()
    caption = tr(
        f"Seriediagram: {unit.name}, {kinds} til og med {period}.",
        f"Run chart: {unit.name}, {kinds} up to and including {period}.",
    )
    return draw(spec, lang, height=CHART_HEIGHT), read.verdict.text, read.verdict.footer, caption


def _peers(
    view: View, page: IndicatorPageRead | None, focus: tuple[str, str]
) -> tuple[Figure | None, str]:
    if page is None or len(page.comparison) < 2:
        return None, ""
    tr = view.tr
    name = view.unit(*focus).name
    level = level_plural(page.level, tr).lower()
    for kind in ("funnel", "bars"):
        spec = page.charts.get(kind)
        if spec is None:
            continue
        marked = highlight(spec, "unit", name, name)
        caption = (
            tr(
                f"Tragtdiagram: {level} i {page.area.name}, {page.period}; {name} er fremhævet.",
                f"Funnel plot: {level} in {page.area.name}, {page.period}; {name} is highlighted.",
            )
            if kind == "funnel"
            else tr(
                f"{level.capitalize()} i {page.area.name}, {page.period}, med 95 %-"
                f"konfidensintervaller; {name} er fremhævet.",
                f"{level.capitalize()} in {page.area.name}, {page.period}, with 95 % "
                f"confidence intervals; {name} is highlighted.",
            )
        )
        return draw(marked, view.lang, height=CHART_HEIGHT), caption
    return None, ""


def indicator_section(
    view: View, d: Definition, focus: tuple[str, str], period: str
) -> tuple[IndicatorSection, IndicatorPageRead | None]:
    """The section, and the indicator page's data it was drawn from (None for a unit the
    page cannot show)."""
    tr, lang = view.tr, view.lang
    stratum = headline_stratum(d.strata)
    names = stratum_names(view.snapshot)
    stratum_name = names.name(d.id, stratum, tr)
    title = d.name(lang) + ("" if stratum == "" else f" – {stratum_name}")
    choice = indicator_page.Choice(
        level=focus[0],
        period_type="year",
        period=period,
        stratum=stratum or "total",
        unit=f"{focus[0]}:{focus[1]}",
        area=_area(view, *focus),
    )
    try:
        page: IndicatorPageRead | None = indicator_page.build(view, d, choice)
    except HTTPException:
        page = None
    spc, spc_text, footer, spc_caption = _spc(view, d, focus, period, title)
    peers, peers_caption = _peers(view, page, focus)
    years: list[YearRow] = []
    if page is not None:
        own = [
            c
            for c in page.series
            if (c.level, c.unit_code) == focus and c.period <= period and c.stratum == stratum
        ]
        years = [YearRow(c.period, show(c, d.factor, lang)) for c in own[-YEARS_SHOWN:]]
    return (
        IndicatorSection(
            id=d.id,
            name=d.name(lang),
            description=names.description(d.id, tr),
            unit_label=d.unit(lang),
            stratum_name=stratum_name if stratum else "",
            standardised=d.standardised,
            spc=spc,
            spc_text=spc_text,
            spc_footer=footer,
            spc_caption=spc_caption,
            peers=peers,
            peers_caption=peers_caption,
            years=years,
        ),
        page,
    )
