"""Settings of the web application, read from the environment when the app is built.

Never at import time: `create_app(settings)` takes them as an argument, so tests and the CLI
build their own. The environment variables are declared once, in ``ENVIRONMENT``, which the
operators' guide documents (tests/web/test_settings.py checks that every one is there).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from tvaers.config import Settings, _config_home
from tvaers.web.forwarded import parse_proxies
from tvaers.web.secret import load_or_create_secret

APP_DB_FILENAME = "tvaers-app.sqlite"

CookieSecure = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class EnvSetting:
    name: str
    default: str
    meaning: str


ENVIRONMENT: tuple[EnvSetting, ...] = (
    EnvSetting(
        "TVAERS_APP_DB",
        f"sqlite:///<warehouse directory>/{APP_DB_FILENAME}",
        "SQLAlchemy URL of the application database (users, scopes, audit log)",
    ),
    EnvSetting(
        "TVAERS_SECRET",
        "read from TVAERS_SECRET_FILE",
        "secret that signs session cookies; at least 32 characters",
    ),
    EnvSetting(
        "TVAERS_SECRET_FILE",
        "~/.config/tvaers/session.secret",
        "file holding the session secret; created (mode 600) on first use",
    ),
    EnvSetting(
        "TVAERS_COOKIE_SECURE",
        "auto",
        "Secure flag on the session cookie: auto (when the request came over https), always, never",
    ),
    EnvSetting("TVAERS_SESSION_HOURS", "8", "how long a login lasts"),
    EnvSetting(
        "TVAERS_LOGIN_MAX_FAILURES",
        "5",
        "failed logins per user name and address before logins are refused",
    ),
    EnvSetting("TVAERS_LOGIN_WINDOW_MINUTES", "15", "the period those failures are counted in"),
    EnvSetting(
        "TVAERS_TRUSTED_PROXIES",
        "none",
        "addresses or networks of the reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed, comma-separated (e.g. 127.0.0.1 or 10.0.0.0/8)",
    ),
)


class WebSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    warehouse: Path
    app_db_url: str
    secret: SecretStr = Field(min_length=32)
    cookie_secure: CookieSecure = "auto"
    session_hours: float = Field(default=8, gt=0)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    language: Literal["da", "en"] = "da"
    # Only these may say who the client is (X-Forwarded-For) and how it came (-Proto).
    trusted_proxies: tuple[str, ...] = ()
    # Off only for tests that build the schema themselves.
    migrate_on_start: bool = True

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            return parse_proxies(value)
        return parse_proxies(",".join(value)) if isinstance(value, (list, tuple)) else ()

    @classmethod
    def from_env(cls, db: Path | None = None, app_db: str | None = None) -> WebSettings:
        """Settings from the environment; ``db`` and ``app_db`` are the CLI's overrides."""
        base = Settings.from_env()
        warehouse = db or base.db_path
        env = os.environ
        return cls(
            warehouse=warehouse,
            app_db_url=app_db_url(warehouse, app_db),
            secret=SecretStr(session_secret()),
            cookie_secure=env.get("TVAERS_COOKIE_SECURE", "auto"),  # type: ignore[arg-type]
            session_hours=float(env.get("TVAERS_SESSION_HOURS", 8)),
            login_max_failures=int(env.get("TVAERS_LOGIN_MAX_FAILURES", 5)),
            login_window_minutes=int(env.get("TVAERS_LOGIN_WINDOW_MINUTES", 15)),
            trusted_proxies=env.get("TVAERS_TRUSTED_PROXIES", ""),  # type: ignore[arg-type]
            language=base.language if base.language in ("da", "en") else "da",  # type: ignore[arg-type]
        )


def app_db_url(warehouse: Path | None = None, override: str | None = None) -> str:
    """The application database: the override, $TVAERS_APP_DB, or a SQLite file beside the
    warehouse (so one directory holds an installation's data and is backed up together)."""
    url = override or os.environ.get("TVAERS_APP_DB")
    if url:
        return url
    warehouse = warehouse or Settings.from_env().db_path
    return f"sqlite:///{warehouse.resolve().parent / APP_DB_FILENAME}"


def secret_file() -> Path:
    configured = os.environ.get("TVAERS_SECRET_FILE")
    return Path(configured) if configured else _config_home() / "tvaers" / "session.secret"


def session_secret() -> str:
    """$TVAERS_SECRET, else the secret file, created with a fresh random secret if missing."""
    return os.environ.get("TVAERS_SECRET") or load_or_create_secret(secret_file())
