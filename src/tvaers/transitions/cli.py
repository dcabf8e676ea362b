"""`tvaers transitions`: the notified stays as a file for an analyst's own work.

Only an operator (admin) or an analyst may write them, named with `--user` and checked in
the application database; an analyst gets the stays of the people who lived in the
municipalities of their scope on the admission date. Every extract is written to the audit
log.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from tvaers.i18n import tr
from tvaers.roles import ADMINISTERS, EXPORTS_PERSON_LEVEL
from tvaers.safe_text import print_safe
from tvaers.transitions.stays import StaysError, write_stays
from tvaers.web.appdb_cli import APP_DB_HELP, DB_HELP, database, fail

transitions_app = typer.Typer(
    help="Overgange: MedCom-sygehusadviser og anmeldte indlæggelsesforløb.", no_args_is_help=True
)
out = Console()


class Format(StrEnum):
    csv = "csv"
    parquet = "parquet"


@transitions_app.command("stays")
def stays_command(
    db: Path = typer.Option(..., "--db", help=DB_HELP),
    out_file: Path = typer.Option(..., "--out", help="Filen der skrives."),
    fmt: Format = typer.Option(Format.csv, "--format", help="csv eller parquet."),
    user: str = typer.Option(
        ..., "--user", help="Brugeren der trækker forløbene (administrator eller analytiker)."
    ),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Skriv de anmeldte indlæggelsesforløb (pseudonymiseret personnummer, forløbs-id'er,
    indlæggelse, afslutning, afslutningsmåde, klasse, orlovsdage)."""
    from tvaers.users.service import get_user, principal
    from tvaers.web.audit import audit
    from tvaers.web.scope import covered_municipalities, scopes_on

    with database(db, app_db) as session:
        found = get_user(session, user)
        if found is None or found.disabled:
            raise fail(
                tr(f"ukendt eller spærret bruger {user!r}", f"unknown or disabled user {user!r}")
            )
        if found.role not in EXPORTS_PERSON_LEVEL:
            raise fail(
                tr(
                    f"{user} ({found.role}) må ikke trække personhenførbare forløb; kun "
                    "administratorer og analytikere.",
                    f"{user} ({found.role}) may not extract person-level stays; only "
                    "administrators and analysts.",
                )
            )
        who = principal(found, session)
        today = date.today()
        scope = (
            None
            if who.role in ADMINISTERS
            else covered_municipalities(scopes_on(who, today), today)
        )
        try:
            written = write_stays(db, out_file, fmt.value, scope)
        except StaysError as exc:
            raise fail(str(exc)) from None
        audit(
            session,
            who,
            "stays_exported",
            details={"file": str(out_file), "rows": written.rows, "format": fmt.value},
        )
    print_safe(
        out,
        tr(
            f"Skrev {written.rows} forløb til {out_file} ({fmt.value}).",
            f"Wrote {written.rows} stays to {out_file} ({fmt.value}).",
        ),
    )
