"""Bring the application database to the newest schema, from code (no alembic.ini).

Called on start-up by the app factory, by the users CLI and by `tvaers app-db upgrade`.

The core tables (users, audit log, …) are one branch in ``tvaers.web:migrations``; a domain
with tables of its own keeps its revisions in its own package (``Domain.migrations``) as a
branch labelled with the domain's name that depends on the core. "head" therefore means
every branch's head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from tvaers.domains import domains

SCRIPT_LOCATION = "tvaers.web:migrations"
CORE_VERSIONS = Path(__file__).parent / "migrations" / "versions"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    locations = [str(CORE_VERSIONS)] + [
        str(d.migrations_path) for d in domains() if d.migrations_path is not None
    ]
    # A separator no path contains (the default splits on spaces).
    config.set_main_option("path_separator", "newline")
    config.set_main_option("version_locations", "\n".join(locations))
    return config


def heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(_config()).get_heads())


def head() -> str:
    """The newest revision (several, joined by '+', when domains have branches)."""
    return "+".join(sorted(heads()))


def current_heads(engine: Engine) -> frozenset[str]:
    with engine.connect() as connection:
        return frozenset(MigrationContext.configure(connection).get_current_heads())


def current(engine: Engine) -> str | None:
    found = current_heads(engine)
    return "+".join(sorted(found)) if found else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and current_heads(engine) == heads():
        return  # the common case on every start: nothing to do, no Alembic start-up cost
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads" if revision == "head" else revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
