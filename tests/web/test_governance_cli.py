"""`tvaers org import|check|fora|seats` as a user runs them, on both databases; and the
existing `tvaers org list` unchanged beside them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.web import governance_world as w
from tvaers.cli import app

runner = CliRunner(env={"COLUMNS": "250", "TVAERS_LANG": "da"})


@pytest.fixture(autouse=True)
def _danish(monkeypatch):
    monkeypatch.setattr("tvaers.i18n._language", None)


def _org(app_db_url, *args):
    return runner.invoke(app, ["org", *args, "--app-db", app_db_url])


def test_org_keeps_list_and_gains_the_registry_commands():
    result = runner.invoke(app, ["org", "--help"])
    assert result.exit_code == 0
    for command in ("list", "import", "check", "fora", "seats"):
        assert command in result.output
    result = runner.invoke(app, ["org", "list", "--level", "region", "--on", "2024-01-01"])
    assert result.exit_code == 0 and "Region Syddanmark" in result.output


def test_import_check_fora_seats(app_db_url, tmp_path):
    path = w.write(w.without_seat(w.world(), "kkr", w.mayor("510")), tmp_path / "r.yaml")
    result = _org(app_db_url, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "indlæst" in result.output and "forum.created: 13" in result.output
    again = _org(app_db_url, "import", str(path))
    assert again.exit_code == 0 and "Intet ændret" in again.output

    result = _org(app_db_url, "check", "--on", "2024-01-01", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert [(f["rule"], f["forum"], f["unit"]) for f in found] == [
        ("kkr-mayors", "kkr", "municipality:510")
    ]
    assert set(found[0]) == {"rule", "forum", "unit", "message"}
    assert "Haderslev" in found[0]["message"]
    text = _org(app_db_url, "check", "--on", "2024-01-01")
    assert text.exit_code == 0 and "kkr-mayors" in text.output

    # Before the fora start, nothing to check: an empty list, exit 0.
    result = _org(app_db_url, "check", "--on", "2021-01-01", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output) == []

    result = _org(app_db_url, "fora", "--on", "2024-01-01", "--format", "json")
    rows = {r["id"]: r for r in json.loads(result.output)}
    assert len(rows) == 13 and rows["kkr"]["seats"] == 21 and rows["fu"]["parent"] == "sdf"
    table = _org(app_db_url, "fora", "--on", "2024-01-01")
    assert "Fora den 2024-01-01" in table.output and "pc-fyn" in table.output
    assert (
        "Ingen fora i kraft den 2021-01-01."
        in _org(app_db_url, "fora", "--on", "2021-01-01").output
    )

    result = _org(app_db_url, "seats", "ssu", "--on", "2024-01-01", "--format", "json")
    seats = json.loads(result.output)
    assert [(s["person"], s["role"], s["side"]) for s in seats][:2] == [
        ("rr-chair", "chair", "region"),
        (w.mayor("461"), "vice_chair", "municipality"),
    ]
    assert len(seats) == 6
    table = _org(app_db_url, "seats", "ssu", "--on", "2024-01-01")
    assert "næstformand" in table.output and "borgmester (municipality:461)" in table.output


def test_a_bad_file_exits_2_naming_the_entry_and_loads_nothing(app_db_url, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "fora:\n  - {id: a, name: A, kind: kkr, unit: 'region:1083', valid_from: 2022-01-01}\n"
        "seats:\n  - {forum: a, person: ghost, side: region, role: member, valid_from: 2022-01-01}\n",
        encoding="utf-8",
    )
    result = _org(app_db_url, "import", str(path))
    assert result.exit_code == 2
    assert "seats[1] (a/ghost): ukendt person 'ghost'" in result.output
    assert "intet er ændret" in result.output
    assert "Traceback" not in result.output
    assert (
        json.loads(_org(app_db_url, "fora", "--on", "2024-01-01", "--format", "json").output) == []
    )


@pytest.mark.parametrize(
    "args",
    [
        ("import", "/nonexistent/registry.yaml"),
        ("check", "--on", "2024-13-01"),
        ("check", "--format", "xml"),
        ("check", "--rules", "/nonexistent/rules.yaml"),
        ("fora", "--on", "i går"),
        ("seats", "nope", "--on", "2024-01-01"),
    ],
)
def test_bad_arguments_exit_2(app_db_url, args):
    result = _org(app_db_url, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_english_on_request(app_db_url, tmp_path):
    path = w.write(w.without_seat(w.world(), "kkr", w.mayor("510")), tmp_path / "r.yaml")
    runner.invoke(app, ["org", "import", str(path), "--app-db", app_db_url])
    result = runner.invoke(
        app, ["--lang", "en", "org", "check", "--on", "2024-01-01", "--app-db", app_db_url]
    )
    assert result.exit_code == 0
    assert "has no seat for the mayor of Haderslev" in result.output


def test_the_demo_loads_syddanmarks_fora(tmp_path, monkeypatch, capsys):
    from tvaers import demo

    monkeypatch.delenv("TVAERS_APP_DB", raising=False)
    demo.demo_registry(tmp_path)
    assert "Region Syddanmarks fora indlæst" in capsys.readouterr().out
    url = f"sqlite:///{tmp_path / 'tvaers-app.sqlite'}"
    rows = json.loads(_org(url, "fora", "--on", "2019-02-01", "--format", "json").output)
    assert [r["id"] for r in rows] == ["styregruppe-sonderborg"]
    assert rows[0]["seats"] == 10


def test_units_show_shipped_and_imported_memberships_and_the_missing(app_db_url, tmp_path):
    before = json.loads(_org(app_db_url, "units", "--on", "2027-01-01", "--format", "json").output)
    assert [u["code"] for u in before["units"]] == ["amager-og-vestegnen", "fyn"]
    assert len(before["missing"]) == 79
    path = tmp_path / "official.yaml"
    path.write_text(
        "memberships:\n"
        "  - {unit: 'sundhedsraad:sydjylland', municipality: '540', valid_from: 2027-01-01, basis: official list}\n"
        "  - {unit: 'sundhedsraad:sydjylland', municipality: '550', valid_from: 2027-01-01, basis: official list}\n"
        "  - {unit: 'sundhedsraad:fyn', municipality: '461', valid_from: 2027-01-01, basis: official list}\n",
        encoding="utf-8",
    )
    assert _org(app_db_url, "import", str(path)).exit_code == 0
    after = json.loads(_org(app_db_url, "units", "--on", "2027-01-01", "--format", "json").output)
    units = {u["code"]: u for u in after["units"]}
    assert units["sydjylland"]["members"] == ["540", "550"] and units["sydjylland"]["imported"] == 2
    assert units["sydjylland"]["region"] == "1083"
    assert len(units["fyn"]["members"]) == 10 and units["fyn"]["imported"] == 0  # Odense twice
    assert len(after["missing"]) == 77 and "540" not in after["missing"]
    table = _org(app_db_url, "units", "--on", "2027-01-01")
    assert "77 kommuner har endnu ingen enhed" in table.output
    assert json.loads(
        _org(app_db_url, "units", "--on", "2026-12-31", "--format", "json").output
    ) == {
        "units": [],
        "missing": [],
    }
    assert _org(app_db_url, "units", "--level", "region").exit_code == 2
