"""The evaluation's before/after SPC parts on a linked series, from the cells a reader may
see (a suppressed cell is a missing point for a viewer), worked out by hand."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import ClassVar

from tvaers.transfers.evaluation import case_evaluation, period_start
from tvaers.web.access import Access
from tvaers.web.results_store import CELL_COLUMNS, Definition
from tvaers.web.scope import Principal, UnitRef

BEFORE = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 10, 10]  # 2024, per 100 residents
AFTER = [20, 21, 19, 20, 22, 18, 20, 21, 19, 20, 20, 20]  # 2025


class FakeSnapshot:
    """The part of a published result set the evaluation reads: one percentage indicator,
    months of 2024–2025 for one cluster, June 2024 suppressed."""

    def __init__(self) -> None:
        self.visibility: dict = {}
        self.units: dict = {}

    definitions: ClassVar[dict[str, Definition]] = {
        "share": Definition(
            "share", "1", "Andel", "Share", "%", "%", 100, "neutral", False, ("month",), ("",)
        )
    }

    def structure_date(self, level: str) -> date:
        return date(2025, 12, 31)

    def cells(self, indicator, *, units, periods=(), period_type=None, strata=None):
        rows = []
        for year, values in ((2024, BEFORE), (2025, AFTER)):
            for month, y in enumerate(values, 1):
                row = dict.fromkeys(CELL_COLUMNS)
                row.update(
                    indicator_id=indicator,
                    period=f"{year}-{month:02d}",
                    period_type="month",
                    level=units[0][0],
                    unit_code=units[0][1],
                    stratum="",
                    numerator=y,
                    denominator=100,
                    suppressed=(year, month) == (2024, 6),
                    provisional=False,
                )
                rows.append(row)
        return rows[::-1]  # in no particular order: the evaluation sorts


def test_period_start():
    assert period_start("2024") == date(2024, 1, 1)
    assert period_start("2024-Q3") == date(2024, 7, 1)
    assert period_start("2024-11") == date(2024, 11, 1)


def test_the_series_is_split_at_go_live_into_two_parts():
    viewer = Principal(1, "v", "V", "viewer", (UnitRef("region", "1083"),))
    snap = FakeSnapshot()
    case = SimpleNamespace(
        go_live=date(2025, 1, 1),
        state="evaluation",
        series=[{"indicator": "share", "unit": "cluster:syddanmark-fyn", "stratum": ""}],
        evaluation_note=None,
        evaluation_confirmed_by=None,
        evaluation_confirmed_on=None,
    )
    found = case_evaluation(snap, Access(viewer, snap), case, lambda da, en: da)
    (series,) = found.series
    before, after = series.parts
    # 12 months each side; June 2024 (8) is hidden from a viewer and left out of the median:
    # 9, 9, 10, 10, 10, 10, 10, 10, 11, 11, 12 → 10 per 100. After: median of AFTER = 20.
    assert (before.part, before.points, before.centre) == (1, 12, 10.0)
    assert (after.part, after.points, after.centre) == (2, 12, 20.0)
    # Each part varies around its own median (runs of at most 2): no signal within a part.
    assert not before.signal and not after.signal


def test_no_parts_without_points_on_both_sides_or_before_implementation():
    snap = FakeSnapshot()
    viewer = Principal(1, "v", "V", "viewer", ())
    link = [{"indicator": "share", "unit": "cluster:syddanmark-fyn", "stratum": ""}]
    late = SimpleNamespace(
        go_live=date(2030, 1, 1),
        state="evaluation",
        series=link,
        evaluation_note=None,
        evaluation_confirmed_by=None,
        evaluation_confirmed_on=None,
    )
    (series,) = case_evaluation(snap, Access(viewer, snap), late, lambda da, en: da).series
    assert series.parts == [] and "både før og efter" in series.message
    draft = SimpleNamespace(**{**late.__dict__, "state": "consultation"})
    assert case_evaluation(snap, Access(viewer, snap), draft, lambda da, en: da).series == []
