"""The input rounds' pages: a round with its questions, respondents, the answers the user
may see, the summaries per cluster and across; the answer form (a respondent, its own
answer, while the round is open); the secretariat's forms (create, tag themes, close) and
the round as a Markdown document."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tvaers.agreements import rounds, service
from tvaers.agreements.round_schemas import (
    AnswerSave,
    RoundClose,
    RoundCreate,
    RoundPageRead,
    ThemesSave,
)
from tvaers.agreements.schemas import AgreementsRead
from tvaers.roles import EDITS_REGISTRIES
from tvaers.web import api_responses
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid, parse_form
from tvaers.web.records import StaleEdit
from tvaers.web.templating import page_routes, render, respond, wants_json
from tvaers.web.texts import request_tr

router = APIRouter(tags=["agreements"])
_NO_FORM: dict[str, Any] = {"form": None, "values": {}, "errors": {}, "stale": None, "saved": False}


@page_routes(
    router,
    "/agreements/rounds/{round_id}",
    name="input_round",
    model=RoundPageRead,
    summary="En inputrunde",
    errors=(401, 404),
)
def round_page(
    request: Request, round_id: str, user: CurrentUser, db: Db, saved: bool = False
) -> Response:
    """An input round: questions, respondents and the answers this user may see."""
    data = rounds.round_page(db, user, round_id, request_tr(request))
    return respond(request, "round.html", data, {"user": user, **_NO_FORM, "saved": saved})


@router.get(
    "/agreements/rounds/{round_id}/export.md",
    summary="Inputrunden som dokument",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}}, **api_responses.errors(401, 404)},
)
def round_document(request: Request, round_id: str, user: CurrentUser, db: Db) -> Response:
    """The round as a Markdown document: questions, themes across, per cluster, answers
    (what this user may see of them)."""
    tr = request_tr(request)
    text = rounds.markdown(rounds.round_page(db, user, round_id, tr), tr)
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{round_id}.md"'},
    )


async def _values(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key == "csrf_token" or not isinstance(value, str):
            continue
        if key == "texts":  # one textarea per question, in order
            values.setdefault("texts", []).append(value)
        else:
            values[key] = value
    return values


def _refused(request, user, db, exc, form: str, values: dict, round_id: str | None) -> Response:  # type: ignore[no-untyped-def]
    if wants_json(request):
        raise exc
    db.rollback()
    tr = request_tr(request)
    if isinstance(exc, StaleEdit):
        status, errors, stale = 409, {"version": exc.message(tr)}, exc.message(tr)
    else:
        status, errors, stale = 422, exc.errors, None
    context = {
        "user": user,
        "form": form,
        "values": values,
        "errors": errors,
        "stale": stale,
        "saved": False,
    }
    if round_id is None:
        data: Any = AgreementsRead(
            agreements=[service.read_agreement(a, tr) for a in service.agreements(db)],
            input_rounds=service.input_rounds_of(db, None),
            can_create_round=user.role in EDITS_REGISTRIES,
        )
        return render(
            request, "agreements.html", {"data": data, "json_url": None, **context}, status
        )
    data = rounds.round_page(db, user, round_id, tr)
    return render(request, "round.html", {"data": data, "json_url": None, **context}, status)


@router.post("/agreements/rounds", include_in_schema=False)
async def create_round(request: Request, user: CurrentUser, db: Db) -> Response:
    values = await _values(request)
    tr = request_tr(request)
    try:
        r = rounds.create_round(db, user, parse_form(RoundCreate, values, tr), values, tr)
        db.commit()
    except FormInvalid as exc:
        return _refused(request, user, db, exc, "round", values, None)
    return RedirectResponse(rounds.round_href(r.id), status_code=303)


def _round_form(action, model, form: str):  # type: ignore[no-untyped-def]
    async def endpoint(request: Request, round_id: str, user: CurrentUser, db: Db) -> Response:
        values = await _values(request)
        tr = request_tr(request)
        try:
            data = parse_form(model, values, tr)
            if action is rounds.close_round:
                action(db, user, round_id, data, tr)
            else:
                action(db, user, round_id, data, values, tr)
            db.commit()
        except (FormInvalid, StaleEdit) as exc:
            return _refused(request, user, db, exc, form, values, round_id)
        return RedirectResponse(f"{rounds.round_href(round_id)}?saved=1", status_code=303)

    return endpoint


for _path, _action, _model, _form in (
    ("/answer", rounds.save_answer, AnswerSave, "answer"),
    ("/themes", rounds.tag_themes, ThemesSave, "themes"),
    ("/close", rounds.close_round, RoundClose, "close"),
):
    router.add_api_route(
        "/agreements/rounds/{round_id}" + _path,
        _round_form(_action, _model, _form),
        methods=["POST"],
        include_in_schema=False,
    )
