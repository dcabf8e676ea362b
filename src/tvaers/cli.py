"""Command line: parses, calls services, renders. No business logic lives here."""

from __future__ import annotations

import typer

from tvaers import __version__
from tvaers.i18n import set_language, tr

app = typer.Typer(
    name="tvaers",
    help="Tværs — data og indikatorer for det tværsektorielle sundhedssamarbejde.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tvaers {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    lang: str = typer.Option(
        None,
        "--lang",
        help="Sprog for tekster: da (standard) eller en. Også via TVAERS_LANG.",
        envvar="TVAERS_LANG",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Vis version og afslut."
    ),
) -> None:
    """Tværs — data og indikatorer for det tværsektorielle sundhedssamarbejde."""
    if lang:
        try:
            set_language(lang)
        except ValueError:
            raise typer.BadParameter(tr("vælg da eller en", "choose da or en")) from None


from tvaers.reference.cli import app as org_app  # noqa: E402
from tvaers.warehouse.cli import db_app, ingest_command, keys_app  # noqa: E402

app.command("ingest")(ingest_command)
from tvaers.synth.cli import generate_command  # noqa: E402

app.command("generate")(generate_command)
app.add_typer(db_app, name="db", help="Lageret: hvad det indeholder.")
app.add_typer(keys_app, name="keys", help="Pseudonymiseringsnøglen.")

from tvaers.indicators.cli import indicators_app  # noqa: E402

app.add_typer(indicators_app, name="indicators", help="Indikatorerne: katalog, beregning, udtræk.")
app.add_typer(
    org_app, name="org", help="Organisationen: regioner, klynger og kommuner på en given dato."
)

from tvaers.web.cli import app_db_app, serve_command, users_app  # noqa: E402

app.command("serve")(serve_command)
app.add_typer(users_app, name="users", help="Brugere af webapplikationen.")
app.add_typer(app_db_app, name="app-db", help="Applikationsdatabasen (brugere, revisionslog).")


def main() -> None:
    # Every failure ends in one line and a non-zero exit, never a traceback (cli_errors.py).
    from tvaers.cli_errors import run

    raise SystemExit(run(app))
