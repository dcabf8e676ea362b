"""Settings, read from the environment when asked for — never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("tvaers.duckdb")


def _config_home() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME")
    return Path(base) if base else Path.home() / ".config"


@dataclass(frozen=True)
class Settings:
    db_path: Path
    key_file: Path
    secret_key_env: str | None
    language: str

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            db_path=Path(os.environ.get("TVAERS_DB", DEFAULT_DB)),
            key_file=Path(
                os.environ.get("TVAERS_KEY_FILE", _config_home() / "tvaers" / "pseudonym.key")
            ),
            secret_key_env=os.environ.get("TVAERS_SECRET_KEY") or None,
            language=os.environ.get("TVAERS_LANG", "da"),
        )
