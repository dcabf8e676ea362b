"""The engine on generated data: it agrees with the independent calibration measures of
tests/synth/calibration.py (written from the spec separately, on the raw files), and so with
what the generator was calibrated to.

About 36,000 people (the whole country at scale 0.006), 2019–2024, person_id key.
"""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import pytest
from typer.testing import CliRunner

from tests.indicators.disclosure_attack import attack, attack_result_file, published_rows
from tests.synth import calibration
from tvaers.cli import app
from tvaers.indicators import structure, suppression
from tvaers.indicators.compute import compute
from tvaers.indicators.results import open_results, read_run, results_path
from tvaers.sql import lit
from tvaers.synth.generate import generate

pytestmark = pytest.mark.slow
YEARS = range(2019, 2025)


@pytest.fixture(scope="module")
def generated_warehouse(tmp_path_factory):
    """The generated delivery and its warehouse, with the result set computed."""
    root = tmp_path_factory.mktemp("generated")
    delivery = root / "delivery"
    generate(
        delivery,
        region="all",
        scale=0.006,
        years=(2019, 2024),
        seed=11,
        fmt="parquet",
        person_key="person_id",
    )
    db = root / "tvaers.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(delivery), "--db", str(db)])
    assert result.exit_code == 0, result.output
    compute(db)
    return delivery, db


