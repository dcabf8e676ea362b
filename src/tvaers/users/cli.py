"""`tvaers users`: local accounts, their roles, scopes and registry person, and the history
of every change to them. Thin: parses, calls tvaers.users.service, renders."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tvaers.cli_tables import print_table
from tvaers.formatting import local_datetime
from tvaers.i18n import tr
from tvaers.web.appdb_cli import APP_DB_HELP, DB_HELP
from tvaers.web.appdb_cli import cli_actor as _cli_actor
from tvaers.web.appdb_cli import database as _database
from tvaers.web.appdb_cli import fail as _fail

users_app = typer.Typer(help="Brugere af webapplikationen.", no_args_is_help=True)

out = Console()

ROLE_HELP = (
    "admin: alt, også revisionsloggen; secretariat: redigerer registrene (organisation, "
    "aftaler, opgaveoverdragelser) for enhederne i sit omfang og ser, hvad en analytiker ser; "
    "analyst: ikke-diskretionerede tal for enhederne i sit omfang; viewer: kun "
    "diskretionerede tal."
)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        # One line; the newline that ends it is not part of the password.
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
        if not password:
            raise _fail(tr("ingen adgangskode på standard-input", "no password on standard input"))
        return password
    if not _interactive():
        raise _fail(
            tr(
                "ingen terminal at spørge efter adgangskoden i; brug --password-stdin",
                "no terminal to ask for the password; use --password-stdin",
            )
        )
    first = typer.prompt(tr("Adgangskode", "Password"), hide_input=True)
    second = typer.prompt(tr("Gentag adgangskoden", "Repeat the password"), hide_input=True)
    if first != second:
        raise _fail(tr("de to adgangskoder er forskellige", "the two passwords differ"))
    return first


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="Brugernavn: små bogstaver, tal, '.', '_', '-'."),
    role: str = typer.Option(..., "--role", help=ROLE_HELP, metavar="ROLLE"),
    scope: list[str] = typer.Option(
        [],
        "--scope",
        metavar="NIVEAU:KODE",
        help="En enhed i brugerens omfang, fx cluster:syddanmark-sonderjylland, region:1083, "
        "municipality:540 eller country:DK. Kan gentages.",
    ),
    name: str = typer.Option(None, "--name", help="Navn, der vises (standard: brugernavnet)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Læs adgangskoden fra standard-input (én linje)."
    ),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Opret en bruger med rolle og omfang. Spørger om adgangskoden to gange."""
    from tvaers.users.service import UserError, add_user, check_role, normalise_username
    from tvaers.web.audit import audit
    from tvaers.web.passwords import WeakPassword
    from tvaers.web.scope import InvalidScope, parse_scope

    try:
        username = normalise_username(username)
        check_role(role)
        units = [parse_scope(s) for s in scope]
    except (UserError, InvalidScope) as exc:
        raise _fail(str(exc)) from None
    password = _read_password(password_stdin)
    with _database(db, app_db) as session:
        try:
            user = add_user(
                session,
                username,
                role=role,
                password=password,
                display_name=name,
                scopes=units,
                actor=_cli_actor(),
            )
        except (UserError, InvalidScope, WeakPassword) as exc:
            raise _fail(str(exc)) from None
        audit(
            session,
            _cli_actor(),
            "user_added",
            details={"username": user.username, "role": role, "scopes": [str(u) for u in units]},
        )
    out.print(tr(f"Bruger {username} oprettet ({role}).", f"User {username} created ({role})."))


