"""The dashboards on the computed fixture: overview, indicator pages and their switches,
unit and organisation pages, downloads, and a new result file picked up without a restart."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest

from tests.web.helpers import log_in, publish_copy
from tvaers.web import audit

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

SV = ("cluster", "syddanmark-sydvestjylland")
PREVENTABLE = "/indicators/preventable_admissions_65plus"


def test_the_overview_shows_the_users_cluster_against_the_country(analyst):
    data = analyst.get("/index.json").json()
    assert data["unit"] == {
        "level": "cluster",
        "code": "syddanmark-sydvestjylland",
        "name": "Sundhedsklynge Sydvestjylland",
    }
    assert data["period"] == "2024"
    figures = {f["indicator"]["id"]: f for f in data["figures"]}
    assert "preventable_admissions_65plus" in figures and "population" in figures
    pop = figures["population"]
    assert pop["current"]["period"] == "2024" and pop["previous"]["period"] == "2023"
    assert pop["country"]["unit_code"] == "DK"
    assert pop["trend"] in ("up", "down", "flat")
    assert {m["code"] for m in data["members"]} == {"530", "561", "563", "573", "575"}
    page = analyst.get("/").text
    assert "Oversigt: Sundhedsklynge Sydvestjylland" in page
    assert "Nøgletal 2024" in page and "Velkommen, Anna" in page


def test_the_indicator_page_has_its_charts_tables_and_switches(analyst):
    data = analyst.get(f"{PREVENTABLE}.json").json()
    assert (data["level"], data["period_type"], data["period"]) == ("municipality", "year", "2024")
    assert data["measure"] == "std_value" and data["stratum"] == ""
    assert set(data["charts"]) == {"series", "bars", "funnel", "strata"}
    assert len(data["comparison"]) == 22  # every municipality of the region
    assert data["funnel"]["centre"] == data["area_cell"]["value"]
    strata = {c["stratum"] for c in data["strata"]}
    assert {"", "fracture", "dehydration"} <= strata
    spec = data["charts"]["bars"]
    assert spec["layer"] and spec["description"] and spec["data"]["values"]
    page = analyst.get(PREVENTABLE).text
    for chart in ("chart-series", "chart-bars", "chart-funnel", "chart-strata"):
        assert f'id="{chart}" class="chart" role="img"' in page
    assert 'src="/static/charts.js"' in page and "<script>" not in page

    quarter = analyst.get(
        f"{PREVENTABLE}.json?level=cluster&period_type=quarter&period=2023-Q2&stratum=fracture"
    ).json()
    assert (quarter["level"], quarter["period"], quarter["stratum"]) == (
        "cluster",
        "2023-Q2",
        "fracture",
    )
    assert {c["level"] for c in quarter["comparison"]} == {"cluster"}
    assert {c["period"] for c in quarter["series"]} >= {"2019-Q1", "2024-Q4"}
    # A period of another kind, left over from a switch, falls back to the latest.
    month = analyst.get(f"{PREVENTABLE}.json?period_type=month&period=2023").json()
    assert month["period"] == "2024-12"
    assert analyst.get(f"{PREVENTABLE}.json?level=nowhere").status_code == 404
    assert analyst.get("/indicators/no_such_indicator").status_code == 404


CHART = re.compile(r'<figure class="chart-figure".*?</figure>', re.S)


@pytest.mark.parametrize("path", [PREVENTABLE, "/indicators/chronic_contacts_by_sector"])
def test_every_chart_can_be_read_without_a_mouse(analyst, path):
    """Focusable, described, with its readout for the arrow keys and a link to a table on
    the page that holds its numbers (the browser test presses the keys)."""
    page = analyst.get(path).text
    figures = CHART.findall(page)
    assert len(figures) == page.count('class="chart"') >= 3
    for figure in figures:
        chart = re.search(r'<div id="([^"]+)" class="chart" ([^>]*)>', figure)
        assert chart, figure[:200]
        name, attributes = chart.groups()
        assert 'role="img"' in attributes and 'tabindex="0"' in attributes, name
        assert re.search(r'aria-label="[^"]{40,}"', attributes), name
        assert f'aria-describedby="{name}-keys"' in attributes and f'id="{name}-keys"' in figure
        assert f'id="{name}-readout" class="chart-readout" aria-live="polite"' in figure
        table = re.search(r'<a href="#([a-z-]+)">Se tallene i en tabel</a>', figure)
        assert table, f"{name} links no table"
        # The linked element holds the table: no element closes before the table opens.
        target = page[page.index(f'id="{table.group(1)}"') :]
        before_table = target[: target.index("<table")]
        assert "</div>" not in before_table and "</details>" not in before_table, name


def test_contacts_by_sector_are_a_grouped_chart_of_sector_combinations(analyst):
    data = analyst.get("/indicators/chronic_contacts_by_sector.json").json()
    assert data["stratum"] == "gp+hospital+municipality"
    names = {s["name"] for s in data["indicator"]["strata"]}
    assert "almen praksis + hospital + kommune" in names
    assert data["charts"]["strata"]["layer"][0]["encoding"]["xOffset"]["field"] == "unit"


def test_a_viewer_gets_hidden_cells_and_no_analyst_page(viewer, sessions):
    data = viewer.get(f"{PREVENTABLE}.json?level=municipality").json()
    hidden = [c for c in data["comparison"] if c["suppressed"]]
    assert hidden, "the fixture has suppressed municipalities"
    # The denominator (residents aged 65+) is residents_65plus_per_1000's numerator: where
    # that count is hidden, the denominator is not published either (catalogue v1.1).
    year = data["period"][:4]
    elderly = viewer.get(
        f"/indicators/residents_65plus_per_1000.json?level=municipality&period={year}"
    ).json()
    elderly_hidden = {c["unit_code"] for c in elderly["comparison"] if c["suppressed"]}
    for c in hidden:
        assert c["hidden"] is True
        assert c["numerator"] is None and c["value"] is None and c["ci_low"] is None
        # kept: it says how many people, not who — unless it is itself a hidden count
        assert (c["denominator"] is None) is (c["unit_code"] in elderly_hidden)
    assert any(c["denominator"] is not None for c in hidden)
    assert "skjult" in viewer.get(PREVENTABLE).text
    assert viewer.get("/suppressed").status_code == 403
    assert viewer.get("/suppressed.json").status_code == 403
    with sessions() as db:
        assert not [e for e in audit.all_entries(db) if e.action.startswith("unsuppressed")]


def test_an_analyst_sees_the_units_in_scope_and_it_is_audited(analyst, sessions):
    data = analyst.get(f"{PREVENTABLE}.json?level=municipality&period=2023").json()
    mine = {"530", "561", "563", "573", "575"}
    for c in data["comparison"]:
        if c["suppressed"]:
            assert c["hidden"] is (c["unit_code"] not in mine)
    revealed = {c["unit_code"] for c in data["comparison"] if c["suppressed"] and not c["hidden"]}
    assert revealed and revealed <= mine
    page = analyst.get("/suppressed?indicator=preventable_admissions_65plus&period=2023").text
    assert "ikke-diskretioneret, kun for dig" in page
    with sessions() as db:
        entries = [e for e in audit.all_entries(db) if e.action == "unsuppressed_viewed"]
    # The cluster and the bilateral collaborations of its municipalities (Varde, Vejen: a
    # bilateral's cell is its municipality's) are in the scope too.
    in_scope = mine | {"syddanmark-sydvestjylland", "syddanmark-varde", "syddanmark-vejen"}
    logged = {code for e in entries for _, code in audit.units_seen(e)}
    assert logged <= in_scope
    assert revealed <= logged
    # One entry per view: the indicator page and the page of suppressed cells.
    assert len(entries) == 2
    assert entries[0].details["indicator"] == "preventable_admissions_65plus"
    assert entries[0].details["indicators"] == ["preventable_admissions_65plus"]


def test_unit_and_organisation_pages(analyst):
    esbjerg = analyst.get("/units/municipality/561.json").json()
    assert esbjerg["unit"]["name"] == "Esbjerg"
    assert {(u["level"], u["code"]) for u in esbjerg["parents"]} == {
        ("cluster", "syddanmark-sydvestjylland"),
        ("region", "1083"),
        ("country", "DK"),
    }
    assert analyst.get("/units/municipality/0561.json").json()["unit"]["code"] == "561"
    assert analyst.get("/units/municipality/999").status_code == 404
    region = analyst.get("/units/region/1083").text
    assert "Region Syddanmark" in region and "Esbjerg" in region
    before = analyst.get("/organisation.json?on=2021-06-01").json()
    assert len(before["regions"]) == 5 and before["clusters"] == []
    now = analyst.get("/organisation.json?on=2024-01-01").json()
    assert len(now["clusters"]) > 0
    assert sum(len(r["members"]) for r in now["regions"]) == 98
    assert "Sundhedsklynge Sydvestjylland" in analyst.get("/organisation?on=2024-01-01").text


def test_downloads_apply_the_same_disclosure_control(analyst, viewer_too):
    url = "/download.csv?indicator=preventable_admissions_65plus&level=municipality&period=2023"
    mine = {"530", "561", "563", "573", "575"}
    rows = list(csv.DictReader(io.StringIO(analyst.get(url).text)))
    assert rows and rows[0].keys() >= {"indicator_id", "value", "suppressed", "confidential"}
    for r in rows:
        if r["confidential"] == "true":
            assert r["unit_code"] in mine and r["value"] != ""
        if r["suppressed"] == "true":
            assert r["numerator"] == "" and r["value"] == ""
    assert any(r["confidential"] == "true" for r in rows)
    viewer_rows = list(csv.DictReader(io.StringIO(viewer_too.get(url).text)))
    assert {r["confidential"] for r in viewer_rows} == {"false"}
    assert any(r["suppressed"] == "true" for r in viewer_rows)
    xlsx = analyst.get(url.replace(".csv", ".xlsx"))
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        assert "xl/worksheets/sheet1.xml" in book.namelist()
    assert analyst.get("/download.csv?indicator=nope").status_code == 404
    assert analyst.get("/download.csv?period=1999").status_code == 404


def csv_rows(client, href: str) -> list[dict[str, str]]:
    response = client.get(href)
    assert response.status_code == 200, href
    return list(csv.DictReader(io.StringIO(response.text)))


def test_every_table_can_be_downloaded_as_shown(analyst, viewer_too):
    data = analyst.get(f"{PREVENTABLE}.json?period=2023").json()
    assert set(data["downloads"]) == {"table", "series", "strata"}
    for links in data["downloads"].values():
        assert [link["href"].split("?")[0] for link in links] == ["/download.csv", "/download.xlsx"]
    cells = {
        "table": data["comparison"],
        "series": data["series"],
        "strata": data["strata"],
    }
    for table, shown in cells.items():
        rows = csv_rows(analyst, data["downloads"][table][0]["href"])
        key = {(r["period"], r["unit_code"], r["stratum"]) for r in rows}
        assert {(c["period"], c["unit_code"], c["stratum"]) for c in shown} <= key, table
    strata_rows = csv_rows(analyst, data["downloads"]["strata"][0]["href"])
    assert len(strata_rows) == len(data["strata"])

    # The suppressed cells in the analyst's scope, as their page lists them.
    page = analyst.get("/suppressed.json?indicator=preventable_admissions_65plus&period=2023")
    listed = page.json()
    href = listed["downloads"][0]["href"]
    assert "confidential=true" in href
    rows = csv_rows(analyst, href)
    assert len(rows) == len(listed["cells"]) > 0
    assert {r["confidential"] for r in rows} == {"true"} and all(r["value"] for r in rows)
    assert "Hent de skjulte celler" in analyst.get("/suppressed?period=2023").text
    # A viewer has nothing shown because of access: the same address gives no rows.
    assert csv_rows(viewer_too, href) == []


@pytest.fixture
def viewer_too(app, accounts, with_results):
    from fastapi.testclient import TestClient

    accounts.add("vic", "viewer", SV)
    with TestClient(app) as other:
        log_in(other, "vic")
        yield other


def test_a_new_result_file_is_picked_up_without_a_restart(analyst, with_results):
    first = analyst.get("/indicators.json").json()["computed_at"]
    publish_copy(with_results, "2030-01-01T00:00:00+00:00")
    assert analyst.get("/indicators.json").json()["computed_at"] == "2030-01-01T00:00:00+00:00"
    assert first != "2030-01-01T00:00:00+00:00"


def test_without_results_the_pages_say_so(client, accounts):
    accounts.add("anna", "analyst", SV)
    log_in(client, "anna")
    assert "ingen beregnede indikatorer" in client.get("/").text
    assert client.get("/indicators.json").json()["indicators"] == []
    assert client.get(PREVENTABLE).status_code == 404


def test_english_texts_on_the_dashboards(analyst):
    from tests.web.helpers import token

    analyst.post("/language", data={"lang": "en", "csrf_token": token(analyst)})
    page = analyst.get(PREVENTABLE).text
    assert "Preventable admissions among the elderly" in page
    assert "Funnel plot" in page and "Development over time" in page


def test_a_cached_page_is_audited_for_every_user_who_sees_it(app, accounts, with_results, sessions):
    from fastapi.testclient import TestClient

    url = f"{PREVENTABLE}?level=municipality&period=2023"
    for name in ("anna", "bo"):
        accounts.add(name, "analyst", SV)
        with TestClient(app) as client:
            log_in(client, name)
            assert client.get(url).status_code == 200
            assert client.get(url).status_code == 200  # the second time from the cache
    with sessions() as db:
        viewed = [e for e in audit.all_entries(db) if e.action == "unsuppressed_viewed"]
    per_user = {
        n: {(e.unit_code, e.details["cells"]) for e in viewed if e.actor == n}
        for n in ("anna", "bo")
    }
    assert per_user["anna"] and per_user["anna"] == per_user["bo"]
    assert len([e for e in viewed if e.actor == "bo"]) == 2 * len(per_user["bo"])


def test_the_bilateral_collaborations_are_a_level_of_their_own(analyst):
    # On the fixture's structure date (2025) Region Syddanmark's nine bilateral
    # collaborations are in force; Varde's is its municipality's cell, so it sits in its
    # chain of units.
    data = analyst.get(f"{PREVENTABLE}.json?level=bilateral&period=2023").json()
    assert data["level"] == "bilateral"
    nine = "tonder sonderborg haderslev vejen varde fredericia middelfart nyborg aero"
    assert {c["unit_code"] for c in data["comparison"]} == {f"syddanmark-{m}" for m in nine.split()}
    assert any(c["label"] == "Bilaterale samarbejder" for c in data["choices"]["level"])
    varde = analyst.get("/units/municipality/573.json").json()
    assert ("bilateral", "syddanmark-varde") in {(u["level"], u["code"]) for u in varde["parents"]}


@pytest.fixture
def restated(settings, results_source, tmp_path):
    """The fixture's warehouse computed again with --structure-date 2027-01-01, its result
    file put where the app reads it."""
    import shutil

    from tvaers.indicators.compute import compute
    from tvaers.indicators.results import results_path

    db = tmp_path / "restated" / "tvaers.duckdb"
    db.parent.mkdir()
    shutil.copyfile(results_source, db)
    compute(db, structure_date=date(2027, 1, 1))
    shutil.copyfile(results_path(db), results_path(settings.warehouse))


def test_results_restated_to_2027_show_the_sundhedsraad_and_who_is_missing(
    client, accounts, restated
):
    accounts.add("rita", "analyst", ("region", "1083"))
    log_in(client, "rita")
    data = client.get(f"{PREVENTABLE}.json?level=sundhedsraad&period=2023").json()
    levels = {c["value"] for c in data["choices"]["level"]}
    assert {"sundhedsraad", "region"} <= levels and "cluster" not in levels
    # Only Region Syddanmark has data: Sundhedsråd Fyn, not Amager og Vestegnen.
    assert {c["unit_code"] for c in data["comparison"]} == {"fyn"}
    # 98 municipalities, 10 in Fyn's and 9 in Amager og Vestegnen's sundhedsråd.
    missing = {u["name"] for u in data["missing"]}
    assert len(missing) == 79 and {"Esbjerg", "København"} <= missing and "Odense" not in missing
    page = client.get(f"{PREVENTABLE}?level=sundhedsraad&period=2023").text
    assert "Kommuner uden sundhedsråd" in page and "Esbjerg" in page
    odense = client.get("/units/municipality/461.json").json()
    assert {(u["level"], u["code"]) for u in odense["parents"]} == {
        ("sundhedsraad", "fyn"),
        ("region", "1083"),
        ("country", "DK"),
    }
