"""Logins kept in the application database (table login_sessions).

The signed cookie (sessions.py) says who a visitor claims to be; a login counts only while
its row exists and has not expired. So logging out, a new password and disabling a user end
the login for every copy of the cookie at once, not when the cookie's signature runs out.
Only logins are stored: a visitor who has not logged in (language, CSRF token of the login
form) stays in the cookie alone, so anonymous requests cannot fill the database.

The token is 256 random bits; the table keeps its SHA-256, so a copy of the database (a
backup, say) holds no working cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tvaers.web.models import LoginSession, utcnow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Session, user_id: int, hours: float) -> str:
    """A new login for the user, valid for ``hours``; returns the token for the cookie."""
    now = utcnow()
    # Expired logins are of no use to anyone: cleared whenever someone logs in.
    db.execute(delete(LoginSession).where(LoginSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    db.add(
        LoginSession(
            token_hash=_hash(token),
            user_id=user_id,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    db.flush()
    return token


def is_live(db: Session, token: object, user_id: int) -> bool:
    """True while the login ``token`` of ``user_id`` exists and has not expired."""
    if not isinstance(token, str) or not token:
        return False
    expires = db.scalar(
        select(LoginSession.expires_at).where(
            LoginSession.token_hash == _hash(token), LoginSession.user_id == user_id
        )
    )
    return expires is not None and expires > utcnow()


def end(db: Session, token: object) -> None:
    """End one login (logout)."""
    if isinstance(token, str) and token:
        db.execute(delete(LoginSession).where(LoginSession.token_hash == _hash(token)))


def end_all(db: Session, user_id: int) -> int:
    """End every login of the user (new password, disabled); returns how many there were."""
    result = db.execute(delete(LoginSession).where(LoginSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)
