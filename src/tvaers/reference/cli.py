"""`tvaers org`: show the organisation structure in force on a date.

Thin on purpose: it parses, asks tvaers.reference.org and renders. Every structural fact
shown (which units, their periods, who belongs where) comes from the dated data, so the
command shows the 2027 structure without a code change once the data holds it.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from tvaers.cli_tables import print_table
from tvaers.i18n import tr
from tvaers.reference import org
from tvaers.reference.imported import Level, level_on

app = typer.Typer(
    name="org",
    help=tr(
        "Organisationen: regioner, klynger og kommuner på en given dato.",
        "The organisation: regions, clusters and municipalities on a given date.",
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

# Listed without --level (broadest first); the 2027 levels and the bilateral collaborations
# are listed when asked for by name.
_DEFAULT_LEVELS = ("region", "cluster", "municipality")
_LISTABLE = (*_DEFAULT_LEVELS, "sundhedsraad", "bilateral")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_OPEN = "—"  # no end date: still in force


def _parse_date(text: str | None) -> date:
    if text is None:
        return date.today()
    # fromisoformat alone would also take "20240101"; one spelling keeps scripts readable.
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise typer.BadParameter(
        tr(f"ugyldig dato {text!r}; brug ÅÅÅÅ-MM-DD", f"invalid date {text!r}; use YYYY-MM-DD"),
        param_hint="--on",
    )


parse_date = _parse_date  # for the commands other domains add to `tvaers org`


def _parse_level(text: str | None) -> tuple[str, ...]:
    if text is None:
        return _DEFAULT_LEVELS
    if text not in _LISTABLE:
        raise typer.BadParameter(
            tr(
                f"ukendt niveau {text!r}; vælg {', '.join(_LISTABLE)}",
                f"unknown level {text!r}; choose {', '.join(_LISTABLE)}",
            ),
            param_hint="--level",
        )
    return (text,)


def _table(title: str, *columns: tuple[str, bool]) -> Table:
    # Columns marked fixed (codes, dates, counts) are never wrapped or cut: a code is what a
    # user types next (--level, exports). Text columns fold instead, so nothing is hidden.
    table = Table(title=title)
    for header, fixed in columns:
        table.add_column(header, no_wrap=fixed, overflow="ellipsis" if fixed else "fold")
    return table


def _period_columns() -> tuple[tuple[str, bool], tuple[str, bool]]:
    return (tr("Gyldig fra", "Valid from"), True), (tr("Gyldig til", "Valid to"), True)


def _period_note() -> str:
    # valid_to is exclusive in the data; shown as stored, so the table and the files agree.
    return tr(
        "Gyldig til er den første dag, hvor enheden ikke længere gælder.",
        "Valid to is the first day on which the unit no longer applies.",
    )


def _day(value: date | None) -> str:
    return value.isoformat() if value else _OPEN


def _basis(found: list[org.Membership]) -> str:
    verified = sum(m.verified for m in found)
    if verified == len(found):
        return tr("verificeret", "verified")
    if verified == 0:
        return tr("udledt", "inferred")
    return tr(
        f"blandet ({verified} af {len(found)} verificeret)",
        f"mixed ({verified} of {len(found)} verified)",
    )


def _regions_table(on: date) -> Table | None:
    found = org.units("region", on)
    if not found:
        return None
    table = _table(
        tr(f"Regioner den {on}", f"Regions on {on}"),
        (tr("Kode", "Code"), True),
        (tr("Navn", "Name"), False),
        *_period_columns(),
        (tr("Medlemmer", "Members"), True),
    )
    notes = [_period_note()]
    for unit in found:
        count = len(org.members("region", unit.code, on))
        table.add_row(unit.code, unit.name, _day(unit.valid_from), _day(unit.valid_to), str(count))
        region = org.region(unit.code)
        if not region.code_confirmed:
            notes.append(
                tr(
                    f"{region.name}s kode {region.code} er erklæret, ikke officielt bekræftet.",
                    f"{region.name}'s code {region.code} is declared, not officially confirmed.",
                )
            )
    table.caption = "\n".join(notes)
    return table


def _imported(level: str, on: date, app_db: str | None) -> list[org.Membership]:
    """Memberships of ``level`` loaded with `tvaers org import`, from the application
    database given, or the configured one if it exists (a listing never creates one)."""
    from pathlib import Path

    from tvaers.web.settings import app_db_url

    url = app_db_url(None, app_db)
    if app_db is None and url.startswith("sqlite:///") and not Path(url[10:]).is_file():
        return []
    from tvaers.reference.imported import imported_memberships
    from tvaers.web.appdb_cli import database as _database

    with _database(None, url) as session:
        return imported_memberships(session, level, on)


def _groupings_table(level: str, on: date, merged: Level) -> Table | None:
    found = merged.units
    if not found:
        return None
    rows = merged.memberships
    title = {
        "sundhedsraad": tr(f"Sundhedsråd den {on}", f"Health councils on {on}"),
        "bilateral": tr(f"Bilaterale samarbejder den {on}", f"Bilateral collaborations on {on}"),
    }[level]
    table = _table(
        title,
        (tr("Kode", "Code"), True),
        (tr("Navn", "Name"), False),
        (tr("Region", "Region"), False),
        *_period_columns(),
        (tr("Medlemmer", "Members"), True),
        (tr("Grundlag", "Basis"), False),
    )
    for g in found:
        own = [m for m in rows if m.unit_code == g.code]
        table.add_row(
            g.code,
            g.name,
            org.region(g.region_code).name if g.region_code else _OPEN,
            _day(g.valid_from),
            _day(g.valid_to),
            str(len(own)),
            "; ".join(sorted({m.basis for m in own})),
        )
    notes = [_period_note()]
    if merged.imported:
        notes.append(
            tr(
                f"{merged.imported} medlemskaber er indlæst med `tvaers org import`.",
                f"{merged.imported} memberships were loaded with `tvaers org import`.",
            )
        )
    if level == "sundhedsraad":
        lacking = [org.municipality(code) for code in merged.missing]
        if lacking:
            names = ", ".join(f"{m.name} ({m.code})" for m in lacking)
            notes.append(
                tr(
                    f"{len(lacking)} kommuner har endnu intet sundhedsråd i data og "
                    f"tælles kun med i deres region og landet: {names}. Officielle medlemskaber "
                    "indlæses med `tvaers org import` og vises med `tvaers org units`.",
                    f"{len(lacking)} municipalities have no health council in the data "
                    f"yet and count in their region and the country only: {names}. Official "
                    "memberships are loaded with `tvaers org import` and shown by "
                    "`tvaers org units`.",
                )
            )
    table.caption = "\n".join(notes)
    return table


def _clusters_table(on: date) -> Table | None:
    found = org.clusters(on)
    if not found:
        return None
    rows = org.memberships("cluster", on)
    table = _table(
        tr(f"Sundhedsklynger den {on}", f"Health clusters on {on}"),
        (tr("Kode", "Code"), True),
        (tr("Navn", "Name"), False),
        (tr("Region", "Region"), False),
        (tr("Akutsygehus", "Acute hospital"), False),
        *_period_columns(),
        (tr("Medlemmer", "Members"), True),
        (tr("Grundlag", "Basis"), False),
    )
    for c in found:
        own = [m for m in rows if m.unit_code == c.slug]
        table.add_row(
            c.slug,
            c.name,
            org.region(c.region_code).name,
            c.acute_hospital,
            _day(c.valid_from),
            _day(c.valid_to),
            str(len(own)),
            _basis(own) if own else "",
        )
    notes = [_period_note()]
    # Said out loud because it is the one place where cluster totals do not add up.
    shared = [code for code, n in Counter(m.municipality_code for m in rows).items() if n > 1]
    if shared:
        names = ", ".join(org.municipality(code).name for code in sorted(shared, key=int))
        notes.append(
            tr(
                f"Kommuner i mere end én klynge tælles med i hver: {names}.",
                f"Municipalities in more than one cluster count in each: {names}.",
            )
        )
    table.caption = "\n".join(notes)
    return table


def _municipalities_table(on: date) -> Table:
    table = _table(
        tr(f"Kommuner den {on}", f"Municipalities on {on}"),
        (tr("Kode", "Code"), True),
        (tr("Navn", "Name"), False),
        (tr("Region", "Region"), False),
        (tr("Klynge(r)", "Cluster(s)"), False),
    )
    for m in org.municipalities():
        home = org.region_of(m.code, on)
        in_clusters = ", ".join(c.name for c in org.clusters_of(m.code, on))
        table.add_row(m.code, m.name, home.name if home else _OPEN, in_clusters or _OPEN)
    return table


def _none_in_force(level: str, on: date) -> str:
    if level == "region":
        return tr(f"Ingen regioner i kraft den {on}.", f"No regions in force on {on}.")
    if level in ("sundhedsraad", "bilateral"):
        every = org.groupings(level)  # type: ignore[arg-type]
        first = min((g.valid_from for g in every if g.valid_from), default=None)
        what = {
            "sundhedsraad": tr("sundhedsråd", "health councils"),
            "bilateral": tr("bilaterale samarbejder", "bilateral collaborations"),
        }[level]
        since = tr(f" De første gælder fra {first}.", f" The first apply from {first}.")
        return tr(f"Ingen {what} i kraft den {on}.", f"No {what} in force on {on}.") + (
            since if first else ""
        )
    # The period is read from the data, so the sentence stays true when sundhedsråd arrive.
    every = org.clusters()
    starts = [c.valid_from for c in every if c.valid_from]
    ends = [c.valid_to for c in every if c.valid_to]
    span = ""
    if starts and ends:
        span = tr(
            f" Klyngerne gælder fra {min(starts)} til {max(ends)} (ekskl.).",
            f" The clusters are in force from {min(starts)} to {max(ends)} (exclusive).",
        )
    none = tr(f"Ingen sundhedsklynger i kraft den {on}.", f"No health clusters in force on {on}.")
    return none + span


@app.command(
    "list",
    help=tr(
        "Vis regioner, klynger og kommuner, som de var på datoen.",
        "Show regions, clusters and municipalities as they were on the date.",
    ),
)
def list_units(
    level: str | None = typer.Option(
        None,
        "--level",
        metavar=tr("NIVEAU", "LEVEL"),
        help=tr(
            "Vis kun ét niveau: region, cluster, municipality, sundhedsraad (fra 2027) "
            "eller bilateral.",
            "Show one level only: region, cluster, municipality, sundhedsraad (from 2027) "
            "or bilateral.",
        ),
    ),
    on: str | None = typer.Option(
        None,
        "--on",
        metavar=tr("DATO", "DATE"),
        help=tr("Dato (ÅÅÅÅ-MM-DD); standard er i dag.", "Date (YYYY-MM-DD); default today."),
    ),
    app_db: str | None = typer.Option(
        None,
        "--app-db",
        help=tr(
            "Applikationsdatabasen med medlemskaber indlæst med `tvaers org import` (standard: "
            "$TVAERS_APP_DB eller filen ved siden af lageret, hvis den findes).",
            "The application database with memberships loaded with `tvaers org import` "
            "(default: $TVAERS_APP_DB or the file beside the warehouse, if it exists).",
        ),
    ),
) -> None:
    # Without --level all three tables, broadest first, as reports order them.
    day = _parse_date(on)
    levels = _parse_level(level)

    def _merged(name: str, on: date) -> Level:
        return level_on(name, on, _imported(name, on, app_db))

    console = Console()  # made per call so it honours the terminal width (and COLUMNS)
    builders = {
        "region": _regions_table,
        "cluster": _clusters_table,
        "municipality": _municipalities_table,
        "sundhedsraad": lambda on: _groupings_table(
            "sundhedsraad", on, _merged("sundhedsraad", on)
        ),
        "bilateral": lambda on: _groupings_table("bilateral", on, _merged("bilateral", on)),
    }
    for name in levels:
        table = builders[name](day)
        if table is None:
            console.print(_none_in_force(name, day))
        else:
            print_table(console, table)
