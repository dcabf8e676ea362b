"""CLI for the warehouse: `ingest`, `db info`, `keys init`. Parses, calls, renders."""

from __future__ import annotations

import json
import threading
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from tvaers.cli_tables import print_table
from tvaers.config import Settings
from tvaers.formatting import integer
from tvaers.i18n import tr
from tvaers.safe_text import labelled, print_safe, safe
from tvaers.warehouse import info as info_service
from tvaers.warehouse.ingest import IngestRefused, IngestResult, ingest
from tvaers.warehouse.pseudonym import PseudonymKeyError, init_key_file
from tvaers.warehouse.schema import SchemaMismatch

db_app = typer.Typer(help="Lageret: hvad det indeholder.", no_args_is_help=True)
keys_app = typer.Typer(help="Pseudonymiseringsnøglen.", no_args_is_help=True)

out = Console()
err = Console(stderr=True)


class OnError(StrEnum):
    strict = "strict"
    quarantine = "quarantine"


DB_HELP = "Lagerfilen (DuckDB). Standard: $TVAERS_DB eller ./tvaers.duckdb."


def _db(db: Path | None) -> Path:
    return db or Settings.from_env().db_path


def ingest_command(
    delivery_dir: Path = typer.Argument(
        ..., help="Mappen med leveringen (én fil pr. tabel, .csv eller .parquet)."
    ),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    on_error: OnError = typer.Option(
        OnError.strict,
        "--on-error",
        help="strict: én fejl afviser hele leveringen. quarantine: gyldige rækker indlæses, "
        "afviste skrives til karantænefiler.",
    ),
    report_dir: Path = typer.Option(
        None,
        "--report-dir",
        help="Hvor fejlrapport og karantænefiler skrives. Standard: tvaers-reports/ ved lageret.",
    ),
    max_errors: int = typer.Option(20, "--max-errors", help="Antal fejl der vises på skærmen."),
) -> None:
    """Indlæs en levering i lageret: valider, pseudonymiser og indlæs atomisk."""
    db = _db(db)
    n_files = sum(1 for p in delivery_dir.glob("*") if p.suffix.lower() in (".csv", ".parquet"))
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        # Only on a terminal: elsewhere (a log, a pipe) it would leave a blank line, and a
        # failure is to read as one line.
        disable=not err.is_terminal,
    )
    stop = threading.Event()
    pollers: list[threading.Thread] = []
    try:
        with progress:
            task = progress.add_task(tr("Indlæser", "Loading"), total=max(3 * n_files, 1))
            current = progress.add_task(tr("  aktuelt trin", "  current step"), total=100)

            def step(name: str) -> None:
                progress.update(task, advance=1, description=name)
                progress.update(current, completed=0)

            def restart() -> None:
                """The direct load found errors: the exact staging starts over."""
                progress.reset(
                    task,
                    description=tr(
                        "Fejl fundet: leveringen læses igen til en præcis fejlrapport",
                        "Errors found: reading the delivery again for an exact error report",
                    ),
                )

            def watch(con) -> None:
                """Follow DuckDB's progress on the running statement (a large file)."""

                def poll() -> None:
                    while not stop.wait(0.2):
                        try:
                            pct = con.query_progress()
                        except Exception:  # the connection closed: the load is over
                            return
                        if pct >= 0:
                            progress.update(current, completed=pct)

                poller = threading.Thread(target=poll, daemon=True)
                pollers.append(poller)
                poller.start()

            result = ingest(
                delivery_dir,
                db,
                mode=on_error.value,
                report_dir=report_dir,
                error_limit=max_errors,
                step=step,
                watch=watch,
                restart=restart,
                on_wait=lambda: err.print(
                    tr(
                        "Venter: en anden indlæsning skriver til lageret …",
                        "Waiting: another load is writing to the warehouse …",
                    )
                ),
            )
    except IngestRefused as exc:
        print_safe(err, labelled(tr("Afvist", "Refused"), "bold red", exc))
        raise typer.Exit(1) from None
    finally:
        stop.set()
        for poller in pollers:  # let go of the connection before the interpreter exits
            poller.join()
    _render_result(result, db)
    if result.status == "rejected":
        raise typer.Exit(1)


def _render_result(r: IngestResult, db: Path) -> None:
    for w in r.warnings:
        print_safe(err, labelled(tr("Advarsel", "Warning"), "yellow", w))
    if r.status == "already_loaded":
        print_safe(
            out,
            tr(
                f"Leveringen er allerede indlæst (levering {r.delivery_id}); intet er ændret.",
                f"The delivery is already loaded (delivery {r.delivery_id}); nothing changed.",
            ),
        )
        return
    if r.error_total:
        _render_errors(r)
    if r.tables:
        _render_summary(r)
    if r.status == "loaded":
        print_safe(
            out,
            Text(tr("Indlæst", "Loaded"), "green"),
            tr(
                f" som levering {r.delivery_id} i {db}: {integer(r.loaded)} rækker indlæst + "
                f"{integer(r.quarantined)} i karantæne = {integer(r.delivered)} leveret.",
                f" as delivery {r.delivery_id} into {db}: {integer(r.loaded)} rows loaded + "
                f"{integer(r.quarantined)} quarantined = {integer(r.delivered)} delivered.",
            ),
        )
        for table, path in r.quarantine_files.items():
            print_safe(out, tr(f"Karantæne for {table}: {path}", f"Quarantine for {table}: {path}"))
    else:
        print_safe(
            out,
            Text(tr("Leveringen er afvist", "The delivery is rejected"), "bold red"),
            tr("; lageret er uændret.", "; the warehouse is unchanged."),
        )


