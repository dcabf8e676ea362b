"""Logging in and out, sessions, CSRF and the login rate limit — on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from tests.web.helpers import PASSWORD, log_in, token
from tvaers.users.service import set_disabled, set_password
from tvaers.web.app import create_app
from tvaers.web.db import session_scope
from tvaers.web.models import AuditEntry
from tvaers.web.sessions import COOKIE_NAME

# HTTP behaviour that does not depend on the database runs on SQLite only (the suite must
# stay fast); what reads or writes the database runs on both.
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _set_cookie(response) -> SimpleCookie:
    cookie = SimpleCookie()
    cookie.load(response.headers["set-cookie"])
    return cookie


def _flags(response) -> set[str]:
    header = response.headers["set-cookie"]
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


# --- logging in --------------------------------------------------------------------------


def test_login_with_the_right_password_opens_the_home_page(client, accounts, db):
    accounts.add("anna", "analyst", ("cluster", "syddanmark-sydvestjylland"))
    response = log_in(client, "Anna")  # user names are not case-sensitive
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Anna" in home.text and "Analytiker" in home.text
    assert "Sundhedsklynge Sydvestjylland" in home.text
    assert client.get("/index.json").json()["user"]["username"] == "anna"
    logged = db.scalars(select(AuditEntry).where(AuditEntry.action == "login")).all()
    assert [(e.actor, e.role) for e in logged] == [("anna", "analyst")]


@SQLITE_ONLY
def test_login_returns_to_the_page_asked_for(client, accounts):
    accounts.add("adm", "admin", ("country", "DK"))
    first = client.get("/admin/audit", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=/admin/audit"
    response = log_in(client, "adm", next="/admin/audit")
    assert response.headers["location"] == "/admin/audit"


@SQLITE_ONLY
@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_login_never_redirects_off_the_site(client, accounts, target):
    accounts.add("anna", "viewer")
    assert log_in(client, "anna", next=target).headers["location"] == "/"


def test_a_wrong_password_or_unknown_user_says_the_same_in_danish(client, accounts):
    accounts.add("anna", "viewer")
    wrong = log_in(client, "anna", "not the password at all")
    unknown = log_in(client, "nobody", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Forkert brugernavn eller adgangskode." in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_disabled_user_cannot_log_in_and_is_logged_out_at_once(client, accounts, sessions):
    accounts.add("anna", "viewer")
    assert log_in(client, "anna").status_code == 303
    assert client.get("/index.json").status_code == 200
    with session_scope(sessions) as s:
        set_disabled(s, "anna")
    assert client.get("/index.json").status_code == 401
    assert log_in(client, "anna").status_code == 401


def test_a_new_password_ends_the_old_sessions(client, accounts, sessions):
    accounts.add("anna", "viewer")
    log_in(client, "anna")
    with session_scope(sessions) as s:
        set_password(s, "anna", "another good password 2")
    assert client.get("/index.json").status_code == 401
    assert log_in(client, "anna", "another good password 2").status_code == 303


def test_logout_ends_the_session_and_is_audited(client, accounts, db):
    accounts.add("anna", "viewer")
    log_in(client, "anna")
    response = client.post("/logout", data={"csrf_token": token(client)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/index.json").status_code == 401
    assert db.scalar(select(AuditEntry.actor).where(AuditEntry.action == "logout")) == "anna"


@SQLITE_ONLY
def test_json_pages_answer_401_and_html_pages_redirect_when_logged_out(client):
    assert client.get("/index.json").status_code == 401
    assert client.get("/index.json").json()["detail"] == "Log ind først"
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/"


# --- session cookie ----------------------------------------------------------------------


@SQLITE_ONLY
def test_the_session_cookie_is_signed_httponly_and_samesite_lax(client, accounts, settings):
    accounts.add("anna", "viewer")
    response = log_in(client, "anna")
    flags = _flags(response)
    assert {"httponly", "samesite", "path", "max-age"} <= flags
    assert "samesite=lax" in response.headers["set-cookie"].lower()
    assert "secure" not in flags  # plain http (the test server): a Secure cookie would be lost
    morsel = _set_cookie(response)[COOKIE_NAME]
    assert int(morsel["max-age"]) == int(settings.session_hours * 3600)
    assert PASSWORD not in morsel.value


@SQLITE_ONLY
def test_the_session_cookie_is_secure_over_https(app, accounts):
    accounts.add("anna", "viewer")
    with TestClient(app, base_url="https://testserver") as secure_client:
        response = log_in(secure_client, "anna")
        assert "secure" in _flags(response)
        assert response.headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("mode", "base", "secure"), [("always", "http", True), ("never", "https", False)]
)
def test_the_secure_flag_can_be_forced(settings, engine, accounts, mode, base, secure):
    app = create_app(settings.model_copy(update={"cookie_secure": mode}))
    accounts.add("anna", "viewer")
    with TestClient(app, base_url=f"{base}://testserver") as c:
        assert ("secure" in _flags(log_in(c, "anna"))) is secure


@SQLITE_ONLY
def test_a_tampered_session_cookie_counts_as_logged_out(client, accounts):
    accounts.add("anna", "viewer")
    accounts.add("bo", "admin", ("country", "DK"))  # id 2, whom the forger wants to be
    log_in(client, "anna")
    _payload, timestamp, signature = client.cookies[COOKIE_NAME].rsplit(".", 2)
    forged = base64.b64encode(b'{"uid": 2}').decode()  # someone else's id, old signature
    client.cookies.clear()
    client.cookies.set(COOKIE_NAME, f"{forged}.{timestamp}.{signature}")
    assert client.get("/index.json").status_code == 401


@SQLITE_ONLY
def test_a_cookie_signed_with_another_secret_is_refused(app, settings, engine, accounts):
    accounts.add("anna", "viewer")
    with TestClient(app) as c:
        log_in(c, "anna")
        stolen = c.cookies[COOKIE_NAME]
        assert c.get("/index.json").status_code == 200
    other = create_app(settings.model_copy(update={"secret": SecretStr("t" * 48)}))
    with TestClient(other) as c:
        c.cookies.set(COOKIE_NAME, stolen)
        assert c.get("/index.json").status_code == 401


# --- CSRF --------------------------------------------------------------------------------


@SQLITE_ONLY
def test_a_post_without_csrf_token_is_refused_with_403(client, accounts):
    accounts.add("anna", "viewer")
    response = client.post("/login", data={"username": "anna", "password": PASSWORD})
    assert response.status_code == 403
    assert "Formularen er udløbet" in response.text
    assert client.get("/index.json").status_code == 401


@SQLITE_ONLY
def test_a_wrong_or_foreign_csrf_token_is_refused(client, app, accounts):
    accounts.add("anna", "viewer")
    with TestClient(app) as other:
        foreign = token(other)
    token(client)  # the client has a session with a token of its own
    for bad in ("", "x" * 43, foreign):
        response = client.post(
            "/login", data={"username": "anna", "password": PASSWORD, "csrf_token": bad}
        )
        assert response.status_code == 403


@SQLITE_ONLY
def test_logout_and_language_need_the_token_too(client, accounts):
    accounts.add("anna", "viewer")
    log_in(client, "anna")
    assert client.post("/logout").status_code == 403
    assert client.post("/language", data={"lang": "en"}).status_code == 403
    assert client.get("/index.json").status_code == 200  # still logged in


@SQLITE_ONLY
def test_the_token_may_come_in_a_header_as_htmx_sends_it(client, accounts):
    accounts.add("anna", "viewer")
    log_in(client, "anna")
    response = client.post(
        "/logout", headers={"X-CSRF-Token": token(client)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get("/index.json").status_code == 401


@SQLITE_ONLY
def test_the_token_changes_at_login(client, accounts):
    accounts.add("anna", "viewer")
    before = token(client)
    log_in(client, "anna")
    assert token(client) != before


@SQLITE_ONLY
def test_a_csrf_refusal_from_a_json_client_is_json(client):
    response = client.post("/logout", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert response.json()["status"] == 403


# --- rate limit --------------------------------------------------------------------------


def test_five_failures_block_the_next_login_with_429_in_danish(client, accounts, db):
    accounts.add("anna", "viewer")
    for _ in range(5):
        assert log_in(client, "anna", "wrong password!!").status_code == 401
    blocked = log_in(client, "anna")  # even the right password
    assert blocked.status_code == 429
    assert "For mange mislykkede forsøg" in blocked.text
    assert int(blocked.headers["retry-after"]) == 15 * 60
    assert client.get("/index.json").status_code == 401
    actions = db.scalars(select(AuditEntry.action)).all()
    assert "login_blocked" in actions


def test_the_limit_is_per_user_name(client, accounts):
    accounts.add("anna", "viewer")
    accounts.add("bo", "viewer")
    for _ in range(5):
        log_in(client, "anna", "wrong password!!")
    assert log_in(client, "anna").status_code == 429
    assert log_in(client, "bo").status_code == 303


def test_a_success_resets_the_count(client, accounts):
    accounts.add("anna", "viewer")
    for _ in range(4):
        log_in(client, "anna", "wrong password!!")
    assert log_in(client, "anna").status_code == 303
    client.post("/logout", data={"csrf_token": token(client)})
    for _ in range(4):
        log_in(client, "anna", "wrong password!!")
    assert log_in(client, "anna").status_code == 303


# --- language ----------------------------------------------------------------------------


@SQLITE_ONLY
def test_the_language_choice_is_kept_in_the_session(client, accounts):
    accounts.add("anna", "viewer")
    page = client.get("/login")
    assert '<html lang="da">' in page.text and "Log ind" in page.text
    response = client.post(
        "/language",
        data={"lang": "en", "next": "/login", "csrf_token": token(client)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/login"
    page = client.get("/login")
    assert '<html lang="en">' in page.text and "Log in" in page.text
    log_in(client, "anna")
    assert "Viewer" in client.get("/").text  # the choice survives logging in
