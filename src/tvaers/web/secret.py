"""The session secret: generated on first use into a file only its owner can read.

A hard-coded or shared default would let anyone who has read the source forge a session
cookie, so there is none: either the operator sets TVAERS_SECRET or the first start writes
a random one to disk and every later start (and every worker) reads the same file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from tvaers.i18n import tr


class SecretFileError(RuntimeError):
    pass


def load_or_create_secret(path: Path) -> str:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        # O_EXCL: two processes starting at once must not overwrite each other's secret;
        # the loser reads the winner's file. Mode 600 from the start, never widened.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secret + "\n")
    return secret


def _read(path: Path) -> str:
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < 32:
        raise SecretFileError(
            tr(
                f"{path}: sessionshemmeligheden er kortere end 32 tegn; "
                "slet filen, så dannes en ny",
                f"{path}: the session secret is shorter than 32 characters; "
                "delete the file to have a new one generated",
            )
        )
    if path.stat().st_mode & 0o077:
        raise SecretFileError(
            tr(
                f"{path}: kan læses af andre end ejeren; kør `chmod 600 {path}`",
                f"{path}: readable by others than its owner; run `chmod 600 {path}`",
            )
        )
    return secret
