"""Target status and assurance against hand-worked series (see agreement_world.py for the
arithmetic): met, missed, hit and miss, a suppressed latest cell, a series too short for a
control chart, and a level target expanded to the units of the level inside the region."""

from __future__ import annotations

import pytest

from tests.web.agreement_world import agreement_file, write_results
from tvaers.agreements import loading
from tvaers.agreements.status import JSON_KEYS, target_statuses
from tvaers.web.access import Access
from tvaers.web.results_store import Snapshot
from tvaers.web.scope import Principal, UnitRef

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def world(db, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    write_results(warehouse)
    loading.load(db, str(agreement_file(tmp_path)), "test")
    db.commit()
    return Snapshot.open(warehouse, ())


def by_target(rows):
    return {(r.target, r.unit): r for r in rows}


def test_met_missed_and_hit_and_miss_from_the_laney_limits(db, world):
    rows = by_target(target_statuses(db, world, "sa-test"))
    met = rows[("t-met", "municipality:580")]
    assert met.chart == "pp" and met.direction == "lower_is_better"
    # LCL 1.362 %, UCL 22.638 % (worked out in agreement_world.py) at the latest point
    # (the 12th: the results' axis runs 4 quarters longer, Esbjerg's, missing points here)
    assert len(met.result.x) == 16
    lcl, ucl = met.result.lcl[11] * 100, met.result.ucl[11] * 100
    assert lcl == pytest.approx(12 - 6 * 2 / 1.128, abs=1e-9)
    assert ucl == pytest.approx(12 + 6 * 2 / 1.128, abs=1e-9)
    assert met.assurance == "met"  # 25 ≥ UCL, lower is better
    assert rows[("t-missed", "municipality:580")].assurance == "missed"  # 1 ≤ LCL
    assert rows[("t-hit", "municipality:580")].assurance == "hit_and_miss"  # inside
    assert met.variation == "common_cause"  # alternating: 11 crossings, no run
    assert met.latest_period == "2024-Q4" and met.latest_value == pytest.approx(14.0)
    assert met.baseline_value == pytest.approx(10.0)  # 2022-Q1: 100 / 1,000
    assert rows[("t-missed", "municipality:580")].baseline_value == pytest.approx(14.0)
    assert met.distance == pytest.approx(14.0 - 25.0)
    assert set(met.as_json()) == set(JSON_KEYS) and list(met.as_json()) == list(JSON_KEYS)


def test_a_suppressed_latest_cell_shows_no_value_and_leaves_the_chart(db, world):
    rows = by_target(target_statuses(db, world, "sa-test"))
    sonderborg = rows[("t-level", "municipality:540")]
    assert sonderborg.suppressed is True and sonderborg.latest_value is None
    assert sonderborg.latest_period == "2024-Q4"
    # 11 visible points (≥ 10): still a control chart; its CL leaves the hidden cell out:
    # (6 × 100 + 5 × 140) / 11,000, not 1,440 / 12,000.
    assert sonderborg.chart == "pp"
    assert sonderborg.result.latest.cl == pytest.approx(1300 / 11000)
    assert sonderborg.as_json()["latest_value"] is None


def test_an_analyst_in_scope_sees_the_suppressed_latest_value(db, world):
    analyst = Principal(1, "anna", "Anna", "analyst", (UnitRef("municipality", "540"),))
    access = Access(analyst, world)
    rows = by_target(target_statuses(db, world, "sa-test", access=access))
    sonderborg = rows[("t-level", "municipality:540")]
    assert sonderborg.suppressed is False and sonderborg.latest_value == pytest.approx(14.0)
    assert sonderborg.result.latest.cl == pytest.approx(1440 / 12000)
    # One revealed cell, Sønderborg's, which the page's audit entry names.
    assert sum(access.revealed.values()) == 1
    assert {(level, code) for level, code, _, _ in access.revealed} == {("municipality", "540")}


def test_a_short_series_gets_a_run_chart_and_no_assurance(db, world):
    rows = by_target(target_statuses(db, world, "sa-test"))
    short = rows[("t-short", "municipality:550")]
    assert (short.chart, short.assurance) == ("run", "unknown")  # 6 points < 10
    assert short.latest_period == "2023-Q2" and short.latest_value == pytest.approx(14.0)


def test_a_level_target_has_one_row_per_unit_of_the_region_with_results(db, world):
    rows = [r for r in target_statuses(db, world, "sa-test") if r.target == "t-level"]
    # København (101) lies in Region Hovedstaden: not a row.
    assert sorted(r.unit for r in rows) == [
        "municipality:540",
        "municipality:550",
        "municipality:561",
        "municipality:580",
    ]
    esbjerg = next(r for r in rows if r.unit == "municipality:561")
    # The last 8 points below the centre line: a run of 8 > 7, low side, lower is better.
    assert esbjerg.variation == "improvement"
    only = target_statuses(db, world, "sa-test", unit="municipality:561")
    assert {r.target for r in only} == {"t-level"}
