"""The web application: FastAPI, server-rendered pages with a JSON twin each, login, roles
scoped to organisational units and an append-only audit log.

``create_app`` is imported lazily so that `tvaers --help` and the other commands do not pay
for importing FastAPI and SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from tvaers.domains import CliEntry, Domain

__all__ = ["DOMAIN", "create_app"]

DOMAIN = Domain(
    name="web",
    title_da="Webapplikationen",
    title_en="The web application",
    # Logging in and out, and choosing the language: every page's machinery.
    routers=("tvaers.web.login:router",),
    cli=(
        CliEntry("serve", "tvaers.web.cli:serve_command", group=False),
        CliEntry(
            "app-db",
            "tvaers.web.cli:app_db_app",
            "Applikationsdatabasen (brugere, revisionslog).",
            "The application database (users, audit log).",
        ),
    ),
)


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from tvaers.web.app import create_app

        return create_app
    raise AttributeError(name)