@pytest.fixture(scope="module")
def generated(generated_warehouse):
    delivery, db = generated_warehouse
    out = db.parent / "export.csv"
    result = CliRunner().invoke(
        app,
        [
            "indicators",
            "export",
            "--db",
            str(db),
            "--out",
            str(out),
            "--level",
            "country",
            "--period",
            "year",
            "--unsuppressed",
        ],
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as fh:
        rows = {(r["indicator_id"], r["period"], r["stratum"]): r for r in csv.DictReader(fh)}
    return calibration.open_delivery([delivery]), rows


def test_preventable_admissions_equal_the_independent_count(generated):
    con, rows = generated
    for year in YEARS:
        row = rows[("preventable_admissions_65plus", str(year), "")]
        assert int(row["numerator"]) == calibration.preventable_65plus(con, year)
        assert int(row["denominator"]) == calibration.residents(con, year, 65)


def test_preventable_admissions_sit_near_the_published_level(generated):
    _, rows = generated
    values = [float(rows[("preventable_admissions_65plus", str(y), "")]["value"]) for y in YEARS]
    # Published: about 72,000 a year, roughly 60 per 1,000 aged 65+.
    assert 45 <= sum(values) / len(values) <= 80


def test_readmissions_equal_the_independent_share(generated):
    con, rows = generated
    for year in YEARS[:-1]:  # the last year's December is provisional in both
        row = rows[("readmissions_30d_somatic_65plus", str(year), "")]
        share = calibration.readmission_share_65plus(con, year)
        assert float(row["value"]) == pytest.approx(100 * share, abs=1e-3)
        assert 12 <= float(row["value"]) <= 22  # published: 15–20 %


def test_chronic_prevalence_equals_the_independent_measure(generated):
    con, rows = generated
    year = 2024
    measured = calibration.chronic_prevalence(con, year)
    for disease in ("t1d", "t2d", "copd", "asthma"):
        row = rows[("chronic_prevalence", str(year), disease)]
        assert int(row["denominator"]) == measured["adults"]
        assert float(row["value"]) == pytest.approx(1000 * measured[disease], abs=1e-3)
    # Published: type 2 diabetes about 5 %, COPD 4–5 %, asthma about 8 % of adults.
    assert 35 <= float(rows[("chronic_prevalence", str(year), "t2d")]["value"]) <= 65
    assert 30 <= float(rows[("chronic_prevalence", str(year), "copd")]["value"]) <= 60
    assert 60 <= float(rows[("chronic_prevalence", str(year), "asthma")]["value"]) <= 100


def test_country_standardised_equals_crude(generated):
    _, rows = generated
    for (ind, _, _), row in rows.items():
        if row["std_value"]:
            assert float(row["std_value"]) == pytest.approx(float(row["value"]), rel=1e-6), ind


def test_population_equals_the_residents(generated):
    con, rows = generated
    for year in YEARS:
        assert int(rows[("population", str(year), "")]["numerator"]) == calibration.residents(
            con, year
        )


def test_the_attack_recovers_no_suppressed_cell(generated_warehouse):
    # Catalogue, disclosure control v1.1: no suppressed cell computable from the published
    # cells through the additive relations, alone or chained. The national shape: 98
    # municipalities, 22 clusters (København in two), 5 regions, months to years, strata.
    _, db = generated_warehouse
    found = attack_result_file(db)
    assert found.unknown > 1000  # small numbers are plentiful at this scale
    assert found.found == set()


def test_the_attack_recovers_cells_the_v1_rule_left_open(generated_warehouse):
    # The same result set under the old rule (complementary cells within each parent only):
    # the attack gets hidden cells back, with their true numbers, most of them 1–4.
    _, db = generated_warehouse
    con = duckdb.connect()
    with open_results(db) as src:
        dates = {k: date.fromisoformat(v) for k, v in read_run(src).structure_dates.items()}
    con.execute(f"ATTACH {lit(str(results_path(db)))} AS src (READ_ONLY)")
    con.execute("CREATE TABLE results AS SELECT * FROM src.results")
    con.execute("UPDATE results SET denominator = coalesce(denominator, hidden_denominator)")
    suppression.suppress_v1(con, structure.on_dates(dates))
    truth = {
        ("x", *key[:5]): key[5]
        for key in con.execute(
            "SELECT indicator_id, period, level, unit_code, stratum, numerator FROM results"
        ).fetchall()
    }
    got = attack(published_rows(con), dates)
    assert len(got.recovered) > 100
    assert all(truth[k] == pytest.approx(v) for k, v in got.recovered.items() if k[0] == "x")
    small = [k for k in got.recovered if k[0] == "x" and 1 <= truth[k] <= 4]
    assert len(small) > len(got.recovered) / 4


def test_stays_split_by_persons_give_the_same_results_and_a_stage_profile(
    generated_warehouse, tmp_path, monkeypatch
):
    """A whole country's stays do not fit in memory and are built in groups of persons
    (engine.groups_for); forcing three groups here must publish the very same result set,
    cell for cell. The run's stage profile names every step with its time and memory."""
    import json
    import shutil

    from tvaers.indicators import catalogue
    from tvaers.indicators.compute import stage_names
    from tvaers.indicators.engine import DuckDBEngine

    _, db = generated_warehouse
    copy = tmp_path / "tvaers.duckdb"
    shutil.copyfile(db, copy)
    asked = []

    def three_groups(self, count_sql, bytes_per_row):
        asked.append(count_sql)
        return 3

    monkeypatch.setattr(DuckDBEngine, "groups_for", three_groups)
    profile = tmp_path / "profile.json"
    result = CliRunner().invoke(
        app, ["indicators", "compute", "--db", str(copy), "--profile", str(profile)]
    )
    assert result.exit_code == 0, result.output
    assert asked, "the stays were not built in groups"
    columns = "* EXCLUDE (unit_name)"  # names are the same; keeps the comparison on numbers
    con = duckdb.connect()
    con.execute(f"ATTACH {lit(str(results_path(db)))} AS a (READ_ONLY)")
    con.execute(f"ATTACH {lit(str(results_path(copy)))} AS b (READ_ONLY)")
    for x, y in (("a", "b"), ("b", "a")):
        differing = con.execute(
            f"SELECT count(*) FROM (SELECT {columns} FROM {x}.results "
            f"EXCEPT ALL SELECT {columns} FROM {y}.results)"
        ).fetchone()[0]
        assert differing == 0
    doc = json.loads(profile.read_text(encoding="utf-8"))
    assert [s["name"] for s in doc["stages"]] == ["open", *stage_names(catalogue.load())]
    assert all(s["wall_seconds"] >= 0 and s["cpu_seconds"] >= 0 for s in doc["stages"])
    # Python with DuckDB and a result set in memory is never under 50 MB resident.
    assert all(s["peak_rss_bytes"] > 50 * 2**20 for s in doc["stages"])
    assert (
        abs(sum(s["wall_seconds"] for s in doc["stages"]) - doc["seconds"])
        < 0.2 * doc["seconds"] + 1
    )
