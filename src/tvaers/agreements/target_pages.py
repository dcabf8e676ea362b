"""A target's page: its status for every unit it covers and the chart (with the target
line) of one of them, computed from the published results as the user may see them; what
an analyst's access reveals is audited like on the dashboards. Its JSON twin says the same.
The agreement's secretariat changes the target here (agreements.targets); a refused form
comes back with the input and the message beside the field (422), a stale save the same
way (409), and a JSON client gets the documented error body.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tvaers.agreements import charts, service, targets, tree
from tvaers.agreements.models import Target
from tvaers.agreements.pages import Viewing, target_choices
from tvaers.agreements.schemas import TargetPageRead, TargetUpdate
from tvaers.agreements.status import target_statuses
from tvaers.dashboards.summary import View
from tvaers.web import editing, records
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid, parse_form
from tvaers.web.records import StaleEdit
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_tr

router = APIRouter(tags=["agreements"])
_BASE = "/agreements/{agreement_id}/targets/{target_id}"


def _target_data(
    db: Db, view: View, user: Any, agreement_id: str, target_id: str, unit: str | None
) -> tuple[TargetPageRead, dict | None]:
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
        can_edit=service.may_edit(db, user, a),
        history=targets.history(db, t),
    )
    # Audited wherever the page is shown: as asked for, and again beside a refused form.
    view.record(
        "unsuppressed_viewed", page="agreement_target", agreement=agreement_id, target=target_id
    )
    return data, spec


@page_routes(
    router,
    _BASE,
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
    saved: bool = False,
) -> Response:
    """A target: its status for every unit it covers, and the chart (with the target line)
    of one of them (``unit``; the first by default)."""
    data, spec = _target_data(db, view, user, agreement_id, target_id, unit)
    context = {"user": user, "spec": spec, **editing.NO_FORM, "saved": saved}
    return respond(request, "target.html", data, context | target_choices(request))


@router.post(_BASE + "/edit", include_in_schema=False)
async def edit_target(
    request: Request, agreement_id: str, target_id: str, user: CurrentUser, db: Db, view: Viewing
) -> Response:
    values = await editing.form_values(request)
    tr = request_tr(request)
    try:
        data = parse_form(TargetUpdate, values, tr)
        targets.update_target(db, user, agreement_id, target_id, data, values, tr)
        db.commit()
    except (FormInvalid, StaleEdit) as exc:
        status, context = editing.refused_form(request, db, exc, "TargetUpdate", values)
        page, spec = _target_data(db, view, user, agreement_id, target_id, None)
        context |= {"user": user, "spec": spec, **target_choices(request)}
        return editing.show_again(request, "target.html", page, context, status)
    return editing.saved(service.target_href(agreement_id, target_id))
