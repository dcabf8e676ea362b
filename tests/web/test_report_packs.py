"""Data packs on the command line (`tvaers report pack|packs`), read back from the PDF.

The result set is the web tests' session fixture (Region Syddanmark, about 2,500 people,
2019–2024). The PDF is opened with pypdf and its text compared with the export
(`tvaers indicators export`) and the catalogue, not with the pack's own code.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pypdf import PdfReader

from tvaers.cli import app
from tvaers.cli_errors import run
from tvaers.indicators import catalogue
from tvaers.reports import providers
from tvaers.web.labels import headline_stratum

STAMP = "Fortroligt — ikke-diskretioneret"
CLUSTER = "cluster:syddanmark-sydvestjylland"


def _text(path: Path) -> list[str]:
    """Each page's text with its whitespace made single spaces (table cells wrap)."""
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]


def _key_page(pages: list[str], year: str) -> str:
    """The key-figures table (after the cover, however long its list of deliveries): the
    page headed with it and the next, as the table of every indicator runs over two."""
    first = next(i for i, p in enumerate(pages) if f"Nøgletal {year}" in p and "SPC" in p)
    return " ".join(pages[first : first + 2])


def _danish(value: float, decimals: int) -> str:
    # Written out here rather than taken from tvaers.formatting: 1234.56 -> "1.234,6".
    whole, _, frac = f"{round(value, decimals):.{decimals}f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + ".".join(groups) + ("," + frac if frac else "")


def test_danish_helper_of_these_tests():
    assert _danish(1234.56, 1) == "1.234,6"
    assert _danish(57.66, 1) == "57,7"
    assert _danish(9255, 0) == "9.255"


@pytest.fixture(scope="module")
def made(results_source, tmp_path_factory):
    """One cluster pack (PDF, twice), its unsuppressed twin, an HTML one and the export."""
    root = tmp_path_factory.mktemp("packs")
    db = str(results_source)
    base = ["report", "pack", "--unit", CLUSTER, "--db", db]
    assert run(app, [*base, "--out", str(root / "a.pdf")]) == 0
    assert run(app, [*base, "--out", str(root / "b.pdf")]) == 0
    assert run(app, [*base, "--out", str(root / "u.pdf"), "--unsuppressed"]) == 0
    assert run(app, [*base, "--out", str(root / "a.html"), "--format", "html"]) == 0
    export = root / "export.csv"
    args = ["indicators", "export", "--db", db, "--out", str(export), "--level", "cluster"]
    assert run(app, [*args, "--period", "year"]) == 0
    with export.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {"root": root, "export": rows}


def test_the_pack_names_the_unit_and_every_indicator_in_danish(made):
    pages = _text(made["root"] / "a.pdf")
    whole = " ".join(pages)
    assert "Sundhedsklynge Sydvestjylland" in pages[0]
    for ind in catalogue.load().indicators:
        assert " ".join(ind.name.da.split()) in whole, ind.id
    # Page numbers: "n / N" at the foot of every page.
    assert (
        pages[-1].endswith(f"{len(pages)} / {len(pages)}")
        or f"{len(pages)} / {len(pages)}" in pages[-1]
    )


def test_the_key_figures_equal_the_export_in_danish_format(made):
    rows = made["export"]
    latest = max(r["period"] for r in rows)
    key_page = _key_page(_text(made["root"] / "a.pdf"), latest)
    definitions = {i.id: i for i in catalogue.load().indicators}
    checked = 0
    for ind_id, ind in definitions.items():
        strata = tuple(s.id for s in ind.strata)
        mine = [
            r
            for r in rows
            if r["indicator_id"] == ind_id
            and r["period"] == latest
            and r["unit_code"] == CLUSTER.split(":")[1]
            and r["stratum"] == headline_stratum(strata)
        ]
        if not mine or not mine[0]["value"]:
            continue
        decimals = 0 if ind.factor == 1 else 1  # counts whole, rates and shares one decimal
        assert _danish(float(mine[0]["value"]), decimals) in key_page, ind_id
        checked += 1
    assert checked >= 8  # most indicators have a value for a cluster


