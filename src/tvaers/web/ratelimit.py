"""Login rate limiting: too many failed logins for one user name from one address.

Counted in the database (table login_attempts), not in memory, so the limit holds across
workers and restarts. Keyed on user name and address together: one address guessing at one
account is stopped, while a colleague behind the same proxy can still log in.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tvaers.web.models import LoginAttempt, utcnow

_KEEP = timedelta(days=1)  # attempts older than this are of no use to the limit


def is_blocked(
    session: Session, username: str, address: str, *, max_failures: int, window_minutes: int
) -> bool:
    """True when ``max_failures`` logins failed within the window since the last success."""
    since = utcnow() - timedelta(minutes=window_minutes)
    key = (LoginAttempt.username == username, LoginAttempt.address == address)
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(*key, LoginAttempt.succeeded)
    )
    if last_success is not None:
        since = max(since, last_success)
    failures = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(*key, ~LoginAttempt.succeeded, LoginAttempt.at > since)
    )
    return (failures or 0) >= max_failures


def record(session: Session, username: str, address: str, succeeded: bool) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - _KEEP))
    session.add(LoginAttempt(username=username, address=address, succeeded=succeeded))
    session.flush()
