"""`tvaers org import|check|fora|seats`: the governance registry from the command line.

These commands join the reference domain's `tvaers org` group (the descriptor's
``CliEntry(extends="org")``), beside `tvaers org list`. Thin: parse, call the registry and
the rules, render. SQLAlchemy is imported inside the commands so other commands start fast.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from tvaers.cli_tables import print_table
from tvaers.governance.terms import FORUM_KINDS, OFFICES, SEAT_ROLES, SIDES
from tvaers.i18n import tr
from tvaers.reference.cli import parse_date
from tvaers.web import appdb_cli
from tvaers.web.appdb_cli import APP_DB_HELP, DB_HELP
from tvaers.web.appdb_cli import database as _database

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None)

_OPEN = "—"
_FORMATS = ("text", "json")


def _format(text: str) -> str:
    if text not in _FORMATS:
        raise typer.BadParameter(
            tr(f"vælg {' eller '.join(_FORMATS)}", f"choose {' or '.join(_FORMATS)}"),
            param_hint="--format",
        )
    return text


def _day(value: date | None) -> str:
    return value.isoformat() if value else _OPEN


_ON = typer.Option(
    None,
    "--on",
    metavar=tr("DATO", "DATE"),
    help=tr("Dato (ÅÅÅÅ-MM-DD); standard er i dag.", "Date (YYYY-MM-DD); default today."),
)
_FORMAT = typer.Option(
    "text", "--format", metavar="text|json", help=tr("Tabel eller JSON.", "Table or JSON.")
)
_DB = typer.Option(None, "--db", help=DB_HELP)
_FILE = typer.Argument(..., metavar=tr("FIL.yaml", "FILE.yaml"))
_RULES = typer.Option(
    [],
    "--rules",
    metavar=tr("FIL.yaml", "FILE.yaml"),
    help=tr(
        "Regelfil at bruge i stedet for de medleverede (kan gentages).",
        "A rule file to use instead of the shipped ones (repeatable).",
    ),
)
_APP_DB = typer.Option(None, "--app-db", help=APP_DB_HELP)
_REGION = typer.Option(
    ...,
    "--region",
    metavar=tr("KODE", "CODE"),
    help=tr("Regionskode, fx 1083.", "Region code, e.g. 1083."),
)
_OUT = typer.Option(
    ...,
    "--out",
    metavar=tr("FIL.svg", "FILE.svg"),
    help=tr("SVG-filen at skrive.", "The SVG file to write."),
)


@app.command(
    "import",
    help=tr(
        "Indlæs en registerfil (YAML: fora, personer med embeder, sæder, medlemskaber) i "
        "applikationsdatabasen. Alt eller intet; samme fil to gange ændrer intet; et navngivet "
        "forums sæder bliver præcis filens, og historikken beholder de gamle.",
        "Load a registry file (YAML: fora, people with offices, seats, memberships) into the "
        "application database. All or nothing; the same file twice changes nothing; a named "
        "forum's seats become exactly the file's, and the history keeps the old ones.",
    ),
)
def import_file(
    file: Path = _FILE,
    db: Path = _DB,
    app_db: str = _APP_DB,
) -> None:
    from tvaers.governance import loading
    from tvaers.governance.importfile import ImportInvalid

    def listed(problems: list[str]) -> str:
        return ":\n" + "\n".join(f"  - {p}" for p in problems)

    appdb_cli.import_file(file, db, app_db, loading.load, ImportInvalid, listed)


@app.command(
    "check",
    help=tr(
        "Kontrollér samarbejdets regler (fx kkr-mayors, ssu-municipal-seats) mod registret på "
        "datoen. JSON: en liste af {rule, forum, unit, message}, tom når alle holder. "
        "Afslutter med 0 i begge tilfælde, 2 ved en ugyldig fil eller dato.",
        "Check the collaboration's rules (e.g. kkr-mayors, ssu-municipal-seats) against the "
        "registry on the date. JSON: a list of {rule, forum, unit, message}, empty when all "
        "hold. Exits 0 either way, 2 on a bad file or date.",
    ),
)
def check(
    on: str | None = _ON,
    output: str = _FORMAT,
    rules_file: list[Path] = _RULES,
    db: Path = _DB,
    app_db: str = _APP_DB,
) -> None:
    from tvaers.governance import rules

    day, output = parse_date(on), _format(output)
    try:
        rule_sets = (
            [rules.load_rules(p) for p in rules_file] if rules_file else rules.shipped_rules()
        )
    except rules.RulesInvalid as exc:
        raise appdb_cli.usage_error(str(exc)) from None
    with _database(db, app_db) as session:
        findings = rules.check(session, day, rule_sets)
    if output == "json":
        typer.echo(json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=2))
        return
    console = Console()
    if not findings:
        console.print(tr(f"Alle regler holder den {day}.", f"Every rule holds on {day}."))
        return
    table = Table(title=tr(f"Brudte regler den {day}", f"Broken rules on {day}"))
    for header in (tr("Regel", "Rule"), "Forum", tr("Enhed", "Unit"), tr("Besked", "Message")):
        table.add_column(header, overflow="fold")
    for f in findings:
        table.add_row(f.rule, f.forum, f.unit, f.message)
    print_table(console, table)


@app.command(
    "fora",
    help=tr("Vis fora i kraft på datoen.", "Show the fora in force on the date."),
)
def list_fora(
    on: str | None = _ON, output: str = _FORMAT, db: Path = _DB, app_db: str = _APP_DB
) -> None:
    from tvaers.governance import registry

    day, output = parse_date(on), _format(output)
    with _database(db, app_db) as session:
        rows = [
            {
                "id": f.id,
                "name": f.name,
                "kind": f.kind,
                "unit": f.unit,
                "parent": f.parent_id,
                "valid_from": f.valid_from.isoformat(),
                "valid_to": f.valid_to.isoformat() if f.valid_to else None,
                "seats": len(registry.seats(session, f.id, day)),
            }
            for f in registry.fora(session, day)
        ]
    if output == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        Console().print(tr(f"Ingen fora i kraft den {day}.", f"No fora in force on {day}."))
        return
    table = Table(title=tr(f"Fora den {day}", f"Fora on {day}"))
    headers = ("Id", tr("Navn", "Name"), tr("Art", "Kind"), tr("Enhed", "Unit"))
    headers += (tr("Under", "Parent"), tr("Gyldig fra", "Valid from"))
    headers += (tr("Gyldig til", "Valid to"), tr("Sæder", "Seats"))
    for header in headers:
        table.add_column(header, overflow="fold")
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            tr(*FORUM_KINDS[r["kind"]]),
            r["unit"],
            r["parent"] or _OPEN,
            r["valid_from"],
            r["valid_to"] or _OPEN,
            str(r["seats"]),
        )
    print_table(Console(), table)


@app.command(
    "seats",
    help=tr(
        "Vis et forums sæder på datoen: hvem, hvilken side og rolle, og de embeder, personen "
        "har den dag.",
        "Show a forum's seats on the date: who, which side and role, and the offices the "
        "person holds that day.",
    ),
)
def list_seats(
    forum: str = typer.Argument(..., metavar="FORUM"),
    on: str | None = _ON,
    output: str = _FORMAT,
    db: Path = _DB,
    app_db: str = _APP_DB,
) -> None:
    from tvaers.governance import registry

    day, output = parse_date(on), _format(output)
    with _database(db, app_db) as session:
        found = registry.forum(session, forum)
        if found is None:
            raise appdb_cli.usage_error(
                tr(
                    f"ukendt forum {forum!r} (se `tvaers org fora`)",
                    f"unknown forum {forum!r} (see `tvaers org fora`)",
                )
            )
        name = found.name
        rows = [
            {
                "person": v.person.id,
                "name": v.person.name,
                "side": v.seat.side,
                "role": v.seat.role,
                "offices": [f"{o.office} {o.unit_level}:{o.unit_code}" for o in v.offices],
                "valid_from": v.seat.valid_from.isoformat(),
                "valid_to": v.seat.valid_to.isoformat() if v.seat.valid_to else None,
            }
            for v in registry.seats(session, forum, day)
        ]
    if output == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        Console().print(tr(f"{name} har ingen sæder den {day}.", f"{name} has no seats on {day}."))
        return
    table = Table(title=tr(f"{name}: sæder den {day}", f"{name}: seats on {day}"))
    headers = (tr("Person", "Person"), tr("Navn", "Name"), tr("Side", "Side"))
    headers += (tr("Rolle", "Role"), tr("Embeder", "Offices"), tr("Gyldig fra", "Valid from"))
    headers += (tr("Gyldig til", "Valid to"),)
    for header in headers:
        table.add_column(header, overflow="fold")
    for r in rows:
        table.add_row(
            r["person"],
            r["name"],
            tr(*SIDES[r["side"]]),
            tr(*SEAT_ROLES[r["role"]]),
            ", ".join(_office_text(o) for o in r["offices"]) or _OPEN,
            r["valid_from"],
            r["valid_to"] or _OPEN,
        )
    print_table(Console(), table)


def _office_text(text: str) -> str:
    office, _, unit = text.partition(" ")
    return f"{tr(*OFFICES[office])} ({unit})"


_UNIT_LEVELS = ("sundhedsraad", "bilateral", "cluster")


@app.command(
    "units",
    help=tr(
        "Vis enhederne på et medlemskabsniveau (sundhedsraad, bilateral, cluster) på datoen "
        "med både de medleverede og de indlæste medlemskaber (tvaers org import), og hvilke "
        "kommuner der endnu ikke har en enhed.",
        "Show the units of a membership level (sundhedsraad, bilateral, cluster) on the date "
        "with both the shipped and the imported memberships (tvaers org import), and which "
        "municipalities have no unit yet.",
    ),
)
def list_units(
    level: str = typer.Option(
        "sundhedsraad",
        "--level",
        metavar=tr("NIVEAU", "LEVEL"),
        help="sundhedsraad|bilateral|cluster",
    ),
    on: str | None = _ON,
    output: str = _FORMAT,
    db: Path = _DB,
    app_db: str = _APP_DB,
) -> None:
    from tvaers.governance import registry
    from tvaers.reference import org

    day, output = parse_date(on), _format(output)
    if level not in _UNIT_LEVELS:
        raise typer.BadParameter(
            tr(f"vælg {', '.join(_UNIT_LEVELS)}", f"choose {', '.join(_UNIT_LEVELS)}"),
            param_hint="--level",
        )
    with _database(db, app_db) as session:
        found = registry.units_on(session, level, day)
        lacking = registry.missing_on(session, level, day) if level != "bilateral" else []
    rows = [
        {
            "code": u.code,
            "name": u.name,
            "region": u.region_code,
            "members": u.members,
            "imported": u.imported,
        }
        for u in found
    ]
    if output == "json":
        typer.echo(json.dumps({"units": rows, "missing": lacking}, ensure_ascii=False, indent=2))
        return
    console = Console()
    if not rows:
        console.print(
            tr(
                f"Ingen enheder på niveauet {level} den {day}.",
                f"No units of level {level} on {day}.",
            )
        )
        return
    table = Table(title=f"{level} {day}")
    headers = (tr("Kode", "Code"), tr("Navn", "Name"), "Region", tr("Medlemmer", "Members"))
    headers += (tr("Heraf indlæst", "Of which imported"),)
    for header in headers:
        table.add_column(header, overflow="fold")
    for r in rows:
        names = ", ".join(org.municipality(m).name for m in r["members"])
        table.add_row(
            r["code"],
            r["name"],
            r["region"] or _OPEN,
            f"{len(r['members'])}: {names}",
            str(r["imported"]),
        )
    if lacking:
        names = ", ".join(f"{org.municipality(m).name} ({m})" for m in lacking)
        table.caption = tr(
            f"{len(lacking)} kommuner har endnu ingen enhed og tælles kun med i deres region og "
            f"landet: {names}.",
            f"{len(lacking)} municipalities have no unit yet and count in their region and the "
            f"country only: {names}.",
        )
    print_table(console, table)


@app.command(
    "chart",
    help=tr(
        "Tegn regionens organisationsdiagram på datoen som SVG: fora med de fora, de hører "
        "under, og deres sæder fordelt på side.",
        "Draw the region's organisation chart on the date as SVG: the fora with the fora "
        "above them and their seats by side.",
    ),
)
def chart(
    region: str = _REGION,
    on: str | None = _ON,
    out: Path = _OUT,
    db: Path = _DB,
    app_db: str = _APP_DB,
) -> None:
    from tvaers.governance.chart import UnknownRegion, check_region, org_chart, svg_document

    day = parse_date(on)
    try:
        check_region(region)
    except UnknownRegion as exc:
        raise typer.BadParameter(str(exc), param_hint="--region") from None
    with _database(db, app_db) as session:
        drawn = org_chart(session, region, day)
    document = svg_document(drawn)
    try:
        out.write_text(document, encoding="utf-8")
    except OSError as exc:
        raise appdb_cli.usage_error(
            tr(
                f"kan ikke skrive {out}: {exc.strerror or exc}",
                f"cannot write {out}: {exc.strerror or exc}",
            )
        ) from None
    Console().print(
        tr(
            f"{out} skrevet: {len(drawn.fora)} fora for {drawn.region_name} den {day}.",
            f"{out} written: {len(drawn.fora)} fora of {drawn.region_name} on {day}.",
        ),
        highlight=False,
    )
