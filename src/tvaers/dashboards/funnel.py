"""Control limits of a funnel plot: how far a unit of a given size may lie from the parent's
value by chance alone (95 % and 99.8 %, about 2 and 3 standard deviations).

The limits are quantiles of the count a unit of that size would have if its true value were
the parent's: Poisson for rates (events per person), binomial for percentages, interpolated
between whole counts. They are drawn over a grid of denominators from the smallest to the
largest unit shown.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

LEVELS = (0.95, 0.998)
GRID_POINTS = 60


def _quantile(dist, params: tuple, p: float) -> np.ndarray:
    """The p-quantile of a discrete distribution, interpolated between the counts so the
    limits are smooth lines (Spiegelhalter 2005, appendix A.1.1)."""
    r = dist.ppf(p, *params)
    at, below = dist.cdf(r, *params), dist.cdf(r - 1, *params)
    step = at - below
    alpha = np.divide(at - p, step, out=np.zeros_like(step), where=step > 0)
    return np.maximum(r - alpha, 0.0)


def bounds(centre: float, factor: int, percentage: bool, n: np.ndarray) -> dict[str, np.ndarray]:
    """The limits at denominators ``n``: {"lo95", "hi95", "lo998", "hi998"}."""
    p0 = max(centre / factor, 0.0)
    # The distributions' methods with their parameters, not frozen distributions: freezing
    # costs more than the arithmetic on a page's few dozen points.
    if percentage:
        dist, params = stats.binom, (np.round(n), min(p0, 1.0))
    else:
        dist, params = stats.poisson, (n * p0,)
    out: dict[str, np.ndarray] = {}
    for level in LEVELS:
        tail = (1 - level) / 2
        tag = str(level)[2:]  # "95", "998"
        out[f"lo{tag}"] = np.round(_quantile(dist, params, tail) / n * factor, 4)
        out[f"hi{tag}"] = np.round(_quantile(dist, params, 1 - tail) / n * factor, 4)
    return out


def limits(
    centre: float, factor: int, percentage: bool, n_min: float, n_max: float
) -> list[dict[str, float]]:
    """Rows of (denominator, lo95, hi95, lo998, hi998) over a grid of denominators."""
    if not (n_max > 0 and centre >= 0 and factor > 0):
        return []
    low = max(1.0, n_min * 0.8)
    high = max(low * 1.01, n_max * 1.1)
    n = np.unique(np.round(np.geomspace(low, high, GRID_POINTS)))
    rows = {"denominator": n, **bounds(centre, factor, percentage, n)}
    return [{k: float(v[i]) for k, v in rows.items()} for i in range(len(n))]


def outside(
    values: list[float], denominators: list[float], centre: float, factor: int, percentage: bool
) -> list[str | None]:
    """For each unit: "high"/"low" when it lies outside the 99.8 % limits, else None."""
    if not values or centre < 0:
        return [None] * len(values)
    n = np.array(denominators, dtype=float)
    b = bounds(centre, factor, percentage, np.where(n > 0, n, 1.0))
    flags: list[str | None] = []
    for i, value in enumerate(values):
        if n[i] <= 0:
            flags.append(None)
        elif value > b["hi998"][i]:
            flags.append("high")
        elif value < b["lo998"][i]:
            flags.append("low")
        else:
            flags.append(None)
    return flags
