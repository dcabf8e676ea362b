"""An initiative's page: its series as SPC charts (the go-live date offered as a part
boundary that a user confirms), its PDSA cycles, its own measurements and its goal's
targets; and the forms of the owner's or the agreement's secretariat (status and aim, the
boundary, PDSA cycles, a measurement upload). The page has its JSON twin; a refused form
comes back with the input and the message beside the field (422), a stale save the same
way (409).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tvaers.agreements import charts, initiatives, service, tree
from tvaers.agreements.models import Initiative, Target
from tvaers.agreements.pages import Viewing, terms_context
from tvaers.agreements.schemas import (
    BoundaryConfirm,
    ChartRead,
    InitiativePageRead,
    InitiativeUpdate,
    MeasurementCreate,
    PdsaCreate,
    PdsaUpdate,
)
from tvaers.agreements.status import target_statuses
from tvaers.dashboards.summary import View
from tvaers.web import editing
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid, parse_form
from tvaers.web.records import StaleEdit
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_tr

router = APIRouter(tags=["agreements"])
_BASE = "/agreements/{agreement_id}/initiatives/{initiative_id}"


def _series_charts(db: Db, view: View, i: Initiative) -> tuple[list[ChartRead], list[dict]]:
    """Each of the initiative's series as the reader may see it, split at the go-live date
    once a user has confirmed it as a part boundary."""
    series_charts, specs = [], []
    confirmed = i.boundary_confirmed_at is not None
    for s in i.series if view.snapshot is not None else []:
        level, _, code = s["unit"].partition(":")
        unit = service.owner_unit(db, s["unit"]) or (level, code)
        result_of = partial(
            charts.series_result,
            view.snapshot,
            view.access,
            s["indicator"],
            unit,
            s.get("stratum", ""),
            s["period"],
            view.tr,
        )
        first = result_of()
        if first is None:
            continue
        d, periods, result = first
        k = charts.boundary_after(periods, i.go_live, s["period"])
        if confirmed and k is not None:
            result = result_of((k,))[2]
        title = d.name(view.lang)
        unit_name = view.unit(*unit).name
        series_charts.append(
            charts.chart_read(
                result,
                title,
                f"{unit[0]}:{unit[1]}",
                d.direction,
                view.lang,
                boundary_after=k,
                boundary_period=periods[k] if k is not None else None,
                boundary_confirmed=confirmed and k is not None,
            )
        )
        specs.append(
            charts.vega(
                result,
                d,
                title=title,
                unit_name=unit_name,
                period_type=s["period"],
                lang=view.lang,
                tr=view.tr,
            )
        )
    return series_charts, specs


def _initiative_data(
    db: Db, view: View, user: Any, agreement_id: str, key: str
) -> tuple[InitiativePageRead, list[dict]]:
    a, i = initiatives.require_initiative(db, agreement_id, key)
    series_charts, specs = _series_charts(db, view, i)
    measured = initiatives.measurements(db, a, i, view.lang)
    for m, result in measured:
        d = charts.own_definition(m.title)
        spec = charts.vega(
            result,
            d,
            title=m.title,
            unit_name=i.owner,
            period_type="month",
            lang=view.lang,
            tr=view.tr,
        )
        spec["description"] = f"{m.title}: {m.chart.verdict}. {m.chart.footer}"
        specs.append(spec)
    rows = []
    if view.snapshot is not None:
        found = target_statuses(db, view.snapshot, a.id, access=view.access)
        goal_targets = {
            t.key for t in db.query(Target).filter_by(agreement_id=a.id, goal_key=i.goal_key)
        }
        rows = [tree.row_read(s, view.lang, view.tr) for s in found if s.target in goal_targets]
    data = InitiativePageRead(
        agreement=service.read_agreement(a, view.tr),
        goal=i.goal_key,
        initiative=tree.initiative_read(db, i, view.lang, view.tr),
        boundary_confirmed_by=i.boundary_confirmed_by,
        boundary_confirmed_at=i.boundary_confirmed_at,
        charts=series_charts,
        pdsa=initiatives.pdsa_cycles(db, a, i),
        measurements=[m for m, _ in measured],
        targets=rows,
        can_edit=initiatives.may_edit(db, user, a, i),
        results=view.snapshot is not None,
        history=[
            service.records.describe(e)
            for e in service.records.history(db, "agreements.initiative", f"{a.id}/{i.key}")
        ],
    )
    # Audited wherever the page is shown: as asked for, and again beside a refused form.
    view.record("unsuppressed_viewed", page="agreement_initiative", agreement=agreement_id)
    return data, specs


@page_routes(
    router,
    _BASE,
    name="agreement_initiative",
    model=InitiativePageRead,
    summary="Et initiativ: serier, PDSA og egne målinger",
    errors=(401, 404),
)
def initiative_page(
    request: Request,
    agreement_id: str,
    initiative_id: str,
    user: CurrentUser,
    db: Db,
    view: Viewing,
    saved: bool = False,
) -> Response:
    """An initiative: its series as SPC charts (the go-live date offered as a part boundary
    that a user confirms), its PDSA cycles, its own measurements and its goal's targets."""
    data, specs = _initiative_data(db, view, user, agreement_id, initiative_id)
    context = {
        "user": user,
        "specs": specs,
        **editing.NO_FORM,
        "saved": saved,
        **terms_context(request),
    }
    return respond(request, "initiative.html", data, context)


