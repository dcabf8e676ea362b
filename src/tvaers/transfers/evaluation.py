"""The evaluation of an implemented case: each linked indicator series split at the go-live
date into two SPC parts (before, after), from the published result set and only the cells
the user may see (web.access.Access: a hidden cell is a missing point, never 0).

The finest period type with points on both sides is used (month, then quarter, then
year); a run chart per part gives its centre line and whether the part shows a signal
(Anhøj rules, tvaers.spc). A user reads it and confirms it (editing.confirm_evaluation).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tvaers.spc import SpcInputError, compute
from tvaers.transfers.models import Case
from tvaers.transfers.schemas import EvaluationRead, EvaluationSeriesRead, SpcPartRead
from tvaers.web.access import Access
from tvaers.web.results_store import Snapshot

Tr = Callable[[str, str], str]
FINEST_FIRST = ("month", "quarter", "year")


def period_start(period: str) -> date:
    """First day of "2024", "2024-Q2" or "2024-03"."""
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return date(int(year), 3 * int(quarter) - 2, 1)
    if "-" in period:
        year, month = period.split("-")
        return date(int(year), int(month), 1)
    return date(int(period), 1, 1)


def _series(snap: Snapshot | None, access: Access | None, link: dict, go_live: date, tr: Tr):
    base = {"indicator": link["indicator"], "unit": link["unit"], "stratum": link["stratum"]}
    if snap is None or access is None:
        return EvaluationSeriesRead(
            **base, parts=[], message=tr("Ingen beregnede indikatorer.", "No computed indicators.")
        )
    definition = snap.definitions.get(link["indicator"])
    level, _, code = link["unit"].partition(":")
    for kind in FINEST_FIRST:
        if definition is None or kind not in definition.period_types:
            continue
        rows = access.apply(
            snap.cells(
                link["indicator"],
                units=((level, code),),
                period_type=kind,
                strata=(link["stratum"],),
            )
        )
        rows.sort(key=lambda r: r["period"])
        before = sum(1 for r in rows if period_start(r["period"]) < go_live)
        if before == 0 or before == len(rows):
            continue
        y = [r["numerator"] for r in rows]
        n = [r["denominator"] for r in rows] if definition.has_denominator else None
        try:
            result = compute(y, n, [r["period"] for r in rows], parts=[before])
        except SpcInputError as exc:
            return EvaluationSeriesRead(**base, parts=[], message=str(exc))
        factor = definition.factor if n is not None else 1
        parts = [
            SpcPartRead(
                part=p.part,
                points=p.n_obs,
                centre=None if p.cl != p.cl else p.cl * factor,  # NaN: no point in the part
                signal=p.signal,
            )
            for p in result.parts
        ]
        return EvaluationSeriesRead(**base, parts=parts, message=None)
    return EvaluationSeriesRead(
        **base,
        parts=[],
        message=tr(
            "Serien har ikke tal både før og efter idriftsættelsen.",
            "The series has no figures both before and after go-live.",
        ),
    )


def case_evaluation(
    snap: Snapshot | None, access: Access | None, case: Case, tr: Tr
) -> EvaluationRead:
    series = []
    if case.go_live is not None and case.state in ("implementation", "evaluation", "closed"):
        series = [_series(snap, access, link, case.go_live, tr) for link in case.series]
    return EvaluationRead(
        go_live=case.go_live,
        series=series,
        note=case.evaluation_note,
        confirmed_by=case.evaluation_confirmed_by,
        confirmed_on=case.evaluation_confirmed_on,
    )
