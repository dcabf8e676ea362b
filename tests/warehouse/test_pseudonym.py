"""The keyed pseudonym, the key's life cycle, and the CPR century rule."""

from __future__ import annotations

import hashlib
import hmac
import stat
from datetime import date

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tvaers.config import Settings
from tvaers.warehouse.pseudonym import (
    PseudonymKey,
    PseudonymKeyError,
    hmac_sql,
    init_key_file,
    load_key,
    mask_sql,
    require_key,
)
from tvaers.warehouse.staging import cpr_birth_sql


@given(
    st.text(alphabet="0123456789-", min_size=0, max_size=12), st.binary(min_size=32, max_size=80)
)
@settings(max_examples=60, deadline=None)
def test_sql_hmac_equals_python_hmac(value, secret):
    key = PseudonymKey(secret, "test")
    ipad, opad = key.sql_pads()
    got = duckdb.execute(
        f"SELECT {hmac_sql('$v')}", {"v": value, "ipad": ipad, "opad": opad}
    ).fetchone()[0]
    assert got == hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def _century(yy: int, digit7: int) -> int:
    """The CPR century rule, written out independently of the SQL version."""
    if digit7 <= 3:
        return 1900
    if digit7 in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


@given(st.dates(date(1858, 1, 1), date(2036, 12, 31)), st.integers(0, 9), st.integers(0, 999))
@settings(max_examples=300, deadline=None)
def test_cpr_birth_date_follows_the_century_rule(birth, digit7, serial):
    cpr = f"{birth:%d%m%y}{digit7}{serial:03d}"
    coded = duckdb.execute(f"SELECT {cpr_birth_sql('$c')}", {"c": cpr}).fetchone()[0]
    yy = birth.year % 100
    expected_year = _century(yy, digit7) + yy
    expected = (
        birth.replace(year=expected_year) if not (birth.month == 2 and birth.day == 29) else None
    )
    if expected is None:  # 29 February exists only in leap years of the coded century
        try:
            expected = date(expected_year, 2, 29)
        except ValueError:
            expected = None
    assert coded == expected


@pytest.mark.parametrize(
    ("cpr", "birth"),
    [
        ("0101361234", date(1936, 1, 1)),  # digit 1: always 1900s
        ("0101364234", date(2036, 1, 1)),  # digit 4, YY ≤ 36: 2000s
        ("0101374234", date(1937, 1, 1)),  # digit 4, YY > 36: 1900s
        ("0101579234", date(1957, 1, 1)),  # digit 9, YY > 36: 1900s
        ("0101575234", date(2057, 1, 1)),  # digit 5, YY ≤ 57: 2000s
        ("0101585234", date(1858, 1, 1)),  # digit 5, YY > 57: 1800s
        ("3102991234", None),  # no 31 February
    ],
)
def test_century_rule_examples(cpr, birth):
    assert duckdb.execute(f"SELECT {cpr_birth_sql('$c')}", {"c": cpr}).fetchone()[0] == birth


@pytest.mark.parametrize(
    ("value", "shown"),
    [("1203471018", "120347-xxxx"), ("120347-1018", "120347-xxxx"), ("123", "xxx")],
)
def test_mask_shows_only_the_birth_date_part(value, shown):
    assert duckdb.execute(f"SELECT {mask_sql('$v')}", {"v": value}).fetchone()[0] == shown


def test_keys_init_creates_owner_only_file_and_never_overwrites(tmp_path):
    path = tmp_path / "conf" / "pseudonym.key"
    key = init_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key.secret) == 32
    with pytest.raises(PseudonymKeyError, match="overskrives ikke"):
        init_key_file(path)
    settings = Settings(tmp_path / "db", path, None, "da")
    assert load_key(settings).secret == key.secret


def test_readable_key_file_is_refused(tmp_path):
    path = tmp_path / "key"
    init_key_file(path)
    path.chmod(0o644)
    with pytest.raises(PseudonymKeyError, match="chmod 600"):
        load_key(Settings(tmp_path / "db", path, None, "da"))


def test_missing_and_short_keys(tmp_path):
    with pytest.raises(PseudonymKeyError, match="tvaers keys init"):
        require_key(Settings(tmp_path / "db", tmp_path / "none", None, "da"))
    with pytest.raises(PseudonymKeyError, match="for kort"):
        require_key(Settings(tmp_path / "db", tmp_path / "none", "abcd", "da"))


def test_environment_key_wins_over_file(tmp_path):
    path = tmp_path / "key"
    init_key_file(path)
    key = load_key(Settings(tmp_path / "db", path, "ab" * 32, "da"))
    assert key.secret == bytes.fromhex("ab" * 32) and key.origin == "TVAERS_SECRET_KEY"
    assert key.fingerprint != load_key(Settings(tmp_path / "db", path, None, "da")).fingerprint
