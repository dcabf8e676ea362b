"""CLI for the indicators: `list`, `compute`, `export`, `show`. Parses, calls, renders."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from tvaers.cli_tables import print_table
from tvaers.config import Settings
from tvaers.formatting import duration, integer, local_datetime, number
from tvaers.i18n import current_language, tr
from tvaers.indicators import catalogue
from tvaers.indicators.export import FORMATS, Selection, SelectionError, export, rows
from tvaers.indicators.results import NoResults, open_results, read_run
from tvaers.safe_text import labelled, print_safe
from tvaers.warehouse.schema import SchemaMismatch

indicators_app = typer.Typer(
    help="Indikatorerne: katalog, beregning, udtræk.", no_args_is_help=True
)
out = Console()
err = Console(stderr=True)

DB_HELP = "Lagerfilen (DuckDB). Standard: $TVAERS_DB eller ./tvaers.duckdb."


class Format(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"
    json = "json"


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


def _db(db: Path | None) -> Path:
    return db or Settings.from_env().db_path


def _fail(message: str) -> typer.Exit:
    print_safe(err, labelled(tr("Fejl", "Error"), "bold red", message))
    return typer.Exit(1)


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        first, _, last = text.partition("-")
        years = list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise typer.BadParameter(tr("skriv fx 2019-2024", "write e.g. 2019-2024")) from None
    if not years:
        raise typer.BadParameter(tr("første år efter sidste", "first year after last"))
    return years


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(tr("skriv ÅÅÅÅ-MM-DD", "write YYYY-MM-DD")) from None


@indicators_app.command("list")
def list_command() -> None:
    """Vis indikatorkataloget: id, navn, perioder, enhed og version."""
    try:
        cat = catalogue.load()
    except catalogue.CatalogueError as exc:
        raise _fail(str(exc)) from None
    table = Table(title=tr("Indikatorkatalog v1", "Indicator catalogue v1"))
    table.add_column("id", no_wrap=True)  # users type it: never cut
    for col in (
        tr("navn", "name"),
        tr("perioder", "periods"),
        tr("enhed", "unit"),
        tr("retning", "direction"),
        "version",
    ):
        table.add_column(col, overflow="fold")
    direction = {
        "lower_is_better": tr("lavere er bedre", "lower is better"),
        "higher_is_better": tr("højere er bedre", "higher is better"),
        "neutral": tr("neutral", "neutral"),
    }
    for ind in cat.indicators:
        table.add_row(
            ind.id,
            str(ind.name),
            ", ".join(ind.periods),
            str(ind.unit),
            direction[ind.direction],
            ind.version,
        )
    print_table(out, table)


@indicators_app.command("compute")
def compute_command(
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    structure_date: str = typer.Option(
        None,
        "--structure-date",
        help="Organisationsstruktur for alle serier (ÅÅÅÅ-MM-DD), fx 2027-01-01. Standard: "
        "hvert niveaus sidste dag i kraft eller udtræksdatoen.",
    ),
    years: str = typer.Option(
        None,
        "--years",
        help="År der beregnes, fx 2019-2024. Standard: fra første år med sygehusdata til "
        "sidste hele år før udtrækket.",
    ),
    engine: Engine = typer.Option(
        Engine.duckdb, "--engine", help="duckdb (standard) eller spark (lokal Spark)."
    ),
    threads: int = typer.Option(
        None,
        "--threads",
        min=1,
        help="Tråde i DuckDB. Standard: $TVAERS_COMPUTE_THREADS eller én pr. kerne.",
    ),
    profile: Path = typer.Option(
        None,
        "--profile",
        help="Skriv kørslens trinprofil (tid, CPU-tid, hukommelse, spild til disk pr. trin) "
        "som JSON til denne fil.",
    ),
) -> None:
    """Beregn alle indikatorer i kataloget på alle niveauer og perioder, og udgiv dem."""
    # Imported here: the engine pulls in SciPy (a second of start-up), which every other
    # command of the CLI — ingest among them — would otherwise pay for.
    from tvaers.indicators.compute import ComputeError, compute, stage_names
    from tvaers.indicators.profile import stage_label

    db = _db(db)
    try:
        cat = catalogue.load()
    except catalogue.CatalogueError as exc:
        raise _fail(str(exc)) from None
    names = {i.id: str(i.name) for i in cat.indicators}
    stages = stage_names(cat)
    if profile is not None and not profile.parent.is_dir():
        raise _fail(
            tr(
                f"--profile: mappen {profile.parent} findes ikke.",
                f"--profile: the folder {profile.parent} does not exist.",
            )
        )
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
            task = progress.add_task(tr("Beregner", "Computing"), total=None)

            def step(name: str, done: int, total: int) -> None:
                # The stage now starting, so a long one shows while it runs.
                upcoming = stages[done] if done < len(stages) else name
                progress.update(
                    task, completed=done, total=total, description=stage_label(upcoming, names)
                )

            result = compute(
                db,
                structure_date=_date(structure_date),
                years=_years(years),
                engine=engine.value,
                progress=step,
                threads=threads,
            )
    except (ComputeError, catalogue.CatalogueError, SchemaMismatch) as exc:
        raise _fail(str(exc)) from None
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    dates = ", ".join(f"{k} {v.isoformat()}" for k, v in result.structure_dates.items())
    print_safe(
        out,
        tr(
            f"Beregnet {integer(result.rows)} resultater for {result.years[0]}–"
            f"{result.years[-1]} på {duration(result.seconds)} ({result.engine}); "
            f"strukturdato: {dates}.\n"
            f"Udgivet i {result.path}.",
            f"Computed {integer(result.rows)} results for {result.years[0]}–"
            f"{result.years[-1]} in {duration(result.seconds)} ({result.engine}); "
            f"structure date: {dates}.\n"
            f"Published in {result.path}.",
        ),
    )
    if profile is not None:
        _write_profile(profile, result)


def _write_profile(path: Path, result) -> None:
    import json

    from tvaers.indicators.profile import profile_document

    try:
        path.write_text(json.dumps(profile_document(result), indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise _fail(
            tr(
                f"Profilen kunne ikke skrives til {path}: {exc.strerror}.",
                f"The profile could not be written to {path}: {exc.strerror}.",
            )
        ) from None
    print_safe(out, tr(f"Trinprofil skrevet til {path}.", f"Stage profile written to {path}."))


@indicators_app.command("export")
def export_command(
    out_file: Path = typer.Option(..., "--out", help="Filen der skrives."),
    fmt: Format = typer.Option(
        None, "--format", help="csv, parquet, xlsx eller json. Standard: filendelsen, ellers csv."
    ),
    indicator: list[str] = typer.Option(
        None, "--indicator", help="Kun denne indikator (kan gentages)."
    ),
    level: list[str] = typer.Option(
        None,
        "--level",
        help="municipality, bilateral, cluster, sundhedsraad, region eller country (kan gentages).",
    ),
    period: list[str] = typer.Option(
        None,
        "--period",
        help="En periode (2023, 2023-Q1, "
        "2023-01) eller en periodetype (year, quarter, month); "
        "kan gentages.",
    ),
    unsuppressed: bool = typer.Option(
        False, "--unsuppressed", help="Kun til drift: slå diskretionering fra (tal 1–4 vises)."
    ),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Skriv indikatorresultaterne i dataaftalens udtræksformat."""
    db = _db(db)
    chosen = (
        fmt.value
        if fmt
        else (out_file.suffix.lstrip(".") if out_file.suffix.lstrip(".") in FORMATS else "csv")
    )
    sel = Selection(tuple(indicator or ()), tuple(level or ()), tuple(period or ()))
    if unsuppressed:
        err.print(
            tr(
                "[bold yellow]Advarsel:[/] udtræk uden diskretionering — små tal (1–4) vises. "
                "Kun til driftsbrug; del ikke filen.",
                "[bold yellow]Warning:[/] export without disclosure control — small numbers "
                "(1–4) are shown. For operators only; do not share the file.",
            )
        )
    try:
        n = export(db, out_file, chosen, sel, unsuppressed)
    except (NoResults, SelectionError) as exc:
        raise _fail(str(exc)) from None
    print_safe(
        out,
        tr(
            f"Skrev {n} rækker til {out_file} ({chosen}).",
            f"Wrote {n} rows to {out_file} ({chosen}).",
        ),
    )


