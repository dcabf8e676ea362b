"""Settings: every environment variable Tværs reads, declared once and read in one place —
when asked for, never at import time.

``ENVIRONMENT`` is the declaration (name, default, meaning) that the docs list
(tests/test_docs.py checks that every variable is documented); ``Settings.from_env()`` reads
them all. Modules take a ``Settings`` or call ``Settings.from_env()`` when they run; none
reads ``os.environ`` itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("tvaers.duckdb")
APP_DB_FILENAME = "tvaers-app.sqlite"
# The ingest's staging memory and the Spark driver's, unless an operator raises them.
DEFAULT_INGEST_MEMORY = "3500MB"
DEFAULT_SPARK_MEMORY = "6g"
# The indicator engine's share of the machine's memory when TVAERS_COMPUTE_MEMORY_LIMIT is
# not set. DuckDB's own overhead comes on top of its limit (a 10 GB limit peaked at 10.2 GB
# resident for the whole country), so 45 % keeps a 24 GB machine's run under 12 GB and leaves
# the rest to the operating system, its page cache and whatever else runs.
COMPUTE_MEMORY_SHARE = 0.45


def physical_memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX
        return None


def default_compute_memory(total: int | None = None) -> str:
    """The engine's memory limit derived from the machine: 45 % of physical memory, in
    whole megabytes (at least 1 GB); DuckDB's own default (80 %) where it cannot be read."""
    total = physical_memory_bytes() if total is None else total
    if not total:
        return "80%"
    return f"{max(1024, int(total * COMPUTE_MEMORY_SHARE) // 2**20)}MB"


@dataclass(frozen=True)
class EnvSetting:
    name: str
    default: str
    meaning: str
    # "all", "ingest", "indicators", "demo": listed in docs/getting-started.md;
    # "web": in docs/operators.md
    area: str


ENVIRONMENT: tuple[EnvSetting, ...] = (
    EnvSetting("TVAERS_DB", "./tvaers.duckdb", "the warehouse file when --db is not given", "all"),
    EnvSetting(
        "TVAERS_KEY_FILE",
        "~/.config/tvaers/pseudonym.key",
        "the pseudonymisation key file, for keys init and for loading",
        "all",
    ),
    EnvSetting(
        "TVAERS_SECRET_KEY",
        "not set",
        "the pseudonymisation key itself, used instead of the key file",
        "all",
    ),
    EnvSetting("TVAERS_LANG", "da", "language of messages and reports: da or en", "all"),
    EnvSetting(
        "TVAERS_INGEST_MEMORY_LIMIT",
        DEFAULT_INGEST_MEMORY,
        "memory the ingest's staging may use before it spills to disk",
        "ingest",
    ),
    EnvSetting(
        "TVAERS_CATALOGUE_DIR",
        "the catalogue shipped with the package",
        "a directory of indicator definition files to use instead",
        "indicators",
    ),
    EnvSetting(
        "TVAERS_SPARK_MEMORY",
        DEFAULT_SPARK_MEMORY,
        "memory of the Spark driver (--engine spark)",
        "indicators",
    ),
    EnvSetting(
        "TVAERS_COMPUTE_MEMORY_LIMIT",
        "45 % of the machine's memory",
        "memory the indicator engine (DuckDB) may use before it spills to disk, e.g. 14GB",
        "indicators",
    ),
    EnvSetting(
        "TVAERS_COMPUTE_THREADS",
        "one per core",
        "threads of the indicator engine (DuckDB); --threads overrides it",
        "indicators",
    ),
    EnvSetting("JAVA_HOME", "found on the PATH", "the Java 17+ that Spark runs on", "indicators"),
    EnvSetting(
        "TVAERS_DEMO_SERVE", "1", "0: make demo stops before serving the dashboards", "demo"
    ),
    EnvSetting(
        "TVAERS_APP_DB",
        f"sqlite:///<warehouse directory>/{APP_DB_FILENAME}",
        "SQLAlchemy URL of the application database (users, scopes, audit log)",
        "web",
    ),
    EnvSetting(
        "TVAERS_SECRET",
        "read from TVAERS_SECRET_FILE",
        "secret that signs session cookies; at least 32 characters",
        "web",
    ),
    EnvSetting(
        "TVAERS_SECRET_FILE",
        "~/.config/tvaers/session.secret",
        "file holding the session secret; created (mode 600) on first use",
        "web",
    ),
    EnvSetting(
        "TVAERS_COOKIE_SECURE",
        "auto",
        "Secure flag on the session cookie: auto (when the request came over https), always, never",
        "web",
    ),
    EnvSetting("TVAERS_SESSION_HOURS", "8", "how long a login lasts", "web"),
    EnvSetting(
        "TVAERS_LOGIN_MAX_FAILURES",
        "5",
        "failed logins per user name and address before logins are refused",
        "web",
    ),
    EnvSetting(
        "TVAERS_LOGIN_WINDOW_MINUTES", "15", "the period those failures are counted in", "web"
    ),
    EnvSetting(
        "TVAERS_TRUSTED_PROXIES",
        "none",
        "addresses or networks of the reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed, comma-separated (e.g. 127.0.0.1 or 10.0.0.0/8)",
        "web",
    ),
)


