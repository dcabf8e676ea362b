"""An application database made before the governance registry existed gets its tables on
the next start, and keeps its users; downgrading the branch removes only its tables."""

from __future__ import annotations

from sqlalchemy import inspect

from tvaers.users.service import add_user, list_users
from tvaers.web import migrate
from tvaers.web.db import make_engine, session_factory, session_scope


def test_an_older_database_gains_the_registry_tables(fresh_db_url):
    engine = make_engine(fresh_db_url)
    try:
        migrate.upgrade(engine, "0004")  # the core schema alone, without this branch
        with session_scope(session_factory(engine)) as db:
            add_user(db, "vera", role="viewer", password="a long enough password 1")
        assert not any(t.startswith("governance_") for t in inspect(engine).get_table_names())
        migrate.upgrade(engine)
        assert migrate.current_heads(engine) == migrate.heads()
        assert {"0004", "g001"} <= migrate.heads()  # the core and this branch (and others')
        assert "governance_seats" in inspect(engine).get_table_names()
        with session_scope(session_factory(engine)) as db:
            assert [u.username for u in list_users(db)] == ["vera"]
        migrate.downgrade(engine, "governance@base")
        tables = inspect(engine).get_table_names()
        assert not any(t.startswith("governance_") for t in tables) and "users" in tables
    finally:
        engine.dispose()
