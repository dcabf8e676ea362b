"""What a chart says, in words: the verdict (a real change or only random variation), the
target assurance of NHS England's "Making Data Count", and the footer that names the chart's
parameters. A change is called an improvement only when a rule signals, and then only by
the indicator's direction (as stored in the catalogue: higher_is_better, lower_is_better or
neutral).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tvaers.i18n import tr
from tvaers.spc.chart import SpcResult
from tvaers.spc.runs import MIN_USEFUL

DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")


def chart_name(chart: str) -> str:
    return {
        "run": tr("Seriediagram (median)", "Run chart (median)"),
        "i": tr("I-kort (enkeltværdier)", "I chart (individuals)"),
        "mr": tr("MR-kort (glidende variationsbredde)", "MR chart (moving ranges)"),
        "p": tr("P-kort (andele)", "P chart (proportions)"),
        "u": tr("U-kort (rater)", "U chart (rates)"),
        "c": tr("C-kort (antal)", "C chart (counts)"),
        "pp": tr("Laneys P′-kort (andele)", "Laney P′ chart (proportions)"),
        "up": tr("Laneys U′-kort (rater)", "Laney U′ chart (rates)"),
    }[chart]


def kind(signal: bool, side: int, direction: str) -> str:
    """common (only random variation), improvement, concern, increase, decrease or change."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    if not signal:
        return "common"
    if side == 0:
        return "change"
    if direction == "neutral":
        return "increase" if side > 0 else "decrease"
    better = side > 0 if direction == "higher_is_better" else side < 0
    return "improvement" if better else "concern"


_TEXTS = {
    "common": ("kun tilfældig variation", "only random variation"),
    "change": ("tegn på reel ændring", "signs of a real change"),
    "improvement": (
        "tegn på reel ændring – en forbedring",
        "signs of a real change – an improvement",
    ),
    "concern": ("tegn på reel ændring – til bekymring", "signs of a real change – a concern"),
    "increase": ("tegn på reel ændring – en stigning", "signs of a real change – an increase"),
    "decrease": ("tegn på reel ændring – et fald", "signs of a real change – a decrease"),
}


def verdict_text(signal: bool, side: int, direction: str) -> str:
    """The short verdict for a dashboard card, e.g. "tegn på reel ændring – en forbedring"."""
    return tr(*_TEXTS[kind(signal, side, direction)])


def signal_side(result: SpcResult) -> int:
    """Which way the current part's signal points: the side of the latest point outside the
    limits if there is one, else the side of the longest run."""
    latest = result.latest
    sel = (result.part == latest.part) & result.sigma_signal
    if sel.any():
        i = np.flatnonzero(sel)[-1]
        return int(np.sign(result.value[i] - result.cl[i]))
    return latest.side


@dataclass(frozen=True)
class Verdict:
    signal: bool
    runs_signal: bool
    sigma_signals: int
    kind: str
    text: str
    footer: str


def verdict(result: SpcResult, direction: str = "neutral") -> Verdict:
    """The verdict on the current (last) part of a chart, with its footer."""
    latest = result.latest
    side = signal_side(result)
    return Verdict(
        signal=latest.signal,
        runs_signal=latest.runs.signal,
        sigma_signals=latest.sigma_signals,
        kind=kind(latest.signal, side, direction),
        text=verdict_text(latest.signal, side, direction),
        footer=footer(result),
    )


def footer(result: SpcResult) -> str:
    """The chart's parameters in one line: chart type, base, parts, screening."""
    return footer_text(
        result.chart,
        len(result.x),
        freeze=result.freeze,
        excluded=[int(i) + 1 for i in np.flatnonzero(result.excluded)],
        part_after=result.part_after,
        screen_mr=result.screen_mr,
        multiply=result.multiply,
        fewest_useful=min(p.runs.n_useful for p in result.parts),
    )