def _refused(request, user, db, view, exc, form, values, agreement_id, key) -> Response:  # type: ignore[no-untyped-def]
    """The initiative page again with the posted form as filled in, and why it was refused."""
    status, context = editing.refused_form(request, db, exc, form, values)
    data, specs = _initiative_data(db, view, user, agreement_id, key)
    context |= {"user": user, "specs": specs, **terms_context(request)}
    return editing.show_again(request, "initiative.html", data, context, status)


def _initiative_form(action, model):  # type: ignore[no-untyped-def]
    """A POST route for one of the initiative page's forms: ``action`` takes the session,
    user and ids, a PDSA cycle's id (``update_pdsa``), the parsed form, the uploaded file's
    name and content (``add_measurement``), the posted values and the language."""

    async def endpoint(
        request: Request,
        agreement_id: str,
        initiative_id: str,
        user: CurrentUser,
        db: Db,
        view: Viewing,
    ) -> Response:
        values = await editing.form_values(request)
        tr = request_tr(request)
        cycle = values.pop("cycle", None)
        try:
            args: list[Any] = [db, user, agreement_id, initiative_id]
            if action is initiatives.update_pdsa:
                args.append(int(cycle or 0))
            args.append(parse_form(model, values, tr))
            if action is initiatives.add_measurement:
                upload = (await request.form()).get("file")
                name = getattr(upload, "filename", "") or ""
                args += [name, await upload.read() if hasattr(upload, "read") else b""]
            action(*args, values, tr)
            db.commit()
        except (FormInvalid, StaleEdit) as exc:
            form = f"{model.__name__}:{cycle}" if cycle else model.__name__
            return _refused(request, user, db, view, exc, form, values, agreement_id, initiative_id)
        return editing.saved(service.initiative_href(agreement_id, initiative_id))

    return endpoint


for _path, _action, _model in (
    ("/edit", initiatives.update_initiative, InitiativeUpdate),
    ("/boundary", initiatives.confirm_boundary, BoundaryConfirm),
    ("/pdsa", initiatives.add_pdsa, PdsaCreate),
    ("/pdsa/update", initiatives.update_pdsa, PdsaUpdate),
    ("/measurements", initiatives.add_measurement, MeasurementCreate),
):
    router.add_api_route(
        _BASE + _path, _initiative_form(_action, _model), methods=["POST"], include_in_schema=False
    )
