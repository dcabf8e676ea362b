"""Fixtures of the web tests: one application database per test, on SQLite and PostgreSQL.

PostgreSQL is the one at 127.0.0.1:5432 (trust authentication). Each run creates a database
of its own and drops it afterwards, so nobody else's data is touched; the tests share one
migrated schema in it, emptied before each test, and the migration tests get schemas of
their own. Without a server the PostgreSQL cases are skipped with the reason, except in
CI (CI=true), where a missing server is a failure.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.web.agreement_world import agreement_file, write_results
from tests.web.helpers import Accounts, log_in
from tvaers.agreements import loading
from tvaers.web import migrate, passwords
from tvaers.web.app import create_app
from tvaers.web.db import make_engine, session_factory, session_scope
from tvaers.web.settings import WebSettings

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_USERS = ("postgres", "root")


@pytest.fixture(autouse=True)
def _web_environment(monkeypatch, tmp_path):
    # Secrets and the app database in the test's own directory, never in the home directory.
    monkeypatch.setenv("TVAERS_SECRET_FILE", str(tmp_path / "session.secret"))
    for name in ("TVAERS_SECRET", "TVAERS_APP_DB", "TVAERS_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    # RFC 9106's cheapest profile: the same algorithm, milliseconds instead of ~50 ms a hash.
    monkeypatch.setattr(passwords, "hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
    monkeypatch.setattr(passwords, "_DUMMY_HASH", None)


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_admin_connection():
    import psycopg

    errors = []
    for user in PG_USERS:
        try:
            conn = psycopg.connect(
                host=PG_HOST, port=PG_PORT, user=user, dbname="test", connect_timeout=3
            )
        except psycopg.Error as exc:
            errors.append(f"{user}: {exc}".strip())
            continue
        conn.autocommit = True
        return conn, user
    reason = f"no PostgreSQL at {PG_HOST}:{PG_PORT} ({'; '.join(errors)})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must test against PostgreSQL")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A database of this test run; yields its URL (without a schema)."""
    conn, user = _pg_admin_connection()
    name = f"tvaers_web_test_{os.getpid()}_{secrets.token_hex(4)}"
    conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@contextmanager
def _pg_schema(database_url: str) -> Iterator[str]:
    """A new, empty schema; yields a URL whose connections work in it."""
    import psycopg

    schema = f"t_{secrets.token_hex(6)}"
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        # libpq's options: every connection of the app works in the test's schema.
        yield f"{database_url}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="session")
def pg_migrated(pg_database) -> Iterator[str]:
    """One migrated schema for the run, emptied before each test (see app_db_url)."""
    with _pg_schema(pg_database) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url


def _pg_empty(url: str) -> None:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn, conn.transaction():
        # The test owns the tables, so it may lift the append-only triggers for a moment
        # to start the next test from empty; the application can do no such thing.
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
        conn.execute(
            "TRUNCATE users, user_scopes, audit_log, login_attempts, change_history, "
            "login_sessions, "
            "governance_fora, governance_people, governance_offices, governance_seats, "
            "governance_meetings, governance_agenda_items, governance_decisions, "
            "governance_unit_memberships, "
            "transfers_cases, transfers_sections, transfers_informed, transfers_steps, "
            "agreements, agreement_status_steps, agreement_items, agreement_initiatives, "
            "agreement_targets, agreement_pdsa_cycles, agreement_measurements, "
            "agreement_input_rounds, agreement_input_answers, report_packs "
            "RESTART IDENTITY CASCADE"
        )
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test: quicker than migrating each time."""
    path = tmp_path_factory.mktemp("template") / "app.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


# --- one application database per test --------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def app_db_url(backend, tmp_path, request) -> str:
    """An empty, migrated application database for the test."""
    if backend == "sqlite":
        path = tmp_path / "app.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    _pg_empty(url)
    return url


@pytest.fixture
def fresh_db_url(backend, tmp_path, request) -> Iterator[str]:
    """A database with nothing in it, not even the schema (for the migration tests)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    else:
        with _pg_schema(request.getfixturevalue("pg_database")) as url:
            yield url


