"""The application database as a pack reads it: the registries of the agreement,
initiatives and task-transfer sections.

A pack only reads. It never creates the database and never migrates it: a SQLite file that
does not exist, a server that does not answer or a schema that is not at the newest
revision leaves the registry sections saying their data are absent (with the reason for
the operator), never an error. Only a URL that is not a database URL at all is the
operator's mistake (``BadAppDbUrl``, one line on the command line).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tvaers.i18n import tr


class BadAppDbUrl(Exception):
    """The application database's URL cannot be read (one user-facing line)."""


@dataclass(frozen=True)
class Registries:
    """Sessions on the application database, or why there are none (``unavailable``)."""

    sessions: sessionmaker[Session] | None
    unavailable: str | None = None


def _unavailable(url: str, reason: str) -> Registries:
    from tvaers.web.db import normalise_url

    shown = make_url(normalise_url(url)).render_as_string(hide_password=True)
    return Registries(
        None,
        tr(
            f"applikationsdatabasen {shown} {reason[0]}; afsnittene om sundhedsaftalens mål, "
            "indsatser og opgaveoverdragelser siger, at der ingen data er.",
            f"the application database {shown} {reason[1]}; the sections on the health "
            "agreement's targets, initiatives and task transfers say there are no data.",
        ),
    )


@contextmanager
def registries(url: str | None) -> Iterator[Registries]:
    """The application database at ``url`` for the length of the block, when it exists and
    is migrated to the newest revision."""
    if url is None:
        yield Registries(None)
        return
    from tvaers.web.db import make_engine, normalise_url

    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise BadAppDbUrl(_bad(url)) from None
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if file not in (None, "", ":memory:") and not Path(file).is_file():  # type: ignore[arg-type]
        # Never created by a pack (make_engine would create an empty file).
        yield _unavailable(url, ("findes ikke", "does not exist"))
        return
    try:
        engine: Engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError):
        raise BadAppDbUrl(_bad(url)) from None
    try:
        yield _check(url, engine)
    finally:
        engine.dispose()


def _check(url: str, engine: Engine) -> Registries:
    from tvaers.web import migrate
    from tvaers.web.db import session_factory

    try:
        current = migrate.current_heads(engine)
    except (SQLAlchemyError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return _unavailable(url, (f"kan ikke åbnes ({first})", f"cannot be opened ({first})"))
    if current != migrate.heads():
        return _unavailable(
            url,
            (
                "er ikke opdateret ('tvaers app-db upgrade')",
                "is not migrated ('tvaers app-db upgrade')",
            ),
        )
    return Registries(session_factory(engine))


def _bad(url: str) -> str:
    return tr(
        f"--app-db {url}: ikke en databaseadresse; skriv fx sqlite:///sti/tvaers-app.sqlite "
        "eller postgresql://bruger@vært/database.",
        f"--app-db {url}: not a database URL; write e.g. sqlite:///path/tvaers-app.sqlite or "
        "postgresql://user@host/database.",
    )
