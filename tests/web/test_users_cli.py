"""`tvaers users …`, `tvaers app-db upgrade` and `tvaers serve` as an operator runs them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tvaers.cli import app
from tvaers.users import cli as users_cli
from tvaers.web import migrate
from tvaers.web.models import AuditEntry, User
from tvaers.web.passwords import verify_password

runner = CliRunner()
GOOD = "correct horse battery staple"


def users(app_db_url: str, *args: str, password: str | None = None):
    argv = ["users", *args, "--app-db", app_db_url]
    if password is not None:
        argv.append("--password-stdin")
    return runner.invoke(app, argv, input=None if password is None else password + "\n")


def test_add_then_list(app_db_url, db):
    added = users(
        app_db_url,
        "add",
        "Anna",
        "--role",
        "analyst",
        "--scope",
        "cluster:syddanmark-fyn",
        "--scope",
        "municipality:0540",
        "--name",
        "Anna Hansen",
        password=GOOD,
    )
    assert added.exit_code == 0, added.output
    assert "Bruger anna oprettet (analyst)." in added.output
    user = db.scalars(select(User)).one()
    assert (user.username, user.display_name, user.role) == ("anna", "Anna Hansen", "analyst")
    assert [(s.level, s.unit_code) for s in user.scopes] == [
        ("cluster", "syddanmark-fyn"),
        ("municipality", "540"),
    ]
    assert verify_password(user.password_hash, GOOD)
    listed = users(app_db_url, "list", "--json")
    assert json.loads(listed.output)[0]["scopes"] == ["cluster:syddanmark-fyn", "municipality:540"]
    table = users(app_db_url, "list")
    assert "anna" in table.output and "aktiv" in table.output
    actions = db.scalars(select(AuditEntry.action)).all()
    assert actions == ["user_added"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["add", "anna", "--role", "boss"], "ukendt rolle 'boss'"),
        (["add", "anna", "--role", "viewer", "--scope", "cluster:atlantis"], "ukendt cluster"),
        (["add", "anna", "--role", "viewer", "--scope", "540"], "NIVEAU:KODE"),
        (["add", "Anna Hansen", "--role", "viewer"], "ugyldigt brugernavn"),
        (["disable", "nobody"], "ingen bruger 'nobody'"),
        (["set-password", "nobody"], "ingen bruger 'nobody'"),
    ],
)
def test_clear_danish_errors_and_exit_code_1(app_db_url, args, says):
    asks_password = args[0] in ("add", "set-password")
    result = users(app_db_url, *args, password=GOOD if asks_password else None)
    assert result.exit_code == 1
    assert says in " ".join(result.output.split())


def test_a_weak_password_or_a_taken_name_is_refused(app_db_url, db):
    assert (
        "mindst 12 tegn"
        in users(app_db_url, "add", "anna", "--role", "viewer", password="x").output
    )
    assert users(app_db_url, "add", "anna", "--role", "viewer", password=GOOD).exit_code == 0
    again = users(app_db_url, "add", "ANNA", "--role", "admin", password=GOOD)
    assert again.exit_code == 1 and "findes allerede" in again.output
    assert db.scalar(select(User.role)) == "viewer"


def test_disable_enable_and_set_password(app_db_url, db):
    users(app_db_url, "add", "anna", "--role", "viewer", password=GOOD)
    assert users(app_db_url, "disable", "anna").exit_code == 0
    assert "deaktiveret" in users(app_db_url, "list").output
    assert users(app_db_url, "enable", "anna").exit_code == 0
    changed = users(app_db_url, "set-password", "anna", password="a brand new password")
    assert changed.exit_code == 0, changed.output
    db.expire_all()
    user = db.scalars(select(User)).one()
    assert not user.disabled
    assert verify_password(user.password_hash, "a brand new password")
    assert db.scalars(select(AuditEntry.action)).all() == [
        "user_added",
        "user_disabled",
        "user_enabled",
        "password_set",
    ]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_password_is_asked_twice_at_a_terminal(app_db_url, db, monkeypatch):
    monkeypatch.setattr(users_cli, "_interactive", lambda: True)
    argv = ["users", "add", "anna", "--role", "viewer", "--app-db", app_db_url]
    differ = runner.invoke(app, argv, input=f"{GOOD}\nsomething else\n")
    assert differ.exit_code == 1 and "forskellige" in differ.output
    same = runner.invoke(app, argv, input=f"{GOOD}\n{GOOD}\n")
    assert same.exit_code == 0, same.output
    assert "Adgangskode" in same.output and "Gentag adgangskoden" in same.output
    assert GOOD not in same.output  # not echoed


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_without_a_terminal_the_password_must_come_on_stdin(app_db_url):
    result = runner.invoke(
        app, ["users", "add", "anna", "--role", "viewer", "--app-db", app_db_url]
    )
    assert result.exit_code == 1 and "--password-stdin" in result.output


def test_app_db_upgrade(fresh_db_url):
    first = runner.invoke(app, ["app-db", "upgrade", "--app-db", fresh_db_url])
    assert first.exit_code == 0, first.output
    assert "opdateret fra tom til" in first.output
    second = runner.invoke(app, ["app-db", "upgrade", "--app-db", fresh_db_url])
    # (The terminal may wrap the line: the head of every domain's branch makes it long.)
    assert f"allerede på version {migrate.head()}" in " ".join(second.output.split())


def test_the_default_app_database_lies_beside_the_warehouse(tmp_path):
    warehouse = tmp_path / "data" / "tvaers.duckdb"
    result = runner.invoke(
        app,
        ["users", "add", "anna", "--role", "viewer", "--db", str(warehouse), "--password-stdin"],
        input=GOOD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "tvaers-app.sqlite").exists()


def test_serve_starts_uvicorn_with_the_app(tmp_path, monkeypatch):
    import uvicorn

    started = {}

    def fake_run(application, **options):
        started["app"], started["options"] = application, options

    monkeypatch.setattr(uvicorn, "run", fake_run)
    warehouse = tmp_path / "tvaers.duckdb"
    result = runner.invoke(app, ["serve", "--db", str(warehouse), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert "ingen brugere endnu" in result.output.lower()
    assert started["options"]["host"] == "127.0.0.1" and started["options"]["port"] == 8123
    assert started["app"].state.settings.warehouse == warehouse
    assert (tmp_path / "tvaers-app.sqlite").exists()
    # The hint names the server's own databases: following it makes a user this server has.
    hint = next(line for line in result.output.splitlines() if "users add" in line)
    assert hint.strip() == f"tvaers users add NAVN --role admin --scope country:DK --db {warehouse}"
    command = hint.split()[1:]
    command[2] = "root"
    added = runner.invoke(app, [*command, "--password-stdin"], input=GOOD + "\n")
    assert added.exit_code == 0, added.output
    with started["app"].state.sessions() as session:
        assert session.scalar(select(User.username)) == "root"


def test_history_of_a_user_names_every_change_but_no_password(app_db_url):
    users(
        app_db_url, "add", "anna", "--role", "secretariat", "--scope", "region:1083", password=GOOD
    )
    users(app_db_url, "disable", "anna")
    users(app_db_url, "enable", "anna")
    users(app_db_url, "set-password", "anna", password="a brand new password")
    shown = users(app_db_url, "history", "anna", "--json")
    assert shown.exit_code == 0, shown.output
    entries = json.loads(shown.output)
    assert [(e["action"], e["version"]) for e in entries] == [
        ("create", 1),
        ("update", 2),
        ("update", 3),
        ("update", 4),
    ]
    assert entries[0]["after"]["role"] == "secretariat"
    assert entries[1]["before"] == {"disabled": False} and entries[1]["after"] == {"disabled": True}
    assert list(entries[3]["after"]) == ["password_hash"]
    # Only a fingerprint: neither the password nor its hash is in the history.
    assert entries[3]["after"]["password_hash"].startswith("•")
    assert "argon2" not in shown.output and "brand new" not in shown.output
    table = users(app_db_url, "history", "anna")
    assert table.exit_code == 0 and "Historik for anna" in table.output
    assert users(app_db_url, "history", "nobody").exit_code == 1
