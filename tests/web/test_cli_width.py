"""The CLI's tables in an 80-column terminal: every column keeps its header and values
whole (a table too wide for the terminal is printed row by row, cli_tables.py), no line is
longer than the terminal, and numbers are written the Danish way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from tvaers.cli_tables import print_table

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
SRC = Path(__file__).resolve().parents[2] / "src"


def tvaers(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(SRC), "TVAERS_LANG": "da"}
    result = subprocess.run(
        [sys.executable, "-m", "tvaers", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def readable(output: str, *whole: str) -> None:
    assert "…" not in output, output
    assert max(len(line) for line in output.splitlines()) <= 80, output
    for text in whole:
        assert text in output, (text, output)


def test_a_table_that_fits_is_printed_as_a_table_else_row_by_row(backend):
    narrow = Table(title="Smal")
    for header in ("Kode", "Navn"):
        narrow.add_column(header)
    narrow.add_row("561", "Esbjerg")
    wide = Table(title="Bred")
    headers = [f"Kolonnenavn{n}" for n in range(9)]  # 9 × (13 + 3) > 80 columns
    for header in headers:
        wide.add_column(header)
    wide.add_row(*(f"værdi-{n}-2025-01-01" for n in range(9)))
    console = Console(width=80, record=True, force_terminal=False)
    print_table(console, narrow)
    print_table(console, wide)
    text = console.export_text()
    assert "┃ Kode ┃ Navn    ┃" in text  # side by side
    readable(text, *headers, *(f"værdi-{n}-2025-01-01" for n in range(9)))
    assert "Kolonnenavn8  værdi-8-2025-01-01" in text  # one line per column


def test_the_cli_tables_are_readable_at_80_columns(backend, results_source, tmp_path):
    db = str(results_source)
    readable(
        tvaers("db", "info", "--db", db),
        "Udtrukket",
        "Fingeraftryk",
        "Karantæne",
        "Periode til",
    )
    readable(
        tvaers("org", "list", "--level", "cluster", "--on", "2024-01-01"),
        "Akutsygehus",
        "Medlemmer",
        "Sundhedsklynge Sydvestjylland",
    )
    readable(tvaers("org", "list", "--on", "2024-01-01"), "Fredericia", "Region Syddanmark")
    readable(tvaers("indicators", "list"), "Akutte somatiske indlæggelser blandt borgere med KOL")
    shown = tvaers("indicators", "show", "population", "--db", db, "--level", "region")
    readable(shown, "Region Syddanmark", "dansk tid")
    app_db = f"sqlite:///{tmp_path / 'app.sqlite'}"
    subprocess.run(
        [
            *(sys.executable, "-m", "tvaers", "users", "add", "anna", "--role", "analyst"),
            *("--scope", "cluster:syddanmark-sydvestjylland", "--scope", "region:1083"),
            *("--app-db", app_db, "--password-stdin"),
        ],
        input="a long enough password 1\n",
        env={**os.environ, "PYTHONPATH": str(SRC)},
        check=True,
        capture_output=True,
        text=True,
    )
    readable(
        tvaers("users", "list", "--app-db", app_db),
        "Brugernavn",
        "cluster:syddanmark-sydvestjylland",
        "Oprettet",
    )
