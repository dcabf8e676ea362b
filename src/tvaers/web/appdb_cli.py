"""What every command on the application database shares (`tvaers users`, `tvaers org
import` and the registry commands, `tvaers app-db`): the --db/--app-db help, one failure
line, the actor the audit log names, and a session on the migrated database.

SQLAlchemy is imported inside ``database`` so that commands that never open the
application database start without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from tvaers.i18n import tr
from tvaers.safe_text import labelled, print_safe

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

err = Console(stderr=True)

DB_HELP = (
    "Lagerfilen (DuckDB). Applikationsdatabasen ligger som standard ved siden af den. "
    "Standard: $TVAERS_DB eller ./tvaers.duckdb."
)
APP_DB_HELP = (
    "Applikationsdatabasens URL, fx sqlite:///sti/tvaers-app.sqlite eller "
    "postgresql://bruger@vært/database. Standard: $TVAERS_APP_DB eller en SQLite-fil ved lageret."
)


def fail(message: str) -> typer.Exit:
    print_safe(err, labelled(tr("Fejl", "Error"), "bold red", message))
    return typer.Exit(1)


def cli_actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@contextmanager
def database(db: Path | None, app_db: str | None) -> Iterator[Session]:
    """A session on the (migrated) application database, committed at the end."""
    from sqlalchemy.exc import SQLAlchemyError

    from tvaers.web import migrate
    from tvaers.web.db import make_engine, session_factory, session_scope
    from tvaers.web.settings import app_db_url

    url = app_db_url(db, app_db)
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
    except (SQLAlchemyError, OSError) as exc:
        raise fail(
            tr(
                f"kan ikke åbne applikationsdatabasen: {exc}",
                f"cannot open the application database: {exc}",
            )
        ) from None
    try:
        with session_scope(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()
