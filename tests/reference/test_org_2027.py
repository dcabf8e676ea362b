"""The 2027 structures as dated reference data: Region Østdanmark, the sundhedsråd with their
confirmed memberships, and Region Syddanmark's bilateral collaborations."""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources

import pytest
from typer.testing import CliRunner

from tvaers.cli import app
from tvaers.reference import org
from tvaers.web.scope import InvalidScope, unit_name, validate_unit

NEW_YEAR = date(2027, 1, 1)
LAST_OLD_DAY = date(2026, 12, 31)
runner = CliRunner(env={"COLUMNS": "250", "TVAERS_LANG": "da"})

# Written out from the spec (governance.md), not from the data files.
FYN = {"Odense", "Assens", "Faaborg-Midtfyn", "Kerteminde", "Nyborg", "Svendborg", "Nordfyns"}
FYN |= {"Langeland", "Ærø", "Middelfart"}
AMAGER_VESTEGNEN = {"Albertslund", "Brøndby", "Dragør", "Glostrup", "Hvidovre"}
AMAGER_VESTEGNEN |= {"Høje-Taastrup", "Ishøj", "Tårnby", "Vallensbæk"}
BILATERAL = {"Tønder", "Sønderborg", "Haderslev", "Vejen", "Varde", "Fredericia"}
BILATERAL |= {"Middelfart", "Nyborg", "Ærø"}


@pytest.fixture(autouse=True)
def _danish(monkeypatch):
    monkeypatch.setattr("tvaers.i18n._language", None)


def _names(found) -> set[str]:
    return {m.name for m in found}


def test_four_regions_from_2027():
    assert [r.code for r in org.regions(LAST_OLD_DAY)] == ["1081", "1082", "1083", "1084", "1085"]
    found = org.regions(NEW_YEAR)
    assert [r.name for r in found] == [
        "Region Nordjylland",
        "Region Midtjylland",
        "Region Syddanmark",
        "Region Østdanmark",
    ]
    ost = found[-1]
    assert (ost.valid_from, ost.valid_to, ost.seat) == (NEW_YEAR, None, "Sorø")
    assert ost.code_confirmed is False
    assert all(r.code_confirmed for r in found[:-1])
    for old in ("1084", "1085"):
        assert org.region(old).valid_to == NEW_YEAR
        assert org.members("region", old, NEW_YEAR) == []


def test_ostdanmark_is_the_46_municipalities_of_hovedstaden_and_sjaelland():
    before = org.members("region", "1084", LAST_OLD_DAY) + org.members(
        "region", "1085", LAST_OLD_DAY
    )
    after = org.members("region", org.regions(NEW_YEAR)[-1].code, NEW_YEAR)
    assert len(after) == 46 == 29 + 17
    assert sorted(after, key=lambda m: int(m.code)) == sorted(before, key=lambda m: int(m.code))
    home = org.region_of("340", NEW_YEAR)  # Sorø
    assert home is not None and home.name == "Region Østdanmark"
    home = org.region_of("340", LAST_OLD_DAY)
    assert home is not None and home.name == "Region Sjælland"
    # Every municipality is in exactly one region on the first day too.
    counted = [
        m.code for r in org.regions(NEW_YEAR) for m in org.members("region", r.code, NEW_YEAR)
    ]
    assert sorted(counted) == sorted(org.municipality_codes())


def test_the_declared_code_is_written_in_one_place():
    text = resources.files("tvaers.reference") / "data"
    hits = {
        f.name: f.read_text(encoding="utf-8").count("Østdanmark")
        for f in text.iterdir()
        if f.name.endswith(".csv")
    }
    assert {name for name, n in hits.items() if n} == {"new_regions.csv"}
    (row,) = csv.DictReader(io.StringIO((text / "new_regions.csv").read_text(encoding="utf-8")))
    assert row["code_status"] == "declared"


