"""The audit log for administrators: read it page by page, choose entries by user, action,
unit and dates, export them as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from tvaers.audit import labels
from tvaers.audit.filters import AuditFilter, audit_filter
from tvaers.roles import ADMINISTERS, role_name
from tvaers.web import audit
from tvaers.web.api_responses import errors
from tvaers.web.deps import Db, require_role
from tvaers.web.models import AuditEntry
from tvaers.web.schemas import AuditDetailRead, AuditEntryRead, AuditPageRead
from tvaers.web.scope import Principal
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_language, translator

router = APIRouter(tags=["admin"])
Admin = Annotated[Principal, Depends(require_role(*ADMINISTERS))]
Filter = Annotated[AuditFilter, Depends(audit_filter)]


def _with_query(path: str, params: dict[str, str | int]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _readable(entry: AuditEntry, lang: str, snapshot: object) -> AuditEntryRead:
    tr = translator(lang)
    return AuditEntryRead.model_validate(
        {
            **audit.as_dict(entry),
            "time": labels.when(entry.at, lang),
            "action_name": labels.action_name(entry.action, tr),
            "unit_names": labels.unit_names(entry, tr, snapshot),  # type: ignore[arg-type]
            "units_text": labels.listed(labels.unit_names(entry, tr, snapshot), tr),  # type: ignore[arg-type]
            "summary": [
                AuditDetailRead(label=d.label, text=d.text)
                for d in labels.details(entry, tr, lang, snapshot)  # type: ignore[arg-type]
            ],
        }
    )


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
    lang = request_language(request)
    tr = translator(lang)
    # Indicator and unit names as the dashboards show them, when results are published.
    snapshot = request.app.state.results.snapshot()
    actions = audit.actions(db)
    data = AuditPageRead(
        total=audit.count(db, where),
        limit=limit,
        offset=offset,
        filters=chosen.chosen(),
        actions=actions,
        action_names={a: labels.action_name(a, tr) for a in actions},
        entries=[_readable(e, lang, snapshot) for e in rows],
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
    context = {
        "user": user,
        "pages": pages,
        "units": list(labels.unit_choices(tr)),
        "role_name": lambda role: role_name(role, tr),
    }
    return respond(request, "audit.html", data, context)


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
