"""`tvaers generate`: write a synthetic delivery. Parses, calls synth.generate, renders."""

from __future__ import annotations

import re
import time
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from tvaers.formatting import duration, integer, number
from tvaers.i18n import tr
from tvaers.safe_text import labelled, print_safe
from tvaers.synth.generate import GenerationResult, generate
from tvaers.synth.population import REGIONS

out = Console()
err = Console(stderr=True)

Region = StrEnum("Region", {name: name for name in [*REGIONS, "all"]})  # type: ignore[misc]


class Fmt(StrEnum):
    parquet = "parquet"
    csv = "csv"


class PersonKey(StrEnum):
    cpr = "cpr"
    person_id = "person_id"


def _years(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", text)
    if not m:
        raise typer.BadParameter(
            tr("skriv fx 2019-2024 eller 2023", "write e.g. 2019-2024 or 2023")
        )
    first = int(m.group(1))
    last = int(m.group(2) or first)
    if last < first:
        raise typer.BadParameter(tr("sidste år før første", "last year before first"))
    return first, last


def generate_command(
    out_dir: Path = typer.Option(
        ..., "--out", help="Mappen leveringen skrives til (erstattes, hvis generate skrev den)."
    ),
    region: Region = typer.Option(
        Region["syddanmark"], "--region", help="Regionen der genereres, eller all for hele landet."
    ),
    scale: float = typer.Option(
        1.0, "--scale", help="Befolkningens størrelse i forhold til den offentliggjorte (fx 0.01)."
    ),
    years: str = typer.Option("2019-2024", "--years", help="Årene der genereres, fx 2019-2024."),
    seed: int = typer.Option(42, "--seed", help="Samme seed giver de samme data."),
    fmt: Fmt = typer.Option(Fmt.parquet, "--format", help="Filformat: parquet eller csv."),
    person_key: PersonKey = typer.Option(
        PersonKey.cpr,
        "--person-key",
        help="Personnøgle: cpr (syntetiske CPR-numre) eller person_id.",
    ),
    split_by_source: bool = typer.Option(
        False,
        "--split-by-source",
        help="Én levering pr. kilde: regionen, hver kommune og almen praksis "
        "(med indlæsningsrækkefølge i manifest.json).",
    ),
    medcom_bundles: bool = typer.Option(
        False,
        "--medcom-bundles",
        help="Sygehusadviserne som MedCom FHIR-beskeder (hospital_notifications.ndjson) "
        "i stedet for rækker i messages; kræver --person-key cpr.",
    ),
) -> None:
    """Generér syntetiske data: en levering efter datakontrakten, som tvaers ingest kan indlæse."""
    first, last = _years(years)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    try:
        with progress:
            task = progress.add_task(tr("Genererer", "Generating"), total=13)
            stage_seconds: dict[str, float] = {}
            mark = [time.perf_counter()]

            def step(name: str, done: int, total: int) -> None:
                now = time.perf_counter()
                stage_seconds[name] = now - mark[0]  # the stage that just finished
                mark[0] = now
                progress.update(task, completed=done, total=total, description=name)

            result = generate(
                out_dir,
                region=region.value,
                scale=scale,
                years=(first, last),
                seed=seed,
                fmt=fmt.value,
                person_key=person_key.value,
                split_by_source=split_by_source,
                medcom_bundles=medcom_bundles,
                progress=step,
            )
    except ValueError as exc:
        print_safe(err, labelled(tr("Fejl", "Error"), "bold red", exc))
        raise typer.Exit(2) from None
    _render(result, stage_seconds)


def _render(r: GenerationResult, stage_seconds: dict[str, float]) -> None:
    """Rows per table with the seconds of the stage that wrote it (work stages such as
    stays are not tables and count only in the total)."""
    table = Table(title=tr("Skrevet", "Written"))
    table.add_column(tr("tabel", "table"))
    table.add_column(tr("rækker", "rows"), justify="right")
    table.add_column(tr("sekunder", "seconds"), justify="right")
    table.add_column(tr("rækker/s", "rows/s"), justify="right")
    for name, rows in r.rows.items():
        secs = stage_seconds.get(name)
        rate = integer(round(rows / secs)) if secs else ""
        table.add_row(name, integer(rows), number(secs) if secs is not None else "", rate)
    total = max(r.seconds, 1e-9)
    table.add_row(
        tr("i alt", "total"),
        integer(r.total_rows),
        number(r.seconds),
        integer(round(r.total_rows / total)),
        style="bold",
    )
    out.print(table)
    out.print(
        tr(
            f"{integer(r.persons)} personer, {r.years[0]}-{r.years[1]}, seed {r.seed}, "
            f"{duration(r.seconds)}. Udtrukket {r.extracted_at}.",
            f"{integer(r.persons)} persons, {r.years[0]}-{r.years[1]}, seed {r.seed}, "
            f"{duration(r.seconds)}. Extracted {r.extracted_at}.",
        )
    )
    if len(r.deliveries) == 1:
        print_safe(
            out,
            tr(
                f"Indlæs med: tvaers ingest {r.deliveries[0]}",
                f"Load with: tvaers ingest {r.deliveries[0]}",
            ),
        )
    else:
        print_safe(
            out,
            tr(
                f"{len(r.deliveries)} leveringer; indlæs i rækkefølgen i {r.out / 'manifest.json'}",
                f"{len(r.deliveries)} deliveries; load in the order in {r.out / 'manifest.json'}",
            ),
        )