def test_sundhedsraad_with_their_confirmed_members_only():
    assert org.groupings("sundhedsraad", LAST_OLD_DAY) == []
    found = {g.code: g for g in org.groupings("sundhedsraad", NEW_YEAR)}
    assert set(found) == {"fyn", "amager-og-vestegnen"}
    assert _names(org.members("sundhedsraad", "fyn", NEW_YEAR)) == FYN
    assert _names(org.members("sundhedsraad", "amager-og-vestegnen", NEW_YEAR)) == AMAGER_VESTEGNEN
    assert org.region(found["fyn"].region_code or "").name == "Region Syddanmark"
    assert org.region(found["amager-og-vestegnen"].region_code or "").name == "Region Østdanmark"
    rows = org.memberships("sundhedsraad", NEW_YEAR)
    assert len(rows) == 19
    assert all(m.basis.strip() for m in rows)


def test_missing_sundhedsraad_members_are_named():
    lacking = org.missing("sundhedsraad", NEW_YEAR)
    assert len(lacking) == 98 - 19
    assert "København" in _names(lacking)
    assert not _names(lacking) & (FYN | AMAGER_VESTEGNEN)
    assert org.missing("sundhedsraad", LAST_OLD_DAY) == []  # the level is not in force yet
    assert org.missing("cluster", date(2024, 1, 1)) == []


def test_syddanmarks_nine_bilateral_collaborations():
    found = org.groupings("bilateral", date(2024, 1, 1))
    assert len(found) == 9
    assert {g.region_code for g in found} == {"1083"}
    members = [org.members("bilateral", g.code, date(2024, 1, 1)) for g in found]
    assert all(len(m) == 1 for m in members)
    assert {m[0].name for m in members} == BILATERAL
    (sonderborg,) = [g for g, m in zip(found, members, strict=True) if m[0].name == "Sønderborg"]
    assert sonderborg.valid_from == date(2019, 1, 7)
    assert org.groupings("bilateral", date(2019, 1, 6)) == []
    assert [g.code for g in org.groupings("bilateral", date(2019, 1, 7))] == [sonderborg.code]


def test_new_levels_in_the_vocabulary_and_the_scopes():
    assert {"sundhedsraad", "bilateral"} <= set(org.LEVELS)
    assert [u.code for u in org.units("sundhedsraad", NEW_YEAR)] == ["fyn", "amager-og-vestegnen"]
    ref = validate_unit("sundhedsraad", "fyn")
    assert unit_name(ref) == "Sundhedsråd Fyn"
    with pytest.raises(InvalidScope, match="'vestjylland'"):
        validate_unit("sundhedsraad", "vestjylland")
    with pytest.raises(ValueError, match="'nope'"):
        org.members("bilateral", "nope", NEW_YEAR)


def _list(*args: str):
    return runner.invoke(app, ["org", "list", *args])


def test_cli_lists_four_regions_on_2027_01_01():
    result = _list("--level", "region", "--on", "2027-01-01")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│")]
    assert len(rows) == 4
    assert "Region Østdanmark" in rows[-1] and "46" in rows[-1]
    assert "ikke officielt bekræftet" in result.output


def test_cli_lists_sundhedsraad_and_says_who_is_missing():
    result = _list("--level", "sundhedsraad", "--on", "2027-01-01")
    assert result.exit_code == 0, result.output
    assert "Sundhedsråd Fyn" in result.output
    assert "79 kommuner har endnu intet sundhedsråd" in result.output
    assert "København (101)" in result.output
    result = _list("--level", "sundhedsraad", "--on", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert "Ingen sundhedsråd i kraft den 2026-06-01. De første gælder fra 2027-01-01." in (
        result.output
    )


def test_cli_lists_bilateral_collaborations():
    result = _list("--level", "bilateral", "--on", "2019-06-01")
    assert result.exit_code == 0, result.output
    assert "Bilaterale samarbejder den 2019-06-01" in result.output
    assert "syddanmark-sonderborg" in result.output
    assert "syddanmark-tonder" not in result.output
