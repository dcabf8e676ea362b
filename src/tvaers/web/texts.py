"""The language of a web request: chosen by the user, kept in the session.

tvaers.i18n keeps one language per process, right for the CLI; a server answers many users
at once, so here the language belongs to the request. Texts are still written as Danish and
English pairs where they are used, ``tr("Log ind", "Log in")``, in Python and templates.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

LANGUAGES = {"da": "Dansk", "en": "English"}


def request_language(request: Request) -> str:
    chosen = request.session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.app.state.settings.language


def translator(language: str) -> Callable[[str, str], str]:
    def tr(da: str, en: str) -> str:
        return en if language == "en" else da

    return tr


def request_tr(request: Request) -> Callable[[str, str], str]:
    return translator(request_language(request))
