"""The warehouse commands as a user runs them: output, exit codes, languages."""

from __future__ import annotations

import stat

from typer.testing import CliRunner

from tvaers.cli import app

runner = CliRunner()


def test_ingest_then_info(example, db):
    result = runner.invoke(app, ["ingest", str(example.path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "34 rækker indlæst + 0 i karantæne = 34 leveret" in " ".join(result.output.split())
    again = runner.invoke(app, ["ingest", str(example.path), "--db", str(db)])
    assert again.exit_code == 0 and "allerede indlæst" in again.output
    info = runner.invoke(app, ["db", "info", "--db", str(db)])
    assert info.exit_code == 0
    assert "hospital_contacts" in info.output and "2023-02-03" in info.output


def test_rejected_delivery_exits_non_zero_and_explains(example, db, tmp_path):
    example.set("persons", 1, "sex", "K")
    result = runner.invoke(
        app, ["ingest", str(example.path), "--db", str(db), "--report-dir", str(tmp_path / "r")]
    )
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "not_in_list" in text and "afvist" in text
    assert (tmp_path / "r" / "errors.csv").exists()
    assert not db.exists()


def test_quarantine_mode_says_what_happened(example, db, tmp_path):
    example.set("persons", 1, "sex", "K")
    result = runner.invoke(
        app,
        [
            "ingest",
            str(example.path),
            "--db",
            str(db),
            "--on-error",
            "quarantine",
            "--report-dir",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 0, result.output
    # person 1 and the 15 rows that depend on it
    assert "18 rækker indlæst + 16 i karantæne = 34 leveret" in " ".join(result.output.split())


def test_english_texts(example, db):
    example.set("persons", 1, "sex", "K")
    result = runner.invoke(app, ["--lang", "en", "ingest", str(example.path), "--db", str(db)])
    assert result.exit_code == 1
    assert "The delivery is rejected" in " ".join(result.output.split())


def test_missing_key_is_a_clear_refusal(example, db, monkeypatch):
    monkeypatch.delenv("TVAERS_SECRET_KEY")
    result = runner.invoke(app, ["ingest", str(example.path), "--db", str(db)])
    assert result.exit_code == 1
    assert "tvaers keys init" in " ".join(result.output.split())


def test_keys_init(tmp_path):
    path = tmp_path / "k" / "pseudonym.key"
    result = runner.invoke(app, ["keys", "init", "--key-file", str(path)])
    assert result.exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() not in result.output
    assert runner.invoke(app, ["keys", "init", "--key-file", str(path)]).exit_code == 1


def test_info_without_warehouse(tmp_path):
    result = runner.invoke(app, ["db", "info", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "findes ikke" in result.output


def test_info_json_lists_deliveries_tables_and_periods(example, db):
    import json

    assert runner.invoke(app, ["ingest", str(example.path), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["db", "info", "--db", str(db), "--json"])
    assert result.exit_code == 0
    info = json.loads(result.output)
    assert info["deliveries"][0]["source"].startswith("Eksempel")
    assert info["deliveries"][0]["extracted_at"] == "2025-02-01"
    per_table = {t["table"]: t for t in info["delivery_tables"]}
    assert per_table["hospital_contacts"]["loaded"] == 6
    assert per_table["hospital_contacts"]["period_from"] == "2023-02-03"
    assert per_table["hospital_contacts"]["period_to"] == "2024-01-20"
    totals = {t["table"]: t for t in info["tables"]}
    assert totals["persons"]["rows"] == 5 and totals["residence"]["persons"] == 5


def test_warehouse_of_another_schema_version_is_refused(example, db):
    import duckdb

    assert runner.invoke(app, ["ingest", str(example.path), "--db", str(db)]).exit_code == 0
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    info = runner.invoke(app, ["db", "info", "--db", str(db)])
    assert info.exit_code == 1 and "skemaversion 0" in " ".join(info.output.split())
    example.meta(extracted_at="2025-03-01")
    again = runner.invoke(app, ["ingest", str(example.path), "--db", str(db)])
    assert again.exit_code == 1 and "skemaversion 0" in " ".join(again.output.split())
