"""What the dashboard pages share: the request's view of the results (snapshot, access,
language), indicator descriptions, and the key figures of a unit (overview, unit pages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request

from tvaers.dashboards import comparison, spc_view
from tvaers.dashboards.schemas import (
    CellRead,
    ComparisonRead,
    IndicatorRead,
    KeyFigureRead,
    SpcSummaryRead,
    StratumRead,
    UnitSummaryRead,
)
from tvaers.reference import org
from tvaers.web.access import Access
from tvaers.web.deps import CurrentUser
from tvaers.web.labels import Tr, headline_stratum, stratum_names
from tvaers.web.results_store import LEVELS, Definition, Snapshot, parents
from tvaers.web.schemas import LinkRead, UnitRead
from tvaers.web.scope import InvalidScope, Principal, scopes_on, validate_unit
from tvaers.web.texts import request_language, translator

# The overview shows the broadest unit of a user's scope that has results, clusters first:
# the level at which the municipalities and the region work together.
OVERVIEW_PREFERENCE = ("cluster", "region", "municipality", "country")
FLAT_WITHIN = 0.01  # a change of less than 1 % is shown as unchanged


@dataclass
class View:
    """One request's view of the results."""

    request: Request
    user: Principal
    snapshot: Snapshot | None
    access: Access | None
    lang: str
    tr: Tr

    @property
    def snap(self) -> Snapshot:
        if self.snapshot is None:
            raise HTTPException(404, self.no_results_message())
        return self.snapshot

    def no_results_message(self) -> str:
        return self.tr(
            "Der er endnu ingen beregnede indikatorer. En operatør kører "
            "'tvaers indicators compute'.",
            "No indicators have been computed yet. An operator runs 'tvaers indicators compute'.",
        )

    def cells(self, rows: list[dict[str, Any]]) -> list[CellRead]:
        assert self.access is not None
        return [CellRead.model_validate(c) for c in self.access.apply(rows)]

    def definition(self, indicator_id: str) -> Definition:
        found = self.snap.definitions.get(indicator_id)
        if found is None:
            raise HTTPException(404)
        return found

    def indicator(self, d: Definition) -> IndicatorRead:
        names = stratum_names(self.snapshot)
        return IndicatorRead(
            id=d.id,
            version=d.version,
            name=d.name(self.lang),
            description=names.description(d.id, self.tr),
            unit=d.unit(self.lang),
            factor=d.factor,
            direction=d.direction,
            standardised=d.standardised,
            period_types=self.snap.period_types(d.id),
            strata=[StratumRead(id=s, name=names.name(d.id, s, self.tr)) for s in d.strata],
            href=f"/indicators/{d.id}",
        )

    def unit(self, level: str, code: str) -> UnitRead:
        name = self.snapshot.unit_name(level, code) if self.snapshot else None
        if name is None:
            name = org_unit_name(level, code, self.tr)
        return UnitRead(level=level, code=code, name=name)

    def parse_unit(self, text: str | None) -> tuple[str, str] | None:
        """``LEVEL:CODE`` from a query parameter; 404 for a unit that does not exist."""
        if not text:
            return None
        level, _, code = text.partition(":")
        try:
            ref = validate_unit(level, code)
        except InvalidScope:
            raise HTTPException(404) from None
        return ref.level, ref.code

    def record(self, action: str, **details: Any) -> None:
        """Audit what this request revealed (nothing revealed: nothing written)."""
        if self.access is not None:
            writer = self.request.app.state.audit
            self.access.record(writer, action, {"path": self.request.url.path, **details})


def org_unit_name(level: str, code: str, tr: Tr) -> str:
    try:
        name = org.unit_name(level, code)
    except ValueError:
        return code
    return tr("Danmark", "Denmark") if name is None else name


def get_view(request: Request, user: CurrentUser) -> View:
    snapshot = request.app.state.results.snapshot()
    # The page's templates name strata from the same snapshot (templating.stratum_name).
    request.state.snapshot = snapshot
    lang = request_language(request)
    access = Access(user, snapshot) if snapshot is not None else None
    return View(request, user, snapshot, access, lang, translator(lang))


ViewDep = Annotated[View, Depends(get_view)]


# --- key figures -----------------------------------------------------------------------


