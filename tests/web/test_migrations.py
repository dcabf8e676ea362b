"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from tvaers.web import migrate
from tvaers.web.db import make_engine
from tvaers.web.models import Base

TABLES = {
    "users",
    "user_scopes",
    "audit_log",
    "login_attempts",
    "change_history",
    "login_sessions",
    "alembic_version",
    # the governance domain's own branch
    "governance_fora",
    "governance_people",
    "governance_offices",
    "governance_seats",
    "governance_meetings",
    "governance_agenda_items",
    "governance_decisions",
    "governance_unit_memberships",
    # the transfers domain's own branch
    "transfers_cases",
    "transfers_sections",
    "transfers_informed",
    "transfers_steps",
    # the agreements domain's own branch
    "agreements",
    "agreement_status_steps",
    "agreement_items",
    "agreement_initiatives",
    "agreement_targets",
    "agreement_pdsa_cycles",
    "agreement_measurements",
    "agreement_input_rounds",
    "agreement_input_answers",
    # the reports domain's own branch
    "report_packs",
}


def test_upgrade_builds_every_table_and_is_idempotent(fresh_db_url):
    engine = make_engine(fresh_db_url)
    try:
        assert migrate.current(engine) is None
        migrate.upgrade(engine)
        migrate.upgrade(engine)  # a second start changes nothing
        assert migrate.current(engine) == migrate.head()
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_the_models_match_the_migrated_schema(engine):
    # If a model changes without a migration, this lists the difference.
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(fresh_db_url):
    engine = make_engine(fresh_db_url)
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
    finally:
        engine.dispose()


def test_the_app_migrates_on_start(fresh_db_url, settings):
    from tvaers.web.app import create_app

    app = create_app(settings.model_copy(update={"app_db_url": fresh_db_url}))
    try:
        assert migrate.current(app.state.engine) == migrate.head()
    finally:
        app.state.engine.dispose()
