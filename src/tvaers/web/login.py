"""Logging in and out, and choosing the language."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from tvaers.users import service as users
from tvaers.web import ratelimit
from tvaers.web.api_responses import HTML, errors
from tvaers.web.audit import audit
from tvaers.web.deps import Db, OptionalUser, log_in, log_out
from tvaers.web.schemas import LoginRead
from tvaers.web.security import csrf_token, new_csrf_token
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import LANGUAGES, request_tr

router = APIRouter(tags=["login"])


def safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would make the login page a phishing aid."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _address(request: Request) -> str:
    return (request.client.host if request.client else "unknown")[:64]


def _login_page(
    request: Request,
    user_name: str | None,
    *,
    message: str | None = None,
    next_url: str = "/",
    entered: str = "",
    status_code: int = 200,
) -> Response:
    data = LoginRead(
        authenticated=user_name is not None,
        username=user_name,
        csrf_token=csrf_token(request),
        fields=["username", "password", "next", "csrf_token"],
        message=message,
    )
    context = {"next_url": safe_next(next_url), "entered": entered}
    return respond(request, "login.html", data, context, status_code=status_code)


@page_routes(
    router,
    "/login",
    name="login",
    model=LoginRead,
    summary="Log ind",
    errors=(422,),
    page_only=(303,),  # already logged in: on to the page asked for
)
def login_page(
    request: Request,
    user: OptionalUser,
    next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/",
) -> Response:
    if user is not None and not request.url.path.endswith(".json"):
        return RedirectResponse(safe_next(next_url), status_code=303)
    return _login_page(request, user.username if user else None, next_url=next_url)


@router.post(
    "/login",
    summary="Log ind (formular)",
    status_code=303,
    response_class=RedirectResponse,
    # A wrong password or too many attempts: the login page again, with the message.
    responses=errors(401, 429, content=HTML) | errors(403, 422),
)
def login(
    request: Request,
    db: Db,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    next_url: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    settings = request.app.state.settings
    tr = request_tr(request)
    name = username.strip().lower()[:64]
    address = _address(request)
    if ratelimit.is_blocked(
        db,
        name,
        address,
        max_failures=settings.login_max_failures,
        window_minutes=settings.login_window_minutes,
    ):
        audit(db, None, "login_blocked", details={"username": name, "address": address})
        minutes = settings.login_window_minutes
        response = _login_page(
            request,
            None,
            message=tr(
                f"For mange mislykkede forsøg på at logge ind. Vent {minutes} minutter, "
                "og prøv igen.",
                f"Too many failed attempts to log in. Wait {minutes} minutes and try again.",
            ),
            next_url=next_url,
            entered=name,
            status_code=429,
        )
        response.headers["Retry-After"] = str(minutes * 60)
        return response
    user = users.authenticate(db, name, password)
    ratelimit.record(db, name, address, succeeded=user is not None)
    if user is None:
        db.commit()
        return _login_page(
            request,
            None,
            message=tr("Forkert brugernavn eller adgangskode.", "Wrong user name or password."),
            next_url=next_url,
            entered=name,
            status_code=401,
        )
    log_in(request, db, user)
    new_csrf_token(request)
    audit(db, users.principal(user), "login", details={"address": address})
    return RedirectResponse(safe_next(next_url), status_code=303)


@router.post(
    "/logout",
    summary="Log ud",
    status_code=303,
    response_class=RedirectResponse,
    responses=errors(403),
)
def logout(request: Request, db: Db, user: OptionalUser) -> Response:
    if user is not None:
        audit(db, user, "logout", details={"address": _address(request)})
    log_out(request, db)
    return RedirectResponse("/login", status_code=303)


@router.post(
    "/language",
    summary="Vælg sprog",
    status_code=303,
    response_class=RedirectResponse,
    responses=errors(403, 422),
)
def choose_language(
    request: Request,
    lang: Annotated[Literal["da", "en"], Form()],  # the keys of texts.LANGUAGES
    next_url: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    if lang in LANGUAGES:
        request.session["lang"] = lang
    return RedirectResponse(safe_next(next_url), status_code=303)
