"""CPR → keyed pseudonym (HMAC-SHA256), and the installation's secret key.

The same CPR gives the same pseudonym in every delivery from every source, so data links
on the person; without the key nobody can go back, and nobody can even test a guessed CPR.
A raw CPR never leaves this boundary: it is normalised, pseudonymised and masked here.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from tvaers.config import Settings
from tvaers.i18n import tr

KEY_BYTES = 32
_BLOCK = 64  # SHA-256 block size: HMAC pads the key to this length


class PseudonymKeyError(Exception):
    """The pseudonymisation key is missing or unsafe (message is user-facing)."""


@dataclass(frozen=True)
class PseudonymKey:
    secret: bytes
    origin: str  # where it came from, for messages; never the key itself

    @property
    def fingerprint(self) -> str:
        """Identifies the key without revealing it: a warehouse remembers the key it was
        built with and refuses another, which would silently break linkage."""
        return hmac.new(self.secret, b"tvaers-key-fingerprint", hashlib.sha256).hexdigest()[:16]

    def pseudonym(self, cpr10: str) -> str:
        """Python reference implementation (tests compare the SQL version with this)."""
        return hmac.new(self.secret, cpr10.encode("ascii"), hashlib.sha256).hexdigest()

    def sql_pads(self) -> tuple[bytes, bytes]:
        """Inner and outer HMAC pads, so DuckDB can compute the HMAC set-based in SQL."""
        key = self.secret
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def hmac_sql(expr: str) -> str:
    """SQL for HMAC-SHA256 of the text `expr`, with the pads bound as parameters $ipad and
    $opad (never inlined, so the key cannot end up in a query log)."""
    return f"sha256($opad::BLOB || unhex(sha256($ipad::BLOB || encode({expr}))))"


def _decode(text: str) -> bytes:
    text = text.strip()
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = text.encode("utf-8")
    if len(raw) < KEY_BYTES:
        raise PseudonymKeyError(
            tr(
                f"Nøglen er for kort: mindst {KEY_BYTES} byte (64 hex-tegn) kræves.",
                f"The key is too short: at least {KEY_BYTES} bytes (64 hex digits) required.",
            )
        )
    return raw


def load_key(settings: Settings) -> PseudonymKey | None:
    """The key from TVAERS_SECRET_KEY, else from the key file; None when there is none."""
    if settings.secret_key_env:
        return PseudonymKey(_decode(settings.secret_key_env), "TVAERS_SECRET_KEY")
    path = settings.key_file
    if not path.exists():
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PseudonymKeyError(
            tr(
                f"Nøglefilen {path} kan læses af andre (rettigheder {mode:o}); "
                f"kør: chmod 600 {path}",
                f"The key file {path} is readable by others (mode {mode:o}); run: chmod 600 {path}",
            )
        )
    return PseudonymKey(_decode(path.read_text()), str(path))


def require_key(settings: Settings) -> PseudonymKey:
    key = load_key(settings)
    if key is None:
        raise PseudonymKeyError(
            tr(
                "Leveringen har CPR-numre, men der er ingen pseudonymiseringsnøgle. "
                f"Opret den med `tvaers keys init` (gemmes i {settings.key_file}) "
                "eller sæt TVAERS_SECRET_KEY. Intet er indlæst.",
                "The delivery has CPR numbers but there is no pseudonymisation key. "
                f"Create one with `tvaers keys init` (stored in {settings.key_file}) "
                "or set TVAERS_SECRET_KEY. Nothing was loaded.",
            )
        )
    return key


def init_key_file(path: Path) -> PseudonymKey:
    """Create a new random key file readable by its owner only. Never overwrites a key:
    losing it would make every existing pseudonym unlinkable."""
    if path.exists():
        raise PseudonymKeyError(
            tr(
                f"Nøglefilen {path} findes allerede og overskrives ikke.",
                f"The key file {path} already exists and is not overwritten.",
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = secrets.token_bytes(KEY_BYTES)
    # O_EXCL + mode 0600 at creation: no moment where the file is readable by others.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret.hex() + "\n")
    return PseudonymKey(secret, str(path))


def mask_sql(expr: str) -> str:
    """SQL showing a CPR-like value only as DDMMYY-xxxx (or x's when too short)."""
    return (
        f"CASE WHEN length({expr}) >= 6 THEN left({expr}, 6) || '-xxxx' "
        f"ELSE repeat('x', length({expr})) END"
    )
