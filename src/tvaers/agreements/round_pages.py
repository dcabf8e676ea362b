"""The input rounds' pages: a round with its questions, respondents, the answers the user
may see, the summaries per cluster and across; the answer form (a respondent, its own
answer, while the round is open); the secretariat's forms (create, tag themes, close) and
the round as a Markdown document."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tvaers.agreements import round_reading, rounds
from tvaers.agreements.pages import agreements_data
from tvaers.agreements.round_schemas import (
    AnswerSave,
    RoundClose,
    RoundCreate,
    RoundPageRead,
    ThemesSave,
)
from tvaers.web import api_responses, editing
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid, parse_form
from tvaers.web.records import StaleEdit
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_tr

router = APIRouter(tags=["agreements"])


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
    data = round_reading.round_page(db, user, round_id, request_tr(request))
    return respond(request, "round.html", data, {"user": user, **editing.NO_FORM, "saved": saved})


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
    text = round_reading.markdown(round_reading.round_page(db, user, round_id, tr), tr)
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{round_id}.md"'},
    )


def _refused(request, user, db, exc, form: str, values: dict, round_id: str | None) -> Response:  # type: ignore[no-untyped-def]
    """The round page (or, for a new round, the agreements page) again with the posted form
    as filled in, and why it was refused."""
    status, context = editing.refused_form(request, db, exc, form, values)
    context["user"] = user
    tr = request_tr(request)
    if round_id is None:
        data = agreements_data(db, user, tr)
        return editing.show_again(request, "agreements.html", data, context, status)
    data = round_reading.round_page(db, user, round_id, tr)
    return editing.show_again(request, "round.html", data, context, status)


@router.post("/agreements/rounds", include_in_schema=False)
async def create_round(request: Request, user: CurrentUser, db: Db) -> Response:
    values = await editing.form_values(request, lists=("texts",))  # one textarea a question
    tr = request_tr(request)
    try:
        r = rounds.create_round(db, user, parse_form(RoundCreate, values, tr), values, tr)
        db.commit()
    except FormInvalid as exc:
        return _refused(request, user, db, exc, "round", values, None)
    return RedirectResponse(rounds.round_href(r.id), status_code=303)


def _round_form(action, model, form: str):  # type: ignore[no-untyped-def]
    async def endpoint(request: Request, round_id: str, user: CurrentUser, db: Db) -> Response:
        values = await editing.form_values(request, lists=("texts",))  # one textarea a question
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
        return editing.saved(rounds.round_href(round_id))

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