def primary_unit(view: View) -> tuple[str, str]:
    snap = view.snapshot
    # The user's own units and those of the seats they hold today (tvaers users link).
    mine = scopes_on(view.user, date.today())
    scopes = sorted(mine, key=lambda s: OVERVIEW_PREFERENCE.index(s.level))
    for s in scopes:
        if snap is None or snap.unit_name(s.level, s.code) is not None:
            return s.level, s.code
    if snap is not None and not mine:
        # No units of one's own (an administrator): the whole country, as a table.
        return "country", org.COUNTRY_CODE
    if snap is not None:
        for level in OVERVIEW_PREFERENCE:
            if snap.units.get(level):
                return level, next(iter(snap.units[level]))
    return "country", org.COUNTRY_CODE


def measure_of(d: Definition) -> str:
    return "std_value" if d.standardised else "value"


def _trend(current: CellRead | None, previous: CellRead | None, measure: str) -> str | None:
    now = getattr(current, measure, None) if current else None
    before = getattr(previous, measure, None) if previous else None
    if now is None or before is None:
        return None
    if abs(now - before) <= FLAT_WITHIN * max(abs(before), 1e-9):
        return "flat"
    return "up" if now > before else "down"


def _assessment(trend: str | None, direction: str) -> str | None:
    if trend is None:
        return None
    if trend == "flat" or direction == "neutral":
        return "neutral"
    good = "down" if direction == "lower_is_better" else "up"
    return "better" if trend == good else "worse"


def key_figures(
    view: View, level: str, code: str
) -> tuple[str | None, list[KeyFigureRead], dict[str, dict[str, Any]]]:
    """Every indicator's headline stratum for the unit in the latest year, the year before,
    beside its cluster (or sundhedsråd), region and country; its SPC verdict and the small
    line of its series (the charts, by indicator)."""
    snap = view.snap
    years = sorted({p for (_, t), ps in snap.periods.items() if t == "year" for p in ps})
    if not years:
        return None, [], {}
    latest = years[-1]
    wanted = tuple(years[-2:])
    beside = comparison.comparators(snap, level, code)
    units = ((level, code), *(u for _, u in beside))
    if ("country", org.COUNTRY_CODE) not in units:
        units = (*units, ("country", org.COUNTRY_CODE))
    rows = [
        row
        for d in snap.definitions.values()
        for row in snap.cells(
            d.id,
            units=units,
            periods=wanted,
            period_type="year",
            strata=(headline_stratum(d.strata),),
        )
    ]
    by_key = {
        (c.indicator_id, c.period, c.level, c.unit_code, c.stratum): c for c in view.cells(rows)
    }
    verdicts, series = _spc_verdicts(view, level, code)
    only = comparison.single_region(snap)
    same = view.unit("region", only) if only else None
    figures, lines = [], {}
    for d in snap.definitions.values():
        if snap.latest(d.id) != latest:
            continue
        stratum = headline_stratum(d.strata)
        measure = measure_of(d)

        def cell(year: str, unit: tuple[str, str], d=d, stratum=stratum) -> CellRead | None:
            return by_key.get((d.id, year, unit[0], unit[1], stratum))

        current = cell(latest, (level, code))
        previous = cell(years[-2], (level, code)) if len(years) > 1 else None
        country = cell(latest, ("country", org.COUNTRY_CODE))
        trend = _trend(current, previous, measure)
        period_type = spc_view.card_period_type(snap, d) or "year"
        found = [r for r in series if r["indicator_id"] == d.id and r["period_type"] == period_type]
        if period_type == "year":
            found = _year_series(view, d, level, code, stratum)
        if any(r["value"] is not None for r in found):  # nothing to draw: no line
            lines[d.id] = comparison.trend_line(
                found,
                snap.periods[(d.id, period_type)],
                name=d.name(view.lang),
                unit_name=view.unit(level, code).name,
                unit_label=d.unit(view.lang),
                period_type=period_type,
                tr=view.tr,
            )
        figures.append(
            KeyFigureRead(
                indicator=view.indicator(d),
                stratum=stratum,
                measure=measure,  # type: ignore[arg-type]
                current=current,
                previous=previous,
                country=country,
                trend=trend,  # type: ignore[arg-type]
                trend_assessment=_assessment(trend, d.direction),  # type: ignore[arg-type]
                versus_country=comparison.versus(current, country, measure),  # type: ignore[arg-type]
                spc=verdicts.get((d.id, stratum)),
                comparisons=[
                    ComparisonRead(
                        role=role,  # type: ignore[arg-type]
                        unit=view.unit(*unit),
                        cell=cell(latest, unit),
                        versus=comparison.versus(current, cell(latest, unit), measure),  # type: ignore[arg-type]
                        same_as=same if role == "country" else None,
                    )
                    for role, unit in beside
                ],
                trend_period_type=period_type,
            )
        )
    return latest, figures, lines


