"""The transitions indicators and building blocks on hand-made data (transitions_cases.py),
on the DuckDB engine. test_transitions_spark.py runs the same cases on Spark."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.indicators.handmade import transitions_cases as cases
from tests.indicators.handmade.builder import EXTRACTED_AT, ingest
from tvaers.indicators import catalogue, rollup, structure, weekly
from tvaers.indicators.compute import count_cells
from tvaers.indicators.engine import DuckDBEngine

TZ = ZoneInfo("Europe/Copenhagen")
EXTRACTED = date.fromisoformat(EXTRACTED_AT)


def _local(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, TZ).strftime("%Y-%m-%d %H:%M")


def evaluate(tmp: Path, engine: str) -> dict:
    """Ingest the cases' delivery, count on `engine` and roll up as `indicators compute`
    does; return the municipal cells, the notified stays and the follow-up contacts."""
    db = ingest(cases.build(), tmp)
    # The transitions indicators only (every building block still runs): Spark pays per query.
    full = catalogue.load()
    wanted = {key[0] for key in cases.CELLS}
    cat = replace(full, indicators=tuple(i for i in full.indicators if i.id in wanted))
    duck = DuckDBEngine(db)
    runner = duck
    if engine == "spark":
        from tvaers.indicators.spark import SparkEngine

        runner = SparkEngine.from_duckdb(duck, (tmp / "spark").resolve())
    try:
        count_cells(runner, cat, [2023], EXTRACTED, lambda name: None)
        stays = _rows(
            runner,
            "SELECT person_no, admit_t, end_t, end_kind, class, n_episodes, "
            "leave_seconds FROM b_notified_stays",
        )
        follow = _rows(runner, "SELECT person_no, t FROM b_followup")
        weekly.count(runner, EXTRACTED)
        runner.cells_into(duck.con, "cells")
        runner.table_into(duck.con, "weekly_cells")
    finally:
        if runner is not duck:
            runner.close()
    struct = structure.build(EXTRACTED)
    rollup.build_results(duck.con, cat, struct)
    weekly.build_results(duck.con, cat, struct)
    week_counts = {
        (i, p, u): (x, hidden)
        for i, p, u, x, hidden in duck.con.execute(
            "SELECT indicator_id, period, unit_code, numerator, suppressed FROM notified_weekly "
            "WHERE level = 'municipality'"
        ).fetchall()
    }
    keys = dict(duck.con.execute("SELECT person_no, person_key FROM wh.main.persons").fetchall())
    cells = {
        (i, p, u, s): (x, n, pv)
        for i, p, u, s, x, n, pv in duck.con.execute(
            "SELECT indicator_id, period, unit_code, stratum, numerator, "
            "coalesce(denominator, hidden_denominator), provisional FROM results "
            "WHERE level = 'municipality'"
        ).fetchall()
    }
    duck.close()
    by_person: dict[str, list] = {}
    for no, admit, end, kind, cls, n, leave in stays:
        by_person.setdefault(keys[no], []).append(
            (_local(admit), _local(end), kind, cls, n, round(leave / 3600, 6))
        )
    followups: dict[str, list] = {}
    for no, t in follow:
        followups.setdefault(keys[no], []).append(_local(t))
    return {
        "cells": cells,
        "stays": {k: sorted(v) for k, v in by_person.items()},
        "followup": {k: sorted(v) for k, v in followups.items()},
        "weekly": week_counts,
    }


def _rows(engine, sql: str) -> list[tuple]:
    if hasattr(engine, "con"):
        return engine.con.execute(sql).fetchall()
    return [tuple(r) for r in engine.spark.sql(sql).collect()]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> dict:
    return evaluate(tmp_path_factory.mktemp("transitions"), "duckdb")


def check_cell(outcome: dict, key: tuple, expected: tuple) -> None:
    got = outcome["cells"].get(key)
    assert got is not None, f"no cell {key}"
    x, n, provisional = got
    assert (x, n, provisional) == expected, key


def check_stays(outcome: dict, person: str, expected: list) -> None:
    assert outcome["stays"].get(person, []) == sorted(expected), person


@pytest.mark.parametrize("key", list(cases.CELLS), ids=lambda k: "/".join(k[:4]) or "total")
def test_cell(outcome, key):
    check_cell(outcome, key, cases.CELLS[key])


@pytest.mark.parametrize("key", cases.ABSENT, ids="/".join)
def test_absent(outcome, key):
    got = outcome["cells"].get(key)
    assert got is None or got[:2] == (0, 0), (key, got)


@pytest.mark.parametrize("person", list(cases.STAYS))
def test_notified_stays(outcome, person):
    check_stays(outcome, person, cases.STAYS[person])


@pytest.mark.parametrize("person", list(cases.FOLLOWUP))
def test_followup_contacts(outcome, person):
    assert outcome["followup"].get(person, []) == cases.FOLLOWUP[person]


def test_weekly_notified_counts(outcome):
    assert outcome["weekly"] == cases.WEEKLY
