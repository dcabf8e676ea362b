"""User-facing texts: Danish by default, English on request.

Texts are written as Danish/English pairs where they are used, so a reader sees both
versions side by side and nothing can fall out of step in a separate catalogue.
"""

from __future__ import annotations

SUPPORTED = ("da", "en")
_language: str | None = None


def set_language(language: str) -> None:
    global _language
    if language not in SUPPORTED:
        raise ValueError(f"unsupported language {language!r}; choose one of {SUPPORTED}")
    _language = language


def current_language() -> str:
    if _language is not None:
        return _language
    from tvaers.config import Settings  # (config is read when asked, never at import)

    configured = Settings.from_env().language
    return configured if configured in SUPPORTED else "da"


def tr(da: str, en: str) -> str:
    """Pick the text for the current language."""
    return en if current_language() == "en" else da
