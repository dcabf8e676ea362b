"""Password hashing with Argon2id (argon2-cffi), and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tvaers.i18n import tr

MIN_LENGTH = 12
# Argon2 hashes whatever it gets; a cap keeps a megabyte "password" from costing a login.
MAX_LENGTH = 1024

# argon2-cffi's defaults follow RFC 9106's second recommendation (Argon2id, 64 MiB, t=3).
# Tests swap in a cheap hasher through this module attribute.
hasher = PasswordHasher()


class WeakPassword(ValueError):
    pass


def check_policy(password: str, username: str) -> None:
    """Raise WeakPassword with a text for the user if the password may not be used."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            tr(
                f"Adgangskoden skal have mindst {MIN_LENGTH} tegn.",
                f"The password must have at least {MIN_LENGTH} characters.",
            )
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(
            tr(
                f"Adgangskoden må højst have {MAX_LENGTH} tegn.",
                f"The password may have at most {MAX_LENGTH} characters.",
            )
        )
    if username.lower() in password.lower():
        raise WeakPassword(
            tr(
                "Adgangskoden må ikke indeholde brugernavnet.",
                "The password must not contain the user name.",
            )
        )


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (rehash at login)."""
    try:
        return hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


_DUMMY_HASH: str | None = None


def burn_time(password: str) -> None:
    """Verify against a dummy hash, so an unknown user name takes as long as a wrong
    password and the response time does not tell which user names exist."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hasher.hash("not a real password, only to spend the same time")
    verify_password(_DUMMY_HASH, password)
