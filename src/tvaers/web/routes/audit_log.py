"""The audit log for administrators: read it page by page, export it as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from tvaers.web import audit
from tvaers.web.deps import Db, require_role
from tvaers.web.models import Role
from tvaers.web.schemas import AuditEntryRead, AuditPageRead
from tvaers.web.scope import Principal
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["admin"])
Admin = Annotated[Principal, Depends(require_role(Role.admin))]

try:  # the page shows Danish time; JSON and CSV keep UTC with its offset
    LOCAL = ZoneInfo("Europe/Copenhagen")
except ZoneInfoNotFoundError:  # pragma: no cover - a system without time zone data
    LOCAL = UTC  # type: ignore[assignment]


@page_routes(router, "/admin/audit", name="audit_log", model=AuditPageRead, summary="Revisionslog")
def audit_page(
    request: Request,
    db: Db,
    user: Admin,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> Response:
    rows = audit.entries(db, limit=limit, offset=offset)
    data = AuditPageRead(
        total=audit.count(db),
        limit=limit,
        offset=offset,
        entries=[AuditEntryRead.model_validate(audit.as_dict(e)) for e in rows],
        csv="/admin/audit.csv",
    )
    return respond(request, "audit.html", data, {"user": user, "local": LOCAL})


@router.get(
    "/admin/audit.csv",
    summary="Revisionslog som CSV",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def audit_csv(request: Request, db: Db, user: Admin) -> Response:
    # The export itself is logged before it starts: whoever takes the log away is in it.
    audit.audit(db, user, "audit_exported", details={"format": "csv"})
    factory = request.app.state.sessions

    def lines() -> Iterator[str]:
        # A session of its own: the request's is closed before the stream has been read.
        with factory() as session:
            yield from audit.csv_lines(audit.all_entries(session))

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tvaers-audit-log.csv"'},
    )
