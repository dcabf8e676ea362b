"""Reads never block on writes: the pages keep answering, from the published results, while
`tvaers ingest` and `tvaers indicators compute` run in processes of their own, and switch to
the new results once they are published; while a new result file is being read, the other
requests go on with the old one."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.web.helpers import log_in, publish_copy
from tvaers.warehouse.storage import lock_path
from tvaers.web.results_store import ResultStore, Snapshot

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

PAGE = "/indicators/preventable_admissions_65plus.json?level=municipality"
NEW = "2030-01-01T00:00:00+00:00"


def test_other_requests_go_on_with_the_old_results_while_a_new_file_is_read(
    settings, with_results, monkeypatch
):
    store = ResultStore(settings.warehouse)
    old = store.snapshot()
    assert old is not None and old.computed_at != NEW
    publish_copy(with_results, NEW)

    reading, release = threading.Event(), threading.Event()
    real_open = Snapshot.open

    def slow_open(cls, warehouse, key):
        reading.set()
        assert release.wait(30)
        return real_open(warehouse, key)

    monkeypatch.setattr(Snapshot, "open", classmethod(slow_open))
    got: dict[str, Snapshot | None] = {}
    loader = threading.Thread(target=lambda: got.update(loader=store.snapshot()))
    loader.start()
    assert reading.wait(10), "nobody started reading the new file"
    other = threading.Thread(target=lambda: got.update(other=store.snapshot()))
    other.start()
    other.join(timeout=5)
    assert not other.is_alive(), "a request waited for the new file to be read"
    assert got["other"] is old
    release.set()
    loader.join(timeout=30)
    new = got["loader"]
    assert new is not None and new.computed_at == NEW
    assert store.snapshot() is new  # from now on, everybody has the new results


@dataclass
class Sample:
    computed_at: str
    seconds: float
    writer_locked: bool  # the writer held its lock before and after the request


def _locked(lock: Path | None) -> bool:
    """Does another process hold the advisory lock of a writer (tvaers.warehouse.storage)?"""
    if lock is None or not lock.exists():
        return False
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _serve_while(
    client, command: list[str], env: dict[str, str], lock: Path | None = None
) -> list[Sample]:
    """Ask for a page again and again while ``tvaers COMMAND`` runs in another process,
    noting whether the writer held ``lock`` throughout each request."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tvaers", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    samples = []
    try:
        while process.poll() is None:
            before = _locked(lock)
            started = time.perf_counter()
            response = client.get(PAGE)
            seconds = time.perf_counter() - started
            assert response.status_code == 200, response.text[:300]
            samples.append(
                Sample(response.json()["computed_at"], seconds, before and _locked(lock))
            )
    finally:
        output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return samples


@pytest.mark.slow
def test_pages_keep_answering_while_ingest_and_compute_run(
    client, accounts, settings, results_source, with_results, tmp_path
):
    """The served warehouse has the results of an earlier run published beside it; a real
    ingest then loads a delivery into it and a real compute publishes new results."""
    accounts.add("anna", "analyst", ("cluster", "syddanmark-sydvestjylland"))
    log_in(client, "anna")
    old = client.get(PAGE).json()["computed_at"]
    env = {
        **os.environ,
        "TVAERS_SECRET_KEY": "5e" * 32,  # synthetic data, synthetic key (as conftest)
        "TVAERS_KEY_FILE": str(tmp_path / "key"),
    }
    db = str(settings.warehouse)

    delivery = results_source.parent / "delivery"
    ingest = _serve_while(
        client, ["ingest", str(delivery), "--db", db], env, lock_path(settings.warehouse)
    )
    assert {s.computed_at for s in ingest} == {old}
    during = [s for s in ingest if s.writer_locked]
    assert len(during) >= 3, f"only {len(during)} pages answered while ingest held its lock"

    # compute reads the warehouse without a lock and holds one only to publish.
    compute = _serve_while(client, ["indicators", "compute", "--db", db], env)
    assert len(compute) >= 3, "the pages did not keep answering during compute"
    new = client.get(PAGE).json()["computed_at"]
    assert new != old
    # The old results until the new ones were published, then the new ones, never back.
    seen = [s.computed_at for s in compute]
    switch = seen.index(new) if new in seen else len(seen)
    assert seen == [old] * switch + [new] * (len(seen) - switch), seen
    slowest = max(s.seconds for s in ingest + compute)
    print(
        f"{len(ingest)} pages during ingest, {len(compute)} during compute; slowest {slowest:.2f} s"
    )
