"""Memberships loaded with `tvaers org import` show beside the shipped ones in
`tvaers org list` and on the organisation page (issue 15): a sundhedsråd only the import
defines, a membership the reference data ships already not counted twice, and the
municipalities still without a sundhedsråd counted with both. On SQLite and PostgreSQL.

By hand: Denmark has 98 municipalities; the reference data ships Fyn (10) and Amager og
Vestegnen (9), so 79 lack a sundhedsråd on 2027-01-01. The file adds Esbjerg and Varde to a
new one and repeats Odense's Fyn membership: 77 then lack one."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from tests.web.helpers import log_in
from tvaers.cli import app as cli_app
from tvaers.governance import loading
from tvaers.web.db import session_scope


def _membership(unit: str, municipality: str) -> dict:
    return {
        "unit": f"sundhedsraad:{unit}",
        "municipality": municipality,
        "valid_from": "2027-01-01",
        "valid_to": None,
        "basis": "official list",
    }


FILE = {
    "fora": [],
    "people": [],
    "seats": [],
    "memberships": [
        _membership("sydvestjylland", "561"),
        _membership("sydvestjylland", "573"),
        _membership("fyn", "461"),
    ],
}


def _load(sessions, tmp_path) -> None:
    path = tmp_path / "memberships.yaml"
    path.write_text(yaml.safe_dump(FILE), encoding="utf-8")
    with session_scope(sessions) as db:
        loading.load(db, str(path), "test")


def _list(*args: str) -> str:
    argv = ["org", "list", "--level", "sundhedsraad", "--on", "2027-01-01", *args]
    result = CliRunner().invoke(cli_app, argv, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return result.output


def test_org_list_shows_imported_memberships(sessions, app_db_url, tmp_path):
    _load(sessions, tmp_path)
    shown = _list("--app-db", app_db_url)
    (row,) = [line for line in shown.splitlines() if "sydvestjylland" in line]
    assert "│ 2 " in row and "official list" in row and "Region Syddanmark" in row
    (fyn,) = [line for line in shown.splitlines() if "│ fyn " in line]
    assert "│ 10 " in fyn  # Odense's repeated membership is counted once
    assert "2 medlemskaber er indlæst med `tvaers org import`." in shown
    assert "77 kommuner har endnu intet sundhedsråd" in shown


def test_org_list_without_an_application_database_shows_the_shipped_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TVAERS_DB", str(tmp_path / "tvaers.duckdb"))
    shown = _list()
    assert "79 kommuner har endnu intet sundhedsråd" in shown
    assert "sydvestjylland" not in shown
    assert list(tmp_path.iterdir()) == []  # a listing creates no database


def test_the_organisation_page_shows_imported_memberships(client, accounts, sessions, tmp_path):
    _load(sessions, tmp_path)
    accounts.add("vera", "viewer")
    log_in(client, "vera")
    data = client.get("/organisation.json?on=2027-01-01").json()
    councils = {u["code"]: [m["code"] for m in u["members"]] for u in data["sundhedsraad"]}
    assert councils["sydvestjylland"] == ["561", "573"]
    assert len(councils["fyn"]) == 10 and len(councils["amager-og-vestegnen"]) == 9
    assert len(data["sundhedsraad_missing"]) == 77
    assert "561" not in {m["code"] for m in data["sundhedsraad_missing"]}
    page = client.get("/organisation?on=2027-01-01").text
    assert "sydvestjylland" in page and "77 kommuner" in page
