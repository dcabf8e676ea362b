"""Signed session cookies: HttpOnly, SameSite=Lax, Secure over https.

Starlette's SessionMiddleware fixes the Secure flag at start-up; behind a TLS proxy and on a
plain-http development server alike we want it decided per request ("auto"), so this is a
small variant of it. The cookie is signed (itsdangerous, with a timestamp that limits its
age), not encrypted: it holds only a user id, a fingerprint of the password hash, the CSRF
token and the language — nothing a user may not read.
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from typing import Any

import itsdangerous
from itsdangerous.exc import BadSignature
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "tvaers_session"


class Session(dict[str, Any]):
    modified: bool = False

    def __setitem__(self, key: str, value: Any) -> None:
        self.modified = True
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.modified = True
        super().__delitem__(key)

    def clear(self) -> None:
        self.modified = True
        super().clear()

    def pop(self, key: str, *default: Any) -> Any:
        self.modified = self.modified or key in self
        return super().pop(key, *default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.modified = True
        super().update(*args, **kwargs)


class SessionMiddleware:
    def __init__(self, app: ASGIApp, *, secret: str, max_age: int, secure: str = "auto") -> None:
        self.app = app
        # A salt of its own: the same secret must not make cookies valid for anything else.
        self.signer = itsdangerous.TimestampSigner(secret, salt="tvaers.session")
        self.max_age = max_age
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = HTTPConnection(scope).cookies.get(COOKIE_NAME)
        session = Session(self._load(cookie) if cookie else {})
        scope["session"] = session
        secure = self.secure == "always" or (self.secure == "auto" and scope["scheme"] == "https")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start" and session.modified:
                headers = MutableHeaders(scope=message)
                flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                if session:
                    value = self.signer.sign(b64encode(json.dumps(session).encode())).decode()
                    headers.append(
                        "Set-Cookie", f"{COOKIE_NAME}={value}; Max-Age={self.max_age}{flags}"
                    )
                elif cookie:
                    headers.append("Set-Cookie", f"{COOKIE_NAME}=; Max-Age=0{flags}")
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _load(self, cookie: str) -> dict[str, Any]:
        try:
            data = json.loads(b64decode(self.signer.unsign(cookie, max_age=self.max_age)))
        except (BadSignature, ValueError):
            return {}  # forged, expired or from another secret: start afresh
        return data if isinstance(data, dict) else {}
