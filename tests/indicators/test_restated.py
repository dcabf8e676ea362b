"""An indicator export restated to the structures of 2027 adds up (governance spec "Units",
catalogue "Aggregation above the municipality"): `tvaers indicators compute
--structure-date 2027-01-01`, then `tvaers indicators export`.

Generated data for the whole country (scale 0.002, about 12,000 people, 2022–2024). The
memberships below are written out from the governance spec, not read from the code.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict

import duckdb
import pytest
from typer.testing import CliRunner

from tests.indicators.disclosure_attack import attack_result_file
from tvaers.cli import app
from tvaers.indicators.export import EXPORT_COLUMNS
from tvaers.indicators.results import results_path
from tvaers.synth.generate import generate

pytestmark = pytest.mark.slow

# Region Hovedstaden (29) and Region Sjælland (17): Region Østdanmark's 46 municipalities.
HOVEDSTADEN = "101 147 151 153 155 157 159 161 163 165 167 169 173 175 183 185 187 190 201 210"
HOVEDSTADEN += " 217 219 223 230 240 250 260 270 400"
SJAELLAND = "253 259 265 269 306 316 320 326 329 330 336 340 350 360 370 376 390"
OSTDANMARK = (*HOVEDSTADEN.split(), *SJAELLAND.split())
FYN = ("461", "420", "430", "440", "450", "479", "480", "482", "492", "410")
AMAGER_VESTEGNEN = ("165", "153", "155", "161", "167", "169", "183", "185", "187")
OSTDANMARK_CODE = "1086"  # the declared code (reference data: new_regions.csv)


def _cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def restated(tmp_path_factory):
    root = tmp_path_factory.mktemp("restated")
    generate(
        root / "delivery",
        region="all",
        scale=0.002,
        years=(2022, 2024),
        seed=27,
        fmt="parquet",
        person_key="person_id",
    )
    db = root / "tvaers.duckdb"
    _cli("ingest", str(root / "delivery"), "--db", str(db))
    _cli("indicators", "compute", "--db", str(db), "--structure-date", "2027-01-01")
    out = root / "all.csv"
    _cli("indicators", "export", "--db", str(db), "--out", str(out), "--unsuppressed")
    return db, _rows(out)


def _by_unit(rows):
    """(indicator, period, stratum) -> (level, unit) -> row."""
    found: dict[tuple, dict[tuple, dict]] = defaultdict(dict)
    for r in rows:
        found[(r["indicator_id"], r["period"], r["stratum"])][(r["level"], r["unit_code"])] = r
    return found


def _number(row, column: str) -> float:
    return float(row[column]) if row and row[column] else 0.0


def test_the_run_records_2027_for_every_level(restated):
    db = restated[0]
    con = duckdb.connect(str(results_path(db)), read_only=True)
    run = dict(con.execute("SELECT key, value FROM run").fetchall())
    dates = json.loads(run["structure_dates"])
    assert dates == dict.fromkeys(("bilateral", "cluster", "sundhedsraad", "region"), "2027-01-01")


def test_the_export_holds_the_2027_levels_with_the_contract_columns(restated):
    _db, rows = restated
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert {r["level"] for r in rows} == {
        "municipality",
        "bilateral",
        "sundhedsraad",
        "region",
        "country",
    }  # no clusters: they end on 31 December 2026
    units = {(r["level"], r["unit_code"]): r["unit_name"] for r in rows}
    assert {c for lv, c in units if lv == "region"} == {"1081", "1082", "1083", OSTDANMARK_CODE}
    assert units[("region", OSTDANMARK_CODE)] == "Region Østdanmark"
    assert {c for lv, c in units if lv == "sundhedsraad"} == {"fyn", "amager-og-vestegnen"}
    assert units[("sundhedsraad", "fyn")] == "Sundhedsråd Fyn"
    assert len({c for lv, c in units if lv == "bilateral"}) == 9


@pytest.mark.parametrize(
    ("level", "code", "members", "count"),
    [
        ("region", OSTDANMARK_CODE, OSTDANMARK, 46),
        ("sundhedsraad", "fyn", FYN, 10),
        ("sundhedsraad", "amager-og-vestegnen", AMAGER_VESTEGNEN, 9),
    ],
)
def test_a_restated_unit_is_the_sum_of_its_municipalities(restated, level, code, members, count):
    _db, rows = restated
    assert len(set(members)) == count
    checked = 0
    for key, cells in _by_unit(rows).items():
        unit = cells.get((level, code))
        if unit is None:
            continue
        for column in ("numerator", "denominator"):
            total = sum(_number(cells.get(("municipality", m)), column) for m in members)
            assert _number(unit, column) == pytest.approx(total), (key, column)
        checked += 1
    assert checked > 100  # every indicator, period and stratum


def test_a_bilateral_row_is_its_municipality_row(restated):
    _db, rows = restated
    for key, cells in _by_unit(rows).items():
        aero, bilateral = (
            cells.get(("municipality", "492")),
            cells.get(("bilateral", "syddanmark-aero")),
        )
        assert (aero is None) == (bilateral is None), key
        if aero:
            for column in ("numerator", "denominator", "value", "std_value"):
                assert aero[column] == bilateral[column], (key, column)


def test_the_level_filter_takes_the_new_levels(restated, tmp_path):
    db = restated[0]
    out = tmp_path / "councils.csv"
    _cli("indicators", "export", "--db", str(db), "--out", str(out), "--level", "sundhedsraad")
    assert {r["level"] for r in _rows(out)} == {"sundhedsraad"}
    result = CliRunner().invoke(
        app, ["indicators", "export", "--db", str(db), "--out", str(out), "--level", "raad"]
    )
    assert result.exit_code != 0
    assert "sundhedsraad" in result.output and "Traceback" not in result.output


def test_the_attack_recovers_no_cell_of_the_restated_set(restated):
    # With the sundhedsråd, the bilaterals and Region Østdanmark among the published cells.
    db = restated[0]
    found = attack_result_file(db)
    assert found.unknown > 100
    assert found.found == set()
