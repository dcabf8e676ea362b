"""Settings of the web application, read from the environment when the app is built.

Never at import time: `create_app(settings)` takes them as an argument, so tests and the CLI
build their own. The environment variables are declared once, in ``ENVIRONMENT``, which the
operators' guide documents (tests/web/test_settings.py checks that every one is there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from tvaers import config
from tvaers.config import ENVIRONMENT as CONFIG_ENVIRONMENT
from tvaers.config import EnvSetting, Settings
from tvaers.web.forwarded import parse_proxies
from tvaers.web.secret import load_or_create_secret

APP_DB_FILENAME = config.APP_DB_FILENAME

CookieSecure = Literal["auto", "always", "never"]


# The web application's variables: declared with every other one in tvaers.config.
ENVIRONMENT: tuple[EnvSetting, ...] = tuple(s for s in CONFIG_ENVIRONMENT if s.area == "web")


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
        return cls(
            warehouse=warehouse,
            app_db_url=app_db_url(warehouse, app_db),
            secret=SecretStr(session_secret()),
            cookie_secure=base.cookie_secure,  # type: ignore[arg-type]
            session_hours=float(base.session_hours),
            login_max_failures=int(base.login_max_failures),
            login_window_minutes=int(base.login_window_minutes),
            trusted_proxies=base.trusted_proxies,  # type: ignore[arg-type]
            language=base.language if base.language in ("da", "en") else "da",  # type: ignore[arg-type]
        )


def app_db_url(warehouse: Path | None = None, override: str | None = None) -> str:
    """The application database: the override, $TVAERS_APP_DB, or a SQLite file beside the
    warehouse (so one directory holds an installation's data and is backed up together)."""
    base = Settings.from_env()
    url = override or base.app_db_url
    if url:
        return url
    warehouse = warehouse or base.db_path
    return f"sqlite:///{warehouse.resolve().parent / APP_DB_FILENAME}"


def secret_file() -> Path:
    return Settings.from_env().secret_file


def session_secret() -> str:
    """$TVAERS_SECRET, else the secret file, created with a fresh random secret if missing."""
    base = Settings.from_env()
    return base.session_secret or load_or_create_secret(base.secret_file)
