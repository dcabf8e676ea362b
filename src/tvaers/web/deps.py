"""FastAPI dependencies: the database session, the logged-in user, role checks."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from tvaers.users.service import principal
from tvaers.web import session_store
from tvaers.web.models import User
from tvaers.web.scope import Principal
from tvaers.web.texts import request_tr


class LoginRequired(Exception):
    """Raised for a page that needs a user when there is none: HTML redirects to the login
    page, JSON gets 401 (see errors.py)."""


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


Db = Annotated[Session, Depends(get_db)]


def password_fingerprint(secret: str, password_hash: str) -> str:
    """Stored in the session: when the password changes, every old session stops working."""
    return hmac.new(secret.encode(), password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def log_in(request: Request, db: Session, user: User) -> None:
    """Start a login: a row in the database (session_store) and its token in the cookie."""
    settings = request.app.state.settings
    language = request.session.get("lang")
    session_store.end(db, request.session.get("sid"))  # a login before this one ends here
    # A fresh session at login: nothing from before (a planted token) carries over.
    request.session.clear()
    request.session.update(
        uid=user.id,
        sid=session_store.start(db, user.id, settings.session_hours),
        auth=password_fingerprint(settings.secret.get_secret_value(), user.password_hash),
    )
    if language:
        request.session["lang"] = language
    db.commit()  # the login exists before the response hands out its cookie


def log_out(request: Request, db: Session) -> None:
    """End the login for every copy of the cookie; only the language choice is kept."""
    session_store.end(db, request.session.get("sid"))
    db.commit()
    language = request.session.get("lang")
    request.session.clear()
    if language:
        request.session["lang"] = language


def current_user(request: Request, db: Db) -> Principal | None:
    """The logged-in, enabled user, or None. Checked against the database on every request,
    so logging out, disabling a user or changing their password ends their sessions at once,
    for every copy of the cookie."""
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    user = db.get(User, uid)
    secret = request.app.state.settings.secret.get_secret_value()
    if (
        user is None
        or user.disabled
        or not hmac.compare_digest(
            str(request.session.get("auth", "")), password_fingerprint(secret, user.password_hash)
        )
        or not session_store.is_live(db, request.session.get("sid"), uid)
    ):
        for key in ("uid", "sid", "auth"):
            request.session.pop(key, None)
        return None
    return principal(user, db)


OptionalUser = Annotated[Principal | None, Depends(current_user)]


def require_user(user: OptionalUser) -> Principal:
    if user is None:
        raise LoginRequired()
    return user


CurrentUser = Annotated[Principal, Depends(require_user)]


def require_role(*roles: str) -> Callable[..., Principal]:
    """A dependency admitting only the given roles: ``Depends(require_role("admin"))``."""

    def dependency(request: Request, user: CurrentUser) -> Principal:
        if user.role not in roles:
            tr = request_tr(request)
            raise HTTPException(
                403,
                tr(
                    "Din rolle giver ikke adgang til denne side.",
                    "Your role does not give access to this page.",
                ),
            )
        return user

    return dependency
