"""Verdicts for many series at once: the run chart (or Laney's P′/U′ chart) of every series
of a long table in a handful of grouped numpy operations, for dashboards that show a verdict
for every indicator × unit × stratum × period type.

It uses the default parameters (no freeze, no parts, no exclusions); a single chart with
parameters is `chart.compute`. The results equal `compute` series by series (tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from tvaers.spc.limits import D2, D4
from tvaers.spc.runs import crossings_min, longest_run_max

BATCH_CHARTS = ("run", "pp", "up")


@dataclass(frozen=True)
class BatchResult:
    """One entry per series (arrays aligned with `keys`)."""

    keys: np.ndarray
    n_obs: np.ndarray
    n_useful: np.ndarray
    longest_run: np.ndarray
    longest_run_max: np.ndarray  # -1 where there is no useful point
    n_crossings: np.ndarray
    n_crossings_min: np.ndarray  # -1 where there is no useful point
    runs_signal: np.ndarray
    sigma_signals: np.ndarray
    cl: np.ndarray
    side: np.ndarray  # +1 / -1: which way a signal points (0: none)

    @property
    def signal(self) -> np.ndarray:
        return self.runs_signal | (self.sigma_signals > 0)

    def records(self) -> list[dict]:
        fields = [f for f in self.__dataclass_fields__ if f != "keys"]
        cols = {f: getattr(self, f).tolist() for f in fields}
        cols["signal"] = self.signal.tolist()
        return [{"key": key, **{f: cols[f][i] for f in cols}} for i, key in enumerate(self.keys)]


def _group_sums(g: np.ndarray, weights: np.ndarray, groups: int) -> np.ndarray:
    return np.bincount(g, weights=weights, minlength=groups)


def _grouped_median(g: np.ndarray, v: np.ndarray, groups: int) -> np.ndarray:
    ok = np.isfinite(v)
    gf, vf = g[ok], v[ok]
    order = np.lexsort((vf, gf))
    vs = vf[order]
    count = np.bincount(gf, minlength=groups)
    start = np.cumsum(count) - count
    med = np.full(groups, np.nan)
    has = count > 0
    lo = start[has] + (count[has] - 1) // 2
    hi = start[has] + count[has] // 2
    med[has] = (vs[lo] + vs[hi]) / 2
    return med


def _grouped_amr(g: np.ndarray, z: np.ndarray, groups: int, screen: bool) -> np.ndarray:
    """Average moving range of z within each group (consecutive rows of a group)."""
    same = np.r_[False, g[1:] == g[:-1]]
    mr = np.full(z.size, np.nan)
    mr[1:] = np.abs(np.diff(z))
    mr[~same] = np.nan
    ok = np.isfinite(mr)
    count = np.bincount(g[ok], minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        amr = _group_sums(g[ok], mr[ok], groups) / count
        if screen:
            keep = ok.copy()
            keep[ok] = ~((amr[g[ok]] > 0) & (mr[ok] >= D4 * amr[g[ok]]))
            amr = _group_sums(g[keep], mr[keep], groups) / np.bincount(g[keep], minlength=groups)
    return amr


def verdicts(
    series_key: Sequence,
    y: Sequence[float],
    n: Sequence[float] | None = None,
    order: Sequence | None = None,
    *,
    chart: str = "run",
    screen_mr: bool = True,
) -> BatchResult:
    """Run (or Laney) chart verdicts for every series of a long table. `series_key` names
    each row's series, `order` orders the rows within a series (the rows' own order when
    omitted); `y` is a value or numerator (NaN/None = missing), `n` a denominator."""
    if chart not in BATCH_CHARTS:
        raise ValueError(f"batch charts are {BATCH_CHARTS}, not {chart!r}")
    if chart != "run" and n is None:
        raise ValueError(f"chart {chart!r} needs denominators")
    keys, g = np.unique(np.asarray(series_key), return_inverse=True)
    g = g.ravel()
    y = np.asarray(y, dtype=float)
    nn = None if n is None else np.asarray(n, dtype=float)
    sort = np.lexsort((np.asarray(order), g)) if order is not None else np.argsort(g, kind="stable")
    g, y = g[sort], y[sort]
    nn = None if nn is None else nn[sort]
    groups = keys.size
    with np.errstate(invalid="ignore", divide="ignore"):
        value = y / nn if nn is not None else y
    value[~np.isfinite(value)] = np.nan

    sigma_signals = np.zeros(groups, dtype=np.int64)
    sigma_side = np.zeros(groups, dtype=np.int64)
    if chart == "run":
        cl = _grouped_median(g, value, groups)
    else:
        ok = np.isfinite(y) & np.isfinite(nn)
        with np.errstate(invalid="ignore", divide="ignore"):
            cl = _group_sums(g[ok], y[ok], groups) / _group_sums(g[ok], nn[ok], groups)
            c = cl[g]
            sigma = np.sqrt(c * (1 - c) / nn) if chart == "pp" else np.sqrt(c / nn)
            z = (value - c) / sigma
            z[~np.isfinite(z)] = np.nan
            sigma = sigma * (_grouped_amr(g, z, groups, screen_mr) / D2)[g]
            lcl = np.maximum(c - 3 * sigma, 0.0)
            ucl = c + 3 * sigma
            if chart == "pp":
                ucl = np.minimum(ucl, 1.0)
            outside = np.isfinite(value) & ((value > ucl) | (value < lcl))
        sigma_signals = np.bincount(g[outside], minlength=groups)
        # the side of the latest point outside the limits, per series
        rows = np.flatnonzero(outside)
        if rows.size:
            last = np.r_[g[rows][1:] != g[rows][:-1], True]
            sigma_side[g[rows][last]] = np.sign(value[rows][last] - c[rows][last])

    n_obs = np.bincount(g, minlength=groups)
    sign = np.sign(value - cl[g])
    useful = np.isfinite(sign) & (sign != 0)
    gu, su = g[useful], sign[useful]
    n_useful = np.bincount(gu, minlength=groups)
    new_run = np.r_[True, (gu[1:] != gu[:-1]) | (su[1:] != su[:-1])] if gu.size else gu.astype(bool)
    run_id = np.cumsum(new_run) - 1
    run_len = np.bincount(run_id) if gu.size else np.zeros(0, dtype=np.int64)
    run_group, run_side = gu[new_run], su[new_run]
    n_runs = np.bincount(run_group, minlength=groups)
    longest = np.zeros(groups, dtype=np.int64)
    np.maximum.at(longest, run_group, run_len)
    # the latest longest run of each series gives the side of a runs signal
    run_side_of = np.zeros(groups, dtype=np.int64)
    if run_len.size:
        pick = np.lexsort((np.arange(run_len.size), run_len, run_group))
        last = np.r_[run_group[pick][1:] != run_group[pick][:-1], True]
        run_side_of[run_group[pick][last]] = run_side[pick][last]

    table = np.arange(n_useful.max(initial=0) + 1)
    lmax = longest_run_max(table)[n_useful]
    cmin = crossings_min(table)[n_useful]
    crossings = np.maximum(n_runs - 1, 0)
    runs_signal = (n_useful > 0) & ((longest > lmax) | (crossings < cmin))
    side = np.where(sigma_signals > 0, sigma_side, run_side_of)
    side = np.where(runs_signal | (sigma_signals > 0), side, 0)
    return BatchResult(
        keys=keys,
        n_obs=n_obs,
        n_useful=n_useful,
        longest_run=longest,
        longest_run_max=lmax,
        n_crossings=crossings,
        n_crossings_min=cmin,
        runs_signal=runs_signal,
        sigma_signals=sigma_signals,
        cl=cl,
        side=side.astype(np.int64),
    )


SERIES_FIELDS = ("indicator_id", "level", "unit_code", "stratum", "period_type")


def verdicts_for_rows(
    rows: Iterable[dict], *, chart: str = "run", fields: Sequence[str] = SERIES_FIELDS
) -> dict[tuple, dict]:
    """Verdicts for result rows as `indicators.export.rows()` gives them (disclosure control
    already applied: a suppressed cell has no numerator and is a missing point). Keyed by
    the series fields; the rows are ordered by `period` within a series."""
    rows = list(rows)
    if not rows:
        return {}
    # factorise the series keys with a dict (much faster than sorting 200,000 key strings)
    index: dict[tuple, int] = {}
    codes = np.fromiter(
        (index.setdefault(tuple(r[f] for f in fields), len(index)) for r in rows),
        dtype=np.int64,
        count=len(rows),
    )
    periods, order = np.unique(np.array([r["period"] for r in rows]), return_inverse=True)
    del periods
    y = np.fromiter(
        (np.nan if r["numerator"] is None else r["numerator"] for r in rows), float, len(rows)
    )
    # An indicator without a denominator (a count) is charted as it is on a run chart and
    # has no Laney chart.
    no_n = 1.0 if chart == "run" else np.nan
    n = np.fromiter(
        (no_n if r.get("denominator") is None else r["denominator"] for r in rows),
        float,
        len(rows),
    )
    result = verdicts(codes, y, n, order.ravel(), chart=chart)
    key_of = list(index)  # code → key tuple (insertion order)
    return {key_of[int(code)]: rec for code, rec in zip(result.keys, result.records(), strict=True)}
