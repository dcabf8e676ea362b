"""Methods as objects: a new indicator is a definition file plus, at most, one method class;
the method's parameters are checked when the catalogue loads, and the result set carries
the stratum names the readers show."""

from __future__ import annotations

import json
import shutil
from importlib.resources import files
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest

from tvaers import i18n
from tvaers.indicators import catalogue
from tvaers.indicators.methods import METHODS, Method
from tvaers.indicators.methods.base import Population
from tvaers.indicators.methods.cells import (
    numerator,
    population_denominator,
    residents,
    year_cohort_rows,
)
from tvaers.indicators.results import results_path

from .builder import Delivery, compute, export, ingest

SHIPPED = Path(str(files("tvaers") / "indicators" / "catalogue"))


def _catalogue_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(SHIPPED, target)
    return target


class DeathsPerPopulation(Method):
    """Residents on 1 January who die during the year, per resident (a method the catalogue
    does not ship: the test adds it the way a developer would)."""

    name: ClassVar[str] = "deaths_per_population"
    population: Population

    def cells(self, ind, dialect, extracted) -> str:
        cohort = residents(self.population.age_min)
        died = f"""
            SELECT c.* FROM ({cohort}) c JOIN in_persons p ON p.person_no = c.person_no
            WHERE year(p.death_date) = c.year"""
        return (
            numerator(ind, year_cohort_rows(ind, died))
            + " UNION ALL "
            + population_denominator(ind, cohort)
        )


DEATHS_YAML = """\
id: deaths_65plus
version: "1.0"
name: {da: "Døde blandt ældre", en: "Deaths among the elderly"}
description:
  da: Borgere på 65 år og derover den 1. januar, som dør i året, pr. 1.000 af dem.
  en: Residents aged 65 and over on 1 January who die during the year, per 1,000 of them.
numerator: {da: "døde", en: "deaths"}
denominator: {da: "borgere på 65+ den 1. januar", en: "residents aged 65+ on 1 January"}
factor: 1000
unit: {da: "pr. 1.000 borgere på 65+", en: "per 1,000 residents aged 65+"}
direction: lower_is_better
periods: [year]
method: deaths_per_population
population: {age_min: 65}
standardisation: null
source: Test.
"""


def test_a_new_indicator_is_a_definition_file_and_one_method_class(tmp_path, monkeypatch):
    monkeypatch.setitem(METHODS, DeathsPerPopulation.name, DeathsPerPopulation)
    directory = _catalogue_copy(tmp_path)
    (directory / "deaths_65plus.yaml").write_text(DEATHS_YAML, encoding="utf-8")
    monkeypatch.setenv("TVAERS_CATALOGUE_DIR", str(directory))
    d = Delivery()
    d.person("a", "1950-03-01", died="2023-06-01")  # 72 on 1 Jan, dies in 2023 -> counts
    d.person("b", "1950-03-01")  # 72, alive -> denominator only
    d.person("c", "1940-03-01", died="2022-12-31")  # died before 1 Jan -> not in either
    d.person("e", "1990-03-01", died="2023-02-01")  # 32: not in the cohort
    d.person("f", "1955-03-01", died="2024-02-01")  # 67, dies the next year -> denominator
    db = ingest(d, tmp_path)
    compute(db)
    r = export(db, tmp_path / "out.csv")
    # 540: deaths a = 1 of a, b, f = 3 residents aged 65+ -> 333.3 per 1,000.
    assert r.numerator("deaths_65plus", "540") == 1
    assert r.denominator("deaths_65plus", "540") == 3
    assert r.value("deaths_65plus", "540") == pytest.approx(333.3, abs=0.05)


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "danish"),
    [
        (  # a list of choices inside a section
            "readmissions_30d_somatic.yaml",
            "excluded_discharged_to: [hospice, other_hospital]",
            "excluded_discharged_to: [hospice, nowhere]",
            "index.excluded_discharged_to",
            "'nowhere' er ikke en af",
        ),
        (  # a whole section missing
            "acute_admissions_per_1000_copd.yaml",
            "admission: {priority: [acute], sector: [somatic]}",
            "",
            "admission",
            "feltet mangler",
        ),
        (  # a parameter checked against the building blocks
            "acute_admissions_per_1000_copd.yaml",
            "disease: copd",
            "disease: gout",
            "disease",
            "ukendt sygdom 'gout'",
        ),
        (  # an item of a list of mappings
            "preventable_admissions_65plus.yaml",
            '    name: {da: "Forstoppelse", en: "Constipation"}',
            '    name: {da: "Forstoppelse"}',
            "diagnosis_groups[1].name",
            "præcis da og en",
        ),
        (  # a yes/no where a number belongs
            "repeated_acute_admissions_65plus.yaml",
            "min_admissions: 3",
            "min_admissions: yes",
            "min_admissions",
            "skal være et tal",
        ),
    ],
)
def test_a_broken_method_parameter_names_file_and_field(
    tmp_path, monkeypatch, file, old, new, where, danish
):
    directory = _catalogue_copy(tmp_path)
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(i18n, "_language", "da")
    with pytest.raises(catalogue.CatalogueError) as info:
        catalogue.load(directory)
    assert str(info.value).startswith(f"{file}, {where}: ")
    assert danish in str(info.value)


def test_sector_combinations_are_named_in_both_languages():
    ind = catalogue.load(SHIPPED).get("chronic_contacts_by_sector")
    names = {s.id: (s.name.da, s.name.en) for s in ind.strata}
    assert names["gp+hospital+municipality"] == (
        "almen praksis + hospital + kommune",
        "general practice + hospital + municipality",
    )
    assert names["hospital"] == ("hospital", "hospital")
    assert names["none"] == ("ingen kontakt", "no contact")
    assert len(names) == 8  # 7 non-empty combinations of 3 sectors, and none


def test_the_result_set_publishes_stratum_names_and_descriptions(tmp_path):
    d = Delivery()
    d.person("p", "1950-03-01")
    db = ingest(d, tmp_path)
    compute(db)
    con = duckdb.connect(str(results_path(db)), read_only=True)
    names = {
        (i, s): (da, en)
        for i, s, da, en in con.execute(
            "SELECT indicator_id, stratum, name_da, name_en FROM strata"
        ).fetchall()
    }
    assert names[("preventable_admissions_65plus", "dehydration")] == (
        "Dehydrering",
        "Dehydration",
    )
    assert names[("chronic_prevalence", "copd")] == ("KOL", "COPD")
    assert names[("population", "")] == ("I alt", "Total")
    # every stratum an indicator's definition row lists has its name, in the same order
    for ind, listed in con.execute("SELECT indicator_id, strata FROM definitions").fetchall():
        ordered = con.execute(
            "SELECT stratum FROM strata WHERE indicator_id = ? ORDER BY position", [ind]
        ).fetchall()
        assert [s for (s,) in ordered] == json.loads(listed)
    da, en = con.execute(
        "SELECT description_da, description_en FROM definitions WHERE indicator_id = 'population'"
    ).fetchone()
    assert da == "Antal borgere med bopæl i enheden den 1. januar."
    assert en == "Number of residents of the unit on 1 January."


def test_every_method_is_listed_in_the_guide():
    guide = Path(__file__).parents[3] / "docs" / "indicators-guide.md"
    text = guide.read_text(encoding="utf-8")
    missing = [name for name in METHODS if f"| `{name}` |" not in text]
    assert not missing, f"docs/indicators-guide.md does not list the methods {missing}"
