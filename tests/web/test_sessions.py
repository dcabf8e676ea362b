"""Logins kept in the application database: logging out, a new password and disabling the
user end the login for every copy of the cookie — on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from tests.web.helpers import log_in, token
from tvaers.cli import app as cli_app
from tvaers.web.db import session_scope
from tvaers.web.models import LoginSession, utcnow
from tvaers.web.sessions import COOKIE_NAME

runner = CliRunner()


def _copy(app, cookie: str) -> TestClient:
    """A second browser holding a copy of the cookie (as a thief would)."""
    other = TestClient(app)
    other.cookies.set(COOKIE_NAME, cookie)
    return other


def _logged_in(app, accounts, name: str = "anna") -> tuple[TestClient, str]:
    accounts.add(name, "viewer")
    client = TestClient(app)
    assert log_in(client, name).status_code == 303
    return client, client.cookies[COOKIE_NAME]


def _users_cli(app_db_url: str, *args: str, stdin: str | None = None):
    argv = ["users", *args, "--app-db", app_db_url]
    if stdin is not None:
        argv.append("--password-stdin")
    result = runner.invoke(cli_app, argv, input=None if stdin is None else stdin + "\n")
    assert result.exit_code == 0, result.output
    return result


def test_a_cookie_copied_before_logout_is_refused_after_it(app, accounts):
    client, cookie = _logged_in(app, accounts)
    with _copy(app, cookie) as thief:
        assert thief.get("/index.json").status_code == 200  # the copy works while logged in
        response = client.post("/logout", data={"csrf_token": token(client)})
        assert response.status_code == 200  # followed to the login page
        assert thief.get("/index.json").status_code == 401
        assert thief.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
    # The browser that logged out replays its own old cookie: refused as well.
    with _copy(app, cookie) as replay:
        assert replay.get("/index.json").status_code == 401


def test_a_new_password_from_the_cli_ends_every_copy(app, accounts, app_db_url):
    client, cookie = _logged_in(app, accounts)
    with _copy(app, cookie) as thief:
        assert thief.get("/index.json").status_code == 200
        _users_cli(app_db_url, "set-password", "anna", stdin="another good password 2")
        assert thief.get("/index.json").status_code == 401
        assert client.get("/index.json").status_code == 401
    assert log_in(client, "anna", "another good password 2").status_code == 303


def test_disabling_from_the_cli_ends_every_copy_and_enabling_does_not_revive_it(
    app, accounts, app_db_url
):
    client, cookie = _logged_in(app, accounts)
    _users_cli(app_db_url, "disable", "anna")
    with _copy(app, cookie) as thief:
        assert thief.get("/index.json").status_code == 401
    _users_cli(app_db_url, "enable", "anna")
    with _copy(app, cookie) as thief:
        assert thief.get("/index.json").status_code == 401  # the old login stays ended
    assert log_in(client, "anna").status_code == 303


def test_logging_out_on_one_device_leaves_the_other_logged_in(app, accounts):
    accounts.add("anna", "viewer")
    with TestClient(app) as laptop, TestClient(app) as phone:
        log_in(laptop, "anna")
        log_in(phone, "anna")
        laptop.post("/logout", data={"csrf_token": token(laptop)})
        assert laptop.get("/index.json").status_code == 401
        assert phone.get("/index.json").status_code == 200


def test_a_login_ends_when_it_expires_in_the_database(app, accounts, sessions):
    client, _cookie = _logged_in(app, accounts)
    assert client.get("/index.json").status_code == 200
    with session_scope(sessions) as db:
        db.execute(update(LoginSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/index.json").status_code == 401


def test_expired_logins_are_cleared_at_the_next_login(app, accounts, sessions):
    _logged_in(app, accounts, "anna")
    with session_scope(sessions) as db:
        db.execute(update(LoginSession).values(expires_at=utcnow() - timedelta(hours=1)))
    _logged_in(app, accounts, "bo")
    with sessions() as db:
        assert len(db.scalars(select(LoginSession)).all()) == 1


def test_the_database_keeps_a_hash_of_the_token_not_the_token(app, accounts, sessions, settings):
    _client, cookie = _logged_in(app, accounts)
    payload = json.loads(base64.b64decode(cookie.rsplit(".", 2)[0]))
    with sessions() as db:
        row = db.scalars(select(LoginSession)).one()
    assert row.token_hash == hashlib.sha256(payload["sid"].encode()).hexdigest()
    assert payload["sid"] not in row.token_hash
    lasts = row.expires_at - row.created_at
    assert lasts == timedelta(hours=settings.session_hours)


def test_a_second_login_in_the_same_browser_replaces_the_first(app, accounts, sessions):
    client, first = _logged_in(app, accounts)
    assert log_in(client, "anna").status_code == 303
    with _copy(app, first) as old:
        assert old.get("/index.json").status_code == 401
    assert client.get("/index.json").status_code == 200
    with sessions() as db:
        assert len(db.scalars(select(LoginSession)).all()) == 1
