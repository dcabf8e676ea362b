"""Tables of the application database: users, their scopes, the audit log, login attempts,
the change history of registry records (see records.py), login sessions.

The schema itself is created by the Alembic migrations in ``migrations/``; these classes
must describe the same tables (tests/web/test_migrations.py compares them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    relationship,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no time zone, so a naive value read back from it is UTC by construction;
    PostgreSQL's timestamptz round-trips as it is.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give the application database UTC-aware times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Versioned:
    """A record that counts its saves. SQLAlchemy adds ``WHERE version = :read`` to every
    UPDATE and DELETE, so even two saves racing within the same second cannot both win."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class User(Versioned, Base):
    __tablename__ = "users"
    __entity__ = "users.user"
    __history_secret__ = ("password_hash",)
    __history_exclude__ = ("updated_at",)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(default=False)
    # The registry person this user is (`tvaers users link`): their seats grant scope (see
    # scope.SeatGrant). No foreign key: the people table belongs to a domain's own branch.
    person_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    scopes: Mapped[list[UserScope]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        order_by="(UserScope.level, UserScope.unit_code)",
        lazy="selectin",
    )


class UserScope(Base):
    """One organisational unit whose unsuppressed data the user may see."""

    __tablename__ = "user_scopes"
    __table_args__ = (UniqueConstraint("user_id", "level", "unit_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(64))

    user: Mapped[User] = relationship(back_populates="scopes")


class AuditEntry(Base):
    """One line of the audit log. Append-only: see ``_refuse_audit_changes`` and the
    database triggers created by the migrations."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The user name and role as they were at the time, not a foreign key: the log must
    # still say who it was after the account changed.
    actor: Mapped[str] = mapped_column(String(128))
    role: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    unit_level: Mapped[str | None] = mapped_column(String(16))
    unit_code: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key", "username", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool]


class ChangeEntry(Base):
    """One change of one registry record, as it was: append-only like the audit log."""

    __tablename__ = "change_history"
    __table_args__ = (Index("ix_change_history_record", "entity", "record_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(128))
    role: Mapped[str | None] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(64))  # "<domain>.<kind>", e.g. "users.user"
    record_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]  # the record's version after the change (for a delete: the last)
    action: Mapped[str] = mapped_column(String(16))  # create / update / delete
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class LoginSession(Base):
    """One login: the session cookie carries its token, the table only a hash of it (a copy
    of the database gives nobody a working cookie). Deleting the row ends the login for
    every copy of the cookie: logout, a new password and disabling the user do so."""

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: Any, instances: Any) -> None:
    # The application's own guard; the triggers guard against everything else. The change
    # history of registry records is kept the same way.
    logs = (AuditEntry, ChangeEntry)
    changed = [o for o in (*session.dirty, *session.deleted) if isinstance(o, logs)]
    if any(o in session.deleted or session.is_modified(o) for o in changed):
        raise AuditLogIsAppendOnly("the audit log is append-only")
