"""The task-transfer section's pages: the case list per unit and forum, the case page
(assessment, volumes, state, history, documents, decision timeline) and its printout for
the deciding forum's meeting — each with its JSON twin — and the secretariat's forms.

Thin: parse, call ``editing``, respond. A refused form comes back with the user's input and
the message beside the field (422), a refused workflow step with what is missing (422), a
stale save with the stored version (409), so nobody's work is lost. The form targets (POST)
are left out of the OpenAPI description: the section's JSON API is its read-only twins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from tvaers.formatting import number
from tvaers.governance import registry
from tvaers.transfers import editing, reading, service, workflow
from tvaers.transfers.evaluation import case_evaluation
from tvaers.transfers.schemas import (
    CaseCreate,
    CasePageRead,
    CasesRead,
    CaseUpdate,
    EvaluationConfirm,
    InformedCreate,
    SectionUpdate,
    StepPost,
    UnitLabel,
)
from tvaers.transfers.terms import KINDS, OPEN_CONDITIONS, OUTCOMES, PARTY_SECTORS, SECTION_STATES
from tvaers.transfers.volumes import case_volumes
from tvaers.warehouse.contract import MUNICIPAL_SERVICES
from tvaers.web.access import Access
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid, parse_form
from tvaers.web.records import StaleEdit
from tvaers.web.scope import InvalidScope, can_edit, parse_scope
from tvaers.web.templating import page_routes, render, respond, wants_json
from tvaers.web.texts import request_tr

router = APIRouter(tags=["transfers"])

_NO_FORM: dict[str, Any] = {"form": None, "values": {}, "errors": {}, "stale": None}


def _terms(request: Request) -> dict[str, Any]:
    tr = request_tr(request)
    return {
        "kinds": {k: tr(*v) for k, v in KINDS.items()},
        "sectors": {k: tr(*v) for k, v in PARTY_SECTORS.items()},
        "section_states": {k: tr(*v) for k, v in SECTION_STATES.items() if k != "undescribed"},
        "outcomes": {k: tr(*v) for k, v in OUTCOMES.items()},
        "services": MUNICIPAL_SERVICES,
        "open_conditions": tr(*OPEN_CONDITIONS),
        "figures_text": figures_text,
        "case_form": case_form,
    }


def figures_text(figures: list[Any]) -> str:
    """A section's figures as its form's text area holds them (Danish amounts, which is
    what parsing.amount reads back)."""
    return "\n".join(
        f"{f.label}; {number(f.value, 'da', 0 if f.value == int(f.value) else 2)}; {f.unit}".rstrip(
            "; "
        )
        for f in figures
    )


def case_form(c: Any) -> dict[str, Any]:
    """The stored case as its edit form's fields."""
    return {
        "title": c.title,
        "description": c.description,
        "target_group": c.target_group,
        "kind": c.kind,
        "from_sector": c.from_sector,
        "from_unit": c.from_unit.unit,
        "to_sector": c.to_sector,
        "to_unit": c.to_unit.unit,
        "covered_units": "\n".join(u.unit for u in c.covered_units),
        "agreement_refs": "\n".join(c.agreement_refs),
        "series": "\n".join(f"{s.indicator} {s.unit} {s.stratum}".strip() for s in c.series),
        "documents": "\n".join(f"{d.title} | {d.href}" for d in c.documents),
        "service": c.service or "",
        "decision_year": c.decision_year or "",
        "go_live": c.go_live.isoformat() if c.go_live else "",
    }


def _editable_fora(db: Db, user: Any) -> list[UnitLabel]:
    return [
        UnitLabel(unit=f.id, name=f.name)
        for f in registry.fora(db, date.today())
        if can_edit(user, f.unit_level, f.unit_code)
    ]


def _unit_pattern() -> str:
    """Every unit the reference data knows, as LEVEL:CODE: the schema says which are valid,
    so a wrong one is refused (422, naming the parameter) before the page runs."""
    from tvaers.reference import org
    from tvaers.vocabulary import LEVELS

    names = [f"{level}:{u.code}" for level in LEVELS for u in org.units(level)]
    return "^(" + "|".join(re.escape(n) for n in names) + ")$"


