"""Settings from the environment: the app database beside the warehouse, the session secret
generated into a private file, every variable documented."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tvaers.web.secret import SecretFileError, load_or_create_secret
from tvaers.web.settings import ENVIRONMENT, WebSettings, app_db_url

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_database_lies_beside_the_warehouse(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert app_db_url(Path("data/w.duckdb")) == f"sqlite:///{tmp_path}/data/tvaers-app.sqlite"
    monkeypatch.setenv("TVAERS_DB", str(tmp_path / "elsewhere" / "x.duckdb"))
    assert app_db_url() == f"sqlite:///{tmp_path}/elsewhere/tvaers-app.sqlite"


def test_an_explicit_url_wins(monkeypatch):
    monkeypatch.setenv("TVAERS_APP_DB", "postgresql://tvaers@db/tvaers")
    assert app_db_url(Path("w.duckdb")) == "postgresql://tvaers@db/tvaers"
    assert app_db_url(Path("w.duckdb"), "sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_the_secret_is_generated_once_into_a_file_only_the_owner_reads(tmp_path):
    path = tmp_path / "config" / "session.secret"
    first = load_or_create_secret(path)
    assert len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(path) == first


def test_a_readable_or_short_secret_file_is_refused(tmp_path):
    path = tmp_path / "session.secret"
    load_or_create_secret(path)
    path.chmod(0o644)
    with pytest.raises(SecretFileError, match="chmod 600"):
        load_or_create_secret(path)
    path.write_text("short\n")
    path.chmod(0o600)
    with pytest.raises(SecretFileError, match="32 tegn"):
        load_or_create_secret(path)


def test_settings_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TVAERS_DB", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("TVAERS_COOKIE_SECURE", "always")
    monkeypatch.setenv("TVAERS_SESSION_HOURS", "2")
    monkeypatch.setenv("TVAERS_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("TVAERS_LOGIN_WINDOW_MINUTES", "30")
    settings = WebSettings.from_env()
    assert settings.app_db_url == f"sqlite:///{tmp_path}/tvaers-app.sqlite"
    assert (settings.cookie_secure, settings.session_hours) == ("always", 2)
    assert (settings.login_max_failures, settings.login_window_minutes) == (3, 30)
    # No TVAERS_SECRET: the file named by TVAERS_SECRET_FILE (set by conftest) was made.
    assert Path(tmp_path / "session.secret").exists()
    monkeypatch.setenv("TVAERS_SECRET", "e" * 40)
    assert WebSettings.from_env().secret.get_secret_value() == "e" * 40
    assert "e" * 40 not in repr(WebSettings.from_env())


def test_a_short_secret_or_bad_value_is_refused(monkeypatch):
    monkeypatch.setenv("TVAERS_SECRET", "too short")
    with pytest.raises(ValueError):
        WebSettings.from_env()
    monkeypatch.setenv("TVAERS_SECRET", "e" * 40)
    monkeypatch.setenv("TVAERS_COOKIE_SECURE", "sometimes")
    with pytest.raises(ValueError):
        WebSettings.from_env()


def test_every_environment_variable_is_in_the_operators_guide():
    page = (ROOT / "docs" / "operators.md").read_text(encoding="utf-8")
    for setting in ENVIRONMENT:
        assert f"`{setting.name}`" in page, f"{setting.name} is not in docs/operators.md"


def test_a_plain_postgresql_url_uses_psycopg_3():
    from tvaers.web.db import normalise_url

    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u:pw@h/db") == "postgresql+psycopg://u:pw@h/db"
    assert normalise_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"
