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
# The ingest's staging memory and the Spark driver's, unless an operator raises them.
DEFAULT_INGEST_MEMORY = "3500MB"
DEFAULT_SPARK_MEMORY = "6g"


@dataclass(frozen=True)
class EnvSetting:
    name: str
    default: str
    meaning: str
    area: str  # "all", "ingest", "indicators", "web", "demo": where the docs list it


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
    EnvSetting("JAVA_HOME", "found on the PATH", "the Java 17+ that Spark runs on", "indicators"),
    EnvSetting(
        "TVAERS_DEMO_SERVE", "1", "0: make demo stops before serving the dashboards", "demo"
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
    java_home: Path | None = None
    demo_serve: bool = True

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
            java_home=Path(java) if java else None,
            demo_serve=env.get("TVAERS_DEMO_SERVE", "1") != "0",
        )
