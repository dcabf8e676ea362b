"""`tvaers org list`: the organisation on a date, as tables."""

from __future__ import annotations

import re
from datetime import date

import pytest
from typer.testing import CliRunner

from tvaers.cli import app
from tvaers.reference import org

# Wide enough that no row wraps, so a row is one line and can be checked as one.
runner = CliRunner(env={"COLUMNS": "250", "TVAERS_LANG": "da"})


@pytest.fixture(autouse=True)
def _danish(monkeypatch):
    # --lang sets the language for the process; keep one test's choice out of the next.
    monkeypatch.setattr("tvaers.i18n._language", None)


def _list(*args: str):
    return runner.invoke(app, ["org", "list", *args])


def _rows(output: str) -> dict[str, list[str]]:
    """Table rows by their first cell (the code)."""
    found = {}
    for line in output.splitlines():
        if line.startswith("│"):
            cells = [cell.strip() for cell in line.strip("│").split("│")]
            if cells[0]:
                found[cells[0]] = cells
    return found


def test_regions_on_a_date():
    result = _list("--level", "region", "--on", "2024-01-01")
    assert result.exit_code == 0, result.output
    assert "Regioner den 2024-01-01" in result.output
    header = next(line for line in result.output.splitlines() if "Kode" in line)
    for name in ("Kode", "Navn", "Gyldig fra", "Gyldig til", "Medlemmer"):
        assert name in header
    rows = _rows(result.output)
    assert list(rows) == ["1081", "1082", "1083", "1084", "1085"]
    assert rows["1083"] == ["1083", "Region Syddanmark", "2007-01-01", "—", "22"]
    assert rows["1084"][-1] == "29"
    assert "Sundhedsklynger" not in result.output
    assert "Kommuner den" not in result.output


def test_clusters_on_a_date():
    result = _list("--level", "cluster", "--on", "2024-01-01")
    assert result.exit_code == 0, result.output
    assert "Sundhedsklynger den 2024-01-01" in result.output
    rows = _rows(result.output)
    assert list(rows) == [c.slug for c in org.clusters()]
    assert len(rows) == 22
    assert rows["syddanmark-sonderjylland"] == [
        "syddanmark-sonderjylland",
        "Sundhedsklynge Sønderjylland",
        "Region Syddanmark",
        "Sygehus Sønderjylland (Aabenraa)",
        "2022-07-01",
        "2027-01-01",
        "4",
        "verificeret",
    ]
    assert rows["hovedstaden-syd"][6] == "10"  # København counts here too
    assert rows["hovedstaden-nord"][7] == "udledt"
    assert "tælles med i hver: København." in result.output


def test_municipalities_on_a_date():
    result = _list("--level", "municipality", "--on", "2023-05-01")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "Kode" in line)
    assert "Klynge(r)" in header
    rows = _rows(result.output)
    assert len(rows) == 98
    assert rows["101"] == [
        "101",
        "København",
        "Region Hovedstaden",
        "Sundhedsklynge Byen, Sundhedsklynge Syd",
    ]
    assert rows["540"] == ["540", "Sønderborg", "Region Syddanmark", "Sundhedsklynge Sønderjylland"]


def test_all_three_levels_without_level_broadest_first():
    result = _list("--on", "2024-01-01")
    assert result.exit_code == 0, result.output
    out = result.output
    positions = [
        out.index("Regioner den 2024-01-01"),
        out.index("Sundhedsklynger den 2024-01-01"),
        out.index("Kommuner den 2024-01-01"),
    ]
    assert positions == sorted(positions)
    assert len(_rows(out)) == 5 + 22 + 98


@pytest.mark.parametrize("day", ["2021-01-01", "2022-06-30", "2027-01-01"])
def test_a_date_without_clusters_says_so(day):
    result = _list("--on", day)
    assert result.exit_code == 0, result.output
    assert f"Ingen sundhedsklynger i kraft den {day}." in result.output
    assert "Klyngerne gælder fra 2022-07-01 til 2027-01-01" in result.output
    assert "Sundhedsklynger den" not in result.output
    rows = _rows(result.output)
    assert not set(rows) & {c.slug for c in org.clusters()}
    assert rows["101"][3] == "—"  # no cluster for København either
    regions = len(org.regions(date.fromisoformat(day)))  # four from 2027
    assert len(rows) == regions + 98  # regions and municipalities are still there


def test_a_date_before_the_regions_says_so():
    result = _list("--level", "region", "--on", "2006-12-31")
    assert result.exit_code == 0, result.output
    assert "Ingen regioner i kraft den 2006-12-31." in result.output
    assert _rows(result.output) == {}


def test_the_date_defaults_to_today():
    result = _list("--level", "region")
    assert result.exit_code == 0, result.output
    assert f"Regioner den {date.today().isoformat()}" in result.output


@pytest.mark.parametrize("bad", ["2021-13-01", "01-01-2024", "20240101", "i morgen", "2024-02-30"])
def test_an_invalid_date_is_an_error(bad):
    result = _list("--on", bad)
    assert result.exit_code == 2
    assert f"ugyldig dato {bad!r}" in result.output
    assert "ÅÅÅÅ-MM-DD" in result.output
    assert "Kode" not in result.output


@pytest.mark.parametrize("bad", ["kommune", "country", "Region"])
def test_an_invalid_level_is_an_error(bad):
    result = _list("--level", bad, "--on", "2024-01-01")
    assert result.exit_code == 2
    assert f"ukendt niveau {bad!r}" in result.output
    assert "region, cluster, municipality" in result.output


def test_english_on_request():
    result = runner.invoke(app, ["--lang", "en", "org", "list", "--on", "2021-01-01"])
    assert result.exit_code == 0, result.output
    assert "Regions on 2021-01-01" in result.output
    assert "No health clusters in force on 2021-01-01." in result.output
    headers = [line for line in result.output.splitlines() if "Code" in line]
    assert len(headers) == 2  # regions and municipalities; no cluster table
    assert "Valid to" in headers[0]
    assert "Cluster(s)" in headers[1]


def test_org_is_listed_in_the_root_help():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert re.search(r"org\s+Organisationen: regioner, klynger og kommuner", result.output)
    result = runner.invoke(app, ["org", "--help"])
    assert result.exit_code == 0
    assert "list" in result.output