@indicators_app.command("show")
def show_command(
    indicator_id: str = typer.Argument(..., help="Indikatorens id (se 'indicators list')."),
    level: list[str] = typer.Option(None, "--level", help="Niveau(er). Standard: alle."),
    period: list[str] = typer.Option(
        None, "--period", help="Periode(r) eller periodetype. Standard: det seneste år."
    ),
    stratum: list[str] = typer.Option(
        None, "--stratum", help="Stratum (kan gentages). Standard: i alt, ellers alle strata."
    ),
    unsuppressed: bool = typer.Option(
        False, "--unsuppressed", help="Kun til drift: vis diskretionerede tal."
    ),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Vis én indikator som en læsbar tabel."""
    db = _db(db)
    try:
        con = open_results(db)
        try:
            run = read_run(con)
            name = con.execute(
                f"SELECT name_{'en' if current_language() == 'en' else 'da'}, unit_"
                f"{'en' if current_language() == 'en' else 'da'}, standardised "
                "FROM definitions WHERE indicator_id = ?",
                [indicator_id],
            ).fetchone()
        finally:
            con.close()
        periods = tuple(period or ()) or (str(max(run.years)),)
        data = rows(
            db,
            Selection(
                (indicator_id,),
                tuple(level or ()),
                periods,
                strata=tuple(stratum) if stratum else None,
            ),
            unsuppressed,
        )
    except (NoResults, SelectionError) as exc:
        raise _fail(str(exc)) from None
    title, unit, standardised = name or (indicator_id, "", False)
    if stratum is None and any(r["stratum"] == "" for r in data):
        data = [r for r in data if r["stratum"] == ""]  # the total, unless strata are asked
    many_strata = len({r["stratum"] for r in data}) > 1
    many_periods = len({r["period"] for r in data}) > 1
    computed = local_datetime(datetime.fromisoformat(run.computed_at))
    table = Table(
        title=f"{title} ({unit})",
        caption=tr(
            "— = diskretioneret (tæller 1–4 eller komplementær). * = foreløbig (opfølgning "
            f"på under 30 dage før udtrækket). Beregnet {computed} (dansk tid).",
            "— = suppressed (numerator 1–4 or complementary). * = provisional (less than 30 "
            f"days of follow-up before extraction). Computed {computed} (Danish time).",
        ),
    )
    table.add_column(tr("enhed", "unit"), overflow="fold")
    if many_periods:
        table.add_column(tr("periode", "period"))
    if many_strata:
        table.add_column("stratum", overflow="fold")
    for col in (
        tr("tæller", "numerator"),
        tr("nævner", "denominator"),
        tr("værdi", "value"),
        "95 % CI",
    ):
        table.add_column(col, justify="right", no_wrap=True)
    if standardised:
        table.add_column(tr("std.", "std."), justify="right", no_wrap=True)
    for r in data:
        hidden = r["suppressed"]
        cells = [r["unit_name"]]
        if many_periods:
            cells.append(r["period"])
        if many_strata:
            cells.append(r["stratum"] or tr("i alt", "total"))
        cells += [
            "—" if hidden else integer(r["numerator"]),
            integer(r["denominator"]),
            "—" if hidden else number(r["value"]) + ("*" if r["provisional"] else ""),
            ""
            if hidden or r["ci_low"] is None
            else f"{number(r['ci_low'])}–{number(r['ci_high'])}",
        ]
        if standardised:
            cells.append("—" if hidden else number(r["std_value"]))
        table.add_row(*cells)
    print_table(out, table)
