"""The data pack's sections of other domains, made on the command line: transitions from the
result set, and the health agreement's targets, initiatives and task-transfer cases from
the application database (`--app-db`).

The result set is the web tests' session fixture (Region Syddanmark, 2019–2024). The
application database holds the region's fora, the shipped example agreement, the shipped
example cases of Sydvestjylland and one task-transfer case covering Sønderborg with its
economy left open. Expected values come from
the export (`tvaers indicators export`) and the example files, not from the pack's code.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
from importlib import resources
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader

from tests.web import agreement_world, transfers_world
from tests.web.test_report_packs import _danish
from tvaers.cli import app
from tvaers.cli_errors import run
from tvaers.web.db import make_engine, session_factory, session_scope

SONDERBORG = "municipality:540"
CASE_TITLE = "Rygestop for KOL-patienter i Sønderborg"
ABSENT = (
    "Ingen data om overgange i denne leverance.",
    "Ingen mål fra sundhedsaftalen for denne enhed.",
    "Ingen registrerede indsatser for denne enhed.",
    "Ingen sager om opgaveoverdragelse for denne enhed.",
)


def _text(document: str) -> str:
    """The HTML's text with tags as spaces and whitespace made single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", document)).split())


def _rows(document: str) -> list[str]:
    return [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", document, flags=re.S)]


def _section(document: str, key: str) -> str:
    """One optional section's HTML (its <section> element)."""
    start = document.index(f'aria-labelledby="opt-{key}"')
    return document[start : document.index("</section>", start)]


@pytest.fixture(scope="module")
def app_db(sqlite_template, tmp_path_factory) -> str:
    """A migrated application database with the region's fora, the example agreement and
    one case."""
    from tvaers.agreements import loading as agreements
    from tvaers.governance import loading as governance
    from tvaers.transfers import examples

    path = tmp_path_factory.mktemp("app") / "app.sqlite"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    sessions = session_factory(engine)
    fora = resources.files("tvaers.governance") / "data" / "syddanmark.yaml"
    example = resources.files("tvaers.agreements") / "data" / "example_syddanmark.yaml"
    with session_scope(sessions) as db:
        governance.load(db, str(fora), "test")
    with session_scope(sessions) as db:
        agreements.load(db, str(example), "test")
    with session_scope(sessions) as db:
        case = transfers_world.new_case(
            db, title=CASE_TITLE, kind="pilot", covered_units=SONDERBORG
        )
        transfers_world.describe(db, case, "economy", state="open", text="", reason="Senere.")
        examples.load(db)  # two cases of Sydvestjylland: not Sønderborg's
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def sonderborg(results_source, app_db, tmp_path_factory) -> dict:
    """Sønderborg's pack (HTML and PDF) with the application database, and the export."""
    root = tmp_path_factory.mktemp("sections")
    base = ["report", "pack", "--unit", SONDERBORG, "--db", str(results_source)]
    base += ["--app-db", app_db]
    assert run(app, [*base, "--format", "html", "--out", str(root / "p.html")]) == 0
    assert run(app, [*base, "--out", str(root / "p.pdf")]) == 0
    rows = []
    for kind in ("year", "quarter"):
        export = root / f"{kind}.csv"
        args = ["indicators", "export", "--db", str(results_source), "--out", str(export)]
        assert run(app, [*args, "--level", "municipality", "--period", kind]) == 0
        with export.open(encoding="utf-8") as f:
            rows += [r for r in csv.DictReader(f) if r["unit_code"] == "540"]
    return {
        "html": (root / "p.html").read_text(encoding="utf-8"),
        "pdf": " ".join(
            " ".join((p.extract_text() or "").split()) for p in PdfReader(root / "p.pdf").pages
        ),
        "export": rows,
    }


def _latest(rows: list[dict], indicator: str) -> dict:
    mine = [r for r in rows if r["indicator_id"] == indicator and r["stratum"] == ""]
    mine = [r for r in mine if "-Q" in r["period"]]
    return max(mine, key=lambda r: r["period"])


def test_the_units_targets_initiatives_and_cases_are_in_the_pack(sonderborg):
    document, pdf = sonderborg["html"], sonderborg["pdf"]
    text = _text(document)
    for absent in ABSENT:
        assert absent not in text
    # The example agreement: Sønderborg's own COPD target, and its row of the level target
    # on readmissions for every municipality of the region (example_syddanmark.yaml).
    rows = _rows(document)
    copd = next(r for r in rows if "(t-kol-sonderborg)" in r)
    level = next(r for r in rows if "(t-genindlaeggelser-kommuner)" in r)
    assert "60,0 inden 2027-Q4" in copd and "12,0 inden 2027-Q4" in level
    # Both latest quarters are suppressed in the export: printed "—", never a number.
    for row, indicator in (
        (copd, "acute_admissions_per_1000_copd"),
        (level, "readmissions_30d_somatic_65plus"),
    ):
        latest = _latest(sonderborg["export"], indicator)
        assert latest["suppressed"] == "true", indicator
        assert f"{latest['period']} —" in row
    # Initiatives: owned by the Sønderjylland cluster Sønderborg belongs to, and by the
    # Sønderborg steering group (a forum of the bilateral collaboration); none of Fyn's.
    for name in (
        "Ældre borgere i risiko for genindlæggelse",
        "Den ældre medicinske patient (Sønderborg)",
        "Rygestop hos KOL-patienter (Sønderborg)",
        "Udekørende teams til botilbud (Sønderborg)",
    ):
        initiative = next(r for r in rows if r.startswith(name))
        assert "I gang" in initiative and initiative.endswith(" 0")  # running, no PDSA cycles
    # The case covering Sønderborg, with its open economy.
    case = next(r for r in rows if r.startswith(CASE_TITLE))
    assert "Forsøg" in case and "besluttes med åbne forudsætninger (Økonomi)" in case
    assert "Akutfunktion (akutsygepleje)" not in text  # Sydvestjylland's example cases
    for heading in ("Sundhedsaftalens mål", "Indsatser", "Opgaveoverdragelser", CASE_TITLE):
        assert heading in pdf


def test_the_transitions_section_shows_the_exported_coverage(sonderborg):
    year = max(r["period"] for r in sonderborg["export"] if "-" not in r["period"])
    coverage = next(
        r
        for r in sonderborg["export"]
        if r["indicator_id"] == "discharge_notification_coverage"
        and r["period"] == year
        and r["stratum"] == ""
    )
    assert coverage["suppressed"] == "false" and coverage["value"]
    section = _section(sonderborg["html"], "transitions")
    row = next(r for r in _rows(section) if r.startswith("Dækning af udskrivningsadviser"))
    # numerator, denominator and the share with one decimal, in Danish format
    expected = f"{_danish(float(coverage['numerator']), 0)} {_danish(float(coverage['denominator']), 0)} {_danish(float(coverage['value']), 1)}"
    assert expected in row
    assert f"Overgange {year}" in section


@pytest.fixture(scope="module")
def small_results(tmp_path_factory) -> Path:
    """The agreement tests' hand-made result set (no transitions indicators), with the
    quarters summed into years so that a pack can be made of it."""
    root = tmp_path_factory.mktemp("small")
    warehouse = root / "tvaers.duckdb"
    results = agreement_world.write_results(warehouse)
    con = duckdb.connect(str(results))
    con.execute(
        """INSERT INTO results SELECT indicator_id, left(period, 4), 'year', level, unit_code,
           unit_name, stratum, sum(numerator), sum(denominator),
           sum(numerator) / sum(denominator) * 100, NULL, NULL, NULL, NULL, NULL, false, NULL,
           false, NULL FROM results GROUP BY ALL"""
    )
    con.close()
    return warehouse


@pytest.mark.parametrize("app_db_kind", ["missing", "not migrated"])
def test_without_an_application_database_the_four_sections_say_so(
    app_db_kind, small_results, tmp_path, capsys
):
    app_db = tmp_path / "app.sqlite"
    if app_db_kind == "not migrated":
        app_db.write_bytes(b"")  # an empty SQLite file: no tables at all
    target = tmp_path / "p.html"
    argv = ["report", "pack", "--unit", SONDERBORG, "--db", str(small_results)]
    argv += ["--app-db", f"sqlite:///{app_db}", "--format", "html", "--out", str(target)]
    assert run(app, argv) == 0
    text = _text(target.read_text(encoding="utf-8"))
    assert all(text.count(line) == 1 for line in ABSENT)
    err = capsys.readouterr().err
    assert "Bemærk" in err and "applikationsdatabasen" in err
    assert app_db.exists() == (app_db_kind == "not migrated")  # a pack never creates one
