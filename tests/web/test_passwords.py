"""Argon2id hashing, verification and the password rules."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type, profiles

from tvaers.web import passwords
from tvaers.web.passwords import WeakPassword, check_policy, hash_password, verify_password

GOOD = "correct horse battery staple"


def test_a_hash_verifies_its_password_and_no_other():
    stored = hash_password(GOOD)
    assert stored.startswith("$argon2id$")
    assert GOOD not in stored
    assert verify_password(stored, GOOD)
    assert not verify_password(stored, GOOD + " ")
    assert not verify_password(stored, "")


def test_the_same_password_hashes_differently_each_time():
    assert hash_password(GOOD) != hash_password(GOOD)


def test_a_broken_or_foreign_hash_never_verifies():
    assert not verify_password("not a hash", GOOD)
    assert not verify_password("$2b$12$abcdefghijklmnopqrstuv", GOOD)  # bcrypt


def test_an_overlong_password_is_refused_without_hashing():
    assert not verify_password(hash_password(GOOD), "x" * (passwords.MAX_LENGTH + 1))


def test_the_real_hasher_is_argon2id_with_rfc_9106_parameters():
    # The tests run with a cheap profile; the production default must stay the strong one.
    # (Only its parameters are checked: one real hash costs about a second here.)
    real = PasswordHasher()
    assert real.type is Type.ID
    assert real.memory_cost >= profiles.RFC_9106_LOW_MEMORY.memory_cost
    assert real.time_cost >= profiles.RFC_9106_LOW_MEMORY.time_cost


def test_a_hash_with_old_parameters_needs_rehashing():
    older = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1)  # cheap, but other
    assert passwords.needs_rehash(older.hash(GOOD))
    assert not passwords.needs_rehash(hash_password(GOOD))
    assert passwords.needs_rehash("garbage")


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("short", "mindst 12 tegn"),
        ("x" * 1025, "højst have 1024 tegn"),
        ("my name is Anna, ok?", "brugernavnet"),
    ],
)
def test_weak_passwords_are_refused_in_danish(password, says):
    with pytest.raises(WeakPassword, match=says):
        check_policy(password, "anna")


def test_a_good_password_passes():
    check_policy(GOOD, "anna")
