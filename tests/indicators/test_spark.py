"""The Spark engine gives the DuckDB engine's results: every row, every count exactly, every
value and interval to 1e-9 relative, on the small synthetic fixture (~2,500 people, six
years), run the way a user runs it: `tvaers indicators compute --engine spark`.

Needs pyspark and Java 17+. Locally the tests skip, with the reason, when either is missing;
in CI (CI=true) they fail instead, so a machine without them cannot pass unnoticed.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tvaers.cli import app
from tvaers.config import Settings
from tvaers.indicators import catalogue
from tvaers.indicators.compute import compute
from tvaers.indicators.results import results_path
from tvaers.indicators.spark import java_available
from tvaers.synth.generate import fixture
from tvaers.warehouse.ingest import ingest

pytestmark = pytest.mark.spark

KEY = ("indicator_id", "period", "level", "unit_code", "stratum")
EXACT = ("period_type", "unit_name", "numerator", "denominator", "suppressed", "suppression")
EXACT += ("provisional",)
CLOSE = ("value", "ci_low", "ci_high", "std_value", "std_ci_low", "std_ci_high")


def _require_spark() -> None:
    problem = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        problem = "pyspark is not installed (make test installs it: pip install -e '.[dev]')"
    if problem is None and not java_available():
        problem = "no Java: the Spark engine needs Java 17+ (java on the PATH or JAVA_HOME)"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Spark engine test cannot run in CI: {problem}")
    pytest.skip(problem)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    _require_spark()
    root = tmp_path_factory.mktemp("spark")
    delivery = fixture(root / "delivery", person_key="person_id")
    db = root / "w.duckdb"
    loaded = ingest(
        delivery.deliveries[0], db, mode="strict", settings=Settings.from_env(),
        report_dir=root / "rep",
    )  # fmt: skip
    assert loaded.status == "loaded", (loaded.status, loaded.error_counts)
    return db


@pytest.fixture(scope="module")
def duckdb_results(warehouse) -> Path:
    """The DuckDB engine's result file, kept aside (a later run publishes over it)."""
    compute(warehouse, engine="duckdb")
    kept = warehouse.with_name("duckdb-engine.results.duckdb")
    shutil.copyfile(results_path(warehouse), kept)
    return kept


def _rows(path: Path) -> tuple[dict[tuple, dict], str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        cur = con.execute("SELECT * FROM results")
        names = [d[0] for d in cur.description]
        rows = {}
        for values in cur.fetchall():
            row = dict(zip(names, values, strict=True))
            rows[tuple(row[k] for k in KEY)] = row
        engine = con.execute("SELECT value FROM run WHERE key = 'engine'").fetchone()[0]
    finally:
        con.close()
    return rows, engine


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


def _assert_same(expected: dict[tuple, dict], got: dict[tuple, dict]) -> None:
    missing, extra = expected.keys() - got.keys(), got.keys() - expected.keys()
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])
    differences = []
    for key, want in expected.items():
        have = got[key]
        differences += [(key, c, want[c], have[c]) for c in EXACT if want[c] != have[c]]
        differences += [(key, c, want[c], have[c]) for c in CLOSE if not _close(want[c], have[c])]
    assert not differences, (len(differences), differences[:10])


def test_spark_engine_gives_the_duckdb_results(warehouse, duckdb_results):
    """One Spark run (minutes on a busy 2-core machine: nearly all of it is Spark's fixed
    cost per query and stage, not the data), through `tvaers indicators compute --engine
    spark`, which is compute(db, engine="spark") behind the command line."""
    started = time.perf_counter()
    result = CliRunner().invoke(
        app, ["indicators", "compute", "--db", str(warehouse), "--engine", "spark"]
    )
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "(spark)" in result.output
    print(f"\nSpark engine on the fixture: {seconds:.1f} s")
    expected, duck_engine = _rows(duckdb_results)
    got, spark_engine = _rows(results_path(warehouse))
    assert (duck_engine, spark_engine) == ('"duckdb"', '"spark"')
    assert len(expected) > 10_000
    # the fixture exercises every indicator and level, suppression and provisional marks
    assert {k[0] for k in expected} == {i.id for i in catalogue.load().indicators}
    # (the bilateral collaborations are in force on the fixture's extraction date)
    levels = {"municipality", "bilateral", "cluster", "region", "country"}
    assert {k[2] for k in expected} == levels
    assert any(r["suppressed"] for r in expected.values())
    assert any(r["provisional"] for r in expected.values())
    _assert_same(expected, got)
