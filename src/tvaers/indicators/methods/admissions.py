"""Methods counting admissions (building block `b_admissions`) against the population."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import Field

from tvaers.indicators.definitions import TOTAL, Blocks, Stratum
from tvaers.indicators.dialect import Dialect, has_prefix
from tvaers.indicators.fields import Number, Params, Text, TextPair
from tvaers.indicators.methods.base import (
    Admission,
    DiagnosisCodes,
    Method,
    Population,
    code_list,
    population_line,
)
from tvaers.indicators.methods.cells import (
    admission_filter,
    by_event_period,
    numerator,
    population_denominator,
    residents,
    year_cohort_rows,
)

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Indicator


class AgedAdmission(Admission):
    age_min: Number  # required here: the age at the stay's start


class DiagnosisGroup(Params):
    id: Text
    name: TextPair
    codes: DiagnosisCodes


class AdmissionsPerPopulation(Method):
    """Admissions starting in the period, at age ≥ age_min at the stay's start, with a stay
    diagnosis in one of the groups; attributed to the residence at the start. One stratum
    per diagnosis group; the total counts each admission once."""

    name: ClassVar[str] = "admissions_per_population"
    admission: AgedAdmission
    population: Population
    diagnosis_groups: Annotated[tuple[DiagnosisGroup, ...], Field(min_length=1)]

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        groups = [Stratum(g.id, g.name, g.codes) for g in self.diagnosis_groups]
        return (TOTAL, *groups)

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        spec = self.admission
        groups = [s for s in ind.strata if s.id]
        group_of = " ".join(
            f"WHEN {has_prefix('a.diagnosis', g.codes)} THEN '{g.id}'" for g in groups
        )
        all_codes = tuple(c for g in groups for c in g.codes)
        events = f"""
            SELECT a.muni_start AS muni, a.sex, a.age_start AS age, a.start_date,
                   CASE {group_of} END AS grp
            FROM b_admissions a
            WHERE {admission_filter(spec)} AND a.age_start >= {int(spec.age_min)}
              AND {has_prefix("a.diagnosis", all_codes)}"""
        rows = by_event_period(events, "start_date", ind)
        return (
            numerator(ind, rows)
            + " UNION ALL "
            + numerator(ind, rows, stratum="r.grp")
            + " UNION ALL "
            + population_denominator(ind, residents(self.population.age_min))
        )

    def describe(self, ind: Indicator) -> list[str]:
        lines = [population_line(self.population), self.admission.describe()]
        lines += ["", "| stratum | name | SKS prefixes |", "|---|---|---|"]
        lines += [
            f"| `{s.id}` | {s.name.en} / {s.name.da} | {code_list(s.codes)} |"
            for s in ind.strata
            if s.id
        ]
        return [*lines, ""]


class RepeatedAdmissions(Method):
    """Residents on 1 January with at least `min_admissions` admissions starting in the
    year, per resident."""

    name: ClassVar[str] = "repeated_admissions"
    population: Population
    admission: Admission
    min_admissions: Number

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        cohort = residents(self.population.age_min)
        heavy = f"""
            SELECT c.* FROM ({cohort}) c
            JOIN (SELECT a.person_no, year(a.start_date) AS year, count(*) AS n
                  FROM b_admissions a WHERE {admission_filter(self.admission)}
                  GROUP BY a.person_no, year(a.start_date)) n
              ON n.person_no = c.person_no AND n.year = c.year
            WHERE n.n >= {int(self.min_admissions)}"""
        return (
            numerator(ind, year_cohort_rows(ind, heavy))
            + " UNION ALL "
            + population_denominator(ind, cohort)
        )

    def describe(self, ind: Indicator) -> list[str]:
        return [
            population_line(self.population),
            self.admission.describe(),
            f"- at least {self.min_admissions} admissions in the year",
        ]
