"""Centre line and limits of one part of a chart, from its base (see
docs/spc.md and the binding spec). Pure functions over numpy arrays; NaN is a missing value.

Constants: 1.128 is d2 for moving ranges of two points (sigma = AMR / d2); 3.267 is D4 for
two points (the upper limit of a moving range, also the screening cut-off).
"""

from __future__ import annotations

import numpy as np

D2 = 1.128
D4 = 3.267


def moving_ranges(seq: np.ndarray) -> np.ndarray:
    """|v_j - v_{j-1}| of consecutive entries; NaN where either side is missing."""
    return np.abs(np.diff(seq))


def average_moving_range(seq: np.ndarray, screen: bool) -> float:
    """Mean moving range of the sequence `seq` (the base values in order, missing as NaN).
    Screening drops every range >= D4 * AMR and takes the mean again (once)."""
    mr = moving_ranges(seq)
    mr = mr[np.isfinite(mr)]
    if mr.size == 0:
        return np.nan
    amr = mr.mean()
    if screen and amr > 0:
        kept = mr[mr < D4 * amr]
        amr = kept.mean() if kept.size else np.nan
    return float(amr)


def _nanmean(a: np.ndarray) -> float:
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else np.nan


def _ratio(y: np.ndarray, n: np.ndarray) -> float:
    ok = np.isfinite(y) & np.isfinite(n)
    total = n[ok].sum()
    return float(y[ok].sum() / total) if total > 0 else np.nan


def part_limits(
    chart: str,
    value: np.ndarray,
    y: np.ndarray,
    n: np.ndarray | None,
    base: np.ndarray,
    screen_mr: bool,
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """For one part: the plotted values (the MR chart plots its moving ranges), the centre
    line, and the lower and upper limit per point (NaN for a run chart)."""
    size = value.size
    nan = np.full(size, np.nan)
    if chart == "run":
        v = value[base]
        v = v[np.isfinite(v)]
        return value, float(np.median(v)) if v.size else np.nan, nan, nan.copy()
    if chart == "i":
        cl = _nanmean(value[base])
        sigma = average_moving_range(value[base], screen_mr) / D2
        return value, cl, np.full(size, cl - 3 * sigma), np.full(size, cl + 3 * sigma)
    if chart == "mr":
        # consecutive points of the part, an excluded point included in the differences
        ranges = np.r_[np.nan, moving_ranges(value)]
        cl = _nanmean(ranges[base])
        return ranges, cl, np.zeros(size), np.full(size, D4 * cl)
    if chart == "c":
        cl = _nanmean(y[base])
        sigma = np.sqrt(cl)
        return value, cl, np.full(size, max(cl - 3 * sigma, 0.0)), np.full(size, cl + 3 * sigma)
    # p, u, pp, up: a ratio centre line and a sigma per point from its denominator
    assert n is not None
    cl = _ratio(y[base], n[base])
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.sqrt(cl * (1 - cl) / n) if chart in ("p", "pp") else np.sqrt(cl / n)
        if chart in ("pp", "up"):
            z = (value - cl) / sigma
            z[~np.isfinite(z)] = np.nan  # a zero sigma (CL of 0 or 1) gives no z
            sigma = sigma * (average_moving_range(z[base], screen_mr) / D2)
    lcl, ucl = cl - 3 * sigma, cl + 3 * sigma
    lcl = np.maximum(lcl, 0.0)
    if chart in ("p", "pp"):
        ucl = np.minimum(ucl, 1.0)
    return value, cl, lcl, ucl
