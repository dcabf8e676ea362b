"""The transitions page per unit (transitions.md, "Where it shows"): notified admissions
and discharges per week, follow-up within 72 hours as an SPC chart, the hours to the first
follow-up contact, readmissions with and without follow-up, notification coverage and
referral uptake by service.

Everything comes from the published result set (the indicators and `notified_weekly`),
under the same disclosure control as every page: cells pass ``Access.apply`` (a hidden
count is empty, never 0), and what an analyst's access reveals is audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel

from tvaers.dashboards import charts, spc_view
from tvaers.dashboards.schemas import CellRead, SpcChartRead
from tvaers.dashboards.summary import View, ViewDep, primary_unit
from tvaers.web.labels import stratum_names
from tvaers.web.schemas import UnitRead
from tvaers.web.scope import InvalidScope, validate_unit
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["transitions"])
Level = Annotated[str, Path(pattern="^(municipality|cluster|region|country)$")]

FOLLOWUP = "followup_72h_after_discharge_65plus"
READMISSIONS = "readmissions_30d_somatic_65plus_by_followup"
COVERAGE = "discharge_notification_coverage"
REFERRALS = "referral_uptake_30d"
HOURS_PREFIX = "first_"
INDICATORS = (FOLLOWUP, READMISSIONS, COVERAGE, REFERRALS)


class WeekRead(BaseModel):
    """Notified admissions and discharges of one week; a count is null when hidden from
    you (disclosure control)."""

    week: str
    admissions: int | None
    discharges: int | None
    admissions_hidden: bool
    discharges_hidden: bool


class TransitionsPageRead(BaseModel):
    unit: UnitRead
    computed_at: str
    year: str | None
    weeks: list[WeekRead]
    followup: list[CellRead]  # the unit's follow-up share by month, total stratum
    spc: SpcChartRead | None
    hours: list[CellRead]  # share with the first follow-up in each band of hours
    readmissions: list[CellRead]
    coverage: list[CellRead]
    referrals: list[CellRead]
    links: dict[str, str]
    charts: dict[str, dict[str, Any]]


def _weeks(view: View, unit: tuple[str, str]) -> list[WeekRead]:
    assert view.access is not None
    rows = view.access.apply(view.snap.weekly.get(unit, []))
    by_week: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = "admissions" if r["indicator_id"] == "notified_admissions" else "discharges"
        w = by_week.setdefault(r["period"], {"week": r["period"]})
        w[key] = None if r["hidden"] or r["numerator"] is None else int(r["numerator"])
        w[f"{key}_hidden"] = r["hidden"]
    return [
        WeekRead(
            week=w["week"],
            # no row: nothing notified that week (a true 0; hidden counts are None above)
            admissions=w.get("admissions", 0),
            discharges=w.get("discharges", 0),
            admissions_hidden=w.get("admissions_hidden", False),
            discharges_hidden=w.get("discharges_hidden", False),
        )
        for _, w in sorted(by_week.items())
    ]


def _latest(view: View, indicator: str, unit: tuple[str, str], strata=None) -> list[CellRead]:
    snap = view.snap
    period = snap.latest(indicator)
    if period is None:
        return []
    return view.cells(snap.cells(indicator, units=(unit,), periods=(period,), strata=strata))


def build(view: View, unit: tuple[str, str]) -> TransitionsPageRead:
    snap, tr = view.snap, view.tr
    if snap.unit_name(*unit) is None:
        raise HTTPException(404)
    names = stratum_names(view.snapshot)
    page_charts: dict[str, dict[str, Any]] = {}
    weeks = _weeks(view, unit)
    counts = [
        {"period": w.week, "unit": label, "value": n, "lo": n, "hi": n}
        for w in weeks
        for label, n in (
            (tr("Indlæggelser", "Admissions"), w.admissions),
            (tr("Udskrivninger", "Discharges"), w.discharges),
        )
        if n is not None
    ]
    if counts:
        page_charts["weeks"] = charts.series(
            counts,
            description=tr(
                "Anmeldte indlæggelser og udskrivninger pr. uge (MedCom-sygehusadviser), "
                "linjediagram. Tallene står i tabellen under.",
                "Notified admissions and discharges per week (MedCom hospital notifications), "
                "line chart. The figures are in the table below.",
            ),
            x_title=tr("Uge", "Week"),
            y_title=tr("Antal", "Number"),
        )
    followup: list[CellRead] = []
    spc_read = None
    d = snap.definitions.get(FOLLOWUP)
    if d is not None:
        followup = view.cells(
            snap.cells(FOLLOWUP, units=(unit,), period_type="month", strata=("",))
        )
        followup.sort(key=lambda c: c.period)
        spc_read, spc_result, _ = spc_view.for_page(
            view, d, followup, unit, [unit], "", "month", "run"
        )
        if spc_read is not None and spc_result is not None:
            page_charts["spc"] = spc_view.chart_spec(
                spc_result,
                d,
                title=d.name(view.lang),
                unit_name=spc_read.unit.name,
                y_title=d.unit(view.lang),
                period_type="month",
                lang=view.lang,
                tr=tr,
            )
    hours = [c for c in _latest(view, FOLLOWUP, unit) if c.stratum.startswith(HOURS_PREFIX)]
    bars = [
        {
            "stratum": names.name(FOLLOWUP, c.stratum, tr),
            "unit": c.unit_name,
            "value": c.value,
            "lo": c.ci_low,
            "hi": c.ci_high,
        }
        for c in hours
        if c.value is not None
    ]
    if bars:
        page_charts["hours"] = charts.grouped(
            bars,
            description=tr(
                "Andel af udskrivningerne fordelt på timer fra udskrivning til første "
                "opfølgende kontakt, søjlediagram. Tallene står i tabellen under.",
                "Share of discharges by hours from discharge to the first follow-up contact, "
                "bar chart. The figures are in the table below.",
            ),
            y_title=tr("procent af udskrivningerne", "per cent of discharges"),
        )
    return TransitionsPageRead(
        unit=view.unit(*unit),
        computed_at=snap.computed_at,
        year=snap.latest(FOLLOWUP),
        weeks=weeks,
        followup=followup,
        spc=spc_read,
        hours=hours,
        readmissions=_latest(view, READMISSIONS, unit),
        coverage=_latest(view, COVERAGE, unit, strata=("",)),
        referrals=_latest(view, REFERRALS, unit),
        links={i: f"/indicators/{i}" for i in INDICATORS if i in snap.definitions},
        charts=page_charts,
    )


def _respond(request: Request, view: View, unit: tuple[str, str]) -> Response:
    data = build(view, unit)
    view.record("unsuppressed_viewed", page="transitions")
    return respond(request, "transitions.html", data, {"user": view.user})


@page_routes(
    router,
    "/transitions",
    name="transitions",
    model=TransitionsPageRead,
    summary="Overgange",
    errors=(401, 404, 503),
)
def transitions_home(request: Request, view: ViewDep) -> Response:
    return _respond(request, view, primary_unit(view))


@page_routes(
    router,
    "/transitions/{level}/{code}",
    name="transitions_unit",
    model=TransitionsPageRead,
    summary="Overgange for en enhed",
    errors=(401, 404, 422, 503),
)
def transitions_unit(
    request: Request, view: ViewDep, level: Level, code: Annotated[str, Path(max_length=64)]
) -> Response:
    try:
        ref = validate_unit(level, code)
    except InvalidScope:
        raise HTTPException(404) from None
    return _respond(request, view, (ref.level, ref.code))
