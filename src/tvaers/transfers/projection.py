"""A stated projection of a volume to the decision year: the least-squares line through the
last three years with a published value, and its 95 % prediction interval (Student's t with
n − 2 degrees of freedom, so three points give one degree of freedom and a wide interval —
which is the honest width of a three-point trend).

Written out here rather than taken from a library's regression object because the interval
formula is the whole point and fits in a few lines (scipy supplies the t quantile).
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy import stats

POINTS = 3  # the method: the last three years
LEVEL = 0.95

METHOD = (
    "Lineær tendens (mindste kvadrater) over de seneste tre år med tal, fremskrevet til "
    "beslutningsåret, med 95 %-prædiktionsinterval (t-fordeling, n − 2 frihedsgrader).",
    "Linear trend (least squares) over the last three years with figures, projected to the "
    "decision year, with a 95 % prediction interval (t distribution, n − 2 degrees of freedom).",
)


@dataclass(frozen=True)
class Projection:
    year: int
    value: float
    low: float
    high: float
    slope: float  # change per year
    basis: tuple[int, ...]  # the years the line was fitted to


def project(points: list[tuple[int, float | None]], year: int) -> Projection | None:
    """The projection to ``year`` from (year, value) points; None with fewer than three
    published values (a hidden year is not a zero, it is left out)."""
    known = sorted((y, float(v)) for y, v in points if v is not None)[-POINTS:]
    if len(known) < POINTS:
        return None
    xs = [float(y) for y, _ in known]
    ys = [v for _, v in known]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    s = (residual / (n - 2)) ** 0.5
    value = intercept + slope * year
    half = stats.t.ppf(0.5 + LEVEL / 2, n - 2) * s * (1 + 1 / n + (year - mx) ** 2 / sxx) ** 0.5
    # A volume is never negative: the interval is cut at 0, the line itself is not.
    return Projection(
        year, value, max(value - half, 0.0), value + half, slope, tuple(int(x) for x in xs)
    )
