"""The agreement section's pages: the agreements, an agreement as a tree with each target's
status icon, a target (its chart with the target line), an initiative (its series with the
go-live date offered as a part boundary, PDSA cycles, own measurements); the secretariat's
forms. Every page has its JSON twin; every status is computed from the published results as
the user may see them (suppressed cells stay hidden; what an analyst's access reveals is
audited like on the dashboards).

Thin: parse, call ``service`` / ``initiatives``, respond. A refused form comes back with the
input and the message beside the field (422), a stale save the same way (409).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from tvaers.agreements import charts, initiatives, loading, service
from tvaers.agreements.schemas import (
    AgreementPageRead,
    AgreementsRead,
    BoundaryConfirm,
    InitiativePageRead,
    InitiativeUpdate,
    MeasurementCreate,
    PdsaCreate,
    PdsaUpdate,
    StatusChange,
    TargetPageRead,
)
from tvaers.agreements.status import target_statuses
from tvaers.agreements.terms import AGREEMENT_STATUSES, ASSURANCE_ICONS, INITIATIVE_STATUSES
from tvaers.dashboards.summary import View, get_view
from tvaers.roles import EDITS_REGISTRIES
from tvaers.spc import CHARTS
from tvaers.web import api_responses
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid, parse_form
from tvaers.web.records import StaleEdit
from tvaers.web.templating import page_routes, render, respond, wants_json
from tvaers.web.texts import request_tr

router = APIRouter(tags=["agreements"])
Viewing = Annotated[View, Depends(get_view)]
Key = Annotated[str, Query(max_length=64)]
_NO_FORM: dict[str, Any] = {"form": None, "values": {}, "errors": {}, "stale": None, "saved": False}


def _terms(request: Request) -> dict[str, Any]:
    tr = request_tr(request)
    return {
        "statuses": {k: tr(*v) for k, v in AGREEMENT_STATUSES.items()},
        "initiative_statuses": {k: tr(*v) for k, v in INITIATIVE_STATUSES.items()},
        "icons": ASSURANCE_ICONS,
        "charts": CHARTS,
    }


@page_routes(
    router, "/agreements", name="agreements", model=AgreementsRead, summary="Aftaler", errors=(401,)
)
def agreements_page(request: Request, user: CurrentUser, db: Db) -> Response:
    """Every agreement in the registry and the input rounds."""
    tr = request_tr(request)
    data = AgreementsRead(
        agreements=[service.read_agreement(a, tr) for a in service.agreements(db)],
        input_rounds=service.input_rounds_of(db, None),
        can_create_round=user.role in EDITS_REGISTRIES,
    )
    return respond(request, "agreements.html", data, {"user": user, **_NO_FORM})


def _agreement_data(db: Db, view: View, user: Any, agreement_id: str) -> AgreementPageRead:
    a = service.require_agreement(db, agreement_id)
    rows = []
    if view.snapshot is not None:
        found = target_statuses(db, view.snapshot, a.id, access=view.access)
        rows = [service.row_read(s, view.lang, view.tr) for s in found]
    return AgreementPageRead(
        agreement=service.read_agreement(a, view.tr),
        parties=service.parties(db, a),
        steps=service.steps(db, a, view.tr),
        visions=service.tree(db, a, rows, view.lang, view.tr),
        results=view.snapshot is not None,
        computed_at=view.snapshot.computed_at if view.snapshot else None,
        can_edit=service.may_edit(db, user, a),
        decisions=service.decisions_about(db, a),
        input_rounds=service.input_rounds_of(db, a.id),
        history=service.history(db, a),
    )


@page_routes(
    router,
    "/agreements/{agreement_id}",
    name="agreement",
    model=AgreementPageRead,
    summary="En aftale med målenes status",
    errors=(401, 404),
)
def agreement_page(
    request: Request,
    agreement_id: str,
    user: CurrentUser,
    db: Db,
    view: Viewing,
    saved: bool = False,
) -> Response:
    """The agreement as a tree: visions, focus areas, goals with their initiatives and
    targets, each target with its computed status."""
    data = _agreement_data(db, view, user, agreement_id)
    view.record("unsuppressed_viewed", page="agreement", agreement=agreement_id)
    context = {"user": user, **_NO_FORM, "saved": saved, **_terms(request)}
    return respond(request, "agreement.html", data, context)


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
    from tvaers.agreements.models import Target

    a = service.require_agreement(db, agreement_id)
    t = db.get(Target, (agreement_id, target_id))
    if t is None:
        from fastapi import HTTPException

        raise HTTPException(404)
    rows, chart, spec = [], None, None
    if view.snapshot is not None:
        found = target_statuses(db, view.snapshot, a.id, access=view.access, target=t.key)
        rows = [service.row_read(s, view.lang, view.tr) for s in found]
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
        target=service.target_read(t, rows, view.lang),
        unit=unit,
        chart=chart,
        results=view.snapshot is not None,
    )
    view.record("unsuppressed_viewed", page="agreement_target", agreement=a.id, target=t.key)
    return respond(request, "target.html", data, {"user": user, "spec": spec})


def _initiative_data(
    db: Db, view: View, user: Any, agreement_id: str, key: str
) -> tuple[InitiativePageRead, list[dict]]:
    a, i = initiatives.require_initiative(db, agreement_id, key)
    series_charts, specs = [], []
    confirmed = i.boundary_confirmed_at is not None
    for s in i.series if view.snapshot is not None else []:
        level, _, code = s["unit"].partition(":")
        unit = service.owner_unit(db, s["unit"]) or (level, code)
        first = charts.series_result(
            view.snapshot,
            view.access,
            s["indicator"],
            unit,
            s.get("stratum", ""),
            s["period"],
            view.tr,
        )
        if first is None:
            continue
        d, periods, result = first
        k = charts.boundary_after(periods, i.go_live, s["period"])
        if confirmed and k is not None:
            result = charts.series_result(
                view.snapshot,
                view.access,
                s["indicator"],
                unit,
                s.get("stratum", ""),
                s["period"],
                view.tr,
                (k,),
            )[2]
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
        from tvaers.agreements.models import Target

        goal_targets = {
            t.key for t in db.query(Target).filter_by(agreement_id=a.id, goal_key=i.goal_key)
        }
        rows = [service.row_read(s, view.lang, view.tr) for s in found if s.target in goal_targets]
    data = InitiativePageRead(
        agreement=service.read_agreement(a, view.tr),
        goal=i.goal_key,
        initiative=service.initiative_read(db, i, view.lang, view.tr),
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
    return data, specs


@page_routes(
    router,
    "/agreements/{agreement_id}/initiatives/{initiative_id}",
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
    view.record("unsuppressed_viewed", page="agreement_initiative", agreement=agreement_id)
    context = {"user": user, "specs": specs, **_NO_FORM, "saved": saved, **_terms(request)}
    return respond(request, "initiative.html", data, context)


@router.get(
    "/agreements/{agreement_id}/export.yaml",
    summary="Aftalen som YAML",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}}, **api_responses.errors(401, 404)},
)
def export_yaml(agreement_id: str, user: CurrentUser, db: Db) -> Response:
    """The agreement in the import format (agreement.md), to download."""
    service.require_agreement(db, agreement_id)
    return Response(
        loading.export_yaml(db, agreement_id),
        media_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{agreement_id}.yaml"'},
    )


# --- forms -------------------------------------------------------------------------------


async def _values(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}


def _refused(
    request,
    user,
    db,
    view,
    exc,
    form: str,
    values: dict,
    *,
    initiative: str | None,
    agreement_id: str,
) -> Response:
    if wants_json(request):
        raise exc
    db.rollback()
    if isinstance(exc, StaleEdit):
        message = exc.message(request_tr(request))
        status, errors, stale = 409, {"version": message}, message
    else:
        status, errors, stale = 422, exc.errors, None
    context = {
        "user": user,
        "form": form,
        "values": values,
        "errors": errors,
        "stale": stale,
        "saved": False,
        **_terms(request),
    }
    if initiative is None:
        data = _agreement_data(db, view, user, agreement_id)
        return render(
            request, "agreement.html", {"data": data, "json_url": None, **context}, status
        )
    data, specs = _initiative_data(db, view, user, agreement_id, initiative)
    page = {"data": data, "json_url": None, "specs": specs, **context}
    return render(request, "initiative.html", page, status)


@router.post("/agreements/{agreement_id}/status", include_in_schema=False)
async def change_status(
    request: Request, agreement_id: str, user: CurrentUser, db: Db, view: Viewing
) -> Response:
    values = await _values(request)
    tr = request_tr(request)
    try:
        service.change_status(
            db, user, agreement_id, parse_form(StatusChange, values, tr), values, tr
        )
        db.commit()
    except (FormInvalid, StaleEdit) as exc:
        return _refused(
            request,
            user,
            db,
            view,
            exc,
            "status",
            values,
            initiative=None,
            agreement_id=agreement_id,
        )
    return RedirectResponse(f"{service.agreement_href(agreement_id)}?saved=1", status_code=303)


def _initiative_form(action, model):  # type: ignore[no-untyped-def]
    """A POST route for one of the initiative page's forms."""

    async def endpoint(
        request: Request,
        agreement_id: str,
        initiative_id: str,
        user: CurrentUser,
        db: Db,
        view: Viewing,
    ) -> Response:
        values = await _values(request)
        tr = request_tr(request)
        cycle = values.pop("cycle", None)
        try:
            data = parse_form(model, values, tr)
            args = (db, user, agreement_id, initiative_id)
            if action is initiatives.update_pdsa:
                action(*args, int(cycle or 0), data, values, tr)
            else:
                action(*args, data, values, tr)
            db.commit()
        except (FormInvalid, StaleEdit) as exc:
            form = f"{model.__name__}:{cycle}" if cycle else model.__name__
            return _refused(
                request,
                user,
                db,
                view,
                exc,
                form,
                values,
                initiative=initiative_id,
                agreement_id=agreement_id,
            )
        href = service.initiative_href(agreement_id, initiative_id)
        return RedirectResponse(f"{href}?saved=1", status_code=303)

    return endpoint


