"""`tvaers agreement import|list|status|export`: the agreement registry from the command
line. Thin: parse, call ``loading`` / ``status``, render. SQLAlchemy and the results are
imported inside the commands so other commands start fast. A failure is one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from tvaers.i18n import tr
from tvaers.web import appdb_cli
from tvaers.web.appdb_cli import APP_DB_HELP, DB_HELP
from tvaers.web.appdb_cli import database as _database

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None)
_FORMATS = ("text", "json")


def _format(text: str) -> str:
    if text not in _FORMATS:
        raise appdb_cli.usage_error(
            tr(f"--format {text}: vælg text eller json", f"--format {text}: choose text or json")
        )
    return text


_DB = typer.Option(None, "--db", help=DB_HELP)
_APP_DB = typer.Option(None, "--app-db", help=APP_DB_HELP)
_FILE = typer.Argument(..., metavar=tr("FIL.yaml", "FILE.yaml"))
_OUT = typer.Option(None, "--out", metavar=tr("FIL.yaml", "FILE.yaml"))
_FORMAT = typer.Option(
    "text", "--format", metavar="text|json", help=tr("Tabel eller JSON.", "Table or JSON.")
)


@app.command(
    "import",
    help=tr(
        "Indlæs eller opdatér en aftale fra en YAML-fil (format: docs/agreement.md). Alt eller "
        "intet; samme fil to gange ændrer intet; historikken beholder det gamle.",
        "Load or update an agreement from a YAML file (format: docs/agreement.md). All or "
        "nothing; the same file twice changes nothing; the history keeps the old.",
    ),
)
def import_file(
    file: Path = _FILE,
    db: Path = _DB,
    app_db: str = _APP_DB,
) -> None:
    from tvaers.agreements import loading
    from tvaers.agreements.importfile import ImportInvalid

    appdb_cli.import_file(
        file, db, app_db, loading.load, ImportInvalid, lambda found: ": " + "; ".join(found)
    )


@app.command("list", help=tr("Vis aftalerne i registret.", "List the agreements in the registry."))
def list_agreements(db: Path = _DB, app_db: str = _APP_DB, fmt: str = _FORMAT) -> None:
    from tvaers.agreements import service

    fmt = _format(fmt)
    with _database(db, app_db) as session:
        found = [service.read_agreement(a, tr) for a in service.agreements(session)]
    if fmt == "json":
        print(json.dumps([a.model_dump(mode="json") for a in found], ensure_ascii=False, indent=2))
        return
    table = Table(show_lines=False)
    for column in (
        "id",
        tr("navn", "name"),
        tr("art", "kind"),
        tr("status", "status"),
        tr("periode", "period"),
    ):
        table.add_column(column)
    for a in found:
        name = a.name + (tr(" (eksempel)", " (example)") if a.example else "")
        period = f"{a.valid_from} – {a.valid_to or ''}"
        table.add_row(a.id, name, a.kind_label, a.status_label, period)
    Console().print(table)


def _snapshot(db: Path | None):  # type: ignore[no-untyped-def]
    from tvaers.config import Settings
    from tvaers.indicators.results import NoResults, open_results
    from tvaers.web.results_store import Snapshot

    warehouse = db or Settings.from_env().db_path
    try:
        open_results(warehouse).close()  # says clearly when nothing has been computed
        return Snapshot.open(warehouse, ())
    except NoResults as exc:
        raise appdb_cli.usage_error(str(exc)) from None


@app.command(
    "status",
    help=tr(
        "Vis hvert måls status, beregnet fra de udgivne resultater (diskretioneret som for en "
        "læser): seneste værdi, basis, mål, SPC-variation og målvurdering.",
        "Show every target's status computed from the published results (suppressed as for a "
        "viewer): latest value, baseline, target, SPC variation and assurance.",
    ),
)
def status(
    agreement_id: str = typer.Argument(..., metavar="ID"),
    db: Path = _DB,
    app_db: str = _APP_DB,
    fmt: str = _FORMAT,
) -> None:
    from tvaers.agreements.models import Agreement
    from tvaers.agreements.status import target_statuses
    from tvaers.formatting import number

    fmt = _format(fmt)
    results = _snapshot(db)
    with _database(db, app_db) as session:
        if session.get(Agreement, agreement_id) is None:
            raise appdb_cli.usage_error(
                tr(
                    f"ukendt aftale {agreement_id!r} (se `tvaers agreement list`)",
                    f"unknown agreement {agreement_id!r} (see `tvaers agreement list`)",
                )
            )
        rows = target_statuses(session, results, agreement_id)
    if fmt == "json":
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    table = Table()
    for column in (
        tr("mål", "target"),
        tr("indikator", "indicator"),
        tr("enhed", "unit"),
        tr("seneste", "latest"),
        tr("basis", "baseline"),
        tr("mål", "target"),
        tr("diagram", "chart"),
        tr("variation", "variation"),
        tr("vurdering", "assurance"),
    ):
        table.add_column(column)

    def shown(value: float | None, hidden: bool = False) -> str:
        if hidden:
            return tr("skjult", "hidden")
        return "–" if value is None else number(value, decimals=1)

    for r in rows:
        table.add_row(
            r.target,
            r.indicator,
            r.unit,
            f"{shown(r.latest_value, r.suppressed)} ({r.latest_period or '–'})",
            shown(r.baseline_value),
            f"{shown(r.target_value)} ({r.by})",
            r.chart,
            r.variation or "–",
            r.assurance,
        )
    Console(width=200).print(table)


@app.command(
    "export",
    help=tr(
        "Skriv en aftale som YAML i importformatet (til stdout eller --out).",
        "Write an agreement as YAML in the import format (to stdout or --out).",
    ),
)
def export(
    agreement_id: str = typer.Argument(..., metavar="ID"),
    out: Path = _OUT,
    db: Path = _DB,
    app_db: str = _APP_DB,
) -> None:
    from tvaers.agreements import exporting

    with _database(db, app_db) as session:
        try:
            text = exporting.export_yaml(session, agreement_id)
        except KeyError:
            raise appdb_cli.usage_error(
                tr(f"ukendt aftale {agreement_id!r}", f"unknown agreement {agreement_id!r}")
            ) from None
    if out is None:
        print(text, end="")
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise appdb_cli.usage_error(f"{out}: {exc.strerror or exc}") from None
    Console().print(
        tr(f"{agreement_id} skrevet til {out}.", f"{agreement_id} written to {out}."),
        highlight=False,
    )