def _year_series(
    view: View, d: Definition, level: str, code: str, stratum: str
) -> list[dict[str, Any]]:
    assert view.access is not None
    rows = view.snap.cells(d.id, units=((level, code),), period_type="year", strata=(stratum,))
    return view.access.apply(rows)


def _spc_verdicts(
    view: View, level: str, code: str
) -> tuple[dict[tuple[str, str], SpcSummaryRead], list[dict[str, Any]]]:
    """The change over time of every indicator's headline stratum for the unit: the run
    chart of its finest kind of period with enough points, from the cells as the user may
    see them, all series in one batch; and those cells (the cards' small lines)."""
    snap = view.snap
    assert view.access is not None
    rows = []
    for d in snap.definitions.values():
        period_type = spc_view.card_period_type(snap, d)
        if period_type is not None:
            rows += snap.cells(
                d.id,
                units=((level, code),),
                period_type=period_type,
                strata=(headline_stratum(d.strata),),
            )
    visible = view.access.apply(rows)
    found = spc_view.summaries(visible, snap, lang=view.lang)
    return {(key[0], key[3]): summary for key, summary in found.items()}, visible


def unit_summary(view: View, level: str, code: str) -> UnitSummaryRead:
    """A unit with its key figures, the units it belongs to and its members."""
    snap = view.snapshot
    period, figures, lines = key_figures(view, level, code) if snap is not None else (None, [], {})
    on = snap.structure_date(level) if snap is not None else None
    ups: list[UnitRead] = []
    members: list[UnitRead] = []
    if on is not None:
        ups = [view.unit(lv, c) for lv, c in parents(level, code, on)]
        if level != "municipality":
            found = [view.unit("municipality", m.code) for m in org.members(level, code, on)]  # type: ignore[arg-type]
            members = sorted(found, key=lambda u: comparison.name_key(u.name))
    downloads = []
    if period is not None:
        downloads = download_links(
            view, units=[(level, code), ("country", org.COUNTRY_CODE)], periods=["year"]
        )
    message = None
    if snap is None:
        message = view.no_results_message()
    elif snap.unit_name(level, code) is None:
        message = view.tr(
            "Resultaterne har ingen tal for denne enhed.",
            "The results hold no figures for this unit.",
        )
    return UnitSummaryRead(
        unit=view.unit(level, code),
        href=unit_href(level, code),
        parents=ups,
        members=members,
        period=period,
        computed_at=snap.computed_at if snap else None,
        figures=figures,
        charts=lines,
        same_as_country=_same_as_country(view, level),
        downloads=downloads,
        message=message,
    )


def _same_as_country(view: View, level: str) -> UnitRead | None:
    """The data's only region, when the page compares with the country (said once)."""
    if view.snapshot is None or level == "country":
        return None
    only = comparison.single_region(view.snapshot)
    return view.unit("region", only) if only else None


def unit_href(level: str, code: str) -> str:
    return f"/units/{level}/{code}"


def download_links(
    view: View,
    *,
    indicators: Iterable[str] = (),
    levels: Iterable[str] = (),
    periods: Iterable[str] = (),
    units: Iterable[tuple[str, str]] = (),
    strata: Iterable[str] = (),
    confidential: bool = False,
) -> list[LinkRead]:
    """CSV and Excel links for a table's selection (the download applies the same
    disclosure control as the page). ``confidential``: only the cells shown because of
    the user's access, as on the page of suppressed cells."""
    query: list[tuple[str, str]] = [("indicator", i) for i in indicators]
    query += [("level", lv) for lv in levels]
    query += [("period", p) for p in periods]
    query += [("unit", f"{lv}:{c}") for lv, c in units]
    query += [("stratum", s if s else "total") for s in strata]
    if confidential:
        query.append(("confidential", "true"))
    text = urlencode(query)
    suffix = f"?{text}" if text else ""
    return [
        LinkRead(href=f"/download.csv{suffix}", title=view.tr("Hent som CSV", "Download as CSV")),
        LinkRead(
            href=f"/download.xlsx{suffix}", title=view.tr("Hent som Excel", "Download as Excel")
        ),
    ]


def levels_present(snap: Snapshot) -> list[str]:
    return [lv for lv in LEVELS if snap.units.get(lv)]
