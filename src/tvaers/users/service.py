"""Local user accounts: plain functions taking a database session (used by CLI and web)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from types import ModuleType

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.domains import domains
from tvaers.i18n import tr
from tvaers.web import passwords, records, session_store
from tvaers.web.models import User, UserScope
from tvaers.web.records import Actor
from tvaers.web.scope import ROLES, Principal, SeatGrant, UnitRef, validate_unit

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


class UserError(ValueError):
    """A request about users that cannot be carried out; the text is for the user."""


def normalise_username(raw: str) -> str:
    name = raw.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise UserError(
            tr(
                f"ugyldigt brugernavn {raw!r}: 2-64 tegn, små bogstaver a-z, tal, '.', '_' "
                "og '-', begynder med et bogstav eller tal",
                f"invalid user name {raw!r}: 2-64 characters, lower-case a-z, digits, '.', "
                "'_' and '-', starting with a letter or digit",
            )
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(
            tr(
                f"ukendt rolle {role!r}; vælg {', '.join(ROLES)}",
                f"unknown role {role!r}; choose {', '.join(ROLES)}",
            )
        )
    return role


def get_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def require_user(session: Session, username: str) -> User:
    user = get_user(session, username)
    if user is None:
        raise UserError(tr(f"ingen bruger {username!r}", f"no user {username!r}"))
    return user


def add_user(
    session: Session,
    username: str,
    *,
    role: str,
    password: str,
    display_name: str | None = None,
    scopes: Sequence[UnitRef] = (),
    actor: Actor = "system",
) -> User:
    username = normalise_username(username)
    check_role(role)
    if get_user(session, username) is not None:
        raise UserError(
            tr(f"brugeren {username!r} findes allerede", f"user {username!r} already exists")
        )
    passwords.check_policy(password, username)
    # Checked here too, not only in the CLI: a unit the reference data does not know would
    # silently grant nothing (or, after a typo, the wrong thing).
    units = sorted({validate_unit(s.level, s.code) for s in scopes})
    user = User(
        username=username,
        display_name=(display_name or username).strip(),
        role=role,
        password_hash=passwords.hash_password(password),
        disabled=False,
        scopes=[UserScope(level=u.level, unit_code=u.code) for u in units],
    )
    records.create(session, user, actor, audit=False)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def set_disabled(
    session: Session, username: str, disabled: bool = True, actor: Actor = "system"
) -> User:
    user = require_user(session, username)
    if disabled:
        session_store.end_all(session, user.id)
    return records.update(
        session, user, {"disabled": disabled}, actor, expected_version=None, audit=False
    )


def set_password(session: Session, username: str, password: str, actor: Actor = "system") -> User:
    user = require_user(session, username)
    passwords.check_policy(password, user.username)
    new_hash = passwords.hash_password(password)
    # Every login of the user ends, on every device and every copy of its cookie.
    session_store.end_all(session, user.id)
    return records.update(
        session, user, {"password_hash": new_hash}, actor, expected_version=None, audit=False
    )


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The enabled user with this name and password, or None (never says which was wrong)."""
    user = get_user(session, username)
    if user is None or user.disabled:
        passwords.burn_time(password)
        return None
    if not passwords.verify_password(user.password_hash, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        session.flush()
    return user


def _people_registries() -> list[ModuleType]:
    """The modules of the domains that keep registry people (``Domain.people``)."""
    return [importlib.import_module(d.people) for d in domains() if d.people]


def person_name(session: Session, person_id: str) -> str | None:
    """The name of the registry person with this id in any domain's registry, or None."""
    for module in _people_registries():
        found = module.person_name(session, person_id)
        if found is not None:
            return found
    return None


def seat_grants(session: Session, person_id: str | None) -> tuple[SeatGrant, ...]:
    if not person_id:
        return ()
    return tuple(
        g for module in _people_registries() for g in module.seat_grants(session, person_id)
    )


def link_person(
    session: Session, username: str, person_id: str | None, actor: Actor = "system"
) -> User:
    """Link the user to a registry person (None: remove the link). The person's seats then
    widen the user's scope for the days they hold; the change keeps its history."""
    user = require_user(session, username)
    if person_id is not None:
        person_id = person_id.strip()
        if person_name(session, person_id) is None:
            raise UserError(
                tr(
                    f"ingen person {person_id!r} i registret (se `tvaers org seats FORUM`)",
                    f"no person {person_id!r} in the registry (see `tvaers org seats FORUM`)",
                )
            )
    return records.update(
        session, user, {"person_id": person_id}, actor, expected_version=None, audit=False
    )


def principal(user: User, session: Session | None = None) -> Principal:
    """The user as a request sees it; with ``session``, with the linked person's seats."""
    return Principal(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        scopes=tuple(UnitRef(s.level, s.unit_code) for s in user.scopes),
        seats=seat_grants(session, user.person_id) if session is not None else (),
    )
