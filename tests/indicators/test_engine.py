"""The engine as a user drives it: catalogue checks, the export format in every format,
atomic publication, provenance, and errors that name what is wrong."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tvaers.cli import app
from tvaers.indicators import catalogue
from tvaers.indicators.compute import compute, default_years
from tvaers.indicators.export import EXPORT_COLUMNS
from tvaers.indicators.results import results_path
from tvaers.indicators.suppression import SHARED_DENOMINATORS
from tvaers.synth.generate import fixture

V1 = {
    "population",
    "residents_65plus_per_1000",
    "residents_80plus_per_1000",
    "preventable_admissions_65plus",
    "readmissions_30d_somatic",
    "readmissions_30d_somatic_65plus",
    "ready_for_discharge_days_per_1000",
    "chronic_prevalence",
    "acute_admissions_per_1000_copd",
    "acute_admissions_per_1000_t2d",
    "chronic_contacts_by_sector",
    "repeated_acute_admissions_65plus",
}
# The transitions indicators (transitions.md v1.1).
TRANSITIONS = {
    "followup_72h_after_discharge_65plus",
    "discharge_notification_coverage",
    "readmissions_30d_somatic_65plus_by_followup",
    "hip_fracture_nursing_home_30d",
    "referral_uptake_30d",
    "copd_smoking_cessation_referral",
}
V1 = V1 | TRANSITIONS


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("engine")
    fixture(root / "delivery", person_key="person_id")
    db = root / "tvaers.duckdb"
    result = _cli("ingest", str(root / "delivery"), "--db", str(db))
    assert result.exit_code == 0, result.output
    result = _cli("indicators", "compute", "--db", str(db))
    assert result.exit_code == 0, result.output
    return db


# --- the catalogue -------------------------------------------------------------------------


def test_catalogue_holds_every_v1_indicator_with_source_and_version():
    cat = catalogue.load()
    assert {i.id for i in cat.indicators} == V1
    for ind in cat.indicators:
        assert ind.version and ind.source and ind.name.da and ind.name.en
    assert cat.get("preventable_admissions_65plus").strata[0].id == ""  # total row first


def _copy_catalogue(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(catalogue.default_directory(), target)
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        ("preventable_admissions_65plus.yaml", "codes: [DE86]", "codes: [E86]", "codes"),
        ("population.yaml", "method: population_count", "method: guess", "method"),
        ("chronic_prevalence.yaml", "factor: 1000", "factor: 7", "factor"),
        (
            "readmissions_30d_somatic.yaml",
            "within_hours: 720",
            "within_hours: soon",
            "within_hours",
        ),
        ("building_blocks.yaml", "link_gap_hours: 4", "", "stay.link_gap_hours"),
        (  # an unquoted comma splits a one-line text mapping: refused, not cut short
            "residents_65plus_per_1000.yaml",
            'unit: {da: "pr. 1.000 borgere", en: "per 1,000 residents"}',
            "unit: {da: pr. 1.000 borgere, en: per 1,000 residents}",
            "unit",
        ),
    ],
)
def test_a_broken_definition_names_file_and_field(tmp_path, file, old, new, where):
    directory = _copy_catalogue(tmp_path)
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError) as info:
        catalogue.load(directory)
    assert file in str(info.value)
    assert where in str(info.value)


def test_a_broken_catalogue_leaves_the_published_results_alone(db, tmp_path, monkeypatch):
    before = results_path(db).read_bytes()
    directory = _copy_catalogue(tmp_path)
    (directory / "population.yaml").write_text("id: population\n", encoding="utf-8")
    monkeypatch.setenv("TVAERS_CATALOGUE_DIR", str(directory))
    result = _cli("indicators", "compute", "--db", str(db))
    assert result.exit_code == 1
    assert "population.yaml" in result.output
    assert results_path(db).read_bytes() == before


# --- publication and provenance ----------------------------------------------------------


def test_results_record_deliveries_and_definition_versions(db):
    con = duckdb.connect(str(results_path(db)), read_only=True)
    run = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM run").fetchall()}
    warehouse = duckdb.connect(str(db), read_only=True)
    fingerprints = [
        r[0] for r in warehouse.execute("SELECT fingerprint FROM deliveries").fetchall()
    ]
    assert [d["fingerprint"] for d in run["deliveries"]] == fingerprints
    assert set(run["definitions"]) == V1 | {"building_blocks"}
    assert run["definitions"]["population"].startswith("1.0 (")
    assert run["years"] == list(range(2019, 2025))
    # Every level above the municipality on the extraction date (all are in force then or
    # later: the sundhedsråd from 2027 have no units on it, so no rows).
    assert run["structure_dates"] == {
        "bilateral": "2025-01-01",
        "cluster": "2025-01-01",
        "sundhedsraad": "2025-01-01",
        "region": "2025-01-01",
    }


def test_result_file_is_owner_only_and_replaced_whole(db):
    path = results_path(db)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    reader = duckdb.connect(str(path), read_only=True)  # a reader with the old set open
    old_inode = os.stat(path).st_ino
    n_before = reader.execute("SELECT count(*) FROM results").fetchone()[0]
    compute(db, years=[2023])
    assert os.stat(path).st_ino != old_inode  # a new file took the name in one step
    assert reader.execute("SELECT count(*) FROM results").fetchone()[0] == n_before
    reader.close()
    new = duckdb.connect(str(path), read_only=True)
    years = new.execute("SELECT DISTINCT period FROM results WHERE period_type = 'year'")
    assert {r[0] for r in years.fetchall()} == {"2023"}
    new.close()
    compute(db)  # back to the full set for the other tests


def test_no_leftover_work_files(db):
    leftovers = [p.name for p in db.parent.iterdir() if ".work-" in p.name]
    assert leftovers == []


def test_default_years_are_whole_years_before_extraction():
    from datetime import date

    assert default_years(2019, date(2025, 1, 1)) == list(range(2019, 2025))
    assert default_years(2019, date(2024, 12, 31)) == list(range(2019, 2024))


# --- export ------------------------------------------------------------------------------


def _csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == EXPORT_COLUMNS
        return list(reader)


def test_csv_export_has_the_contract_columns_and_conventions(db, tmp_path):
    out = tmp_path / "all.csv"
    result = _cli("indicators", "export", "--db", str(db), "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = _csv_rows(out)
    assert {r["indicator_id"] for r in rows} == V1
    # On the extraction date (2025) the bilateral collaborations are in force too; the
    # sundhedsråd (from 2027) are not.
    levels = {"municipality", "bilateral", "cluster", "region", "country"}
    assert {r["level"] for r in rows} == levels
    for r in rows:
        assert r["suppressed"] in ("true", "false")
        if r["suppressed"] == "true":
            assert r["numerator"] == r["value"] == r["ci_low"] == r["std_value"] == ""
        if r["value"]:
            decimals = r["value"].partition(".")[2]
            assert len(decimals) <= 4 and "," not in r["value"]
    country = [r for r in rows if r["level"] == "country"]
    assert {r["unit_code"] for r in country} == {"DK"}
    assert {r["unit_name"] for r in country} == {"Danmark"}
    periods = {r["period"] for r in rows}
    assert {"2023", "2023-Q1", "2023-01"} <= periods


def test_suppression_hides_small_numerators_and_unsuppressed_shows_them(db, tmp_path):
    hidden, shown = tmp_path / "h.csv", tmp_path / "s.csv"
    _cli("indicators", "export", "--db", str(db), "--out", str(hidden))
    result = _cli("indicators", "export", "--db", str(db), "--out", str(shown), "--unsuppressed")
    assert "Advarsel" in result.output
    key = ("indicator_id", "period", "level", "unit_code", "stratum")
    plain = {tuple(r[k] for k in key): r for r in _csv_rows(shown)}
    published = {tuple(r[k] for k in key): r for r in _csv_rows(hidden)}
    # A denominator that is another indicator's numerator in the same unit and year
    # (catalogue v1.1: "denominators shared across periods or strata").
    shared = {b: (a, stratum) for a, stratum, b in SHARED_DENOMINATORS}
    n_suppressed = 0
    for k, r in published.items():
        raw = plain[k]
        assert raw["suppressed"] == "false"
        if 1 <= int(raw["numerator"]) <= 4:
            assert r["suppressed"] == "true"
        if r["suppressed"] == "true":
            n_suppressed += 1
            if r["denominator"] != raw["denominator"]:
                # not published only where it is that other indicator's hidden numerator
                a, stratum = shared[r["indicator_id"]]
                other = (a, r["period"][:4], r["level"], r["unit_code"], stratum)
                assert published[other]["suppressed"] == "true"
                assert r["denominator"] == ""
                assert plain[other]["numerator"] == raw["denominator"]
    assert n_suppressed > 0


@pytest.mark.parametrize("fmt", ["parquet", "json", "xlsx"])
def test_other_formats_hold_the_same_rows(db, tmp_path, fmt):
    base = tmp_path / "base.csv"
    _cli(
        "indicators",
        "export",
        "--db",
        str(db),
        "--out",
        str(base),
        "--indicator",
        "chronic_prevalence",
    )
    expected = _csv_rows(base)
    out = tmp_path / f"x.{fmt}"
    result = _cli(
        "indicators",
        "export",
        "--db",
        str(db),
        "--out",
        str(out),
        "--indicator",
        "chronic_prevalence",
    )
    assert result.exit_code == 0, result.output
    if fmt == "parquet":
        got = duckdb.sql(f"SELECT * FROM '{out}'").fetchall()
        assert len(got) == len(expected)
        assert tuple(duckdb.sql(f"SELECT * FROM '{out}'").columns) == EXPORT_COLUMNS
    elif fmt == "json":
        got = json.loads(out.read_text(encoding="utf-8"))
        assert len(got) == len(expected) and tuple(got[0]) == EXPORT_COLUMNS
        assert all(isinstance(r["suppressed"], bool) for r in got)
    else:
        from zipfile import ZipFile

        with ZipFile(out) as book:  # a real workbook: the sheet XML holds every row
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
        assert sheet.count("<row ") == len(expected) + 1


def test_export_filters_and_their_errors(db, tmp_path):
    out = tmp_path / "f.csv"
    result = _cli(
        "indicators",
        "export",
        "--db",
        str(db),
        "--out",
        str(out),
        "--indicator",
        "readmissions_30d_somatic",
        "--level",
        "region",
        "--period",
        "quarter",
    )
    assert result.exit_code == 0, result.output
    rows = _csv_rows(out)
    assert rows and all(r["period"][4:6] == "-Q" and r["level"] == "region" for r in rows)
    bad = _cli(
        "indicators",
        "export",
        "--db",
        str(db),
        "--out",
        str(tmp_path / "b.csv"),
        "--indicator",
        "no_such_thing",
    )
    assert bad.exit_code == 1 and "no_such_thing" in bad.output
    assert not (tmp_path / "b.csv").exists()
    bad = _cli(
        "indicators",
        "export",
        "--db",
        str(db),
        "--out",
        str(tmp_path / "b.csv"),
        "--period",
        "1999",
    )
    assert bad.exit_code == 1 and "1999" in bad.output


def test_export_without_results_says_what_to_run(tmp_path):
    result = _cli(
        "indicators",
        "export",
        "--db",
        str(tmp_path / "none.duckdb"),
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert result.exit_code == 1
    assert "indicators compute" in result.output


def test_show_prints_a_readable_table(db):
    result = _cli(
        "indicators", "show", "preventable_admissions_65plus", "--db", str(db), "--level", "region"
    )
    assert result.exit_code == 0, result.output
    assert "Region Syddanmark" in result.output
    assert "Forebyggelige indlæggelser" in result.output


def test_list_shows_the_catalogue():
    result = _cli("indicators", "list")
    assert result.exit_code == 0
    assert "preventable_admi" in result.output
