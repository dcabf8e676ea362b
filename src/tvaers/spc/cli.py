"""CLI for SPC: `spc chart` (an initiative's own measurements from CSV) and `spc indicator`
(a published indicator series). Parses, calls, renders; errors are one line and exit 2."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import typer
from rich.console import Console

from tvaers.config import Settings
from tvaers.i18n import tr
from tvaers.safe_text import labelled, print_safe
from tvaers.spc.chart import CHARTS, SpcInputError, SpcResult, compute
from tvaers.spc.csvinput import read_series
from tvaers.spc.indicator import read_indicator_series
from tvaers.spc.verdict import verdict

spc_app = typer.Typer(
    help="Statistisk processtyring: seriediagrammer og kontroldiagrammer.", no_args_is_help=True
)
err = Console(stderr=True)

FORMATS = ("json", "csv", "svg", "png")
DB_HELP = "Lagerfilen (DuckDB). Standard: $TVAERS_DB eller ./tvaers.duckdb."
CHART_HELP = "Diagramtype: run (seriediagram), i, mr, p, u, c, pp (Laneys P′) eller up (Laneys U′)."
FREEZE_HELP = "Centerlinje og grænser fra punkt 1–K (basisperioden)."
PART_HELP = "Del serien efter punkt K1, K2, … (hver fase får sin egen centerlinje)."
EXCLUDE_HELP = "Punkter I, J, … udelades af centerlinje, grænser og seriereglerne."
SCREEN_HELP = "Slå screeningen af store glidende variationsbredder fra (I-, P′- og U′-kort)."
MULTIPLY_HELP = "Gang værdier, centerlinje og grænser med F (fx 100 for procent)."
FORMAT_HELP = "json (standard), csv (punkttabellen), svg eller png."
OUT_HELP = "Filen der skrives. Standard: standardoutput."


def _fail(message: str) -> typer.Exit:
    print_safe(err, labelled(tr("Fejl", "Error"), "bold red", message))
    return typer.Exit(2)


def _int(option: str, text: str, given: str | None = None) -> int:
    given = given or text
    try:
        return int(text.strip())
    except ValueError:
        raise SpcInputError(
            tr(
                f"{option} {given}: '{text.strip()}' er ikke et heltal.",
                f"{option} {given}: '{text.strip()}' is not a whole number.",
            )
        ) from None


def _ints(option: str, text: str | None) -> list[int]:
    if not text:
        return []
    return [_int(option, part, text) for part in text.split(",")]


def _options(chart: str, fmt: str, multiply: str | None) -> tuple[str, str, float | None]:
    if chart not in CHARTS:
        raise SpcInputError(
            tr(
                f"--chart {chart}: ukendt diagramtype (vælg {', '.join(CHARTS)}).",
                f"--chart {chart}: unknown chart type (choose {', '.join(CHARTS)}).",
            )
        )
    if fmt not in FORMATS:
        raise SpcInputError(
            tr(
                f"--format {fmt}: vælg {', '.join(FORMATS)}.",
                f"--format {fmt}: choose {', '.join(FORMATS)}.",
            )
        )
    factor = None
    if multiply is not None:
        try:
            factor = float(multiply.replace(",", "."))
        except ValueError:
            factor = float("nan")
        if not factor > 0 or factor == float("inf"):
            raise SpcInputError(
                tr(
                    f"--multiply {multiply}: skal være et positivt tal.",
                    f"--multiply {multiply}: must be a positive number.",
                )
            )
    return chart, fmt, factor


def points_csv(result: SpcResult) -> str:
    doc = result.to_json()
    columns = list(doc["points"][0]) if doc["points"] else []
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for p in doc["points"]:
        writer.writerow(
            [
                "" if p[c] is None else str(p[c]).lower() if isinstance(p[c], bool) else p[c]
                for c in columns
            ]
        )
    return buf.getvalue()


def _document(result: SpcResult, direction: str, extra: dict | None = None) -> dict:
    doc = result.to_json()
    v = verdict(result, direction)
    doc["verdict"] = {"signal": v.signal, "kind": v.kind, "text": v.text, "footer": v.footer}
    if extra:
        doc.update(extra)
    return doc


def _write(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)  # whole or not at all
    finally:
        tmp.unlink(missing_ok=True)


def _emit(
    result: SpcResult,
    fmt: str,
    out: Path | None,
    *,
    direction: str = "neutral",
    title: str | None = None,
    y_title: str | None = None,
    extra: dict | None = None,
) -> None:
    if fmt == "json":
        text = json.dumps(_document(result, direction, extra), ensure_ascii=False, indent=2)
        data = (text + "\n").encode("utf-8")
    elif fmt == "csv":
        data = points_csv(result).encode("utf-8")
    else:
        from tvaers.spc import vega  # vl-convert is loaded only for images

        data = vega.render(
            vega.spec(result, title=title, y_title=y_title, direction=direction), fmt
        )
    _write(data, out)


@spc_app.command("chart")
def chart_command(
    input_csv: Path = typer.Argument(..., help="CSV med kolonnerne x, y og evt. n og note."),
    chart: str = typer.Option("run", "--chart", help=CHART_HELP),
    freeze: str = typer.Option(None, "--freeze", help=FREEZE_HELP, metavar="K"),
    part: str = typer.Option(None, "--part", help=PART_HELP, metavar="K1,K2"),
    exclude: str = typer.Option(None, "--exclude", help=EXCLUDE_HELP, metavar="I,J"),
    no_screen_mr: bool = typer.Option(False, "--no-screen-mr", help=SCREEN_HELP),
    multiply: str = typer.Option(None, "--multiply", help=MULTIPLY_HELP, metavar="F"),
    fmt: str = typer.Option("json", "--format", help=FORMAT_HELP),
    out: Path = typer.Option(None, "--out", help=OUT_HELP),
    title: str = typer.Option(None, "--title", help="Diagrammets titel. Standard: filnavnet."),
) -> None:
    """Tegn et SPC-diagram af egne målinger fra en CSV-fil."""
    try:
        chart, fmt, factor = _options(chart, fmt, multiply)
        series = read_series(input_csv, chart)
        result = compute(
            series.y,
            series.n,
            series.x,
            chart=chart,
            freeze=_int("--freeze", freeze) if freeze else None,
            parts=_ints("--part", part),
            exclude=_ints("--exclude", exclude),
            screen_mr=not no_screen_mr,
            multiply=factor or 1.0,
            notes=series.notes,
        )
        _emit(result, fmt, out, title=title or input_csv.stem)
    except SpcInputError as exc:
        raise _fail(str(exc)) from None


@spc_app.command("indicator")
def indicator_command(
    indicator_id: str = typer.Argument(..., help="Indikatorens id (se 'indicators list')."),
    unit: str = typer.Option(
        ..., "--unit", help="Enheden som NIVEAU:KODE, fx municipality:0461.", metavar="LEVEL:CODE"
    ),
    stratum: str = typer.Option("", "--stratum", help="Stratum. Standard: i alt."),
    period: str = typer.Option("month", "--period", help="month (standard), quarter eller year."),
    chart: str = typer.Option("run", "--chart", help=CHART_HELP + " Standard: run."),
    freeze: str = typer.Option(None, "--freeze", help=FREEZE_HELP, metavar="K"),
    part: str = typer.Option(None, "--part", help=PART_HELP, metavar="K1,K2"),
    exclude: str = typer.Option(None, "--exclude", help=EXCLUDE_HELP, metavar="I,J"),
    no_screen_mr: bool = typer.Option(False, "--no-screen-mr", help=SCREEN_HELP),
    multiply: str = typer.Option(
        None, "--multiply", help=MULTIPLY_HELP + " Standard: indikatorens faktor.", metavar="F"
    ),
    fmt: str = typer.Option("json", "--format", help=FORMAT_HELP),
    out: Path = typer.Option(None, "--out", help=OUT_HELP),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Tegn et SPC-diagram af en udgivet indikatorserie (diskretionerede celler er huller)."""
    db = db or Settings.from_env().db_path
    try:
        chart, fmt, factor = _options(chart, fmt, multiply)
        s = read_indicator_series(db, indicator_id, unit, stratum, period)
        if s.n is None and chart in ("p", "u", "pp", "up"):
            raise SpcInputError(
                tr(
                    f"--chart {chart}: {indicator_id} har ingen nævner; brug run, i eller c.",
                    f"--chart {chart}: {indicator_id} has no denominator; use run, i or c.",
                )
            )
        result = compute(
            s.y,
            s.n,
            s.x,
            chart=chart,
            freeze=_int("--freeze", freeze) if freeze else None,
            parts=_ints("--part", part),
            exclude=_ints("--exclude", exclude),
            screen_mr=not no_screen_mr,
            multiply=factor or s.factor,
            notes=s.notes,
        )
        stratum_text = f", {stratum}" if stratum else ""
        _emit(
            result,
            fmt,
            out,
            direction=s.direction,
            title=f"{s.name} – {s.unit_name}{stratum_text}",
            y_title=s.unit,
            extra={
                "indicator": {
                    "id": s.indicator_id,
                    "unit": unit,
                    "unit_name": s.unit_name,
                    "stratum": stratum,
                    "period": period,
                    "direction": s.direction,
                }
            },
        )
    except SpcInputError as exc:
        raise _fail(str(exc)) from None