@users_app.command("list")
def users_list(
    as_json: bool = typer.Option(False, "--json", help="Skriv listen som JSON."),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Vis alle brugere med rolle, omfang og status."""
    from tvaers.users.service import list_users

    with _database(db, app_db) as session:
        rows = [
            {
                "username": u.username,
                "display_name": u.display_name,
                "role": u.role,
                "scopes": [f"{s.level}:{s.unit_code}" for s in u.scopes],
                "person": u.person_id,
                "disabled": u.disabled,
                "created_at": u.created_at.isoformat(timespec="seconds"),
            }
            for u in list_users(session)
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print(
            tr(
                "Ingen brugere endnu: opret en med `tvaers users add`.",
                "No users yet: create one with `tvaers users add`.",
            )
        )
        return
    table = Table(title=tr("Brugere", "Users"))
    for header in tr(
        "Brugernavn,Navn,Rolle,Omfang,Person,Status,Oprettet",
        "User name,Name,Role,Scope,Person,Status,Created",
    ).split(","):
        table.add_column(header)
    for r in rows:
        table.add_row(
            r["username"],
            r["display_name"],
            r["role"],
            ", ".join(r["scopes"]) or "—",
            r["person"] or "—",
            tr("deaktiveret", "disabled") if r["disabled"] else tr("aktiv", "active"),
            local_datetime(datetime.fromisoformat(r["created_at"])),
        )
    print_table(out, table)


def _link(username: str, person: str | None, db: Path | None, app_db: str | None) -> None:
    from tvaers.users.service import UserError, link_person
    from tvaers.web.audit import audit

    with _database(db, app_db) as session:
        try:
            user = link_person(session, username, person, actor=_cli_actor())
        except UserError as exc:
            raise _fail(str(exc)) from None
        action = "user_linked" if person else "user_unlinked"
        audit(session, _cli_actor(), action, details={"username": user.username, "person": person})


@users_app.command("link")
def users_link(
    username: str = typer.Argument(..., help="Brugernavnet."),
    person: str = typer.Argument(
        ..., metavar="PERSON_ID", help="Personens id i registret (se `tvaers org seats`)."
    ),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Knyt en bruger til en person i registret: enhederne for de fora, hvor personen har et
    sæde, hører med til brugerens omfang, så længe sædet gælder (rollen bestemmer stadig, om
    brugeren ser tal uden diskretionering)."""
    _link(username, person, db, app_db)
    out.print(
        tr(f"Bruger {username} er knyttet til {person}.", f"User {username} is linked to {person}.")
    )


@users_app.command("unlink")
def users_unlink(
    username: str = typer.Argument(..., help="Brugernavnet."),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Fjern brugerens tilknytning til en person i registret (og dermed sædernes omfang)."""
    _link(username, None, db, app_db)
    out.print(
        tr(f"Bruger {username} er ikke længere knyttet.", f"User {username} is no longer linked.")
    )


def _set_disabled(username: str, disabled: bool, db: Path | None, app_db: str | None) -> None:
    from tvaers.users.service import UserError, set_disabled
    from tvaers.web.audit import audit

    with _database(db, app_db) as session:
        try:
            user = set_disabled(session, username, disabled, actor=_cli_actor())
        except UserError as exc:
            raise _fail(str(exc)) from None
        action = "user_disabled" if disabled else "user_enabled"
        audit(session, _cli_actor(), action, details={"username": user.username})


@users_app.command("disable")
def users_disable(
    username: str = typer.Argument(..., help="Brugernavnet."),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Deaktiver en bruger: kan ikke logge ind, og igangværende sessioner ophører straks."""
    _set_disabled(username, True, db, app_db)
    out.print(tr(f"Bruger {username} er deaktiveret.", f"User {username} is disabled."))


@users_app.command("enable")
def users_enable(
    username: str = typer.Argument(..., help="Brugernavnet."),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Genaktiver en deaktiveret bruger."""
    _set_disabled(username, False, db, app_db)
    out.print(tr(f"Bruger {username} er aktiv igen.", f"User {username} is active again."))


@users_app.command("set-password")
def users_set_password(
    username: str = typer.Argument(..., help="Brugernavnet."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Læs adgangskoden fra standard-input (én linje)."
    ),
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Sæt en ny adgangskode. Brugerens igangværende sessioner ophører."""
    from tvaers.users.service import UserError, require_user, set_password
    from tvaers.web.audit import audit
    from tvaers.web.passwords import WeakPassword

    with _database(db, app_db) as session:
        try:
            require_user(session, username)  # before asking: no password typed in vain
        except UserError as exc:
            raise _fail(str(exc)) from None
        password = _read_password(password_stdin)
        try:
            user = set_password(session, username, password, actor=_cli_actor())
        except (UserError, WeakPassword) as exc:
            raise _fail(str(exc)) from None
        audit(session, _cli_actor(), "password_set", details={"username": user.username})
    out.print(tr(f"Ny adgangskode sat for {username}.", f"New password set for {username}."))


@users_app.command("history")
def users_history(
    username: str = typer.Argument(..., help="Brugernavnet."),
    as_json: bool = typer.Option(False, "--json", help="Skriv historikken som JSON."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    app_db: str | None = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Vis historikken for en bruger: hver ændring, hvem, hvornår, før og efter."""
    from tvaers.users.service import UserError, require_user
    from tvaers.web.records import describe, history

    with _database(db, app_db) as session:
        try:
            user = require_user(session, username)
        except UserError as exc:
            raise _fail(str(exc)) from None
        entries = history(session, "users.user", user.id)
    if as_json:
        rows = [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "version": e.version,
                "before": e.before,
                "after": e.after,
            }
            for e in entries
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=tr(f"Historik for {user.username}", f"History of {user.username}"))
    for heading in (tr("Tidspunkt", "Time"), tr("Ændring", "Change")):
        table.add_column(heading)
    for e in entries:
        # Text, not markup: a value such as "[/]" is shown as it is.
        table.add_row(local_datetime(e.at), Text(describe(e)))
    print_table(out, table, highlight=False)
