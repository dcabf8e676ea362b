"""`tvaers transitions stays` on the hand-made transitions cases: the stays as the
building block gives them, pseudonymised, only for an operator or an analyst (an analyst
gets the people of their scope), every extract audited."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tests.indicators.handmade import transitions_cases as cases
from tests.indicators.handmade.builder import ingest
from tvaers.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("stays")
    db = ingest(cases.build(), tmp)
    app_db = f"sqlite:///{tmp}/app.sqlite"
    for user, role, scope in (
        ("ops", "admin", "country:DK"),
        ("ana", "analyst", "municipality:153"),
        ("eve", "viewer", "country:DK"),
    ):
        result = runner.invoke(
            app,
            [
                "users",
                "add",
                user,
                "--role",
                role,
                "--scope",
                scope,
                "--password-stdin",
                "--app-db",
                app_db,
            ],
            input="a long enough password 123\n",
        )
        assert result.exit_code == 0, result.output
    return {"db": str(db), "app_db": app_db, "tmp": str(tmp)}


def _stays(places, user: str, name: str, fmt: str = "csv"):
    out = Path(places["tmp"]) / name
    args = [
        "transitions",
        "stays",
        "--db",
        places["db"],
        "--out",
        str(out),
        "--user",
        user,
        "--app-db",
        places["app_db"],
        "--format",
        fmt,
    ]
    return runner.invoke(app, args), out


def test_an_operator_gets_every_stay(places):
    result, out = _stays(places, "ops", "all.csv")
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "person_key",
        "episode_ids",
        "admitted_at",
        "ended_at",
        "end_kind",
        "class",
        "leave_days",
    ]
    by_person: dict[str, list[dict]] = {}
    for r in rows:
        by_person.setdefault(r["person_key"], []).append(r)
    # The transfer: one stay of two episodes (the episode ids as delivered), inpatient.
    (p06,) = by_person["P06"]
    assert p06["episode_ids"] == "P06-E1,P06-E2"
    assert p06["admitted_at"].startswith("2023-05-01 08:00:00")
    assert p06["ended_at"].startswith("2023-05-04 12:00:00")
    assert (p06["end_kind"], p06["class"]) == ("discharge", "inpatient")
    # 36 hours of leave are 1.5 days; the cancelled discharge leaves P03's stay open; the
    # voided episode of P22 is no stay at all.
    assert [r["leave_days"] for r in by_person["P21"]] == ["0.0", "1.5"]
    assert by_person["P03"][0]["ended_at"] == "" and by_person["P03"][0]["end_kind"] == ""
    assert "P22" not in by_person
    # Pseudonyms only: the warehouse's person keys, nothing else that names a person.
    assert set(by_person) <= {f"P{n:02d}" for n in range(1, 50)}


def test_an_analyst_gets_the_stays_of_their_scope_and_it_is_audited(places):
    result, out = _stays(places, "ana", "scope.parquet", "parquet")
    assert result.exit_code == 0, result.output
    people = duckdb.sql(f"SELECT DISTINCT person_key FROM '{out}'").fetchall()
    assert people == [("P06",)]  # the only person living in 153
    from sqlalchemy import create_engine, text

    engine = create_engine(places["app_db"])
    with engine.connect() as con:
        actions = con.execute(
            text("SELECT actor, action FROM audit_log WHERE action = 'stays_exported'")
        ).fetchall()
    engine.dispose()
    assert ("ana", "stays_exported") in [tuple(a) for a in actions]


def test_a_viewer_may_not(places):
    result, out = _stays(places, "eve", "no.csv")
    assert result.exit_code != 0
    assert "må ikke" in result.output or "may not" in result.output
    assert not out.exists()