def _render_errors(r: IngestResult) -> None:
    table = Table(
        title=tr(
            f"Fejl (de første {len(r.first_errors)} af {r.error_total})",
            f"Errors (first {len(r.first_errors)} of {r.error_total})",
        )
    )
    for header in tr("Fil,Række,Kolonne,Værdi,Regel", "File,Row,Column,Value,Rule").split(","):
        table.add_column(header)
    for e in r.first_errors:
        row = integer(e.row) if e.row else ""
        table.add_row(*map(safe, (e.file, row, e.column, e.value, e.message)))
    print_table(out, table)
    counts = Table(title=tr("Fejl pr. regel", "Errors per rule"))
    counts.add_column(tr("Regel", "Rule"))
    counts.add_column(tr("Beskrivelse", "Description"))
    counts.add_column(tr("Antal", "Count"), justify="right")
    for rule, text, n in r.error_counts:
        counts.add_row(safe(rule), safe(text), safe(integer(n)))
    print_table(out, counts)
    if r.report_path:
        print_safe(
            out, tr(f"Hele fejlrapporten: {r.report_path}", f"Full error report: {r.report_path}")
        )


def _render_summary(r: IngestResult) -> None:
    table = Table(title=tr("Opsummering", "Summary"))
    for header in tr(
        "Tabel,Fil,Leveret,Indlæst,Afvist", "Table,File,Delivered,Loaded,Rejected"
    ).split(","):
        table.add_column(header, justify="right" if header[0] in "LIARD" else "left")
    loaded_here = r.status == "loaded"
    for t in r.tables:
        table.add_row(
            *map(
                safe,
                (
                    t.table,
                    t.file,
                    integer(t.delivered),
                    integer(t.loaded if loaded_here else 0),
                    integer(t.quarantined if loaded_here else t.delivered),
                ),
            )
        )
    print_table(out, table)


@db_app.command("info", short_help="Leveringer, rækker pr. tabel og perioder.")
def db_info(
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Skriv oversigten som JSON."),
) -> None:
    """Vis hvad lageret indeholder: leveringer, rækker pr. tabel og perioder."""
    db = _db(db)
    try:
        summary = info_service.summarise(db)
    except (FileNotFoundError, SchemaMismatch) as exc:
        print_safe(err, labelled(tr("Fejl", "Error"), "bold red", exc))
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(info_service.as_json(summary), ensure_ascii=False, indent=2))
        return
    print_table(
        out,
        _table(
            tr(f"Leveringer i {db}", f"Deliveries in {db}"),
            tr(
                "Nr.,Kilde,Udtrukket,Indlæst,Fingeraftryk,Tilstand,Leveret,Indlæst,Karantæne",
                "No.,Source,Extracted,Loaded at,Fingerprint,Mode,Delivered,Loaded,Quarantined",
            ),
            [
                (
                    d.delivery_id,
                    d.source or "—",
                    d.extracted_at,
                    d.loaded_at,
                    d.fingerprint[:12],
                    d.mode,
                    d.rows_delivered,
                    d.rows_loaded,
                    d.rows_quarantined,
                )
                for d in summary.deliveries
            ],
        ),
    )
    print_table(
        out,
        _table(
            tr("Rækker pr. levering og tabel", "Rows per delivery and table"),
            tr(
                "Nr.,Tabel,Leveret,Indlæst,Karantæne,Periode fra,Periode til",
                "No.,Table,Delivered,Loaded,Quarantined,Period from,Period to",
            ),
            [
                (
                    t.delivery_id,
                    t.table,
                    t.delivered,
                    t.loaded,
                    t.quarantined,
                    t.period_from,
                    t.period_to,
                )
                for t in summary.delivery_tables
            ],
        ),
    )
    print_table(
        out,
        _table(
            tr("Lageret i alt", "The warehouse in total"),
            tr(
                "Tabel,Rækker,Personer,Periode fra,Periode til",
                "Table,Rows,Persons,Period from,Period to",
            ),
            [(t.table, t.rows, t.persons, t.period_from, t.period_to) for t in summary.tables],
        ),
    )


def _table(title: str, headers: str, rows: list[tuple]) -> Table:
    """A Rich table; numbers right-aligned, empty values blank, dates as ISO."""
    table = Table(title=safe(title))
    for i, header in enumerate(headers.split(",")):
        numeric = bool(rows) and all(isinstance(r[i], int) for r in rows if r[i] is not None)
        table.add_column(header, justify="right" if numeric else "left")
    for row in rows:
        # Counts the Danish way (1.053.071), like every number Tværs shows people.
        table.add_row(*(safe(integer(v) if isinstance(v, int) else v) for v in row))
    return table


@keys_app.command("init")
def keys_init(
    key_file: Path = typer.Option(
        None,
        "--key-file",
        help="Hvor nøglen gemmes. Standard: $TVAERS_KEY_FILE eller ~/.config/tvaers/pseudonym.key.",
    ),
) -> None:
    """Opret en ny, tilfældig pseudonymiseringsnøgle (kun læsbar for ejeren)."""
    path = key_file or Settings.from_env().key_file
    try:
        key = init_key_file(path)
    except PseudonymKeyError as exc:
        print_safe(err, labelled(tr("Fejl", "Error"), "bold red", exc))
        raise typer.Exit(1) from None
    print_safe(
        out,
        tr(
            f"Nøgle oprettet i {path} (rettigheder 600, nøgle-id {key.fingerprint}). "
            "Tag sikkerhedskopi: uden nøglen kan nye leveringer ikke kobles til lageret.",
            f"Key created in {path} (mode 600, key id {key.fingerprint}). "
            "Back it up: without the key new deliveries cannot be linked to the warehouse.",
        ),
    )
