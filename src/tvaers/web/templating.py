"""Rendering: Jinja2 templates for HTML, the same data as JSON for each page's twin.

A page is one endpoint registered at two paths, ``/x`` and ``/x.json`` (``/`` has
``/index.json``); it builds a Pydantic model and ``respond()`` renders it as HTML or JSON
by the path it was called at, so the two can never show different data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic import BaseModel

from tvaers import __version__
from tvaers.domains import domains, nav_entries
from tvaers.formatting import local_datetime
from tvaers.web import api_responses, labels
from tvaers.web.security import csrf_token
from tvaers.web.texts import LANGUAGES, request_language, translator

JSON_SUFFIX = ".json"


def make_templates() -> Jinja2Templates:
    # The shared templates first (base.html, macros), then each domain's own directory.
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("tvaers.web", "templates")]
    loaders += [jinja2.FileSystemLoader(d.templates_path) for d in domains() if d.templates_path]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the tests, not silently
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def json_path(path: str) -> str:
    return "/index.json" if path == "/" else path + JSON_SUFFIX


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.endswith(JSON_SUFFIX) or path.startswith("/api/") or path == "/openapi.json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def html_path(request: Request) -> str:
    path = request.url.path
    if path == "/index.json":
        return "/"
    return path.removesuffix(JSON_SUFFIX)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    page = page_context(request, context)
    return request.app.state.templates.TemplateResponse(
        request, template, page, status_code=status_code
    )


def render_fragment(request: Request, template: str, context: dict[str, Any]) -> Markup:
    """A part of a page rendered on its own (so it can be cached and reused)."""
    page = page_context(request, context)
    env = request.app.state.templates.env
    return Markup(env.get_template(template).render({"request": request, **page}))


def page_context(request: Request, context: dict[str, Any] | None) -> dict[str, Any]:
    language = request_language(request)
    tr = translator(language)
    page: dict[str, Any] = {
        "tr": tr,
        "lang": language,
        "other_languages": {k: v for k, v in LANGUAGES.items() if k != language},
        "csrf": csrf_token(request),
        "user": None,
        "json_url": None,
        "here": request.url.path,
        # Where the language and logout forms return to: the page with its choices.
        "return_to": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "version": __version__,
        "nav_entries": nav_entries,
        # a stored ISO time as people read it, in Danish time
        "when": lambda iso: local_datetime(datetime.fromisoformat(iso), language),
        # formatting and names for the dashboards (tvaers.web.labels)
        "number": labels.number,
        "decimals_for": labels.decimals_for,
        "level_name": labels.level_name,
        "level_plural": labels.level_plural,
        "period_type_name": labels.period_type_name,
        "direction_name": labels.direction_name,
        "stratum_name": lambda indicator, stratum: labels.stratum_names(
            getattr(request.state, "snapshot", None)
        ).name(indicator, stratum, tr),
    }
    page.update(context or {})
    return page


def respond(
    request: Request,
    template: str,
    data: BaseModel,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """``data`` as JSON at ``/x.json``, else as the HTML page ``template`` shows it."""
    if request.url.path.endswith(JSON_SUFFIX):
        return JSONResponse(data.model_dump(mode="json"), status_code=status_code)
    page = {"data": data, "json_url": json_path(request.url.path)}
    page.update(context or {})
    return render(request, template, page, status_code)


def page_routes(
    router: APIRouter,
    path: str,
    *,
    name: str,
    model: type[BaseModel],
    summary: str,
    errors: Sequence[int] = (),
    page_only: Sequence[int] = (),
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Register one endpoint as the HTML page at ``path`` and its JSON twin. ``errors``: the
    statuses besides 200 that the endpoint answers (see api_responses); a page that needs a
    login answers 401 to JSON and sends a browser to the login page (303); ``page_only``:
    statuses only the HTML page answers."""
    page_errors = sorted({*errors, *page_only, *((303,) if 401 in errors else ())})

    def register(endpoint: Callable[..., Response]) -> Callable[..., Response]:
        # The twin first: a path parameter matches "x.json" too, and the first route wins.
        router.add_api_route(
            json_path(path),
            endpoint,
            methods=["GET"],
            name=f"{name}_json",
            summary=f"{summary} (JSON)",
            response_class=JSONResponse,
            responses={200: {"model": model}, **api_responses.errors(*errors)},
        )
        router.add_api_route(
            path,
            endpoint,
            methods=["GET"],
            name=name,
            summary=summary,
            response_class=HTMLResponse,
            responses=api_responses.errors(*page_errors),
        )
        return endpoint

    return register