def footer_text(
    chart: str,
    size: int,
    *,
    freeze: int | None = None,
    excluded: list[int] | tuple[int, ...] = (),
    part_after: tuple[int, ...] = (),
    screen_mr: bool = True,
    multiply: float = 1,
    fewest_useful: int = MIN_USEFUL,
) -> str:
    """The footer from the parameters alone, for verdicts computed without an `SpcResult`
    (the batch): `size` points, `fewest_useful` the fewest useful points of any part."""
    bits = [chart_name(chart) + tr(", Anhøj-reglerne", ", Anhøj rules")]
    if freeze is not None:
        bits.append(tr(f"basis: punkt 1–{freeze}", f"base: points 1–{freeze}"))
    else:
        bits.append(tr(f"basis: alle {size} punkter", f"base: all {size} points"))
    if excluded:
        bits.append(tr("udeladt: punkt ", "excluded: points ") + ", ".join(map(str, excluded)))
    if part_after:
        after = ", ".join(str(k) for k in part_after)
        count = len(part_after) + 1
        bits.append(
            tr(
                f"{count} faser (ny fase efter punkt {after})",
                f"{count} parts (split after point {after})",
            )
        )
    else:
        bits.append(tr("én fase", "one part"))
    if chart in ("i", "pp", "up"):
        bits.append(
            tr("MR-screening til", "MR screening on")
            if screen_mr
            else tr("MR-screening fra", "MR screening off")
        )
    if multiply != 1:
        factor = f"{multiply:,.10g}"
        bits.append(tr(f"ganget med {factor.replace(',', '.')}", f"multiplied by {factor}"))
    if fewest_useful < MIN_USEFUL:
        bits.append(
            tr(
                f"under {MIN_USEFUL} brugbare punkter: reglerne er kun vejledende",
                f"fewer than {MIN_USEFUL} useful points: the rules are only indicative",
            )
        )
    return "; ".join(bits) + "."


@dataclass(frozen=True)
class Assurance:
    code: str  # met, missed, hit_and_miss, median_right_side, median_wrong_side, none
    text: str


# Public: an agreement target's assurance is worded the same (tvaers.agreements.terms).
ASSURANCE_TEXTS: dict[str, tuple[str, str]] = {
    "met": ("målet nås hver gang", "consistently meets the target"),
    "missed": (
        "målet nås ikke (processen skal ændres)",
        "consistently misses the target (the process must change)",
    ),
    "hit_and_miss": (
        "målet nås nogle gange, andre ikke (tilfældigt)",
        "sometimes meets the target, sometimes not (by chance)",
    ),
    "median_right_side": (
        "medianen ligger på den rigtige side af målet (et seriediagram giver ingen sikkerhed)",
        "the median is on the right side of the target (a run chart gives no assurance)",
    ),
    "median_wrong_side": (
        "medianen ligger på den forkerte side af målet (et seriediagram giver ingen sikkerhed)",
        "the median is on the wrong side of the target (a run chart gives no assurance)",
    ),
    "none": (
        "ingen målvurdering: indikatoren har ingen retning",
        "no target assurance: the indicator has no direction",
    ),
}


def assurance(result: SpcResult, target: float, direction: str) -> Assurance:
    """Target assurance with the limits at the latest point. `target` is on the displayed
    scale (after `multiply`, e.g. per 1,000)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    if direction == "neutral" or result.chart == "mr":
        code = "none"  # an MR chart is about variation, not about the level
    elif result.chart == "run":
        median = result.latest.cl * result.multiply
        right = median >= target if direction == "higher_is_better" else median <= target
        code = "median_right_side" if right else "median_wrong_side"
    else:
        last = np.flatnonzero(np.isfinite(result.lcl) & np.isfinite(result.ucl))
        if last.size == 0:
            code = "none"
        else:
            i = last[-1]
            lcl, ucl = result.lcl[i] * result.multiply, result.ucl[i] * result.multiply
            if direction == "higher_is_better":
                code = "met" if target <= lcl else "missed" if target >= ucl else "hit_and_miss"
            else:
                code = "met" if target >= ucl else "missed" if target <= lcl else "hit_and_miss"
    return Assurance(code, tr(*ASSURANCE_TEXTS[code]))
