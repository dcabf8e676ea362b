"""Alembic environment: run by tvaers.web.migrate with a connection handed over in
``config.attributes["connection"]`` (no alembic.ini, no logging set-up of its own)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from tvaers.domains import load_models
from tvaers.web.db import make_engine
from tvaers.web.models import Base

load_models()  # every domain's tables, for autogenerate (`alembic revision --autogenerate`)

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
