"""`tvaers agreement import|list|status|export`: the spec's JSON, all-or-nothing imports
whose errors name the entry, the same file twice changes nothing, and an export loads back
to the same agreement."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.web.agreement_world import AGREEMENT, agreement_file, write_results
from tvaers.agreements.status import JSON_KEYS
from tvaers.cli import app

runner = CliRunner()


@pytest.fixture
def places(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    write_results(warehouse)
    return {"db": str(warehouse), "app_db": f"sqlite:///{tmp_path / 'app.sqlite'}"}


def _run(places, *args):
    return runner.invoke(app, ["agreement", *args, "--app-db", places["app_db"]])


def test_import_status_list_and_export(places, tmp_path):
    path = agreement_file(tmp_path)
    first = _run(places, "import", str(path))
    assert first.exit_code == 0, first.output
    assert "target.created: 5" in first.output
    again = _run(places, "import", str(path))
    assert again.exit_code == 0 and "Intet ændret" in again.output
    listed = _run(places, "list", "--format", "json")
    assert [a["id"] for a in json.loads(listed.stdout)] == ["sa-test"]
    status = _run(places, "status", "sa-test", "--db", places["db"], "--format", "json")
    assert status.exit_code == 0, status.output
    rows = json.loads(status.stdout)
    assert all(list(r) == list(JSON_KEYS) for r in rows)
    assert len(rows) == 4 + 4  # four unit targets and a level target over four units
    met = next(r for r in rows if r["target"] == "t-met")
    assert (met["chart"], met["assurance"], met["variation"]) == ("pp", "met", "common_cause")
    hidden = next(r for r in rows if r["target"] == "t-level" and r["unit"] == "municipality:540")
    assert hidden["suppressed"] is True and hidden["latest_value"] is None
    text = _run(places, "status", "sa-test", "--db", places["db"])
    assert text.exit_code == 0 and "skjult" in text.output
    exported = tmp_path / "out.yaml"
    assert _run(places, "export", "sa-test", "--out", str(exported)).exit_code == 0
    back = _run(places, "import", str(exported))
    assert back.exit_code == 0 and "Intet ændret" in back.output, back.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                'indicator: readmissions_30d_somatic_65plus,\n                 unit: "municipality:550"',
                'indicator: x,\n                 unit: "municipality:550"',
            ),
            "visions[0].focus_areas[0].goals[0].targets[3] (t-short): ukendt indikator 'x'",
        ),
        (
            ('unit: "municipality:550"', 'unit: "municipality:9999"'),
            "visions[0].focus_areas[0].goals[0].targets[3] (t-short): enheden "
            "'municipality:9999' findes ikke",
        ),
        (
            ("value: 1.0", "value: en"),
            "visions[0].focus_areas[0].goals[0].targets[1] (t-missed): value: skal være et tal",
        ),
        (("national_goal: 2", "national_goal: 9"), "national_goal 9: vælg 1–8"),
        (('baseline: "2022-Q2"', 'baseline: "2022-05"'), "baseline '2022-05' er ikke en periode"),
    ],
)
def test_a_bad_entry_is_named_and_nothing_changes(places, tmp_path, change, message):
    assert _run(places, "import", str(agreement_file(tmp_path))).exit_code == 0
    broken = AGREEMENT.replace("name: Testaftale", "name: Ændret").replace(*change)
    assert broken != AGREEMENT.replace("name: Testaftale", "name: Ændret")
    result = _run(places, "import", str(agreement_file(tmp_path, broken, "broken.yaml")))
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert message in output and "intet er ændret" in output
    listed = json.loads(_run(places, "list", "--format", "json").stdout)
    assert listed[0]["name"] == "Testaftale"  # nothing changed


def test_status_errors_are_one_line(places, tmp_path):
    assert _run(places, "import", str(agreement_file(tmp_path))).exit_code == 0
    unknown = _run(places, "status", "nope", "--db", places["db"])
    assert unknown.exit_code == 2 and "ukendt aftale 'nope'" in unknown.output
    missing = _run(places, "status", "sa-test", "--db", str(tmp_path / "none.duckdb"))
    assert missing.exit_code == 2 and "tvaers indicators compute" in missing.output
