"""The web application: FastAPI, server-rendered pages with a JSON twin each, login, roles
scoped to organisational units and an append-only audit log.

``create_app`` is imported lazily so that `tvaers --help` and the other commands do not pay
for importing FastAPI and SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from tvaers.web.app import create_app

        return create_app
    raise AttributeError(name)
