"""One SPC chart: split into parts, centre line and limits from each part's base, sigma
signals and the runs analysis, and the spec's JSON shape (`SpcResult.to_json`).

Indices given by a user (freeze, part boundaries, exclusions) are 1-based positions in the
series, as on the command line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tvaers.i18n import tr
from tvaers.spc import runs as runs_mod
from tvaers.spc.limits import part_limits

CHARTS = ("run", "i", "mr", "p", "u", "c", "pp", "up")
NEEDS_N = frozenset({"p", "u", "pp", "up"})
CONTROL_CHARTS = frozenset(CHARTS) - {"run"}


class SpcInputError(ValueError):
    """Bad input to a chart: one user-facing line naming the option (or row and column)."""


@dataclass(frozen=True)
class PartSummary:
    part: int
    n_obs: int
    runs: runs_mod.Runs
    cl: float
    sigma_signals: int
    side: int  # +1 / -1: side of the centre line of the longest run (0: none)

    @property
    def signal(self) -> bool:
        return self.runs.signal or self.sigma_signals > 0


@dataclass(frozen=True)
class SpcResult:
    chart: str
    multiply: float
    screen_mr: bool
    x: list[str]
    y: np.ndarray
    n: np.ndarray | None
    value: np.ndarray
    cl: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    part: np.ndarray
    base: np.ndarray
    excluded: np.ndarray
    sigma_signal: np.ndarray
    parts: list[PartSummary]
    freeze: int | None = None
    part_after: tuple[int, ...] = ()
    notes: list[str] | None = field(default=None)

    @property
    def latest(self) -> PartSummary:
        """The current part: what a verdict on the series is about."""
        return self.parts[-1]

    def to_json(self) -> dict:
        f = self.multiply
        control = self.chart != "run"
        points = []
        for i, x in enumerate(self.x):
            point = {
                "x": x,
                "y": _num(self.y[i]),
                "n": None if self.n is None else _num(self.n[i]),
                "value": _num(self.value[i] * f),
                "cl": _num(self.cl[i] * f),
                "lcl": _num(self.lcl[i] * f) if control else None,
                "ucl": _num(self.ucl[i] * f) if control else None,
                "part": int(self.part[i]),
                "base": bool(self.base[i]),
                "excluded": bool(self.excluded[i]),
                "sigma_signal": bool(self.sigma_signal[i]),
            }
            if self.notes is not None:
                point["note"] = self.notes[i] or None
            points.append(point)
        parts = [
            {
                "part": p.part,
                "n_obs": p.n_obs,
                "n_useful": p.runs.n_useful,
                "longest_run": p.runs.longest_run,
                "longest_run_max": p.runs.longest_run_max,
                "n_crossings": p.runs.n_crossings,
                "n_crossings_min": p.runs.n_crossings_min,
                "runs_signal": p.runs.signal,
                "cl": _num(p.cl * f),
                "sigma_signals": p.sigma_signals,
            }
            for p in self.parts
        ]
        return {
            "chart": self.chart,
            "multiply": _num(f),
            "screen_mr": self.screen_mr,
            "points": points,
            "parts": parts,
        }


def _num(v) -> float | int | None:
    if v is None:
        return None
    v = float(v)
    if not math.isfinite(v):
        return None
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def _index_option(name: str, values: Sequence[int], size: int, *, last_allowed: bool) -> None:
    top = size if last_allowed else size - 1
    for v in values:
        if top < 1:
            raise SpcInputError(
                tr(
                    f"{name} {v}: en serie med {size} punkt kan ikke deles.",
                    f"{name} {v}: a series of {size} point cannot be split.",
                )
            )
        if not 1 <= v <= top:
            raise SpcInputError(
                tr(
                    f"{name} {v}: punktet findes ikke (tilladt: 1–{top}; serien har "
                    f"{size} punkter).",
                    f"{name} {v}: no such point (allowed: 1–{top}; the series has {size} points).",
                )
            )


def compute(
    y,
    n=None,
    x: Sequence[str] | None = None,
    *,
    chart: str = "run",
    freeze: int | None = None,
    parts: Sequence[int] = (),
    exclude: Sequence[int] = (),
    screen_mr: bool = True,
    multiply: float = 1.0,
    notes: Sequence[str] | None = None,
) -> SpcResult:
    """Compute the chart `chart` of the series `y` (numerators or values; NaN/None =
    missing) with optional denominators `n`. `parts` are the points after which the series
    is split; freeze is ignored when parts are given (as the spec says)."""
    if chart not in CHARTS:
        raise SpcInputError(
            tr(
                f"--chart {chart}: ukendt diagramtype (vælg {', '.join(CHARTS)}).",
                f"--chart {chart}: unknown chart type (choose {', '.join(CHARTS)}).",
            )
        )
    y = np.array([np.nan if v is None else v for v in y], dtype=float)
    size = y.size
    if n is not None:
        n = np.array([np.nan if v is None else v for v in n], dtype=float)
        if n.size != size:
            raise SpcInputError(tr("n og y har forskellig længde.", "n and y differ in length."))
    if chart in NEEDS_N and n is None:
        raise SpcInputError(
            tr(
                f"--chart {chart} kræver en nævner (kolonnen n).",
                f"--chart {chart} needs a denominator (column n).",
            )
        )
    if not (math.isfinite(multiply) and multiply > 0):
        raise SpcInputError(
            tr(
                f"--multiply {multiply}: skal være et positivt tal.",
                f"--multiply {multiply}: must be a positive number.",
            )
        )
    if freeze is not None:
        _index_option("--freeze", [freeze], size, last_allowed=True)
    _index_option("--part", parts, size, last_allowed=False)
    if list(parts) != sorted(set(parts)):
        raise SpcInputError(
            tr(
                "--part: grænserne skal være stigende og forskellige.",
                "--part: the boundaries must be increasing and distinct.",
            )
        )
    _index_option("--exclude", exclude, size, last_allowed=True)

    with np.errstate(divide="ignore", invalid="ignore"):
        value = y / n if n is not None and chart != "c" else y.copy()
    index = np.arange(1, size + 1)
    part = np.searchsorted(np.asarray(parts, dtype=int), index, side="left") + 1
    excluded = np.isin(index, np.asarray(exclude, dtype=int))
    base = ~excluded
    if freeze is not None and not parts:
        base &= index <= freeze

    plotted = np.full(size, np.nan)
    cl = np.full(size, np.nan)
    lcl = np.full(size, np.nan)
    ucl = np.full(size, np.nan)
    signal = np.zeros(size, dtype=bool)
    summaries = []
    for k in range(1, len(parts) + 2):
        sel = part == k
        v, c, lo, hi = part_limits(
            chart,
            value[sel],
            y[sel],
            None if n is None else n[sel],
            base[sel],
            screen_mr,
        )
        plotted[sel], cl[sel], lcl[sel], ucl[sel] = v, c, lo, hi
        with np.errstate(invalid="ignore"):
            sig = np.isfinite(v) & ((v > hi) | (v < lo))
        signal[sel] = sig
        keep = ~excluded[sel]
        summaries.append(
            PartSummary(
                part=k,
                n_obs=int(keep.sum()),
                runs=runs_mod.analyse(v[keep], c, no_signal=chart == "mr"),
                cl=c,
                sigma_signals=int(sig.sum()),
                side=runs_mod.shift_side(v[keep], c),
            )
        )
    return SpcResult(
        chart=chart,
        multiply=float(multiply),
        screen_mr=screen_mr,
        x=[str(v) for v in x] if x is not None else [str(i) for i in index],
        y=y,
        n=n,
        value=plotted,
        cl=cl,
        lcl=lcl,
        ucl=ucl,
        part=part,
        base=base,
        excluded=excluded,
        sigma_signal=signal,
        parts=summaries,
        freeze=None if parts else freeze,
        part_after=tuple(parts),
        notes=list(notes) if notes is not None else None,
    )
