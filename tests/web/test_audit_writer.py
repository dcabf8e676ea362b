"""Group commit of the audit log (audit_writer.py), on SQLite and PostgreSQL: concurrent
requests share transactions, and each returns only once its own entries are committed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from tests.web.helpers import log_in
from tvaers.web.audit import entry_values, units_seen
from tvaers.web.audit_writer import AuditWriteFailed, AuditWriter
from tvaers.web.db import make_engine, session_factory
from tvaers.web.models import AuditEntry
from tvaers.web.scope import Principal, UnitRef

ANNA = Principal(7, "anna", "Anna", "analyst", (UnitRef("cluster", "syddanmark-fyn"),))


def row(marker: str, **changes) -> dict:
    values = entry_values(ANNA, "unsuppressed_viewed", ("municipality", "461"), {"m": marker})
    values.update(changes)
    return values


def markers(sessions) -> list[str]:
    with sessions() as db:
        return sorted(e.details["m"] for e in db.scalars(select(AuditEntry)))


@pytest.fixture
def writer(sessions) -> Iterator[AuditWriter]:
    writer = AuditWriter(sessions)
    yield writer
    writer.close()


@dataclass
class Gate:
    entered: threading.Event  # the first commit has begun (and is held)
    release: threading.Event  # let it go on


@pytest.fixture
def gate(engine) -> Iterator[Gate]:
    """Holds the first commit on the engine, before it reaches the database, until the
    test releases it."""
    gate = Gate(threading.Event(), threading.Event())

    def hold(conn) -> None:
        if not gate.entered.is_set():
            gate.entered.set()
            assert gate.release.wait(30), "the test never released the first commit"

    event.listen(engine, "commit", hold)
    yield gate
    gate.release.set()
    event.remove(engine, "commit", hold)


def start(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target)
    thread.start()
    return thread


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.01)


def test_many_concurrent_requests_each_see_their_entry_committed_on_return(writer, sessions):
    errors: list[str] = []

    def request(n: int) -> None:
        writer.write([row(f"r{n:02}")])
        # Returned: the entry must already be visible to any other connection.
        with sessions() as other:
            found = other.scalar(
                select(func.count()).where(AuditEntry.details["m"].as_string() == f"r{n:02}")
            )
        if found != 1:
            errors.append(f"r{n:02} not committed when write returned ({found})")

    threads = [start(lambda n=n: request(n)) for n in range(40)]
    for thread in threads:
        thread.join()
    assert errors == []
    assert markers(sessions) == [f"r{n:02}" for n in range(40)]
    assert writer.entries == 40 and 1 <= writer.transactions <= 40


def test_requests_that_wait_meanwhile_share_one_transaction(writer, sessions, gate):
    first = start(lambda: writer.write([row("first")]))
    wait_until(gate.entered.is_set, "the first commit is held")
    others = [
        start(lambda n=n: writer.write([row(f"w{n:02}"), row(f"x{n:02}")])) for n in range(20)
    ]
    wait_until(lambda: writer.queued() == 20, "all twenty are queued")
    # Nobody has returned, and nothing is visible: not committed yet.
    assert all(t.is_alive() for t in [first, *others])
    assert markers(sessions) == []
    gate.release.set()
    for thread in [first, *others]:
        thread.join(timeout=30)
        assert not thread.is_alive()
    assert len(markers(sessions)) == 41
    assert (writer.transactions, writer.entries) == (2, 41)  # the first, then all the rest


def test_a_failing_transaction_fails_only_the_request_whose_entries_broke_it(
    writer, sessions, gate
):
    outcome: dict[str, str] = {}

    def request(name: str, rows: list[dict]) -> None:
        try:
            writer.write(rows)
            outcome[name] = "committed"
        except AuditWriteFailed:
            outcome[name] = "refused"

    first = start(lambda: request("first", [row("first")]))
    wait_until(gate.entered.is_set, "the first commit is held")
    threads = [first]
    for name, rows in (
        ("good1", [row("good1")]),
        ("broken", [row("broken-a"), row("broken-b", actor=None)]),  # NOT NULL refuses it
        ("good2", [row("good2")]),
    ):
        threads.append(start(lambda name=name, rows=rows: request(name, rows)))
        waiting = len(threads) - 1
        wait_until(lambda n=waiting: writer.queued() == n, f"{name} is queued")
    gate.release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome == {
        "first": "committed",
        "good1": "committed",
        "broken": "refused",
        "good2": "committed",
    }
    # None of the broken request's entries, not even its valid one: it was one transaction.
    assert markers(sessions) == ["first", "good1", "good2"]


def test_a_request_gives_up_when_the_commit_does_not_come(sessions, gate):
    writer = AuditWriter(sessions, wait_seconds=0.2)
    with pytest.raises(AuditWriteFailed, match="did not commit"):
        writer.write([row("late")])
    gate.release.set()
    writer.close()  # it is committed after all: an entry too many, never one too few
    assert markers(sessions) == ["late"]


def test_close_commits_what_was_handed_over_and_a_later_write_starts_again(writer, sessions):
    writer.write([row("before")])
    writer.close()
    writer.write([row("after")])
    assert markers(sessions) == ["after", "before"]


def test_the_writer_only_appends_it_cannot_overwrite_an_entry(writer, sessions):
    writer.write([row("original")])
    with sessions() as db:
        entry = db.scalars(select(AuditEntry)).one()
    # Rows naming an existing entry's id are refused, not merged into it.
    with pytest.raises(AuditWriteFailed):
        writer.write([row("forged", id=entry.id)])
    with sessions() as db:
        assert [(e.id, e.details["m"]) for e in db.scalars(select(AuditEntry))] == [
            (entry.id, "original")
        ]


# --- through the application ------------------------------------------------------------


def test_concurrent_analysts_are_each_audited_before_their_page_arrives(
    app, accounts, with_results, sessions
):
    url = "/indicators/preventable_admissions_65plus.json?level=municipality&period=2023"
    names = [f"analyst{n:02}" for n in range(12)]
    clients = {}
    for name in names:
        accounts.add(name, "analyst", ("cluster", "syddanmark-sydvestjylland"))
        clients[name] = TestClient(app)
        assert log_in(clients[name], name).status_code == 303
    start_together = threading.Barrier(len(names))
    problems: list[str] = []

    def visit(name: str) -> None:
        start_together.wait()
        response = clients[name].get(url)
        revealed = {
            c["unit_code"]
            for c in response.json()["comparison"]
            if c["suppressed"] and not c["hidden"]
        }
        # The page has arrived: its entries must be in the log already.
        with sessions() as db:
            entries = list(
                db.scalars(
                    select(AuditEntry).where(
                        AuditEntry.actor == name, AuditEntry.action == "unsuppressed_viewed"
                    )
                )
            )
        logged = {code for e in entries for _, code in units_seen(e)}
        if len(entries) != 1:
            problems.append(f"{name}: {len(entries)} entries for one page")
        if not revealed or not revealed <= logged:
            problems.append(f"{name}: revealed {sorted(revealed)}, logged {sorted(logged)}")

    threads = [start(lambda name=name: visit(name)) for name in names]
    for thread in threads:
        thread.join(timeout=60)
    assert problems == []
    writer = app.state.audit
    with sessions() as db:
        viewed = db.scalar(select(func.count()).where(AuditEntry.action == "unsuppressed_viewed"))
    assert viewed == writer.entries and 1 <= writer.transactions <= len(names)


def test_the_writer_does_not_need_a_connection_the_requests_hold(app):
    """Requests wait for the writer holding their own connections: with every connection
    of the requests' pool taken, entries must still be committed."""
    engine = app.state.engine
    held = [engine.connect() for _ in range(engine.pool.size() + engine.pool._max_overflow)]
    try:
        writing = start(lambda: app.state.audit.write([row("while the pool is taken")]))
        writing.join(timeout=10)
        assert not writing.is_alive(), "the audit writer waited for the requests' pool"
    finally:
        for conn in held:
            conn.close()
    with app.state.sessions() as db:
        assert db.scalar(select(func.count()).select_from(AuditEntry)) == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_figures_that_cannot_be_audited_are_not_shown(
    app, client, accounts, with_results, tmp_path
):
    accounts.add("anna", "analyst", ("cluster", "syddanmark-sydvestjylland"))
    log_in(client, "anna")
    # An audit log that cannot be written: a database without the table.
    broken = make_engine(f"sqlite:///{tmp_path / 'unmigrated.sqlite'}")
    app.state.audit = AuditWriter(session_factory(broken))
    try:
        url = "/indicators/preventable_admissions_65plus?level=municipality&period=2023"
        page = client.get(url)
        assert page.status_code == 503
        assert "revisionsloggen" in page.text and 'class="revealed"' not in page.text
        twin = client.get(url.replace("?", ".json?"))
        assert twin.status_code == 503 and "comparison" not in twin.text
        # A viewer reveals nothing, so nothing is written and the page is shown.
        accounts.add("vera", "viewer", ("region", "1083"))
        client.cookies.clear()
        log_in(client, "vera")
        assert client.get(url).status_code == 200
    finally:
        app.state.audit.close()
        broken.dispose()
