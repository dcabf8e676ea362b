"""Stratum names and indicator descriptions on the pages come from the published result set
(the definitions the numbers were computed from), never from the live catalogue."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

PREVENTABLE = "/indicators/preventable_admissions_65plus"


def _republish(results, sql: str) -> None:
    """Publish a changed copy of the result file over it, as compute publishes."""
    work = results.with_name("next-" + results.name)
    shutil.copyfile(results, work)
    con = duckdb.connect(str(work))
    con.execute(sql)
    con.execute("UPDATE run SET value = '\"2031-01-01T00:00:00+01:00\"' WHERE key = 'computed_at'")
    con.close()
    os.replace(work, results)


def _strata(client) -> dict[str, str]:
    data = client.get(f"{PREVENTABLE}.json").json()
    return {s["id"]: s["name"] for s in data["indicator"]["strata"]}


def test_names_and_description_are_the_published_ones(analyst, with_results, monkeypatch):
    # A catalogue that cannot be read: a page that still reloaded it would lose its names.
    monkeypatch.setenv("TVAERS_CATALOGUE_DIR", "/nonexistent/catalogue")
    assert _strata(analyst)["dehydration"] == "Dehydrering"
    _republish(
        with_results,
        "UPDATE strata SET name_da = 'Væskemangel' WHERE stratum = 'dehydration';"
        "UPDATE definitions SET description_da = 'Udgivet beskrivelse.' "
        "WHERE indicator_id = 'preventable_admissions_65plus'",
    )
    data = analyst.get(f"{PREVENTABLE}.json").json()
    names = {s["id"]: s["name"] for s in data["indicator"]["strata"]}
    assert names["dehydration"] == "Væskemangel"
    assert names[""] == "I alt"
    assert data["indicator"]["description"] == "Udgivet beskrivelse."
    page = analyst.get(f"{PREVENTABLE}?stratum=dehydration").text
    assert "Væskemangel" in page


def test_a_result_file_from_before_published_names_shows_stratum_ids(analyst, with_results):
    _republish(with_results, "DROP TABLE strata")
    names = _strata(analyst)
    assert names["dehydration"] == "dehydration"
    assert names[""] == "I alt"
