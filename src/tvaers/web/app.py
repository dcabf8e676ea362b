"""The application factory: ``create_app(settings)`` builds everything from the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from tvaers import __version__
from tvaers.domains import domains, resolve
from tvaers.web import api_responses, errors, migrate
from tvaers.web.audit_writer import AuditWriter
from tvaers.web.db import make_engine, session_factory
from tvaers.web.forwarded import trusted_proxy_headers
from tvaers.web.page_cache import PageCache
from tvaers.web.results_store import ResultStore
from tvaers.web.security import SecurityHeadersMiddleware, verify_csrf
from tvaers.web.sessions import SessionMiddleware
from tvaers.web.settings import WebSettings
from tvaers.web.templating import make_templates

DESCRIPTION = (
    "Tværs: data og indikatorer for det tværsektorielle sundhedssamarbejde. "
    "Hver HTML-side har en JSON-tvilling på samme sti med `.json` (forsiden: `/index.json`). "
    "Log ind med en formular-POST til `/login`; anmodninger, der ændrer noget, skal have "
    "CSRF-token (felt `csrf_token` eller header `X-CSRF-Token`, se `/login.json`)."
)


class TvaersApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's ServerErrorMiddleware, so even a 500 carries the headers.
        stack = SecurityHeadersMiddleware(super().build_middleware_stack())
        # Outermost: everything inside sees the client and scheme the trusted proxy gave.
        return trusted_proxy_headers(stack, self.state.settings.trusted_proxies)


def create_app(settings: WebSettings) -> FastAPI:
    engine = make_engine(settings.app_db_url)
    if settings.migrate_on_start:
        migrate.upgrade(engine)

    sessions = session_factory(engine)
    # One writer per application: it groups the audit entries of concurrent requests. It
    # has a connection of its own: the requests wait for it while holding theirs, so in
    # their pool it could find none left, and everyone would wait.
    audit_engine = make_engine(settings.app_db_url)
    writer = AuditWriter(session_factory(audit_engine))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        writer.close()
        audit_engine.dispose()
        engine.dispose()

    app = TvaersApp(
        title="Tværs",
        version=__version__,
        description=DESCRIPTION,
        # Swagger UI and ReDoc load their scripts from a CDN: the description is published
        # as /openapi.json only.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(verify_csrf)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.audit = writer
    app.state.templates = make_templates()
    app.state.results = ResultStore(settings.warehouse)
    app.state.page_cache = PageCache()

    app.add_middleware(
        SessionMiddleware,
        secret=settings.secret.get_secret_value(),
        max_age=int(settings.session_hours * 3600),
        secure=settings.cookie_secure,
    )
    errors.install(app)
    app.mount("/static", StaticFiles(packages=[("tvaers.web", "static")]), name="static")
    for domain in domains():
        for router in domain.routers:
            app.include_router(resolve(router))
    api_responses.install(app)
    return app
