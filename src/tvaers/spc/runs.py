"""The runs analysis of Anhøj and Olesen (2014): unusually long runs or unusually few
crossings of the centre line are a sign of a real change.

Written here rather than taken from a package: no maintained Python package implements the
Anhøj rules, and they are a few lines of array arithmetic. Everything is vectorised so that
the batch (`batch.py`) can run it over thousands of series in one go.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Below this many useful observations the rules are not calibrated (they are computed
# anyway and the chart says so).
MIN_USEFUL = 10


def longest_run_max(n_useful):
    """Upper limit for the longest run: round(log2(n)) + 3 (None-like -1 for n = 0)."""
    n = np.asarray(n_useful, dtype=float)
    with np.errstate(divide="ignore"):
        limit = np.rint(np.log2(np.where(n > 0, n, 1))) + 3
    return np.where(n > 0, limit, -1).astype(np.int64)


def crossings_min(n_useful):
    """Lower limit for the number of crossings: the smallest x with
    P(X <= x) >= 0.05 for X ~ Binomial(n - 1, 0.5) (-1 for n = 0)."""
    # SciPy is imported here, not at the top: the CLI loads this module at start-up and
    # SciPy would cost every command a second.
    from scipy.stats import binom

    n = np.asarray(n_useful, dtype=np.int64)
    trials = np.maximum(n - 1, 0)
    # binom.ppf is the smallest x with CDF >= q; the tiny relative tolerance guards against
    # a CDF that is exactly 0.05 in exact arithmetic but a hair below in floating point.
    x = binom.ppf(0.05 * (1 - 1e-12), trials, 0.5)
    return np.where(n > 0, x, -1).astype(np.int64)


@dataclass(frozen=True)
class Runs:
    n_useful: int
    longest_run: int
    longest_run_max: int | None
    n_crossings: int
    n_crossings_min: int | None
    signal: bool


def analyse(values: np.ndarray, cl, *, no_signal: bool = False) -> Runs:
    """Runs analysis of `values` (NaN = missing) against the centre line `cl` (a number or
    one per point). Points on the line and missing points are not useful and neither break
    nor extend a run."""
    sign = np.sign(np.asarray(values, dtype=float) - cl)
    useful = sign[np.isfinite(sign) & (sign != 0)]
    n = int(useful.size)
    if n == 0:
        return Runs(0, 0, None, 0, None, False)
    starts = np.flatnonzero(np.r_[True, useful[1:] != useful[:-1]])
    lengths = np.diff(np.r_[starts, n])
    longest, crossings = int(lengths.max()), int(starts.size - 1)
    lmax, cmin = int(longest_run_max(n)), int(crossings_min(n))
    signal = (longest > lmax or crossings < cmin) and not no_signal
    return Runs(n, longest, lmax, crossings, cmin, bool(signal))


def shift_side(values: np.ndarray, cl) -> int:
    """+1 or -1: the side of the centre line of the longest run (the latest one on a tie);
    0 when there is no useful point. Used to tell an increase from a decrease."""
    sign = np.sign(np.asarray(values, dtype=float) - cl)
    useful = sign[np.isfinite(sign) & (sign != 0)]
    if useful.size == 0:
        return 0
    starts = np.flatnonzero(np.r_[True, useful[1:] != useful[:-1]])
    lengths = np.diff(np.r_[starts, useful.size])
    latest_longest = starts.size - 1 - int(np.argmax(lengths[::-1]))
    return int(useful[starts[latest_longest]])