UnitParam = Annotated[
    str | None,
    Query(pattern=_unit_pattern(), description="a unit, LEVEL:CODE (e.g. municipality:561)"),
]


def _list_data(
    request: Request, user: Any, db: Db, unit: str | None, forum: str | None
) -> CasesRead:
    tr = request_tr(request)
    if unit:
        try:
            found = service.cases_for_unit(db, parse_scope(unit))
        except InvalidScope as exc:
            raise FormInvalid({"unit": str(exc)}, {"unit": unit}) from None
    elif forum:
        found = service.cases_for_forum(db, forum)
    else:
        found = service.all_cases(db)
    owners = sorted({c.forum_id for c in service.all_cases(db)})
    fora = []
    for forum_id in owners:
        f = registry.forum(db, forum_id)
        fora.append(UnitLabel(unit=forum_id, name=f.name if f else forum_id))
    creatable = _editable_fora(db, user)
    return CasesRead(
        unit=unit,
        forum=forum,
        cases=[reading.summary(db, c, tr) for c in found],
        fora=fora,
        can_create=bool(creatable),
        create_fora=creatable,
    )


@page_routes(
    router,
    "/transfers",
    name="transfers",
    model=CasesRead,
    summary="Opgaveoverdragelser",
    errors=(401, 422),
)
def cases(
    request: Request,
    user: CurrentUser,
    db: Db,
    unit: UnitParam = None,
    forum: Annotated[str | None, Query(max_length=64, description="a forum's id")] = None,
) -> Response:
    """The cases, all or those of a unit (``unit``) or a forum (``forum``)."""
    data = _list_data(request, user, db, unit, forum)
    return respond(request, "cases.html", data, {"user": user, **_NO_FORM, **_terms(request)})


def _page_data(request: Request, user: Any, db: Db, case_id: int):
    tr = request_tr(request)
    case = service.require_case(db, case_id)
    snapshot = request.app.state.results.snapshot()
    access = Access(user, snapshot) if snapshot is not None else None
    data = reading.case_page(
        db,
        user,
        case,
        case_volumes(request.app.state.settings.warehouse, case, tr),
        case_evaluation(snapshot, access, case, tr),
        tr,
    )
    if access is not None:  # an analyst's unsuppressed series cells are audited
        details = {"path": request.url.path, "case": case_id}
        access.record(request.app.state.audit, "unsuppressed_viewed", details)
    return data


@page_routes(
    router,
    "/transfers/{case_id}",
    name="transfer_case",
    model=CasePageRead,
    summary="Opgaveoverdragelse",
    errors=(401, 404),
)
def case_page(
    request: Request, case_id: int, user: CurrentUser, db: Db, saved: bool = False
) -> Response:
    """One case: its assessment, volumes, state and the steps it may take, who was
    informed, the decision timeline, documents and history."""
    data = _page_data(request, user, db, case_id)
    context = {"user": user, "saved": saved, **_NO_FORM, **_terms(request)}
    return respond(request, "case.html", data, context)


@page_routes(
    router,
    "/transfers/{case_id}/print",
    name="transfer_case_print",
    model=CasePageRead,
    summary="Opgaveoverdragelse til udskrift",
    errors=(401, 404),
)
def case_print(request: Request, case_id: int, user: CurrentUser, db: Db) -> Response:
    """The case as the deciding forum's meeting reads it (a print stylesheet, no forms)."""
    data = _page_data(request, user, db, case_id)
    return respond(request, "case_print.html", data, {"user": user, **_terms(request)})


# --- the secretariat's forms ------------------------------------------------------------


async def _values(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}


