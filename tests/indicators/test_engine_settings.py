"""The engine's memory and threads come from the Settings, with a memory limit derived from
the machine; a wrong value is one clear line, before any work is done."""

from __future__ import annotations

import math

import pytest
from typer.testing import CliRunner

from tvaers.cli import app
from tvaers.config import Settings, default_compute_memory
from tvaers.indicators.engine import ComputeError, DuckDBEngine, parse_size
from tvaers.synth.generate import fixture


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("engine-settings")
    fixture(root / "delivery", person_key="person_id")
    db = root / "tvaers.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(root / "delivery"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_the_default_memory_limit_is_45_percent_of_the_machine():
    # 24 GiB × 0.45 = 11,059.2 MiB; a small machine still gets 1 GiB.
    assert default_compute_memory(24 * 2**30) == "11059MB"
    assert default_compute_memory(2 * 2**30) == "1024MB"
    assert default_compute_memory(0) == "80%"  # unknown: DuckDB's own default


def test_settings_reach_the_engine(warehouse, monkeypatch):
    monkeypatch.setenv("TVAERS_COMPUTE_MEMORY_LIMIT", "700MB")
    monkeypatch.setenv("TVAERS_COMPUTE_THREADS", "1")
    engine = DuckDBEngine(warehouse)
    try:
        assert engine.memory_limit == "700MB"
        assert engine.threads == 1
        # 700 MB = 667.5 MiB as DuckDB reports it.
        assert abs(engine.memory_bytes - 700 * 10**6) < 10**6
    finally:
        engine.close()
    assert Settings.from_env().compute_memory_limit == "700MB"


def test_without_settings_the_limit_follows_the_machine(warehouse, monkeypatch):
    monkeypatch.delenv("TVAERS_COMPUTE_MEMORY_LIMIT", raising=False)
    engine = DuckDBEngine(warehouse)
    try:
        assert engine.memory_limit == default_compute_memory()
    finally:
        engine.close()


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("TVAERS_COMPUTE_MEMORY_LIMIT", "lots", "TVAERS_COMPUTE_MEMORY_LIMIT"),
        ("TVAERS_COMPUTE_THREADS", "two", "TVAERS_COMPUTE_THREADS"),
        ("TVAERS_COMPUTE_THREADS", "0", "TVAERS_COMPUTE_THREADS"),
    ],
)
def test_a_wrong_setting_is_named(warehouse, monkeypatch, variable, value, named):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ComputeError, match=named):
        DuckDBEngine(warehouse)
    result = CliRunner().invoke(app, ["indicators", "compute", "--db", str(warehouse)])
    assert result.exit_code == 1  # the indicator commands' failure code
    assert named in result.output and "Traceback" not in result.output


def test_duckdb_sizes_are_read_in_bytes():
    assert parse_size("953.6 MiB") == int(953.6 * 2**20)
    assert parse_size("10.1 GiB") == int(10.1 * 2**30)
    assert parse_size("512 bytes") == 512


def test_a_step_is_split_so_one_group_takes_half_the_memory(warehouse, monkeypatch):
    monkeypatch.setenv("TVAERS_COMPUTE_MEMORY_LIMIT", "100MB")
    engine = DuckDBEngine(warehouse)
    try:
        # 1,000,000 rows × 240 bytes = 240 MB against half of 100 MB (95.3 MiB as DuckDB
        # rounds it): 5 groups; 1,000 rows fit in one.
        budget = engine.memory_bytes / 2
        assert engine.groups_for("SELECT 1000000", 240) == math.ceil(240 * 10**6 / budget) == 5
        assert engine.groups_for("SELECT 1000", 240) == 1
    finally:
        engine.close()
