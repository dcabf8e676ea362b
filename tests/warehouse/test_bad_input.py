"""The bad-input suite: deliveries that are wrong in every way we know of (bad_deliveries.py),
each loaded through the command line as a user would, asserting

- the exit status (1 for a rejected or refused delivery, 0 for a control that loads),
- a message naming the file and the row, column and rule (errors.csv and the terminal), or
  for an unreadable delivery one line naming the file (and the line, where there is one),
- a byte-identical warehouse after a rejection (and no left-over work files),
- no raw CPR number anywhere: terminal, error report, quarantine files, warehouse,
- no hang: every case runs under a time limit (a child process for those that could block).

A subset is loaded again in quarantine mode: the bad row is quarantined, the rest loads,
and loaded + quarantined = the rows in the files.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.bad_deliveries import CASES, CPR_SHAPED, Case
from tests.warehouse.conftest import EXAMPLE
from tvaers.cli import app
from tvaers.cli_errors import run
from tvaers.warehouse.contract import TABLES
from tvaers.warehouse.info import summarise

CASE_SECONDS = 60
REPO = Path(__file__).resolve().parents[2]


@contextmanager
def time_limit(seconds: int):
    """Fail (instead of hanging) when the block runs longer than `seconds`."""

    def expired(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A warehouse holding the example delivery: every case starts from a copy of it."""
    root = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TVAERS_SECRET_KEY", "5e" * 32)
        assert run(app, ["ingest", str(EXAMPLE), "--db", str(root / "wh" / "tvaers.duckdb")]) == 0
    return root / "wh"


def _snapshot(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in directory.iterdir()
    }


def _cprs_in(delivery: Path) -> set[str]:
    """Every CPR-shaped value in the delivery's files, as 10 digits."""
    found = set()
    for p in delivery.iterdir():
        if p.is_file() and not p.is_symlink():
            text = p.read_bytes().decode("utf-8", errors="replace")
            found |= {a + b for a, b in CPR_SHAPED.findall(text)}
    return found


def _assert_no_raw_cpr(cprs: set[str], texts: dict[str, str]) -> None:
    for where, text in texts.items():
        for cpr in cprs:
            for form in (cpr, f"{cpr[:6]}-{cpr[6:]}"):
                assert form not in text, f"raw CPR {cpr[:6]}-xxxx in {where}"


def _warehouse_texts(db_dir: Path) -> dict[str, str]:
    """The warehouse's files as bytes and every table's content as text."""
    texts = {p.name: p.read_bytes().decode("latin-1") for p in db_dir.iterdir() if p.is_file()}
    con = duckdb.connect(str(db_dir / "tvaers.duckdb"), read_only=True)
    try:
        for name in [t.name for t in TABLES] + ["deliveries", "delivery_tables", "meta"]:
            texts[f"table {name}"] = repr(con.execute(f"SELECT * FROM {name}").fetchall())
    finally:
        con.close()
    return texts


def _report_texts(report_dir: Path) -> dict[str, str]:
    if not report_dir.exists():
        return {}
    return {
        str(p.relative_to(report_dir)): p.read_text(encoding="utf-8")
        for p in report_dir.rglob("*")
        if p.is_file()
    }


def _data_rows(delivery: Path) -> int:
    total = 0
    for p in delivery.glob("*.csv"):
        with p.open(encoding="utf-8", newline="") as fh:
            total += sum(1 for row in csv.reader(fh) if row) - 1
    return total


class Loaded:
    def __init__(self, code: int, output: str, report_dir: Path):
        self.code = code
        self.output = output
        self.report_dir = report_dir

    def errors(self) -> list[dict[str, str]]:
        with (self.report_dir / "errors.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))


def _assert_no_raw_cpr_left(cprs: set[str], result: Loaded, db_dir: Path) -> None:
    """Not on the terminal, in the report (errors, quarantine) nor in the warehouse."""
    _assert_no_raw_cpr(
        cprs,
        {"terminal": result.output, **_report_texts(result.report_dir), **_warehouse_texts(db_dir)},
    )


def _assert_refused_in_one_line(output: str, words: tuple[str, ...]) -> None:
    lines = [ln for ln in output.splitlines() if ln.strip()]
    assert len(lines) == 1, output
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"


def _params(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.id) for c in cases]


def _ingest(case: Case, delivery: Path, db_dir: Path, report_dir: Path, mode: str, capsys):
    args = ["ingest", str(delivery), "--db", str(db_dir / "tvaers.duckdb"), "--on-error", mode]
    args += ["--report-dir", str(report_dir)]
    if case.expect.subprocess:
        # A FIFO or a device: opened by mistake, it would block the test process for ever.
        child = subprocess.run(
            [sys.executable, "-m", "tvaers", *args],
            capture_output=True,
            text=True,
            timeout=CASE_SECONDS,
            env={**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "300"},
        )
        return Loaded(child.returncode, child.stdout + child.stderr, report_dir)
    with time_limit(CASE_SECONDS):
        code = run(app, args)
    captured = capsys.readouterr()
    return Loaded(code, captured.out + captured.err, report_dir)