@pytest.fixture
def engine(app_db_url) -> Iterator[Engine]:
    engine = make_engine(app_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def db(sessions) -> Iterator[Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def settings(app_db_url, tmp_path) -> WebSettings:
    return WebSettings(
        warehouse=tmp_path / "tvaers.duckdb",
        app_db_url=app_db_url,
        secret="s" * 48,
        login_max_failures=5,
        login_window_minutes=15,
    )


@pytest.fixture
def app(settings, engine):
    app = create_app(settings)
    yield app
    app.state.audit.close()  # also when no client ran the application's shutdown


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def accounts(sessions) -> Accounts:
    return Accounts(sessions)


# --- indicator results for the dashboards -------------------------------------------------


@pytest.fixture
def analyst(client, accounts, with_results) -> TestClient:
    """Logged in as an analyst of the Sydvestjylland cluster, with the fixture's results."""
    accounts.add("anna", "analyst", ("cluster", "syddanmark-sydvestjylland"))
    log_in(client, "anna")
    return client


@pytest.fixture
def viewer(client, accounts, with_results) -> TestClient:
    """Logged in as a viewer of Region Syddanmark, with the fixture's results."""
    accounts.add("vera", "viewer", ("region", "1083"))
    log_in(client, "vera")
    return client


@pytest.fixture
def agreement_sessions(settings, sessions, tmp_path):
    """The test agreement (agreement_world.AGREEMENT) loaded, beside results its targets'
    status is computed from; the sessions of that application database."""
    write_results(settings.warehouse)
    with session_scope(sessions) as db:
        loading.load(db, str(agreement_file(tmp_path)), "test")
    return sessions


@pytest.fixture(scope="session")
def results_source(tmp_path_factory) -> Path:
    """A warehouse with computed indicators, built once per run: the generator's test
    fixture (Region Syddanmark, about 2,500 people, 2019–2024), ingested and computed.
    Returns the warehouse path; its result file lies beside it."""
    from typer.testing import CliRunner

    from tvaers.cli import app as cli_app
    from tvaers.indicators.compute import compute
    from tvaers.synth.generate import fixture

    root = tmp_path_factory.mktemp("results")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TVAERS_SECRET_KEY", "5e" * 32)  # synthetic test key, as tests/conftest.py
        mp.setenv("TVAERS_KEY_FILE", str(root / "key"))
        fixture(root / "delivery", person_key="person_id")
        db = root / "tvaers.duckdb"
        result = CliRunner().invoke(cli_app, ["ingest", str(root / "delivery"), "--db", str(db)])
        assert result.exit_code == 0, result.output
        compute(db)
    return db


@pytest.fixture
def with_results(settings, results_source) -> Path:
    """The session's result file, copied beside the test's warehouse; returns its path."""
    from tvaers.indicators.results import results_path

    target = results_path(settings.warehouse)
    shutil.copyfile(results_path(results_source), target)
    return target


@pytest.fixture(scope="session")
def country_results_source(tmp_path_factory) -> Path:
    """A warehouse with computed indicators for the whole country (five regions, so a
    region differs from the country) at a tiny scale: about 2,400 people, 2019–2024, many of
    them in cells small enough to be suppressed. Built once per run (half a minute, mostly
    the computation); returns the warehouse path, its result file beside it."""
    from typer.testing import CliRunner

    from tvaers.cli import app as cli_app
    from tvaers.indicators.compute import compute
    from tvaers.synth.generate import generate

    root = tmp_path_factory.mktemp("country-results")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TVAERS_SECRET_KEY", "5e" * 32)  # synthetic test key, as tests/conftest.py
        mp.setenv("TVAERS_KEY_FILE", str(root / "key"))
        generate(root / "delivery", region="all", scale=0.0004, person_key="person_id")
        db = root / "tvaers.duckdb"
        result = CliRunner().invoke(cli_app, ["ingest", str(root / "delivery"), "--db", str(db)])
        assert result.exit_code == 0, result.output
        compute(db)
    return db
