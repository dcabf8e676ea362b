"""The packs page (/reports/packs, with its JSON twin), making a pack from a unit page
(POST /reports/packs/new) and downloading a kept pack. Every pack is made for the user's
access: suppressed as on the dashboards, unless the user may see a unit's suppressed cells,
and every reveal — when made and when downloaded again — is in the audit log."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tvaers.dashboards.summary import ViewDep
from tvaers.reports import service
from tvaers.reports.content import PackError
from tvaers.reports.schemas import PackListRead
from tvaers.web.api_responses import errors
from tvaers.web.deps import Db
from tvaers.web.forms import FormInvalid, parse_form
from tvaers.web.scope import InvalidScope, validate_unit
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_tr

router = APIRouter(tags=["reports"])


class PackCreate(BaseModel):
    unit: str = Field(max_length=80, pattern=r"^[a-z]+:[A-Za-z0-9_.-]+$")
    period: str | None = Field(default=None, pattern=r"^\d{4}$")
    lang: Literal["da", "en"] = "da"


@page_routes(
    router,
    "/reports/packs",
    name="report_packs",
    model=PackListRead,
    summary="Datapakker",
    errors=(401,),
)
def packs_page(request: Request, view: ViewDep, db: Db) -> Response:
    data = PackListRead(
        packs=service.listing(db, view.access),
        message=None if view.snapshot is not None else view.no_results_message(),
    )
    return respond(request, "packs.html", data, {"user": view.user})


# The form posts to a path of its own: /reports/packs answers GET alone (its documented
# methods are the ones it answers).
@router.post("/reports/packs/new", summary="Lav en datapakke", include_in_schema=False)
async def make_pack(request: Request, view: ViewDep, db: Db) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    tr = request_tr(request)
    data = parse_form(PackCreate, values, tr)
    level, _, code = data.unit.partition(":")
    try:
        ref = validate_unit(level, code)
    except InvalidScope:
        raise FormInvalid({"unit": tr("Ukendt enhed.", "Unknown unit.")}, values) from None
    if view.snapshot is None or view.access is None:
        raise HTTPException(404, view.no_results_message())
    try:
        # Seconds of drawing: in the thread pool, so the server goes on answering others.
        record = await run_in_threadpool(
            service.make,
            db,
            view.user,
            view.snapshot,
            view.access,
            ref.level,
            ref.code,
            data.period,
            data.lang,
            request.app.state.sessions,  # the registry sections read the app's own database
        )
    except PackError as exc:
        field = "period" if "--period" in str(exc) else "unit"
        raise FormInvalid({field: str(exc)}, values) from None
    db.commit()
    view.record("unsuppressed_viewed", page="report_pack", pack=record.id)
    return RedirectResponse(f"/reports/packs/{record.id}/download", status_code=303)


@router.get(
    "/reports/packs/{pack_id}/download",
    summary="Hent en datapakke",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **errors(303, 401, 403, 404, 422)},
)
def download(view: ViewDep, db: Db, pack_id: Annotated[int, Path(ge=1)]) -> Response:
    record = service.get(db, pack_id)
    if record is None:
        raise HTTPException(404)
    if not service.may_download(record, view.access):
        raise HTTPException(403)
    if record.confidential and view.access is not None:
        service.reveal(record, view.access)
        view.record("unsuppressed_downloaded", page="report_pack", pack=record.id)
    name = f"datapakke-{record.unit_level}-{record.unit_code}-{record.period}.{record.format}"
    return Response(
        record.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
