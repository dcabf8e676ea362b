"""SPC on the dashboards: the run chart (or Laney's control chart) of a series over time,
and the verdicts on the cards, computed from exactly the cells the user may see.

Every input here has passed ``Access.apply``: a cell hidden from the user has no
numerator and is a missing point (never 0), so the centre line and the limits come from the
visible points only and nothing of a hidden cell can be read back from them. An analyst
who may see a unit's suppressed cells gets SPC from those unsuppressed values (and the
access is audited like every other reveal). The plotted value is the crude one (numerator /
denominator × the indicator's factor): the charts' rules are about counts and denominators.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from tvaers.dashboards import charts
from tvaers.dashboards.schemas import (
    CellRead,
    SpcChartRead,
    SpcPartRead,
    SpcPointRead,
    SpcSummaryRead,
    SpcVerdictRead,
)
from tvaers.i18n import language
from tvaers.spc import compute
from tvaers.spc import vega as spc_vega
from tvaers.spc.batch import SERIES_FIELDS, verdicts_for_rows
from tvaers.spc.chart import SpcResult
from tvaers.spc.verdict import chart_name, footer_text, verdict, verdict_text
from tvaers.spc.verdict import kind as verdict_kind
from tvaers.web.labels import Tr, number, period_type_name
from tvaers.web.results_store import Definition, Snapshot
from tvaers.web.schemas import UnitRead

if TYPE_CHECKING:  # the dashboard module imports this one
    from tvaers.dashboards.summary import View

# The Anhøj rules are calibrated for 10 or more points: shorter series get no chart.
MIN_POINTS = 10
FINEST_FIRST = ("month", "quarter", "year")


def control_chart(d: Definition) -> str | None:
    """Laney's chart for the indicator: P′ for percentages, U′ for rates per 1,000 etc.;
    none for a count (no denominator)."""
    if not d.has_denominator:
        return None
    return "pp" if d.is_percentage else "up"


def chart_types(d: Definition) -> list[str]:
    laney = control_chart(d)
    return ["run"] if laney is None else ["run", laney]


def enough_points(snap: Snapshot, d: Definition, period_type: str) -> bool:
    return len(snap.periods.get((d.id, period_type), ())) >= MIN_POINTS


def card_period_type(snap: Snapshot, d: Definition) -> str | None:
    """The finest kind of period with enough points for the overview's verdict."""
    return next((t for t in FINEST_FIRST if enough_points(snap, d, t)), None)


def _missing(numerator: Any, denominator: Any, d: Definition) -> bool:
    # No numerator (hidden, or no data) or no usable denominator: a missing point.
    return numerator is None or (d.has_denominator and not denominator)


# --- one chart -------------------------------------------------------------------------


def series_chart(
    d: Definition,
    cells: Sequence[CellRead | None],
    periods: Sequence[str],
    chart: str,
    tr: Tr,
) -> SpcResult:
    """The chart of one unit's series: ``cells`` of one unit and stratum, one per period of
    ``periods`` (None where the results have no cell: a missing point)."""
    has_n = d.has_denominator
    y = [
        None if c is None or _missing(c.numerator, c.denominator, d) else c.numerator for c in cells
    ]
    n = [c.denominator if c is not None and c.denominator else None for c in cells]
    notes = [
        ""
        if c is None
        else tr("diskretioneret", "suppressed")
        if c.hidden
        else tr("foreløbig", "provisional")
        if c.provisional
        else ""
        for c in cells
    ]
    return compute(
        y,
        n if has_n else None,
        list(periods),
        chart=chart,
        multiply=d.factor if has_n else 1,
        notes=notes,
    )


def chart_read(
    result: SpcResult, d: Definition, unit: UnitRead, stratum: str, period_type: str, lang: str
) -> SpcChartRead:
    """The chart in the JSON twin: the shape of `tvaers spc --format json`, in `lang`."""
    with language(lang):
        doc = result.to_json()
        v = verdict(result, d.direction)
    return SpcChartRead(
        unit=unit,
        stratum=stratum,
        period_type=period_type,
        chart=result.chart,  # type: ignore[arg-type]
        multiply=doc["multiply"],
        screen_mr=doc["screen_mr"],
        points=[SpcPointRead.model_validate(p) for p in doc["points"]],
        parts=[SpcPartRead.model_validate(p) for p in doc["parts"]],
        verdict=SpcVerdictRead(signal=v.signal, kind=v.kind, text=v.text, footer=v.footer),  # type: ignore[arg-type]
    )