@pytest.fixture
def prepared(template, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # keep Rich from wrapping names inside table cells

    def _prepare(case: Case) -> tuple[Path, Path]:
        delivery = tmp_path / "delivery"
        shutil.copytree(EXAMPLE, delivery)
        for p in delivery.iterdir():
            p.chmod(0o644)
        case.build(delivery)
        db_dir = tmp_path / "wh"
        shutil.copytree(template, db_dir)
        return delivery, db_dir

    return _prepare


@pytest.mark.parametrize("case", _params(CASES))
def test_bad_delivery_strict(case, prepared, tmp_path, capsys):
    delivery, db_dir = prepared(case)
    cprs = _cprs_in(delivery) if not case.expect.subprocess else set()
    before = _snapshot(db_dir)
    result = _ingest(case, delivery, db_dir, tmp_path / "report", "strict", capsys)
    expect = case.expect

    assert "Traceback" not in result.output
    for text in expect.shown:
        assert text in result.output, f"{text!r} not shown literally"
    if expect.loads:
        assert result.code == 0, result.output
        assert summarise(db_dir / "tvaers.duckdb").deliveries[-1].rows_quarantined == 0
        # `db info` must show whatever the source is called (markup included) literally
        with time_limit(CASE_SECONDS):
            assert run(app, ["db", "info", "--db", str(db_dir / "tvaers.duckdb")]) == 0
        info = capsys.readouterr()
        assert "Traceback" not in info.err
        for text in expect.info:
            assert text in info.out, info.out
    else:
        assert result.code == 1, result.output
        assert _snapshot(db_dir) == before, "the warehouse changed although rejected"
        if expect.refused:
            _assert_refused_in_one_line(result.output, expect.refused)
        else:
            wanted = {
                "file": expect.file,
                "row": "" if expect.row is None else str(expect.row),
                "column": expect.column,
                "rule": expect.rule,
            }
            reported = [{k: e[k] for k in wanted} for e in result.errors()]
            assert wanted in reported, reported
            if expect.report_value is not None:
                values = [e["value"] for e in result.errors() if e["column"] == expect.column]
                assert expect.report_value in values, values
            assert expect.file in result.output and expect.rule in result.output
    _assert_no_raw_cpr_left(cprs, result, db_dir)


QUARANTINE = [c for c in CASES if c.quarantine]


def test_the_suite_is_large_enough():
    bad = [c for c in CASES if not c.expect.loads]
    assert len(bad) >= 60 and len(QUARANTINE) >= 8


@pytest.mark.parametrize("case", _params(QUARANTINE))
def test_bad_delivery_quarantine(case, prepared, tmp_path, capsys):
    delivery, db_dir = prepared(case)
    cprs = _cprs_in(delivery)
    result = _ingest(case, delivery, db_dir, tmp_path / "report", "quarantine", capsys)
    assert result.code == 0, result.output
    assert "Traceback" not in result.output
    table = case.expect.file.removesuffix(".csv")
    with (result.report_dir / "quarantine" / f"{table}.csv").open(encoding="utf-8") as fh:
        quarantined = list(csv.DictReader(fh))
    assert any(
        q["data_row"] == str(case.expect.row) and case.expect.rule in q["reasons"]
        for q in quarantined
    ), quarantined
    if case.expect.report_value is not None:
        assert case.expect.report_value in [q[case.expect.column] for q in quarantined]
    last = summarise(db_dir / "tvaers.duckdb").deliveries[-1]
    assert last.rows_loaded + last.rows_quarantined == last.rows_delivered == _data_rows(delivery)
    assert last.rows_quarantined >= 1
    _assert_no_raw_cpr_left(cprs, result, db_dir)


def test_empty_lines_are_counted_across_read_chunks(tmp_path):
    """The accounting reads 4 MiB at a time: empty lines on both sides of a chunk's edge,
    in both line-break styles, are each counted once."""
    from tvaers.warehouse.linescan import blank_lines

    line = b"0101552213,2023-01-01,A10BA02\n"  # 30 bytes
    body = line * ((1 << 22) // len(line))  # 4 bytes short of the first chunk's edge
    path = tmp_path / "prescriptions.csv"
    # the chunk ends with "ab", an empty line; the next begins with two more (CRLF, LF)
    path.write_bytes(b"cpr,dispensed_on,atc\n" + body + b"ab\n\n" + b"\r\n\n" + line + b"\n")
    assert len(body) + len(b"ab\n\n") == 1 << 22
    assert blank_lines(path) == 4


REFUSED_IN_QUARANTINE = [
    c
    for c in CASES
    if c.id in ("nul_in_a_row", "very_long_last_line", "row_too_short", "two_files_other_case")
]


@pytest.mark.parametrize("case", _params(REFUSED_IN_QUARANTINE))
def test_unreadable_delivery_is_refused_in_quarantine_mode_too(case, prepared, tmp_path, capsys):
    """Quarantine works row by row: a row that cannot be read has no values to quarantine,
    so the delivery is refused whole and the warehouse is left as it was."""
    delivery, db_dir = prepared(case)
    before = _snapshot(db_dir)
    result = _ingest(case, delivery, db_dir, tmp_path / "report", "quarantine", capsys)
    assert result.code == 1, result.output
    assert _snapshot(db_dir) == before
    _assert_refused_in_one_line(result.output, case.expect.refused)