def _refused(
    request: Request, user: Any, db: Db, case_id: int, form: str, values: dict, exc: Exception
) -> Response:
    """The case page again with the posted form as filled in, and why it was refused."""
    if isinstance(exc, workflow.Refused):
        exc = FormInvalid({"step": "; ".join(exc.reasons)}, values)
    if wants_json(request):
        raise exc
    db.rollback()
    stale = exc.message(request_tr(request)) if isinstance(exc, StaleEdit) else None
    errors = {"version": stale} if stale else exc.errors  # type: ignore[attr-defined]
    data = _page_data(request, user, db, case_id)
    context = {
        "user": user,
        "saved": False,
        "form": form,
        "values": values,
        "errors": errors,
        "stale": stale,
        "data": data,
        "json_url": None,
        **_terms(request),
    }
    return render(request, "case.html", context, 409 if stale else 422)


def _saved(case_id: int) -> Response:
    return RedirectResponse(f"{service.case_href(case_id)}?saved=1", status_code=303)


async def _post(
    request: Request,
    db: Db,
    user: Any,
    case_id: int,
    form: str,
    model: type[BaseModel],
    action: Callable[..., Any],
) -> Response:
    values = await _values(request)
    tr = request_tr(request)
    try:
        action(parse_form(model, values, tr), values, tr)
        db.commit()
    except (FormInvalid, StaleEdit, workflow.Refused) as exc:
        return _refused(request, user, db, case_id, form, values, exc)
    return _saved(case_id)


@router.post("/transfers/new", summary="Ny sag", include_in_schema=False)
async def create_case(request: Request, user: CurrentUser, db: Db) -> Response:
    values = await _values(request)
    tr = request_tr(request)
    try:
        case = editing.create_case(db, user, parse_form(CaseCreate, values, tr), values, tr)
        db.commit()
    except FormInvalid as exc:
        if wants_json(request):
            raise
        db.rollback()
        context = {
            "data": _list_data(request, user, db, None, None),
            "json_url": None,
            "user": user,
            "form": "new",
            "values": values,
            "errors": exc.errors,
            "stale": None,
            **_terms(request),
        }
        return render(request, "cases.html", context, 422)
    return _saved(case.id)


@router.post("/transfers/{case_id}/edit", summary="Ret en sag", include_in_schema=False)
async def update_case(request: Request, case_id: int, user: CurrentUser, db: Db) -> Response:
    def action(data: Any, values: dict, tr: Any) -> None:
        editing.update_case(db, user, case_id, data, values, tr)

    return await _post(request, db, user, case_id, "case", CaseUpdate, action)


@router.post(
    "/transfers/{case_id}/sections/{dimension}", summary="Ret en dimension", include_in_schema=False
)
async def update_section(
    request: Request, case_id: int, dimension: str, user: CurrentUser, db: Db
) -> Response:
    def action(data: Any, values: dict, tr: Any) -> None:
        editing.update_section(db, user, case_id, dimension, data, values, tr)

    return await _post(request, db, user, case_id, f"section-{dimension}", SectionUpdate, action)


@router.post("/transfers/{case_id}/informed", summary="Orienteret", include_in_schema=False)
async def record_informed(request: Request, case_id: int, user: CurrentUser, db: Db) -> Response:
    def action(data: Any, values: dict, tr: Any) -> None:
        editing.record_informed(db, user, case_id, data, values, tr)

    return await _post(request, db, user, case_id, "informed", InformedCreate, action)


@router.post("/transfers/{case_id}/steps", summary="Et trin i sagen", include_in_schema=False)
async def take_step(request: Request, case_id: int, user: CurrentUser, db: Db) -> Response:
    def action(data: Any, values: dict, tr: Any) -> None:
        editing.take_step(db, user, case_id, data, values, tr)

    return await _post(request, db, user, case_id, "step", StepPost, action)


@router.post(
    "/transfers/{case_id}/evaluation", summary="Bekræft evalueringen", include_in_schema=False
)
async def confirm_evaluation(request: Request, case_id: int, user: CurrentUser, db: Db) -> Response:
    def action(data: Any, values: dict, tr: Any) -> None:
        editing.confirm_evaluation(db, user, case_id, data, values, tr)

    return await _post(request, db, user, case_id, "evaluation", EvaluationConfirm, action)
