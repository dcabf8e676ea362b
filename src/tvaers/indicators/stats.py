"""Confidence intervals for the indicator engine, vectorised over numpy arrays.

Every function takes array-likes or scalars (broadcast against each other), returns a pair of
float arrays ``(low, high)`` already multiplied by ``factor``, and gives NaN wherever the
interval is undefined (a missing value, a zero or negative denominator, a count outside its
range). No function emits a numpy warning: undefined entries are masked out before any
arithmetic. ``level`` is the two-sided coverage; ``alpha = 1 - level``.

Crude values
------------
Rates (factor 1,000) and day counts, :func:`poisson_ci` — the exact Poisson interval of
Garwood (1936, Biometrika 28:437–442) on the numerator ``x``, divided by the denominator ``n``::

    low  = chi2.ppf(alpha/2, 2x) / 2      (0 when x = 0)
    high = chi2.ppf(1 - alpha/2, 2x + 2) / 2

Percentages (factor 100), :func:`wilson_ci` — the score interval of Wilson (1927, JASA
22:209–212), with ``p = x/n`` and ``z = norm.ppf(1 - alpha/2)``::

    (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)

Directly standardised values
----------------------------
Standardisation is direct, by sex and 5-year age band: standard weights ``w_i`` (summing
to 1) over strata ``i`` with count ``x_i`` and person count ``n_i``. The caller (the engine,
in SQL) computes ``y = Σ w_i x_i / n_i`` and its variance, following Breslow & Day
(1987, Statistical Methods in Cancer Research II, IARC Sci. Publ. 82, ch. 2):

    rates:        v = Σ w_i² x_i / n_i²                (Poisson counts)
    percentages:  v = Σ w_i² p_i (1 - p_i) / n_i       (binomial counts, p_i = x_i / n_i)

Rates, :func:`fay_feuer_ci` — the gamma method of Fay & Feuer (1997, Statistics in Medicine
16:791–801), with ``wm = max w_i / n_i`` over strata with ``n_i > 0``::

    low  = v / 2y · chi2.ppf(alpha/2, 2y²/v)                        (0 when y = 0)
    high = (v + wm²) / 2(y + wm) · chi2.ppf(1 - alpha/2, 2(y + wm)² / (v + wm²))

Percentages, :func:`normal_ci` — the normal approximation ``y ± z·sqrt(v)``, clipped to
[0, 1].
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import chi2, norm

__all__ = ["fay_feuer_ci", "normal_ci", "poisson_ci", "wilson_ci"]

Interval = tuple[np.ndarray, np.ndarray]


def _alpha(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    return 1.0 - level


def _floats(*values: ArrayLike) -> list[np.ndarray]:
    # dtype=float turns None into NaN, so missing values flow into the "undefined" mask.
    return np.broadcast_arrays(*(np.asarray(value, dtype=float) for value in values))


def _nan_like(shape: tuple[int, ...]) -> np.ndarray:
    return np.full(shape, np.nan)


def poisson_ci(
    numerator: ArrayLike, denominator: ArrayLike, factor: ArrayLike, level: float = 0.95
) -> Interval:
    """Exact (Garwood) Poisson interval for ``numerator / denominator * factor``."""
    alpha = _alpha(level)
    x, n, f = _floats(numerator, denominator, factor)
    low, high = _nan_like(x.shape), _nan_like(x.shape)
    ok = (x >= 0) & (n > 0) & np.isfinite(x) & np.isfinite(n) & np.isfinite(f)
    xs, scale = x[ok], f[ok] / n[ok]
    # chi2 with 0 degrees of freedom is degenerate at 0: the lower limit for x = 0 is 0 by
    # definition, so only the positive counts go to chi2.ppf.
    lo = np.zeros_like(xs)
    pos = xs > 0
    lo[pos] = chi2.ppf(alpha / 2, 2 * xs[pos]) / 2
    low[ok] = lo * scale
    high[ok] = chi2.ppf(1 - alpha / 2, 2 * xs + 2) / 2 * scale
    return low, high


def wilson_ci(
    numerator: ArrayLike, denominator: ArrayLike, factor: ArrayLike, level: float = 0.95
) -> Interval:
    """Wilson score interval for the proportion ``numerator / denominator``, times ``factor``."""
    z = norm.ppf(1 - _alpha(level) / 2)
    x, n, f = _floats(numerator, denominator, factor)
    low, high = _nan_like(x.shape), _nan_like(x.shape)
    ok = (n > 0) & (x >= 0) & (x <= n) & np.isfinite(n) & np.isfinite(f)
    xs, ns = x[ok], n[ok]
    p = xs / ns
    z2n = z * z / ns
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * np.sqrt(p * (1 - p) / ns + z2n / (4 * ns))
    # At x = 0 and x = n the limits are exactly 0 and 1; clipping removes rounding residue.
    low[ok] = np.clip(centre - half, 0.0, 1.0) * f[ok]
    high[ok] = np.clip(centre + half, 0.0, 1.0) * f[ok]
    return low, high


def fay_feuer_ci(
    y: ArrayLike, v: ArrayLike, wm: ArrayLike, factor: ArrayLike, level: float = 0.95
) -> Interval:
    """Gamma (Fay–Feuer) interval for a directly standardised rate ``y`` with variance ``v``.

    ``wm`` is the largest ``w_i / n_i`` over populated strata. Because then
    ``v <= wm * y``, the upper limit always exceeds ``y`` (its gamma shape is >= 1).
    """
    alpha = _alpha(level)
    y, v, wm, f = _floats(y, v, wm, factor)
    low, high = _nan_like(y.shape), _nan_like(y.shape)
    # y = 0 exactly when every count is 0, and then v = 0 too: a positive y with v = 0 (or the
    # reverse) cannot come from real strata, so it is reported as undefined, not guessed at.
    finite = np.isfinite(y) & np.isfinite(v) & np.isfinite(wm) & np.isfinite(f)
    ok = finite & (y >= 0) & (v >= 0) & (wm > 0) & ((y > 0) == (v > 0))
    ys, vs, wms, fs = y[ok], v[ok], wm[ok], f[ok]
    lo = np.zeros_like(ys)
    pos = ys > 0
    yp, vp = ys[pos], vs[pos]
    # The gamma with mean y and variance v, written as a scaled chi-square.
    lo[pos] = vp / (2 * yp) * chi2.ppf(alpha / 2, 2 * yp * yp / vp)
    # The upper limit adds one more event in the stratum with the largest weight per person,
    # the analogue of Garwood's 2x + 2 degrees of freedom; with one stratum both limits
    # reduce exactly to the Garwood interval divided by n.
    yu, vu = ys + wms, vs + wms * wms
    low[ok] = lo * fs
    high[ok] = vu / (2 * yu) * chi2.ppf(1 - alpha / 2, 2 * yu * yu / vu) * fs
    return low, high


def normal_ci(y: ArrayLike, v: ArrayLike, factor: ArrayLike, level: float = 0.95) -> Interval:
    """Normal-approximation interval ``y ± z·sqrt(v)`` for a standardised proportion ``y``."""
    z = norm.ppf(1 - _alpha(level) / 2)
    y, v, f = _floats(y, v, factor)
    low, high = _nan_like(y.shape), _nan_like(y.shape)
    ok = (y >= 0) & (y <= 1) & (v >= 0) & np.isfinite(v) & np.isfinite(f)
    half = z * np.sqrt(v[ok])
    # A proportion cannot leave [0, 1]; the symmetric approximation can, near the edges.
    low[ok] = np.clip(y[ok] - half, 0.0, 1.0) * f[ok]
    high[ok] = np.clip(y[ok] + half, 0.0, 1.0) * f[ok]
    return low, high