def chart_spec(
    result: SpcResult,
    d: Definition,
    *,
    title: str,
    unit_name: str,
    y_title: str,
    period_type: str,
    lang: str,
    tr: Tr,
) -> dict[str, Any]:
    """The page's Vega-Lite spec: the CLI's chart (spc/vega.py) in the page's look, without
    a title (verdict and footer are text on the page) and with a text description."""
    with language(lang):
        spec = spc_vega.spec(result, y_title=y_title, direction=d.direction)
        v = verdict(result, d.direction)
        name = chart_name(result.chart)
    spec.pop("$schema", None)  # charts.js names the grammar: no address outside the app
    spec.pop("title", None)
    if not result.excluded.any():
        # The dashboards exclude no points: an empty layer would be an unnamed image to a
        # screen reader.
        spec["layer"] = [
            layer
            for layer in spec["layer"]
            if layer.get("transform") != [{"filter": "datum.state == 'excluded'"}]
        ]
    for row in spec["data"]["values"]:
        row["note"] = row["note"] or None  # the readout leaves out what has no value
    spec["width"] = "container"
    spec["config"] = {
        **charts.CONFIG,
        "locale": spec["config"]["locale"],
        "axis": {**charts.CONFIG["axis"], "grid": False},
    }
    for layer in spec["layer"]:
        for field in layer.get("encoding", {}).get("tooltip", []):
            if field.get("format"):
                field["format"] = ",.1f"  # as charts.js and the tables write them
    latest = result.latest
    runs = latest.runs
    shown = sum(1 for value in result.value if value == value)  # not NaN
    kinds = period_type_name(period_type, tr).lower()
    limits = ""
    if result.chart != "run":
        limits = tr(
            f", {latest.sigma_signals} punkter uden for kontrolgrænserne",
            f", {latest.sigma_signals} points outside the control limits",
        )
    spec["description"] = tr(
        f"{title}, {unit_name}: {name.lower()} over {len(result.x)} {kinds} "
        f"({shown} med en værdi), centerlinje {number(latest.cl * result.multiply, lang)}. "
        f"{v.text.capitalize()}: længste serieforløb {runs.longest_run} (grænse "
        f"{runs.longest_run_max}), {runs.n_crossings} krydsninger (mindst "
        f"{runs.n_crossings_min}){limits}. Tallene står i tabellen under.",
        f"{title}, {unit_name}: {name.lower()} over {len(result.x)} {kinds} "
        f"({shown} with a value), centre line {number(latest.cl * result.multiply, lang)}. "
        f"{v.text.capitalize()}: longest run {runs.longest_run} (limit "
        f"{runs.longest_run_max}), {runs.n_crossings} crossings (at least "
        f"{runs.n_crossings_min}){limits}. The figures are in the table below.",
    )
    return spec


def for_page(
    view: View,
    d: Definition,
    series: list[CellRead],
    focus: tuple[str, str],
    followed: list[tuple[str, str]],
    stratum: str,
    period_type: str,
    chart: str,
) -> tuple[SpcChartRead | None, Any, list[SpcSummaryRead]]:
    """The focus unit's SPC chart and the verdicts of every followed unit, from the series
    as the user may see it; nothing below 10 periods."""
    if not enough_points(view.snap, d, period_type):
        return None, None, []
    found = summaries([c.model_dump() for c in series], view.snap, chart=chart, lang=view.lang)
    units = []
    for level, code in followed:
        summary = found.get((d.id, level, code, stratum, period_type))
        if summary is not None:
            units.append(summary.model_copy(update={"unit": view.unit(level, code)}))
    periods = view.snap.periods[(d.id, period_type)]
    by_period = {c.period: c for c in series if (c.level, c.unit_code) == focus}
    if not by_period:
        return None, None, units
    result = series_chart(d, [by_period.get(p) for p in periods], periods, chart, view.tr)
    read = chart_read(result, d, view.unit(*focus), stratum, period_type, view.lang)
    return read, result, units


# --- many series at once ---------------------------------------------------------------


def summaries(
    rows: Iterable[dict[str, Any]],
    snap: Snapshot,
    *,
    chart: str = "run",
    lang: str,
) -> dict[tuple, SpcSummaryRead]:
    """Verdicts of every series in ``rows`` (cells after ``Access.apply``) in one batch,
    keyed by (indicator, level, unit, stratum, period type). A period of the results with
    no cell in a series is a missing point of it, as on the chart."""
    definitions = snap.definitions
    # A missing point for the batch, too: no numerator, or no usable denominator.
    rows = [
        r
        if not _missing(r["numerator"], r["denominator"], definitions[r["indicator_id"]])
        else {**r, "numerator": None}
        for r in rows
    ]
    present: dict[tuple, set[str]] = {}
    for r in rows:
        present.setdefault(tuple(r[f] for f in SERIES_FIELDS), set()).add(r["period"])
    rows += [
        {**dict(zip(SERIES_FIELDS, key, strict=True)), "period": p, "numerator": None}
        for key, seen in present.items()
        for p in snap.periods.get((key[0], key[4]), ())
        if p not in seen
    ]
    found = verdicts_for_rows(rows, chart=chart)
    out = {}
    with language(lang):
        for key, rec in found.items():
            d = definitions[key[0]]
            factor = d.factor if d.has_denominator else 1
            signal, side = bool(rec["signal"]), int(rec["side"])
            cl = rec["cl"]
            out[key] = SpcSummaryRead(
                stratum=key[3],
                period_type=key[4],
                chart=chart,  # type: ignore[arg-type]
                n_obs=rec["n_obs"],
                n_useful=rec["n_useful"],
                longest_run=rec["longest_run"],
                longest_run_max=None if rec["longest_run_max"] < 0 else rec["longest_run_max"],
                n_crossings=rec["n_crossings"],
                n_crossings_min=None if rec["n_crossings_min"] < 0 else rec["n_crossings_min"],
                runs_signal=bool(rec["runs_signal"]),
                sigma_signals=rec["sigma_signals"],
                signal=signal,
                cl=None if cl != cl else round(cl * factor, 6),
                kind=verdict_kind(signal, side, d.direction),  # type: ignore[arg-type]
                text=verdict_text(signal, side, d.direction),
                footer=footer_text(
                    chart,
                    rec["n_obs"],
                    multiply=factor,
                    fewest_useful=rec["n_useful"],
                ),
            )
    return out
