"""What every command on the application database shares (`tvaers users`, `tvaers org
import` and the registry commands, `tvaers app-db`): the --db/--app-db help, one failure
line, the actor the audit log names, and a session on the migrated database.

SQLAlchemy is imported inside ``database`` so that commands that never open the
application database start without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from tvaers.cli_errors import FAILURE, USAGE
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


def fail(message: str, code: int = FAILURE) -> typer.Exit:
    """One literal line on stderr, CPR masked (a file name with "[/]" in it prints as it
    is); raise what it returns."""
    print_safe(err, labelled(tr("Fejl", "Error"), "bold red", message))
    return typer.Exit(code)


def usage_error(message: str) -> typer.Exit:
    """``fail`` for what the caller gave wrong (a file, an option): exit 2."""
    return fail(message, USAGE)


def cli_actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def import_file(
    file: Path,
    db: Path | None,
    app_db: str | None,
    load: Callable[[Session, str, str], Any],
    invalid: type[Exception],
    problems: Callable[[list[str]], str],
) -> None:
    """`import FILE.yaml` of a registry domain: ``load(session, path, actor)`` writes all
    or nothing and returns a summary with ``text()``; a refused file (``invalid``, with
    ``path`` and ``problems``) is one failure (exit 2) listing every problem as
    ``problems`` writes them."""
    with database(db, app_db) as session:
        try:
            summary = load(session, str(file), cli_actor())
        except invalid as exc:
            listed = problems(exc.problems)  # type: ignore[attr-defined]
            where = exc.path  # type: ignore[attr-defined]
            raise usage_error(
                tr(
                    f"{where} er ikke indlæst (intet er ændret){listed}",
                    f"{where} was not loaded (nothing changed){listed}",
                )
            ) from None
    Console().print(tr(f"{file} indlæst. ", f"{file} loaded. ") + summary.text(), highlight=False)


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
