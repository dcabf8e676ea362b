"""The SQLite application database and its -wal/-shm files are readable by their owner only:
they hold password hashes and the audit log."""

from __future__ import annotations

import os
import stat

from sqlalchemy import text

from tvaers.web import migrate
from tvaers.web.db import make_engine


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_files_are_private_whatever_the_umask(tmp_path):
    path = tmp_path / "data" / "tvaers-app.sqlite"
    old = os.umask(0o022)  # the usual umask: files readable by everyone
    try:
        engine = make_engine(f"sqlite:///{path}")
        migrate.upgrade(engine)
        with engine.connect() as conn:  # WAL mode: a reader keeps -wal and -shm open
            conn.execute(text("SELECT count(*) FROM users"))
            files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        engine.dispose()
    finally:
        os.umask(old)


def test_an_existing_readable_database_is_made_private(tmp_path):
    path = tmp_path / "tvaers-app.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    path.chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o600
