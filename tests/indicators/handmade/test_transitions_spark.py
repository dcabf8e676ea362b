"""The transitions cases (transitions_cases.py) on the Spark engine: the same hand-worked
cells, notified stays and follow-up contacts as on DuckDB (test_transitions.py), from one
module-scoped Spark run."""

from __future__ import annotations

import pytest

from tests.indicators.handmade import transitions_cases as cases
from tests.indicators.handmade.test_transitions import check_cell, check_stays, evaluate
from tests.indicators.test_spark import _require_spark

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> dict:
    _require_spark()
    return evaluate(tmp_path_factory.mktemp("transitions-spark"), "spark")


def test_cells(outcome):
    for key, expected in cases.CELLS.items():
        check_cell(outcome, key, expected)
    for key in cases.ABSENT:
        got = outcome["cells"].get(key)
        assert got is None or got[:2] == (0, 0), (key, got)


def test_notified_stays_and_followup(outcome):
    for person, expected in cases.STAYS.items():
        check_stays(outcome, person, expected)
    for person, expected in cases.FOLLOWUP.items():
        assert outcome["followup"].get(person, []) == expected, person
    assert outcome["weekly"] == cases.WEEKLY
