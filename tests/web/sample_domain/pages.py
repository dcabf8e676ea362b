from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tvaers.roles import EDITS_REGISTRIES
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import parse_form
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_tr

from . import service
from .schemas import NoteCreate, NotesRead, NoteUpdate

router = APIRouter(tags=["notes"])


@page_routes(router, "/notes", name="notes", model=NotesRead, summary="Noter")
def notes(request: Request, user: CurrentUser, db: Db) -> Response:
    data = NotesRead(
        notes=[service.read(n) for n in service.list_notes(db)],
        can_edit=user.role in EDITS_REGISTRIES,
    )
    return respond(request, "notes.html", data, {"user": user})


@router.post("/notes", summary="Ny note")
async def create_note(request: Request, user: CurrentUser, db: Db) -> Response:
    form = await request.form()
    data = parse_form(NoteCreate, dict(form), request_tr(request))
    service.create(db, user, data)
    db.commit()
    return RedirectResponse("/notes", status_code=303)


@router.post("/notes/{note_id}", summary="Ret en note")
async def update_note(request: Request, note_id: int, user: CurrentUser, db: Db) -> Response:
    form = await request.form()
    data = parse_form(NoteUpdate, dict(form), request_tr(request))
    service.update(db, user, note_id, data)
    db.commit()
    return RedirectResponse("/notes", status_code=303)