_BASE = "/agreements/{agreement_id}/initiatives/{initiative_id}"
for _path, _action, _model in (
    ("/edit", initiatives.update_initiative, InitiativeUpdate),
    ("/boundary", initiatives.confirm_boundary, BoundaryConfirm),
    ("/pdsa", initiatives.add_pdsa, PdsaCreate),
    ("/pdsa/update", initiatives.update_pdsa, PdsaUpdate),
):
    router.add_api_route(
        _BASE + _path, _initiative_form(_action, _model), methods=["POST"], include_in_schema=False
    )


@router.post(_BASE + "/measurements", include_in_schema=False)
async def upload_measurements(
    request: Request,
    agreement_id: str,
    initiative_id: str,
    user: CurrentUser,
    db: Db,
    view: Viewing,
) -> Response:
    form = await request.form()
    upload = form.get("file")
    values = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    tr = request_tr(request)
    try:
        data = parse_form(MeasurementCreate, values, tr)
        name = getattr(upload, "filename", "") or ""
        content = await upload.read() if hasattr(upload, "read") else b""
        initiatives.add_measurement(
            db, user, agreement_id, initiative_id, data, name, content, values, tr
        )
        db.commit()
    except FormInvalid as exc:
        return _refused(
            request,
            user,
            db,
            view,
            exc,
            "MeasurementCreate",
            values,
            initiative=initiative_id,
            agreement_id=agreement_id,
        )
    href = service.initiative_href(agreement_id, initiative_id)
    return RedirectResponse(f"{href}?saved=1", status_code=303)
