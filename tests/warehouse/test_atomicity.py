"""A load killed at any moment leaves the published warehouse byte-for-byte as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tvaers.warehouse.storage import connect_read_only


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _big_delivery(directory: Path, persons: int, contacts: int) -> None:
    """A valid person_id delivery, large enough that loading takes a while."""
    directory.mkdir()
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT 'B' || i AS person_id, DATE '1940-01-01' + (i % 20000)::INTEGER AS birth_date,
                  CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END AS sex
           FROM range({persons}) t(i)) TO '{directory / "persons.csv"}' (HEADER)"""
    )
    con.execute(
        f"""COPY (SELECT 'C' || i AS contact_id, 'B' || (i % {persons}) AS person_id,
                  '5001030' AS hospital_code,
                  strftime(TIMESTAMP '2019-01-01' + to_minutes(i % 3000000), '%Y-%m-%dT%H:%M') AS start,
                  strftime(TIMESTAMP '2019-01-01' + to_minutes(i % 3000000 + 600), '%Y-%m-%dT%H:%M') AS "end",
                  'physical' AS contact_type, 'acute' AS priority, 'somatic' AS sector,
                  'DJ18' || (i % 10) AS diagnosis, 'home' AS discharged_to
           FROM range({contacts}) t(i)) TO '{directory / "hospital_contacts.csv"}' (HEADER)"""
    )
    (directory / "delivery.json").write_text('{"source": "test", "extracted_at": "2025-01-01"}')


def _start_ingest(delivery: Path, db: Path, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tvaers", "ingest", str(delivery), "--db", str(db)],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill_when(proc: subprocess.Popen, condition, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if condition():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    proc.kill()
    raise AssertionError("ingest neither reached the stage nor finished")


@pytest.mark.slow
def test_killed_load_leaves_warehouse_untouched(tmp_path, example, load, db):
    load(example)  # a published warehouse with the example delivery
    before = _digest(db)
    big = tmp_path / "big"
    _big_delivery(big, persons=20_000, contacts=400_000)

    work = lambda suffix: [p for p in db.parent.iterdir() if p.name.endswith(suffix)]  # noqa: E731
    stages = {
        "while staging": lambda: bool(work("-spill")),
        "while loading the copy": lambda: bool(work("-db")),
        "while the copy is being written": lambda: any(p.stat().st_size > 0 for p in work("-db")),
    }
    killed = 0
    for stage, reached in stages.items():
        proc = _start_ingest(big, db, tmp_path)
        if _kill_when(proc, reached):
            killed += 1
        assert _digest(db) == before, f"warehouse changed after a kill {stage}"
        con = connect_read_only(db)  # and it still opens as a valid database
        assert con.execute("SELECT count(*) FROM deliveries").fetchone() == (1,)
        con.close()
    assert killed >= 2, "the kills must land inside the load, not after it"

    # the next load cleans up the killed writer's work files and succeeds
    proc = _start_ingest(big, db, tmp_path)
    assert proc.wait(timeout=300) == 0
    assert sorted(p.name for p in db.parent.iterdir()) == ["tvaers.duckdb", "tvaers.duckdb.lock"]
    con = connect_read_only(db)
    assert con.execute("SELECT count(*) FROM hospital_contacts").fetchone() == (400_006,)
    con.close()
    assert os.stat(db).st_mode & 0o077 == 0, "the warehouse holds health data: owner only"


@pytest.mark.slow
def test_error_rows_are_exact_in_a_large_file(tmp_path, load):
    """Row numbers come from the file's order, across DuckDB's parallel row groups."""
    big = tmp_path / "rows"
    # ~70 MB: more than one of DuckDB's CSV buffers, so the file is read in parallel
    _big_delivery(big, persons=5_000, contacts=700_000)
    path = big / "hospital_contacts.csv"
    lines = path.read_text().splitlines()
    bad_rows = [2, 350_001, 699_999]
    for row in bad_rows:
        lines[row] = lines[row].replace(",acute,", ",urgent,")  # lines[0] is the header
    path.write_text("\n".join(lines) + "\n")
    result = load(big, error_limit=10)
    assert [(e.row, e.rule, e.value) for e in result.first_errors] == [
        (row, "not_in_list", "urgent") for row in bad_rows
    ]
    ids = [lines[row].split(",")[0] for row in bad_rows]
    assert ids == [f"C{row - 1}" for row in bad_rows]
