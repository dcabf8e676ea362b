"""`tvaers report pack` and `tvaers report packs`: data packs for meetings (docs/data-packs.md).
Parses, calls, writes; a bad unit, level or period is one line and exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console

from tvaers.config import Settings
from tvaers.formatting import duration
from tvaers.i18n import current_language, tr
from tvaers.safe_text import labelled, print_safe
from tvaers.web.appdb_cli import APP_DB_HELP

report_app = typer.Typer(help="Datapakker til møderne (PDF eller HTML).", no_args_is_help=True)
out = Console()
err = Console(stderr=True)

DB_HELP = "Lagerfilen (DuckDB). Standard: $TVAERS_DB eller ./tvaers.duckdb."
PACK_LEVELS = ("cluster", "sundhedsraad", "region", "municipality")


def _fail(message: str) -> typer.Exit:
    print_safe(err, labelled(tr("Fejl", "Error"), "bold red", message))
    return typer.Exit(2)


def _lang(lang: str | None) -> str:
    chosen = lang or current_language()
    if chosen not in ("da", "en"):
        raise _fail(tr(f"--lang {chosen}: vælg da eller en.", f"--lang {chosen}: choose da or en."))
    return chosen


def _unit(text: str) -> tuple[str, str]:
    from tvaers.vocabulary import LEVELS

    level, sep, code = text.partition(":")
    if not sep or level not in LEVELS or not code:
        raise _fail(
            tr(
                f"--unit {text}: skriv NIVEAU:KODE, fx cluster:syddanmark-fyn eller "
                f"municipality:461 (niveauer: {', '.join(LEVELS)}).",
                f"--unit {text}: write LEVEL:CODE, e.g. cluster:syddanmark-fyn or "
                f"municipality:461 (levels: {', '.join(LEVELS)}).",
            )
        )
    return level, code


def _period(text: str | None) -> str | None:
    if text is not None and not (len(text) == 4 and text.isdigit()):
        raise _fail(
            tr(
                f"--period {text}: skriv et år, fx 2024.",
                f"--period {text}: write a year, e.g. 2024.",
            )
        )
    return text


def _snapshot(db: Path | None):  # type: ignore[no-untyped-def]
    from tvaers.indicators.results import NoResults
    from tvaers.reports.batch import open_snapshot

    try:
        return open_snapshot(db or Settings.from_env().db_path)
    except NoResults as exc:
        raise _fail(str(exc)) from None


def _app_db_url(db: Path, app_db: str | None) -> str:
    """The application database the registry sections read: as `tvaers serve` uses it."""
    from tvaers.web.settings import app_db_url

    return app_db_url(db, app_db)


def _note_unavailable(reason: str | None) -> None:
    if reason is not None:
        print_safe(err, labelled(tr("Bemærk", "Note"), "bold yellow", reason))


def _warn_unsuppressed() -> None:
    err.print(
        tr(
            "[bold yellow]Advarsel:[/] datapakke uden diskretionering — små tal (1–4) vises, og "
            "hver side er stemplet 'Fortroligt — ikke-diskretioneret'. Kun til driftsbrug; del "
            "ikke filen.",
            "[bold yellow]Warning:[/] data pack without disclosure control — small numbers "
            "(1–4) are shown, and every page is stamped 'Fortroligt — ikke-diskretioneret'. "
            "For operators only; do not share the file.",
        )
    )


@report_app.command("pack")
def pack_command(
    unit: str = typer.Option(
        ...,
        "--unit",
        help="Enheden som NIVEAU:KODE, fx cluster:syddanmark-fyn.",
        metavar="LEVEL:CODE",
    ),
    period: str = typer.Option(
        None, "--period", help="Året. Standard: resultaternes seneste år.", metavar="YEAR"
    ),
    lang: str = typer.Option(None, "--lang", help="da (standard) eller en."),
    fmt: str = typer.Option("pdf", "--format", help="pdf (standard) eller html."),
    out_file: Path = typer.Option(
        None, "--out", help="Filen der skrives. Standard: datapakke-NIVEAU-KODE-ÅR.pdf."
    ),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
    unsuppressed: bool = typer.Option(
        False,
        "--unsuppressed",
        help="Kun til drift: uden diskretionering; hver side stemples "
        "'Fortroligt — ikke-diskretioneret'.",
    ),
) -> None:
    """Lav datapakken for én enhed og ét år (PDF eller HTML)."""
    from tvaers.reports.appdb import BadAppDbUrl, registries
    from tvaers.reports.batch import make_pack, write_atomically
    from tvaers.reports.content import PackError

    level, code = _unit(unit)
    year = _period(period)
    language = _lang(lang)
    if fmt not in ("pdf", "html"):
        raise _fail(
            tr(f"--format {fmt}: vælg pdf eller html.", f"--format {fmt}: choose pdf or html.")
        )
    db_path = db or Settings.from_env().db_path
    snap = _snapshot(db_path)
    if unsuppressed:
        _warn_unsuppressed()
    try:
        with registries(_app_db_url(db_path, app_db)) as found:
            made = make_pack(
                snap, level, code, year, language, fmt, unsuppressed, sessions=found.sessions
            )
    except (PackError, BadAppDbUrl) as exc:
        raise _fail(str(exc)) from None
    target = out_file or Path(f"datapakke-{level}-{code}-{made.period}.{fmt}")
    write_atomically(target, made.data)
    _note_unavailable(found.unavailable)
    print_safe(
        out,
        tr(
            f"Skrev datapakken for {made.unit_name} {made.period} til {target} "
            f"({duration(made.seconds)}; fingeraftryk {made.fingerprint[:16]}).",
            f"Wrote the data pack of {made.unit_name} {made.period} to {target} "
            f"({duration(made.seconds)}; fingerprint {made.fingerprint[:16]}).",
        ),
    )


@report_app.command("packs")
def packs_command(
    level: str = typer.Option(
        ..., "--level", help="cluster, sundhedsraad, region eller municipality."
    ),
    out_dir: Path = typer.Option(..., "--out", help="Mappen pakkerne skrives i."),
    period: str = typer.Option(
        None, "--period", help="Året. Standard: resultaternes seneste år.", metavar="YEAR"
    ),
    lang: str = typer.Option(None, "--lang", help="da (standard) eller en."),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
    workers: int = typer.Option(
        None, "--workers", help="Processer der laver pakker samtidig. Standard: antal kerner."
    ),
) -> None:
    """Lav datapakker (PDF) for alle enheder på ét niveau."""
    from tvaers.reports.appdb import BadAppDbUrl, registries
    from tvaers.reports.batch import make_all
    from tvaers.reports.content import PackError

    if level not in PACK_LEVELS:
        raise _fail(
            tr(
                f"--level {level}: vælg {', '.join(PACK_LEVELS)}.",
                f"--level {level}: choose {', '.join(PACK_LEVELS)}.",
            )
        )
    year = _period(period)
    language = _lang(lang)
    if workers is not None and workers < 1:
        raise _fail(tr("--workers skal være mindst 1.", "--workers must be at least 1."))
    db_path = db or Settings.from_env().db_path
    snap = _snapshot(db_path)
    if not snap.units.get(level):
        raise _fail(
            tr(
                f"--level {level}: resultaterne har ingen enheder på dette niveau.",
                f"--level {level}: the results hold no units of this level.",
            )
        )
    url = _app_db_url(db_path, app_db)
    try:
        with registries(url) as found:  # checked once here; each worker opens its own
            pass
        done = make_all(
            db_path,
            snap,
            level,
            year,
            language,
            out_dir,
            workers or os.cpu_count() or 1,
            url if found.sessions is not None else None,
        )
    except (PackError, BadAppDbUrl) as exc:
        raise _fail(str(exc)) from None
    _note_unavailable(found.unavailable)
    print_safe(
        out,
        tr(
            f"Skrev {len(done.files)} datapakker til {out_dir} på {duration(done.seconds)}.",
            f"Wrote {len(done.files)} data packs to {out_dir} in {duration(done.seconds)}.",
        ),
    )