def test_a_suppressed_cell_prints_a_dash_and_the_unsuppressed_pack_is_stamped(made, results_source):
    # The cluster's municipalities have hidden cells; the unit chosen is the one with most
    # hidden headline cells in the latest year, taken from the export's suppressed mark.
    root = made["root"]
    export = root / "mun.csv"
    args = ["indicators", "export", "--db", str(results_source), "--out", str(export)]
    assert run(app, [*args, "--level", "municipality", "--period", "year"]) == 0
    with export.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    latest = max(r["period"] for r in rows)
    hidden: dict[str, int] = {}
    for r in rows:
        if r["period"] == latest and r["stratum"] == "" and r["suppressed"] == "true":
            hidden[r["unit_code"]] = hidden.get(r["unit_code"], 0) + 1
    assert hidden, "the fixture has suppressed cells"
    code = max(hidden, key=hidden.get)
    target = root / "m.pdf"
    db = str(results_source)
    assert (
        run(
            app,
            ["report", "pack", "--unit", f"municipality:{code}", "--db", db, "--out", str(target)],
        )
        == 0
    )
    key_page = _key_page(_text(target), latest)
    # value and interval of each hidden cell, and the note under the table
    assert key_page.count("—") >= 2 * hidden[code] + 1
    assert STAMP not in key_page
    stamped = _text(root / "u.pdf")
    assert all(STAMP in page for page in stamped)
    assert not any(STAMP in page for page in _text(root / "a.pdf"))


def test_the_same_inputs_give_the_same_pack(made):
    a, b = _text(made["root"] / "a.pdf"), _text(made["root"] / "b.pdf")
    assert a == b
    meta = PdfReader(made["root"] / "a.pdf").metadata
    assert meta["/CreationDate"] == meta["/ModDate"]  # the result set's time, not the clock


def test_the_html_version_has_headings_table_headers_and_alt_texts(made):
    html = (made["root"] / "a.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in html
    assert html.count("<h1>") == 1 and "<h2" in html
    assert '<th scope="col"' in html and '<th scope="row"' in html
    assert 'alt=""' not in html and html.count("<img") == html.count('alt="')
    assert "@font-face" in html and "data:font/ttf;base64," in html  # no system font needed
    # The result set holds the transitions indicators; no application database lies beside
    # the warehouse, so the registry sections each say they have no data.
    assert "Overgange 2024" in html and "Ingen data om overgange" not in html
    assert "Ingen mål fra sundhedsaftalen for denne enhed." in html
    assert "Ingen sager om opgaveoverdragelse for denne enhed." in html


@pytest.mark.parametrize(
    "argv",
    [
        ["--unit", "cluster:nowhere"],
        ["--unit", "planet:1"],
        ["--unit", "cluster"],
        ["--unit", CLUSTER, "--period", "1999"],
        ["--unit", CLUSTER, "--period", "last"],
    ],
)
def test_a_bad_unit_or_period_is_one_line_and_exit_2(argv, results_source, tmp_path, capsys):
    target = tmp_path / "x.pdf"
    code = run(app, ["report", "pack", *argv, "--db", str(results_source), "--out", str(target)])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("Fejl")
    assert not target.exists()


def test_packs_makes_one_pdf_per_cluster(results_source, tmp_path):
    out = tmp_path / "packs"
    args = ["report", "packs", "--level", "cluster", "--out", str(out), "--db", str(results_source)]
    assert run(app, [*args, "--workers", "2"]) == 0
    # Region Syddanmark has four health clusters (reference data, 2025).
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert len(names) == 4 and all(n.startswith("datapakke-cluster-syddanmark-") for n in names)
    assert run(app, ["report", "packs", "--level", "bilateral", "--out", str(out)]) == 2


# --- optional sections of other domains --------------------------------------------------


def fake_section(request: providers.SectionRequest) -> providers.Section | None:
    if request.level != "cluster":
        return None
    table = providers.Table("Mål", ("mål", "status"), (("færre genindlæggelser", "på vej"),))
    return providers.Section("Sundhedsaftalens mål", "To mål.", (table,))


def test_an_optional_section_is_its_providers_or_one_line_saying_it_is_absent():
    entries = (
        providers.OptionalSection(
            "a", ("A", "A"), ("Ingen A.", "No A."), f"{__name__}:fake_section"
        ),
        providers.OptionalSection(
            "b", ("B", "B"), ("Ingen B.", "No B."), "tvaers.no_such_domain.pack:x"
        ),
        providers.OptionalSection("c", ("C", "C"), ("Ingen C.", "No C."), None),
    )

    def ask(level):
        request = providers.SectionRequest(level, "x", "2024", "da", lambda da, en: da)
        return providers.resolve(request, entries)

    cluster = ask("cluster")
    assert cluster[0].section is not None and cluster[0].section.tables[0].rows[0][1] == "på vej"
    assert [r.section for r in cluster[1:]] == [None, None]
    assert [r.absent for r in cluster] == ["Ingen A.", "Ingen B.", "Ingen C."]
    assert ask("region")[0].section is None
