"""The data pack's section on transitions between sectors (data-packs.md, item 4): the
unit's transitions indicators for the pack's year — follow-up within 72 hours with the SPC
verdict of its series, notification coverage and the other transitions indicators, then
readmissions with and without follow-up, and referral uptake by service and referring
sector.

Every figure comes from the published result set through the pack's ``Access`` (the
dashboards' disclosure control): a hidden figure is printed "—", never 0. The provider is
named in tvaers.reports.providers.PROVIDERS.
"""

from __future__ import annotations

from tvaers.dashboards.schemas import CellRead
from tvaers.dashboards.summary import View
from tvaers.reports.cells import show
from tvaers.reports.providers import Section, SectionRequest, Table
from tvaers.transitions.pages import COVERAGE, FOLLOWUP, HOURS_PREFIX, READMISSIONS, REFERRALS
from tvaers.web.labels import stratum_names

HIP_FRACTURE = "hip_fracture_nursing_home_30d"
COPD_SMOKING = "copd_smoking_cessation_referral"
# The overview table's indicators, in this order (their total stratum).
OVERVIEW = (FOLLOWUP, COVERAGE, HIP_FRACTURE, COPD_SMOKING, REFERRALS)
ALL = (*OVERVIEW, READMISSIONS)
NUMERIC = (False, True, True, True, True)


def _cells(view: View, indicator: str, unit: tuple[str, str], period: str) -> list[CellRead]:
    if indicator not in view.snap.definitions:
        return []
    rows = view.snap.cells(indicator, units=(unit,), periods=(period,), period_type="year")
    return view.cells(rows)


def _row(first: str, cell: CellRead, factor: int, lang: str) -> tuple[str, ...]:
    shown = show(cell, factor, lang)
    return (first, shown.numerator, shown.denominator, shown.value, shown.interval)


def section(request: SectionRequest) -> Section | None:
    """The section, or None when the result set holds no transitions figures for the unit
    in the pack's year."""
    snap, access = request.snapshot, request.access
    if snap is None or access is None:
        return None
    tr, lang, period = request.tr, request.lang, request.period
    unit = (request.level, request.code)
    view = View(None, access.user, snap, access, lang, tr)  # type: ignore[arg-type]
    found = {i: _cells(view, i, unit, period) for i in ALL}
    if not any(found.values()):
        return None
    names = stratum_names(snap)
    header = (
        tr("Tæller", "Numerator"),
        tr("Nævner", "Denominator"),
        tr("Procent", "Per cent"),
        tr("95 %-interval", "95 % interval"),
    )
    tables = []
    overview = []
    for indicator in OVERVIEW:
        d = snap.definitions.get(indicator)
        total = next((c for c in found[indicator] if c.stratum == ""), None)
        if d is not None and total is not None:
            overview.append(_row(d.name(lang), total, d.factor, lang))
    if overview:
        tables.append(
            Table(
                tr(f"Overgange {period}", f"Transitions {period}"),
                (tr("Indikator", "Indicator"), *header),
                tuple(overview),
                NUMERIC,
            )
        )
    for indicator, caption, first in (
        (
            READMISSIONS,
            tr(
                f"Akutte genindlæggelser inden for 30 dage med og uden opfølgning (65+), {period}",
                f"Acute readmissions within 30 days with and without follow-up (65+), {period}",
            ),
            tr("Opfølgning", "Follow-up"),
        ),
        (
            REFERRALS,
            tr(
                f"Henvisninger startet inden for 30 dage efter tilbud og henvisende sektor, "
                f"{period}",
                f"Referrals started within 30 days by service and referring sector, {period}",
            ),
            tr("Tilbud eller sektor", "Service or sector"),
        ),
    ):
        d = snap.definitions.get(indicator)
        if d is None:
            continue
        order = {s: i for i, s in enumerate(d.strata)}
        strata = sorted(
            (c for c in found[indicator] if c.stratum and not c.stratum.startswith(HOURS_PREFIX)),
            key=lambda c: order.get(c.stratum, len(order)),
        )
        rows = tuple(_row(names.name(indicator, c.stratum, tr), c, d.factor, lang) for c in strata)
        if rows:
            tables.append(Table(caption, (first, *header), rows, NUMERIC))
    return Section(
        tr("Overgange mellem sektorer", "Transitions between sectors"),
        _lead(request, view, FOLLOWUP in snap.definitions and bool(found[FOLLOWUP])),
        tuple(tables),
    )


def _lead(request: SectionRequest, view: View, followup: bool) -> str:
    tr = request.tr
    unit = view.unit(request.level, request.code).name
    text = tr(
        f"{unit}, {request.period}: opfølgning efter udskrivning, dækning af "
        "udskrivningsadviser, genindlæggelser og henvisninger (MedCom-adviser og "
        "Landspatientregisteret). Tal på 1–4 og tal, der kan regnes ud fra dem, er skjult (—).",
        f"{unit}, {request.period}: follow-up after discharge, coverage of discharge "
        "notifications, readmissions and referrals (MedCom notifications and the National "
        "Patient Register). Counts of 1–4, and counts from which they could be worked out, "
        "are hidden (—).",
    )
    verdict = request.spc.get(FOLLOWUP)
    if followup and verdict:
        text += " " + tr(
            f"Opfølgning inden for 72 timer, seriediagram til og med {request.period}: {verdict}.",
            f"Follow-up within 72 hours, run chart up to and including {request.period}: "
            f"{verdict}.",
        )
    return text
