"""A target's page: its status for every unit it covers and the chart (with the target
line) of one of them, computed from the published results as the user may see them; what
an analyst's access reveals is audited like on the dashboards. Its JSON twin says the same.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tvaers.agreements import charts, service, tree
from tvaers.agreements.models import Target
from tvaers.agreements.pages import Viewing
from tvaers.agreements.schemas import TargetPageRead
from tvaers.agreements.status import target_statuses
from tvaers.web import records
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["agreements"])


@page_routes(
    router,
    "/agreements/{agreement_id}/targets/{target_id}",
    name="agreement_target",
    model=TargetPageRead,
    summary="Et mål: status og diagram",
    errors=(401, 404),
)
def target_page(
    request: Request,
    agreement_id: str,
    target_id: str,
    user: CurrentUser,
    db: Db,
    view: Viewing,
    unit: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    """A target: its status for every unit it covers, and the chart (with the target line)
    of one of them (``unit``; the first by default)."""
    a = service.require_agreement(db, agreement_id)
    t = records.require(db, Target, (agreement_id, target_id))
    rows, chart, spec = [], None, None
    if view.snapshot is not None:
        found = target_statuses(db, view.snapshot, a.id, access=view.access, target=t.key)
        rows = [tree.row_read(s, view.lang, view.tr) for s in found]
        chosen = next((s for s in found if s.unit == unit), found[0] if found else None)
        if chosen is not None and chosen.result is not None:
            d = view.snapshot.definitions[t.indicator]
            title = rows[0].indicator_name
            chart = charts.chart_read(
                chosen.result, title, chosen.unit, d.direction, view.lang, target=t.value
            )
            spec = charts.vega(
                chosen.result,
                d,
                title=title,
                unit_name=chosen.unit_name,
                period_type=t.period_type,
                lang=view.lang,
                tr=view.tr,
                target=t.value,
            )
        unit = chosen.unit if chosen else None
    data = TargetPageRead(
        agreement=service.read_agreement(a, view.tr),
        goal=t.goal_key,
        target=tree.target_read(t, rows, view.lang),
        unit=unit,
        chart=chart,
        results=view.snapshot is not None,
    )
    view.record("unsuppressed_viewed", page="agreement_target", agreement=a.id, target=t.key)
    return respond(request, "target.html", data, {"user": user, "spec": spec})
