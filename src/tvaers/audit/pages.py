"""The audit log for administrators: read it page by page, choose entries by user, action,
unit and dates, export them as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from tvaers.audit.filters import LOCAL, AuditFilter, audit_filter
from tvaers.roles import ADMINISTERS
from tvaers.web import audit
from tvaers.web.api_responses import errors
from tvaers.web.deps import Db, require_role
from tvaers.web.schemas import AuditEntryRead, AuditPageRead
from tvaers.web.scope import Principal
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["admin"])
Admin = Annotated[Principal, Depends(require_role(*ADMINISTERS))]
Filter = Annotated[AuditFilter, Depends(audit_filter)]


def _with_query(path: str, params: dict[str, str | int]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


@page_routes(
    router,
    "/admin/audit",
    name="audit_log",
    model=AuditPageRead,
    summary="Revisionslog",
    errors=(401, 403, 422),
)
def audit_page(
    request: Request,
    db: Db,
    user: Admin,
    chosen: Filter,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> Response:
    where = chosen.conditions()
    rows = audit.entries(db, limit=limit, offset=offset, where=where)
    data = AuditPageRead(
        total=audit.count(db, where),
        limit=limit,
        offset=offset,
        filters=chosen.chosen(),
        actions=audit.actions(db),
        entries=[AuditEntryRead.model_validate(audit.as_dict(e)) for e in rows],
        csv=_with_query("/admin/audit.csv", chosen.chosen()),
    )
    # The pages of the log keep the filters.
    pages = {
        "newer": _with_query(
            "/admin/audit", {**data.filters, "limit": limit, "offset": max(offset - limit, 0)}
        ),
        "older": _with_query(
            "/admin/audit", {**data.filters, "limit": limit, "offset": offset + limit}
        ),
    }
    return respond(request, "audit.html", data, {"user": user, "local": LOCAL, "pages": pages})


@router.get(
    "/admin/audit.csv",
    summary="Revisionslog som CSV",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}, **errors(303, 401, 403, 422)},
)
def audit_csv(request: Request, db: Db, user: Admin, chosen: Filter) -> Response:
    # The export itself is logged before it starts: whoever takes the log away is in it.
    audit.audit(db, user, "audit_exported", details={"format": "csv", **chosen.chosen()})
    factory = request.app.state.sessions
    where = chosen.conditions()

    def lines() -> Iterator[str]:
        # A session of its own: the request's is closed before the stream has been read.
        with factory() as session:
            yield from audit.csv_lines(audit.all_entries(session, where=where))

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tvaers-audit-log.csv"'},
    )
