"""Group commit for the audit log: one writer thread commits the entries of every request
that is waiting, in one transaction, and each request goes on only once its own entries
are committed.

Why: every view of unsuppressed data is written to the audit log, durably, before the data
is sent. With a commit per request, each analyst's page waits for its own flush to disk
(SQLite's fsync, PostgreSQL's WAL flush), and under many concurrent analysts on a busy disk
those flushes queue up behind each other (p95 245–353 ms, docs/performance.md). Here the
requests that arrive while one transaction commits go together into the next: one flush for
all of them. Nothing waits for a timer, so at low load a transaction holds one request's
entries and is committed at once, as before.

Durability is not traded for it: ``write`` returns only after the transaction holding its
entries has committed, and raises ``AuditWriteFailed`` when that failed, so no page is sent
without its entries stored. A transaction that fails is retried one request at a time, so
one request's bad entry cannot fail the others. The writer only ever inserts.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from tvaers.web.models import AuditEntry

# How long a request waits for its commit before giving up (the page is then not shown).
# Longer than SQLite's busy timeout (15 s, db.py), so a slow lock shows as that error.
WAIT_SECONDS = 30.0


class AuditWriteFailed(RuntimeError):
    """The entries could not be committed: the data they describe must not be shown."""


@dataclass
class _Request:
    rows: list[dict[str, Any]]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class AuditWriter:
    """Commits audit entries in groups; one per application (``app.state.audit``).

    The thread starts with the first entry and stops at ``close()`` (the application's
    shutdown), after committing what it has been given.
    """

    def __init__(self, sessions: sessionmaker[Session], *, wait_seconds: float = WAIT_SECONDS):
        self._sessions = sessions
        self._wait = wait_seconds
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._queue: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        # Counted by the writer thread only; read by tests and the benchmark.
        self.transactions = 0
        self.entries = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Commit ``rows`` (the columns of AuditEntry, see audit.entry_values) and return
        once they are committed."""
        if not rows:
            return
        request = _Request(rows)
        with self._lock:
            if self._thread is None:
                # A queue per thread: one that is stopping never takes a later request.
                self._queue = queue.SimpleQueue()
                self._thread = threading.Thread(
                    target=self._run, args=(self._queue,), name="tvaers-audit", daemon=True
                )
                self._thread.start()
            self._queue.put(request)
        if not request.done.wait(self._wait):
            raise AuditWriteFailed(f"the audit log did not commit within {self._wait:.0f} s")
        if request.error is not None:
            raise AuditWriteFailed("the audit log could not be written") from request.error

    def queued(self) -> int:
        """Requests waiting for the next transaction (for tests and monitoring)."""
        return self._queue.qsize()

    def close(self) -> None:
        """Commit what has been handed over, then stop the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is None:
                return
            self._queue.put(None)
        thread.join()

    def _run(self, requests: queue.SimpleQueue[_Request | None]) -> None:
        while True:
            first = requests.get()
            if first is None:
                return
            group, stop = [first], False
            # Everything that arrived while the previous transaction committed.
            while True:
                try:
                    following = requests.get_nowait()
                except queue.Empty:
                    break
                if following is None:
                    stop = True
                    break
                group.append(following)
            self._commit(group)
            if stop:
                return

    def _commit(self, group: list[_Request]) -> None:
        rows = [row for request in group for row in request.rows]
        try:
            with self._sessions() as session, session.begin():
                session.execute(insert(AuditEntry), rows)
        except Exception as error:
            if len(group) > 1:
                for request in group:
                    self._commit([request])
                return
            group[0].error = error
        else:
            self.transactions += 1
            self.entries += len(rows)
        for request in group:
            request.done.set()
