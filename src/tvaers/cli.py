"""Command line: parses, calls services, renders. No business logic lives here."""

from __future__ import annotations

import typer

from tvaers import __version__
from tvaers.domains import domains, resolve
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


def _join_group(app: typer.Typer, name: str, extra: typer.Typer) -> None:
    """Add the commands of ``extra`` to the group ``name`` already on ``app`` (once: the
    group's Typer app is shared, so a second call must not list them twice)."""
    group = next((g for g in app.registered_groups if g.name == name), None)
    if group is None or group.typer_instance is None:
        raise LookupError(f"no CLI group {name!r} to extend; its domain must come first")
    commands = group.typer_instance.registered_commands
    have = {c.callback for c in commands}
    commands += [c for c in extra.registered_commands if c.callback not in have]


def add_domain_commands(app: typer.Typer) -> None:
    """Every domain's commands, in registry order (tvaers.domains)."""
    for domain in domains():
        for entry in domain.cli:
            target = resolve(entry.target)
            if entry.extends:
                _join_group(app, entry.extends, target)
            elif entry.group:
                app.add_typer(target, name=entry.name, help=entry.help_da or None)
            else:
                app.command(entry.name)(target)


add_domain_commands(app)


def main() -> None:
    # Every failure ends in one line and a non-zero exit, never a traceback (cli_errors.py).
    from tvaers.cli_errors import run

    raise SystemExit(run(app))
