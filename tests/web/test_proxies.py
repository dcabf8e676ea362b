"""X-Forwarded-For and X-Forwarded-Proto are believed only from the configured proxies:
otherwise a client on the server itself could rotate past the login rate limit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tvaers.web.app import create_app
from tvaers.web.models import AuditEntry
from tvaers.web.settings import WebSettings

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
WRONG = "wrong password!!"


def _client(app, host: str) -> TestClient:
    return TestClient(app, client=(host, 50000))


def _login(client: TestClient, password: str, forwarded_for: str, proto: str | None = None):
    headers = {"X-Forwarded-For": forwarded_for}
    if proto:
        headers["X-Forwarded-Proto"] = proto
    data = {"username": "anna", "password": password}
    data["csrf_token"] = client.get("/login.json", headers=headers).json()["csrf_token"]
    return client.post("/login", data=data, headers=headers, follow_redirects=False)


@SQLITE_ONLY
def test_by_default_a_local_client_cannot_rotate_past_the_rate_limit(app, accounts):
    accounts.add("anna", "viewer")
    with _client(app, "127.0.0.1") as client:
        for n in range(5):
            assert _login(client, WRONG, f"203.0.113.{n}").status_code == 401
        # A new forwarded address each time: still the same client, still blocked.
        assert _login(client, "a long enough password 1", "198.51.100.7").status_code == 429


@SQLITE_ONLY
def test_by_default_a_claimed_https_does_not_make_the_cookie_secure(app, accounts):
    accounts.add("anna", "viewer")
    with _client(app, "127.0.0.1") as client:
        response = _login(client, "a long enough password 1", "203.0.113.9", proto="https")
    assert response.status_code == 303
    assert "secure" not in response.headers["set-cookie"].lower()
    assert "strict-transport-security" not in response.headers


@pytest.fixture
def behind_proxy(settings, engine):
    app = create_app(settings.model_copy(update={"trusted_proxies": ("127.0.0.1/32",)}))
    yield app
    app.state.audit.close()


@SQLITE_ONLY
def test_a_trusted_proxy_names_the_client(behind_proxy, accounts, db):
    accounts.add("anna", "viewer")
    with _client(behind_proxy, "127.0.0.1") as proxy:
        for _ in range(5):
            assert _login(proxy, WRONG, "203.0.113.5").status_code == 401
        assert _login(proxy, "a long enough password 1", "203.0.113.5").status_code == 429
        # Another client behind the same proxy is not blocked by the first one's failures.
        ok = _login(proxy, "a long enough password 1", "203.0.113.6", proto="https")
    assert ok.status_code == 303
    assert "secure" in ok.headers["set-cookie"].lower()
    logged = db.scalar(select(AuditEntry.details).where(AuditEntry.action == "login"))
    assert logged["address"] == "203.0.113.6"


@SQLITE_ONLY
def test_a_client_that_is_not_a_trusted_proxy_is_not_believed(behind_proxy, accounts):
    accounts.add("anna", "viewer")
    with _client(behind_proxy, "192.0.2.44") as client:
        for n in range(5):
            assert _login(client, WRONG, f"203.0.113.{n}").status_code == 401
        assert _login(client, "a long enough password 1", "198.51.100.7").status_code == 429


def test_the_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("TVAERS_SECRET", "e" * 40)
    assert WebSettings.from_env().trusted_proxies == ()
    monkeypatch.setenv("TVAERS_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ,::1")
    assert WebSettings.from_env().trusted_proxies == ("127.0.0.1/32", "10.0.0.0/8", "::1/128")
    monkeypatch.setenv("TVAERS_TRUSTED_PROXIES", "127.0.0.1,proxy.example")
    with pytest.raises(ValueError, match=r"TVAERS_TRUSTED_PROXIES: 'proxy\.example'"):
        WebSettings.from_env()


def test_serve_leaves_the_forwarding_headers_to_the_application(tmp_path, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from tvaers.cli import app as cli_app

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **options: started.update(options))
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 0, result.output
    assert started["proxy_headers"] is False