def _config_home(env: Mapping[str, str] | None = None) -> Path:
    base = (os.environ if env is None else env).get("XDG_CONFIG_HOME")
    return Path(base) if base else Path.home() / ".config"


@dataclass(frozen=True)
class Settings:
    db_path: Path
    key_file: Path
    secret_key_env: str | None
    language: str
    ingest_memory_limit: str = DEFAULT_INGEST_MEMORY
    catalogue_dir: Path | None = None
    spark_memory: str = DEFAULT_SPARK_MEMORY
    compute_memory_limit: str | None = None  # None: default_compute_memory()
    compute_threads: str | None = None  # None: DuckDB's default, one per core (checked by
    # the engine, so a wrong value stops a compute run, not every other command)
    java_home: Path | None = None
    demo_serve: bool = True
    # The web application's (tvaers.web.settings.WebSettings checks and converts them).
    app_db_url: str | None = None
    session_secret: str | None = None
    secret_file: Path = Path("session.secret")
    cookie_secure: str = "auto"
    session_hours: str = "8"
    login_max_failures: str = "5"
    login_window_minutes: str = "15"
    trusted_proxies: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        catalogue = env.get("TVAERS_CATALOGUE_DIR")
        java = env.get("JAVA_HOME")
        return cls(
            db_path=Path(env.get("TVAERS_DB", DEFAULT_DB)),
            key_file=Path(
                env.get("TVAERS_KEY_FILE") or _config_home(env) / "tvaers" / "pseudonym.key"
            ),
            secret_key_env=env.get("TVAERS_SECRET_KEY") or None,
            language=env.get("TVAERS_LANG", "da"),
            ingest_memory_limit=env.get("TVAERS_INGEST_MEMORY_LIMIT") or DEFAULT_INGEST_MEMORY,
            catalogue_dir=Path(catalogue) if catalogue else None,
            spark_memory=env.get("TVAERS_SPARK_MEMORY") or DEFAULT_SPARK_MEMORY,
            compute_memory_limit=env.get("TVAERS_COMPUTE_MEMORY_LIMIT") or None,
            compute_threads=env.get("TVAERS_COMPUTE_THREADS") or None,
            java_home=Path(java) if java else None,
            demo_serve=env.get("TVAERS_DEMO_SERVE", "1") != "0",
            app_db_url=env.get("TVAERS_APP_DB") or None,
            session_secret=env.get("TVAERS_SECRET") or None,
            secret_file=Path(
                env.get("TVAERS_SECRET_FILE") or _config_home(env) / "tvaers" / "session.secret"
            ),
            cookie_secure=env.get("TVAERS_COOKIE_SECURE", "auto"),
            session_hours=env.get("TVAERS_SESSION_HOURS", "8"),
            login_max_failures=env.get("TVAERS_LOGIN_MAX_FAILURES", "5"),
            login_window_minutes=env.get("TVAERS_LOGIN_WINDOW_MINUTES", "15"),
            trusted_proxies=env.get("TVAERS_TRUSTED_PROXIES", ""),
        )
