"""User-facing texts: Danish by default, English on request.

Texts are written as Danish/English pairs where they are used, so a reader sees both
versions side by side and nothing can fall out of step in a separate catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SUPPORTED = ("da", "en")
_language: str | None = None
# A web request's language, for code shared with the CLI that writes texts through `tr`
# (a server answers users in both languages at once; the process language cannot do).
_scoped: ContextVar[str | None] = ContextVar("tvaers_language", default=None)


def set_language(language: str) -> None:
    global _language
    if language not in SUPPORTED:
        raise ValueError(f"unsupported language {language!r}; choose one of {SUPPORTED}")
    _language = language


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Texts in `lang` within the block (this thread or task only)."""
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}; choose one of {SUPPORTED}")
    token = _scoped.set(lang)
    try:
        yield
    finally:
        _scoped.reset(token)


def current_language() -> str:
    scoped = _scoped.get()
    if scoped is not None:
        return scoped
    if _language is not None:
        return _language
    from tvaers.config import Settings  # (config is read when asked, never at import)

    configured = Settings.from_env().language
    return configured if configured in SUPPORTED else "da"


def tr(da: str, en: str) -> str:
    """Pick the text for the current language."""
    return en if current_language() == "en" else da
