"""The domain registry: every domain's pages have JSON twins and menu entries with roles;
adding a domain is its own package plus one registry line; the shared registry machinery
(versions, history, audit, field-named errors, the secretariat's scope) works for a domain
written the way a real one is (tests/web/sample_domain)."""

from __future__ import annotations

import pytest
import typer
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select
from typer.testing import CliRunner

from tvaers import domains as registry
from tvaers.cli import add_domain_commands
from tvaers.roles import ROLES
from tvaers.web import migrate
from tvaers.web.app import create_app
from tvaers.web.db import make_engine, session_factory
from tvaers.web.models import AuditEntry, Base, ChangeEntry
from tvaers.web.settings import WebSettings
from tvaers.web.templating import json_path

from .helpers import Accounts, log_in, token

SAMPLE = "tests.web.sample_domain"


def _pages(domain: registry.Domain) -> dict[str, set[str]]:
    """path -> response kinds ("html"/"json") of the domain's GET routes."""
    found: dict[str, set[str]] = {}
    for target in domain.routers:
        for route in registry.resolve(target).routes:
            if isinstance(route, APIRoute) and "GET" in route.methods:
                html = route.response_class is HTMLResponse
                kind = "html" if html else "other"
                found.setdefault(route.path, set()).add(kind)
    return found


def test_every_domain_page_has_a_json_twin_and_every_menu_entry_roles():
    domains = registry.domains()
    assert [d.name for d in domains][:3] == ["warehouse", "synth", "indicators"]
    all_paths: set[str] = set()
    for domain in domains:
        pages = _pages(domain)
        all_paths |= set(pages)
        for path, kinds in pages.items():
            if "html" in kinds:
                assert json_path(path) in pages, f"{domain.name}: {path} has no JSON twin"
        for entry in domain.nav:
            assert entry.roles and entry.roles <= set(ROLES), (domain.name, entry.href)
    menu = {e.href for d in domains for e in d.nav}
    assert menu <= all_paths, f"menu entries without a page: {menu - all_paths}"
    # Who sees what in the menu: the audit log only the admin, suppressed cells not a viewer.
    assert "/admin/audit" not in {e.href for e in registry.nav_entries("secretariat")}
    assert "/suppressed" in {e.href for e in registry.nav_entries("secretariat")}
    assert "/suppressed" not in {e.href for e in registry.nav_entries("viewer")}


@pytest.fixture
def with_sample_domain(monkeypatch):
    """The sample domain added to the registry: one line, as a new domain is added."""
    monkeypatch.setattr(registry, "DOMAIN_PACKAGES", (*registry.DOMAIN_PACKAGES, SAMPLE))
    registry.domains.cache_clear()
    yield
    registry.domains.cache_clear()
    table = Base.metadata.tables.get("sample_notes")
    if table is not None:  # keep the shared metadata as the real schema for other tests
        Base.metadata.remove(table)


@pytest.fixture
def sample_app(with_sample_domain, tmp_path):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    settings = WebSettings(warehouse=tmp_path / "tvaers.duckdb", app_db_url=url, secret="s" * 48)
    app = create_app(settings)
    yield app, session_factory(engine), engine
    app.state.audit.close()
    engine.dispose()


def test_a_new_domain_gets_its_tables_menu_pages_and_commands(sample_app):
    app, sessions, engine = sample_app
    assert "sample_notes" in inspect(engine).get_table_names()
    assert "n001" in migrate.current_heads(engine)  # its own migration branch
    assert {e.href for e in registry.nav_entries("viewer")} >= {"/notes"}
    paths = {getattr(r, "path", None) for r in app.routes} | set(app.openapi()["paths"])
    assert {"/notes", "/notes.json"} <= paths
    cli = typer.Typer()
    add_domain_commands(cli)
    result = CliRunner().invoke(cli, ["notes", "count"])
    assert result.exit_code == 0 and result.output.strip() == "0"
    # The menu on a page shows the domain's entry.
    Accounts(sessions).add("vera", "viewer")
    with TestClient(app) as client:
        log_in(client, "vera")
        page = client.get("/notes")
        assert page.status_code == 200 and 'href="/notes" aria-current="page"' in page.text


def _post(client, path, **form):
    return client.post(path, data={**form, "csrf_token": token(client)}, follow_redirects=False)


def test_registry_edits_keep_history_refuse_stale_saves_and_name_fields(sample_app):
    app, sessions, _ = sample_app
    accounts = Accounts(sessions)
    accounts.add("sekretariat", "secretariat", ("cluster", "syddanmark-sonderjylland"))
    accounts.add("analytiker", "analyst", ("region", "1083"))
    with TestClient(app) as one, TestClient(app) as two:
        log_in(one, "sekretariat")
        log_in(two, "sekretariat")
        # Sønderborg (540) is in the secretariat's cluster; Odense (461) is not.
        assert _post(one, "/notes", unit="municipality:540", title="Dialogmøde").status_code == 303
        outside = _post(one, "/notes", unit="municipality:461", title="Udenfor")
        assert outside.status_code == 403
        note = one.get("/notes.json").json()["notes"][0]
        assert (note["title"], note["version"]) == ("Dialogmøde", 1)

        # Both editors opened version 1; the first save wins, the second is refused.
        assert _post(one, "/notes/1", title="Dialogmøde 2", version="1").status_code == 303
        stale = _post(two, "/notes/1", title="Mit forslag", version="1")
        assert stale.status_code == 409
        assert "En anden har gemt en ny udgave (version 2)" in stale.text
        assert one.get("/notes.json").json()["notes"][0]["title"] == "Dialogmøde 2"

        # A form error names its field, in Danish.
        bad = _post(one, "/notes/1", title="", version="2", meeting_day="31-12-2026")
        assert bad.status_code == 422
        assert "title: skal udfyldes" in bad.text
        assert "meeting_day: skal være en dato (ÅÅÅÅ-MM-DD)" in bad.text

        # An analyst sees the registry but cannot change it.
        log_in(two, "analytiker")
        assert _post(two, "/notes/1", title="Nej", version="2").status_code == 403

    with sessions() as session:
        query = select(ChangeEntry).where(ChangeEntry.entity == "notes.note")
        changes = list(session.scalars(query.order_by(ChangeEntry.id)))
        assert [(c.action, c.version, c.actor) for c in changes] == [
            ("create", 1, "sekretariat"),
            ("update", 2, "sekretariat"),
        ]
        assert changes[1].before == {"title": "Dialogmøde"}
        assert changes[1].after == {"title": "Dialogmøde 2"}
        actions = [a.action for a in session.scalars(select(AuditEntry))]
        assert actions.count("record_created") == 1 and actions.count("record_updated") == 1
