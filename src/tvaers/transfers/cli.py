"""`tvaers transfers estimate`: the volumes of a municipal service from the warehouse, per
year and unit (spec: task-transfer.md). Parses, calls estimate.compute, renders."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from tvaers.cli_errors import USAGE
from tvaers.config import Settings
from tvaers.formatting import integer, number
from tvaers.i18n import tr
from tvaers.safe_text import labelled, print_safe
from tvaers.warehouse.contract import MUNICIPAL_SERVICES
from tvaers.web.scope import InvalidScope, parse_scope

app = typer.Typer(help="Opgaveoverdragelse: volumener fra data.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def _fail(message: str) -> typer.Exit:
    print_safe(err, labelled(tr("Fejl", "Error"), "bold red", message))
    return typer.Exit(USAGE)


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    first, _, last = text.partition("-")
    try:
        years = list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise _fail(
            tr(f"--years {text!r}: skriv fx 2021-2024", f"--years {text!r}: write e.g. 2021-2024")
        ) from None
    if not years or not all(1900 <= y <= 2999 for y in (years[0], years[-1])):
        raise _fail(
            tr(
                f"--years {text!r}: første år efter sidste",
                f"--years {text!r}: first year after last",
            )
        )
    return years


def _text(rows: list[dict]) -> None:
    table = Table(
        caption=tr(
            "— = diskretioneret (1–4 personer, eller komplementært). Timer: kun perioder med "
            "timer (se antal).",
            "— = suppressed (1–4 persons, or complementary). Hours: periods with hours only "
            "(see count).",
        )
    )
    table.add_column(tr("år", "year"), no_wrap=True, min_width=4)
    table.add_column(tr("enhed", "unit"), overflow="fold", min_width=14)
    heads = (
        tr("personer", "persons"),
        tr("perioder startet", "periods started"),
        tr("ydelsesdage", "service days"),
        tr("timer", "hours"),
        tr("perioder m. timer", "periods w. hours"),
        tr("besøg", "visits"),
    )
    for col in heads:
        table.add_column(col, justify="right", overflow="fold")
    for r in rows:
        hidden = r["suppressed"]
        cells = [str(r["year"]), f"{r['unit_name']} ({r['level']}:{r['unit_code']})"]
        for key in ("persons", "periods_started", "service_days"):
            cells.append("—" if hidden else integer(r[key]))
        cells.append("—" if hidden else number(r["hours"], decimals=1))
        cells += ["—" if hidden else integer(r[k]) for k in ("hours_covered_periods", "visits")]
        table.add_row(*cells)
    # Eight columns do not fit 80 characters: a pipe gets the whole table, not cut columns.
    Console(width=max(out.width, 120)).print(table)


@app.command("estimate")
def estimate_command(
    service: str = typer.Option(
        ..., "--service", help=f"Kommunal ydelse: {', '.join(MUNICIPAL_SERVICES)}."
    ),
    unit: str = typer.Option(
        None, "--unit", help="Enhed NIVEAU:KODE, fx cluster:syddanmark-fyn. Standard: hver kommune."
    ),
    years: str = typer.Option(
        None,
        "--years",
        help="År, fx 2021-2024. Standard: første år med ydelsen til sidste hele år.",
    ),
    db: Path = typer.Option(
        None, "--db", help="Lagerfilen (DuckDB). Standard: $TVAERS_DB eller ./tvaers.duckdb."
    ),
    fmt: Format = typer.Option(Format.text, "--format", help="text, json eller csv."),
) -> None:
    """Volumener af en kommunal ydelse pr. år og enhed (personer, perioder, dage, timer, besøg)."""
    # Imported here: the estimate's disclosure control pulls in SciPy, which every other
    # command of the CLI would otherwise load at start-up.
    from tvaers.transfers.estimate import KEYS, EstimateError, compute

    try:
        chosen = parse_scope(unit) if unit else None
    except InvalidScope as exc:
        raise _fail(f"--unit: {exc}") from None
    try:
        volumes = compute(db or Settings.from_env().db_path, service, _years(years))
    except EstimateError as exc:
        raise _fail(str(exc)) from None
    rows = volumes.select([chosen] if chosen else None)
    if fmt is Format.json:
        out.file.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(KEYS), lineterminator="\n")
        writer.writeheader()
        # true/false as in the JSON; an empty cell for a hidden measure.
        writer.writerows({**r, "suppressed": str(r["suppressed"]).lower()} for r in rows)
        out.file.write(buffer.getvalue())
    else:
        _text(rows)
