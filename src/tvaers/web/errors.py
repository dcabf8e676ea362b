"""Error responses: an HTML page in the user's language, or JSON for the JSON twins."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from tvaers.web import dates
from tvaers.web.audit_writer import AuditWriteFailed
from tvaers.web.deps import LoginRequired
from tvaers.web.forms import FormInvalid
from tvaers.web.records import StaleEdit
from tvaers.web.security import CsrfRejected
from tvaers.web.templating import render, wants_json
from tvaers.web.texts import request_tr

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


def _titles(request: Request) -> dict[int, str]:
    tr = request_tr(request)
    return {
        400: tr("Ugyldig forespørgsel", "Bad request"),
        401: tr("Log ind først", "Please log in"),
        403: tr("Ingen adgang", "Access denied"),
        404: tr("Siden findes ikke", "Page not found"),
        405: tr("Metoden er ikke tilladt", "Method not allowed"),
        409: tr("Ændret af en anden", "Changed by someone else"),
        422: tr("Ugyldige værdier", "Invalid values"),
        429: tr("For mange forsøg", "Too many attempts"),
        503: tr("Siden kan ikke vises lige nu", "The page cannot be shown right now"),
    }


def error_response(request: Request, status: int, detail: str | None = None) -> Response:
    title = _titles(request).get(status, request_tr(request)("Fejl", "Error"))
    if wants_json(request):
        return JSONResponse({"status": status, "detail": detail or title}, status_code=status)
    context = {"status": status, "title": title, "detail": detail}
    return render(request, "error.html", context, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Starlette's own texts ("Not Found") are English; ours replace them.
        detail = (
            exc.detail if isinstance(exc.detail, str) and exc.status_code in (403, 409) else None
        )
        response = error_response(request, exc.status_code, detail)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        allowed = allowed_methods(request) if exc.status_code == 405 else None
        if allowed:
            response.headers["Allow"] = allowed
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # Each field that is wrong: where (loc), what (msg) and the rule (type), as the
        # OpenAPI description publishes it (ValidationErrorRead); a page says it in a line.
        errors = [field_error(request, e) for e in exc.errors()]
        if wants_json(request):
            return JSONResponse({"status": 422, "detail": errors}, status_code=422)
        # "until", or "level.0" for the first of a repeated parameter
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}"
            for e in errors
            if e["loc"]
        )
        return error_response(request, 422, where or None)

    @app.exception_handler(FormInvalid)
    async def invalid_form(request: Request, exc: FormInvalid) -> Response:
        # Registry pages catch this themselves to show the form again with the input; this
        # answers the JSON twins and any page that does not.
        if wants_json(request):
            return JSONResponse(exc.as_json(422), status_code=422)
        return error_response(request, 422, str(exc))

    @app.exception_handler(StaleEdit)
    async def stale_edit(request: Request, exc: StaleEdit) -> Response:
        message = exc.message(request_tr(request))
        if wants_json(request):
            return JSONResponse({"status": 409, "detail": message}, status_code=409)
        return error_response(request, 409, message)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            return error_response(request, 401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    app.add_exception_handler(
        CsrfRejected,
        _explained(
            403,
            "Formularen er udløbet eller kom ikke fra Tværs. Genindlæs siden og prøv igen.",
            "The form has expired or did not come from Tværs. Reload the page and try again.",
        ),
    )
    # Figures whose access could not be audited are not shown: the request fails whole.
    app.add_exception_handler(
        AuditWriteFailed,
        _explained(
            503,
            "Adgangen kunne ikke skrives i revisionsloggen, så tallene vises ikke. "
            "Prøv igen om lidt; sker det igen, så kontakt driften.",
            "The access could not be written to the audit log, so the figures are not "
            "shown. Try again shortly; if it happens again, contact the operators.",
        ),
    )


def allowed_methods(request: Request) -> str | None:
    """Every method the path answers, or None for a mounted app (static files answer for
    themselves). Starlette names only those of the first route that matches the path, so
    at /login (GET page, POST form) a wrong method was told GET only."""
    routes = [r for r in request.app.router.routes if not isinstance(r, Mount)]
    allowed = [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)
    ]
    return ", ".join(allowed) or None


def field_error(request: Request, error: Any) -> dict[str, Any]:
    """One entry of a 422 body; Tværs' own rules are explained in the user's language."""
    kind = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    if kind == dates.ERROR_TYPE:
        ctx = error.get("ctx") or {}
        message = request_tr(request)(
            f"ikke en dag skrevet ÅÅÅÅ-MM-DD fra {ctx.get('first')} til {ctx.get('last')}: "
            f"{ctx.get('value')}",
            message,
        )
    return {
        "loc": [str(p) if not isinstance(p, int) else p for p in error.get("loc", ())],
        "msg": message,
        "type": kind,
    }


def _explained(
    status: int, da: str, en: str
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """A handler answering ``status`` with a sentence in the user's language."""

    async def handler(request: Request, exc: Exception) -> Response:
        return error_response(request, status, request_tr(request)(da, en))

    return handler
