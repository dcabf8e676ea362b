"""An indicator series from the published result set, as a chart's input.

The rows come through `indicators.export.rows`, so disclosure control is applied exactly as
in every other output: a suppressed cell has no numerator and becomes a missing point,
never 0. The numerator is `y`, the denominator `n`, and the catalogue's factor (per 100,
per 1,000) is the chart's `multiply`, so the chart shows the published values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tvaers.i18n import current_language, tr
from tvaers.indicators.export import LEVELS, PERIOD_TYPES, Selection, SelectionError, rows
from tvaers.indicators.results import NoResults, open_results
from tvaers.spc.chart import SpcInputError


@dataclass(frozen=True)
class IndicatorSeries:
    indicator_id: str
    name: str
    unit: str  # the indicator's unit, e.g. "pr. 1.000 borgere"
    unit_name: str  # the organisational unit, e.g. "Odense"
    direction: str
    factor: int
    x: list[str]
    y: list[float | None]
    n: list[float | None] | None
    notes: list[str]  # "foreløbig" where follow-up was short (the last months)


def parse_unit(text: str) -> tuple[str, str]:
    level, sep, code = text.partition(":")
    if not sep or level not in LEVELS or not code:
        raise SpcInputError(
            tr(
                f"--unit {text}: skriv NIVEAU:KODE, fx municipality:0461 "
                f"(niveauer: {', '.join(LEVELS)}).",
                f"--unit {text}: write LEVEL:CODE, e.g. municipality:0461 "
                f"(levels: {', '.join(LEVELS)}).",
            )
        )
    return level, code


def read_indicator_series(
    db: Path, indicator_id: str, unit: str, stratum: str = "", period: str = "month"
) -> IndicatorSeries:
    """The series of one indicator, unit, stratum and period type (viewer's view)."""
    level, code = parse_unit(unit)
    if period not in PERIOD_TYPES:
        raise SpcInputError(
            tr(
                f"--period {period}: vælg {', '.join(PERIOD_TYPES)}.",
                f"--period {period}: choose {', '.join(PERIOD_TYPES)}.",
            )
        )
    lang = "en" if current_language() == "en" else "da"
    try:
        con = open_results(db)
        try:
            definition = con.execute(
                f"SELECT name_{lang}, unit_{lang}, factor, direction, periods, strata "
                "FROM definitions WHERE indicator_id = ?",
                [indicator_id],
            ).fetchone()
            units = con.execute(
                "SELECT DISTINCT stratum FROM results WHERE indicator_id = ? AND level = ? "
                "AND unit_code = ? AND period_type = ?",
                [indicator_id, level, code, period],
            ).fetchall()
        finally:
            con.close()
        if definition is None:
            raise SelectionError(
                tr(f"Ukendt indikator: {indicator_id}.", f"Unknown indicator: {indicator_id}.")
            )
        name, unit_text, factor, direction, periods, _ = definition
        if period not in periods.split(","):
            raise SpcInputError(
                tr(
                    f"--period {period}: {indicator_id} beregnes kun for {periods}.",
                    f"--period {period}: {indicator_id} is computed only for {periods}.",
                )
            )
        strata = sorted(s for (s,) in units)
        if not strata:
            raise SpcInputError(
                tr(
                    f"--unit {unit}: ingen resultater for {indicator_id} på denne enhed.",
                    f"--unit {unit}: no results for {indicator_id} for this unit.",
                )
            )
        if stratum not in strata:
            shown = ", ".join(repr(s) for s in strata)
            raise SpcInputError(
                tr(
                    f"--stratum {stratum!r}: findes ikke for {indicator_id} (findes: {shown}).",
                    f"--stratum {stratum!r}: not in {indicator_id} (available: {shown}).",
                )
            )
        data = rows(
            db,
            Selection((indicator_id,), (level,), (period,), units=(code,), strata=(stratum,)),
        )
    except (NoResults, SelectionError) as exc:
        raise SpcInputError(str(exc)) from None
    data.sort(key=lambda r: r["period"])
    has_n = all(r["denominator"] is not None for r in data)
    return IndicatorSeries(
        indicator_id=indicator_id,
        name=name,
        unit=unit_text,
        unit_name=data[0]["unit_name"],
        direction=direction,
        factor=int(factor) if has_n else 1,
        x=[r["period"] for r in data],
        y=[None if r["numerator"] is None else float(r["numerator"]) for r in data],
        n=[float(r["denominator"]) for r in data] if has_n else None,
        notes=[tr("foreløbig", "provisional") if r["provisional"] else "" for r in data],
    )
