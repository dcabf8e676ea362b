"""The batch gives, series by series, what a single chart gives; suppressed cells are holes."""

from __future__ import annotations

import numpy as np
import pytest

from tvaers.spc import compute
from tvaers.spc.batch import verdicts, verdicts_for_rows


def _long_table(seed: int = 7):
    rng = np.random.default_rng(seed)
    keys, ys, ns, order = [], [], [], []
    for s in range(150):
        size = int(rng.integers(1, 40))
        n = rng.integers(20, 3000, size).astype(float)
        p = 0.1 + 0.06 * (np.arange(size) > size / 2) * (s % 2)
        y = rng.binomial(n.astype(int), p).astype(float)
        y[rng.random(size) < 0.1] = np.nan
        if s % 7 == 0:
            y[:] = 5.0  # every point on the centre line
        keys += [f"s{s:03d}"] * size
        ys += list(y)
        ns += list(n)
        order += list(range(size))
    perm = rng.permutation(len(keys))  # the batch must not depend on row order
    return (np.array(keys)[perm], np.array(ys)[perm], np.array(ns)[perm],
            np.array(order)[perm])  # fmt: skip


@pytest.mark.parametrize("chart", ["run", "pp", "up"])
def test_batch_equals_single_charts(chart: str) -> None:
    keys, y, n, order = _long_table()
    batch = verdicts(keys, y, n, order, chart=chart)
    signals = 0
    for i, key in enumerate(batch.keys):
        rows = np.flatnonzero(keys == key)
        rows = rows[np.argsort(order[rows])]
        single = compute(y[rows], n[rows], chart=chart).latest
        got = (batch.n_obs[i], batch.n_useful[i], batch.longest_run[i], batch.n_crossings[i],
               bool(batch.runs_signal[i]), batch.sigma_signals[i])  # fmt: skip
        want = (single.n_obs, single.runs.n_useful, single.runs.longest_run,
                single.runs.n_crossings, single.runs.signal, single.sigma_signals)  # fmt: skip
        assert got == want, key
        assert batch.cl[i] == pytest.approx(single.cl, nan_ok=True)
        signals += bool(batch.signal[i])
    assert 0 < signals < len(batch.keys)  # the table has both kinds


def test_batch_side_points_the_way_of_the_shift() -> None:
    up = [1.0] * 10 + [5.0] * 10
    down = [5.0] * 10 + [1.0] * 10
    flat = [1.0, 2.0] * 10
    b = verdicts(["a"] * 20 + ["b"] * 20 + ["c"] * 20, up + down + flat)
    assert b.signal.tolist() == [True, True, False]
    # the latest longest run: above the median for "a", below for "b"
    assert b.side.tolist() == [1, -1, 0]


def test_rows_from_the_result_set_treat_a_suppressed_cell_as_missing() -> None:
    base = {"indicator_id": "x", "level": "municipality", "unit_code": "0461", "stratum": "",
            "period_type": "month"}  # fmt: skip
    rows = [
        {**base, "period": f"2024-{m:02d}", "numerator": v, "denominator": 100}
        for m, v in zip(
            range(1, 13), [10, 10, None, 10, 10, 10, 30, 30, 30, 30, 30, 30], strict=True
        )
    ]
    rows.reverse()  # ordered by period inside, whatever the input order
    got = verdicts_for_rows(rows)
    ((key, rec),) = got.items()
    assert key == ("x", "municipality", "0461", "", "month")
    # 11 values (the hole is not a 0): median 0.3; the six 0.3 are on the line → 5 useful
    assert rec["n_obs"] == 12 and rec["n_useful"] == 5
    assert rec["cl"] == pytest.approx(0.3)
