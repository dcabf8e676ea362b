"""`tvaers spc chart` and `tvaers spc indicator`: outputs and one-line errors with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tvaers.cli import app
from tvaers.indicators.results import results_path
from tvaers.indicators.rollup import RESULTS_DDL

runner = CliRunner()

ORDERS_D = [12, 8, 6, 9, 10, 12, 11, 16, 10, 6, 20, 15, 9, 8, 6, 8, 10, 7, 5, 8, 5, 8, 10, 6, 9]
ORDERS_N = [100, 80, 80, 100, 110, 110, 100, 100, 90, 90, 110, 120, 120,
            120, 110, 80, 80, 80, 90, 100, 100, 100, 100, 90, 90]  # fmt: skip


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    lines = ["x,y,n,note"] + [
        f"2024-{i + 1:02d},{d},{n},"
        for i, (d, n) in enumerate(zip(ORDERS_D, ORDERS_N, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(*args: str):
    return runner.invoke(app, ["spc", *args])


def test_chart_json_matches_the_spec_example(orders: Path) -> None:
    result = _run("chart", str(orders), "--chart", "p")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["chart"], doc["multiply"], doc["screen_mr"]) == ("p", 1, True)
    first = doc["points"][0]
    assert (first["x"], first["y"], first["n"], first["value"]) == ("2024-01", 12, 100, 0.12)
    assert first["cl"] == pytest.approx(0.0955, abs=5e-5)
    assert first["lcl"] == pytest.approx(0.0073, abs=5e-5)
    assert first["ucl"] == pytest.approx(0.1837, abs=5e-5)
    part = doc["parts"][0]
    assert (part["n_obs"], part["n_useful"], part["longest_run"], part["longest_run_max"]) == (
        25,
        25,
        5,
        8,
    )
    assert (part["n_crossings"], part["n_crossings_min"], part["sigma_signals"]) == (10, 8, 1)
    assert doc["verdict"]["text"] == "tegn på reel ændring – en stigning"


def test_chart_options_and_csv_output(orders: Path, tmp_path: Path) -> None:
    out = tmp_path / "points.csv"
    result = _run("chart", str(orders), "--chart", "pp", "--part", "12", "--exclude", "3,4",
                  "--no-screen-mr", "--multiply", "100", "--format", "csv", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "x,y,n,value,cl,lcl,ucl,part,base,excluded,sigma_signal,note"
    assert len(lines) == 26
    row3 = lines[3].split(",")
    assert row3[0] == "2024-03" and row3[7:10] == ["1", "false", "true"]
    assert lines[13].split(",")[7] == "2"
    assert float(lines[1].split(",")[3]) == pytest.approx(12.0)  # multiplied by 100


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_chart_images(orders: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"chart.{fmt}"
    result = _run("chart", str(orders), "--chart", "p", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "svg":
        text = data.decode("utf-8")
        assert text.lstrip().startswith("<svg") and "0,18" in text  # decimal comma on the axis
        assert "P-kort (andele)" in text
    else:
        assert data[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("x,n\na,1\n", [], "kolonnen 'y' mangler"),
        ("x,y\na,1\nb,abc\n", [], "række 2 (linje 3), kolonne 'y': 'abc' er ikke et tal"),
        (
            "x,y,n\na,1,0\n",
            ["--chart", "p"],
            "række 1 (linje 2), kolonne 'n': nævneren skal være over 0",
        ),
        ("x,y\na,1\n", ["--chart", "u"], "--chart u kræver kolonnen 'n'"),
        ("x,y,n\na,5,4\n", ["--chart", "p"], "tælleren (5) er større end nævneren (4)"),
        ("x,y\na,1\nb,2\n", ["--freeze", "3"], "--freeze 3: punktet findes ikke"),
        ("x,y\na,1\nb,2\n", ["--exclude", "1,x"], "--exclude 1,x: 'x' er ikke et heltal"),
        ("x,y\na,1\nb,2\n", ["--part", "2"], "--part 2: punktet findes ikke"),
        ("x,y\na,1\n", ["--chart", "xbar"], "--chart xbar: ukendt diagramtype"),
        ("x,y\na,1\n", ["--format", "pdf"], "--format pdf"),
        ("x,y\n", [], "ingen datarækker"),
    ],
)
def test_errors_are_one_line_and_exit_2(tmp_path: Path, content, args, message) -> None:
    path = tmp_path / "in.csv"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out.json"
    result = _run("chart", str(path), *args, "--out", str(out))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert not out.exists()  # never a partial write


def test_semicolon_file_with_decimal_comma(tmp_path: Path) -> None:
    path = tmp_path / "dk.csv"
    path.write_text("x;y\nuge 1;1,5\nuge 2;2,5\nuge 3;\n", encoding="utf-8")
    doc = json.loads(_run("chart", str(path), "--chart", "i").stdout)
    assert [p["y"] for p in doc["points"]] == [1.5, 2.5, None]
    assert doc["points"][0]["cl"] == 2


def _results(db: Path, rows: list[tuple]) -> None:
    con = duckdb.connect(str(results_path(db)))
    con.execute(RESULTS_DDL.format(name="results"))
    con.executemany(
        "INSERT INTO results VALUES (?, ?, 'month', 'municipality', '0461', 'Odense', ?, ?, ?, "
        "?, NULL, NULL, NULL, NULL, NULL, ?, NULL, FALSE, NULL)",
        rows,
    )
    con.execute("CREATE TABLE run (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute(
        """CREATE TABLE definitions (indicator_id VARCHAR PRIMARY KEY, version VARCHAR,
           name_da VARCHAR, name_en VARCHAR, unit_da VARCHAR, unit_en VARCHAR, factor INTEGER,
           direction VARCHAR, standardised BOOLEAN, periods VARCHAR, strata VARCHAR)"""
    )
    con.execute(
        "INSERT INTO definitions VALUES ('readm', '1.0', 'Genindlæggelser', 'Readmissions', "
        "'procent', 'per cent', 100, 'lower_is_better', FALSE, 'year,quarter,month', '[]')"
    )
    con.close()


def test_indicator_series_treats_a_suppressed_cell_as_missing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    numerators = [20, 22, 3, 21, 19, 20, 21, 22, 20, 19, 21, 20]  # 3 is suppressed (1–4)
    _results(db, [
        ("readm", f"2024-{m:02d}", "", float(x), 100, x / 100 * 100, x == 3)
        for m, x in zip(range(1, 13), numerators, strict=True)
    ])  # fmt: skip
    result = _run("indicator", "readm", "--unit", "municipality:0461", "--db", str(db))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    third = doc["points"][2]
    assert third["x"] == "2024-03" and third["y"] is None and third["value"] is None
    assert doc["chart"] == "run" and doc["multiply"] == 100
    # median of the 11 shown values in per cent: 20, 22, 21, 19, 20, 21, 22, 20, 19, 21, 20 → 20
    assert doc["parts"][0]["cl"] == pytest.approx(20)
    assert doc["parts"][0]["n_obs"] == 12
    assert doc["indicator"]["direction"] == "lower_is_better"

    laney = _run("indicator", "readm", "--unit", "municipality:0461", "--chart", "pp",
                 "--db", str(db))  # fmt: skip
    assert laney.exit_code == 0, laney.output
    # CL from the shown cells only: 225 / 1100
    assert json.loads(laney.stdout)["parts"][0]["cl"] == pytest.approx(225 / 1100 * 100)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "0461"], "--unit 0461: skriv NIVEAU:KODE"),
        (["--unit", "municipality:9999"], "ingen resultater"),
        (["--unit", "municipality:0461", "--stratum", "k"], "--stratum 'k'"),
        (["--unit", "municipality:0461", "--period", "week"], "--period week"),
        (["--unit", "municipality:0461", "--freeze", "40"], "--freeze 40"),
    ],
)
def test_indicator_errors(tmp_path: Path, args, message) -> None:
    db = tmp_path / "w.duckdb"
    _results(db, [("readm", f"2024-{m:02d}", "", 20.0, 100, 20.0, False) for m in range(1, 13)])
    result = _run("indicator", "readm", *args, "--db", str(db))
    assert result.exit_code == 2, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_indicator_without_results(tmp_path: Path) -> None:
    result = _run("indicator", "readm", "--unit", "municipality:0461", "--db",
                  str(tmp_path / "none.duckdb"))  # fmt: skip
    assert result.exit_code == 2 and "tvaers indicators compute" in result.output
