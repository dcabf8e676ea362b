"""CLI of the web application: `tvaers serve`, `tvaers app-db upgrade` (`tvaers users` is the
users domain's: tvaers.users.cli).

Thin: parses, calls migrate / the app factory, renders. FastAPI and SQLAlchemy are imported
inside the commands so that every other `tvaers` command starts without them.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import typer
from rich.console import Console

from tvaers.i18n import tr
from tvaers.safe_text import print_safe
from tvaers.web.appdb_cli import APP_DB_HELP, DB_HELP
from tvaers.web.appdb_cli import fail as _fail

app_db_app = typer.Typer(
    help="Applikationsdatabasen (brugere, revisionslog).", no_args_is_help=True
)

out = Console()


@app_db_app.command("upgrade")
def app_db_upgrade(
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Opret eller opdater applikationsdatabasens skema (sker også ved `tvaers serve`)."""
    from tvaers.web import migrate
    from tvaers.web.db import make_engine
    from tvaers.web.settings import app_db_url

    url = app_db_url(db, app_db)
    engine = make_engine(url)
    try:
        before = migrate.current(engine)
        migrate.upgrade(engine)
        after = migrate.current(engine)
    except Exception as exc:
        raise _fail(str(exc)) from None
    finally:
        engine.dispose()
    shown = engine.url.render_as_string(hide_password=True)
    if before == after:
        out.print(tr(f"{shown} er allerede på version {after}.", f"{shown} is already at {after}."))
    else:
        out.print(
            tr(
                f"{shown} opdateret fra {before or 'tom'} til {after}.",
                f"{shown} upgraded from {before or 'empty'} to {after}.",
            )
        )


def serve_command(
    db: Path = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Adresse, der lyttes på."),
    port: int = typer.Option(8000, "--port", help="Port, der lyttes på."),
    app_db: str = typer.Option(None, "--app-db", help=APP_DB_HELP),
) -> None:
    """Start webapplikationen (login, sider med JSON-tvillinger, API-beskrivelse)."""
    import uvicorn
    from sqlalchemy import func, select

    from tvaers.web.app import create_app
    from tvaers.web.models import User
    from tvaers.web.secret import SecretFileError
    from tvaers.web.settings import WebSettings

    try:
        settings = WebSettings.from_env(db=db, app_db=app_db)
        application = create_app(settings)
    except (SecretFileError, ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    with application.state.sessions() as session:
        n_users = session.scalar(select(func.count()).select_from(User))
    out.print(
        tr(f"Tværs kører på http://{host}:{port}/", f"Tværs is running on http://{host}:{port}/")
    )
    if not n_users:
        # The same databases as this server: the warehouse names the application database
        # beside it; an --app-db given here is not repeated (its URL may hold a password).
        where = f"--db {shlex.quote(str(settings.warehouse))}"
        if app_db:
            where += " --app-db URL"
        print_safe(
            out,
            tr(
                "Der er ingen brugere endnu. Opret en administrator med\n"
                f"  tvaers users add NAVN --role admin --scope country:DK {where}",
                "There are no users yet. Create an administrator with\n"
                f"  tvaers users add NAME --role admin --scope country:DK {where}",
            ),
        )
    # server_header off: no need to tell the world which server answers. proxy_headers off:
    # the application itself believes X-Forwarded-* from TVAERS_TRUSTED_PROXIES only
    # (tvaers.web.forwarded); uvicorn would believe anyone on 127.0.0.1.
    uvicorn.run(
        application,
        host=host,
        port=port,
        server_header=False,
        proxy_headers=False,
        log_level="info",
    )
