"""The secretariat's forms of the task-transfer section: a new case (on the case list),
and on the case page its fields, a dimension of the assessment, who was informed, a
workflow step and the evaluation's confirmation.

A refused form comes back with the user's input and the message beside the field (422), a
refused workflow step with what is missing (422), a stale save with the stored version
(409), so nobody's work is lost. The form targets (POST) are left out of the OpenAPI
description: the section's JSON API is its read-only twins (pages.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from tvaers.transfers import editing as cases_editing
from tvaers.transfers import service, workflow
from tvaers.transfers.pages import list_data, page_data, terms_context
from tvaers.transfers.schemas import (
    CaseCreate,
    CaseUpdate,
    EvaluationConfirm,
    InformedCreate,
    SectionUpdate,
    StepPost,
)
from tvaers.web import editing
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid, parse_form
from tvaers.web.records import StaleEdit
from tvaers.web.texts import request_tr

router = APIRouter(tags=["transfers"])


def _refused(
    request: Request, user: Any, db: Db, case_id: int, form: str, values: dict, exc: Exception
) -> Response:
    """The case page again with the posted form as filled in, and why it was refused."""
    if isinstance(exc, workflow.Refused):
        exc = FormInvalid({"step": "; ".join(exc.reasons)}, values)
    status, context = editing.refused_form(request, db, exc, form, values)  # type: ignore[arg-type]
    data = page_data(request, user, db, case_id)
    context |= {"user": user, **terms_context(request)}
    return editing.show_again(request, "case.html", data, context, status)


async def _post(
    request: Request,
    db: Db,
    user: Any,
    case_id: int,
    form: str,
    model: type[BaseModel],
    action: Callable[..., Any],
) -> Response:
    values = await editing.form_values(request)
    tr = request_tr(request)
    try:
        action(parse_form(model, values, tr), values, tr)
        db.commit()
    except (FormInvalid, StaleEdit, workflow.Refused) as exc:
        return _refused(request, user, db, case_id, form, values, exc)
    return editing.saved(service.case_href(case_id))


@router.post("/transfers/new", summary="Ny sag", include_in_schema=False)
async def create_case(request: Request, user: CurrentUser, db: Db) -> Response:
    values = await editing.form_values(request)
    tr = request_tr(request)
    try:
        case = cases_editing.create_case(db, user, parse_form(CaseCreate, values, tr), values, tr)
        db.commit()
    except FormInvalid as exc:
        status, context = editing.refused_form(request, db, exc, "new", values)
        data = list_data(request, user, db, None, None)
        context |= {"user": user, **terms_context(request)}
        return editing.show_again(request, "cases.html", data, context, status)
    return editing.saved(service.case_href(case.id))


def _case_form(action: Callable[..., Any], model: type[BaseModel], form: str):  # type: ignore[no-untyped-def]
    """A POST route for one of the case page's forms: ``action(session, user, case_id,
    data, values, tr)``."""

    async def endpoint(request: Request, case_id: int, user: CurrentUser, db: Db) -> Response:
        def save(data: Any, values: dict, tr: Any) -> None:
            action(db, user, case_id, data, values, tr)

        return await _post(request, db, user, case_id, form, model, save)

    return endpoint


for _path, _summary, _action, _model, _form in (
    ("/edit", "Ret en sag", cases_editing.update_case, CaseUpdate, "case"),
    ("/informed", "Orienteret", cases_editing.record_informed, InformedCreate, "informed"),
    ("/steps", "Et trin i sagen", cases_editing.take_step, StepPost, "step"),
    (
        "/evaluation",
        "Bekræft evalueringen",
        cases_editing.confirm_evaluation,
        EvaluationConfirm,
        "evaluation",
    ),
):
    router.add_api_route(
        "/transfers/{case_id}" + _path,
        _case_form(_action, _model, _form),
        methods=["POST"],
        summary=_summary,
        include_in_schema=False,
    )


@router.post(
    "/transfers/{case_id}/sections/{dimension}", summary="Ret en dimension", include_in_schema=False
)
async def update_section(
    request: Request, case_id: int, dimension: str, user: CurrentUser, db: Db
) -> Response:
    def save(data: Any, values: dict, tr: Any) -> None:
        cases_editing.update_section(db, user, case_id, dimension, data, values, tr)

    return await _post(request, db, user, case_id, f"section-{dimension}", SectionUpdate, save)
