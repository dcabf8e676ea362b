"""Methods on the chronically ill (building block `b_chronic`: status on 1 January)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar

from tvaers.indicators.definitions import CONTACT_SECTORS, Blocks, Stratum, Texts
from tvaers.indicators.dialect import Dialect
from tvaers.indicators.fields import FieldError, Text, one_of
from tvaers.indicators.methods.base import Admission, Method, Population, population_line
from tvaers.indicators.methods.cells import (
    admission_filter,
    by_event_period,
    numerator,
    population_denominator,
    residents,
    year_cohort_rows,
)
from tvaers.sql import text_list

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Indicator

ANY = Stratum("any", Texts("Mindst én", "At least one"))
SECTOR_NAMES = {
    "gp": Texts("almen praksis", "general practice"),
    "hospital": Texts("hospital", "hospital"),
    "municipality": Texts("kommune", "municipality"),
}
NO_CONTACT = Stratum("none", Texts("ingen kontakt", "no contact"))


def _with_disease(cohort: str, disease: str | None = None) -> str:
    """The people of `cohort` (one row per person and year) with a chronic disease on
    1 January of the year (any of them, or `disease`)."""
    which = f" AND k.disease = '{disease}'" if disease else ""
    return f"""
        SELECT c.* FROM ({cohort}) c
        WHERE EXISTS (SELECT 1 FROM b_chronic k
                      WHERE k.person_no = c.person_no AND k.year = c.year{which})"""


class ChronicPrevalence(Method):
    """Residents with each disease of the building blocks, and with any of them, per
    resident: one stratum per disease, then `any`."""

    name: ClassVar[str] = "chronic_prevalence"
    population: Population

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        return (*(Stratum(d.id, d.name) for d in blocks.diseases), ANY)

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        cohort = residents(self.population.age_min)
        with_disease = f"""
            SELECT c.*, k.disease FROM ({cohort}) c
            JOIN b_chronic k ON k.person_no = c.person_no AND k.year = c.year"""
        by_disease = year_cohort_rows(ind, with_disease, ", c.disease")
        return (
            numerator(ind, by_disease, stratum="r.disease")
            + " UNION ALL "
            + numerator(ind, year_cohort_rows(ind, _with_disease(cohort)), stratum="'any'")
            + " UNION ALL "
            + population_denominator(ind, cohort)
        )

    def describe(self, ind: Indicator) -> list[str]:
        return [population_line(self.population)]


class ChronicAdmissions(Method):
    """Admissions starting in the period of people who had the disease on 1 January of the
    period's year (and lived in the municipality then), per such person."""

    name: ClassVar[str] = "chronic_admissions"
    population: Population
    admission: Admission
    disease: Text

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        if self.disease not in {d.id for d in blocks.diseases}:
            raise FieldError(
                "disease", f"ukendt sygdom {self.disease!r}", f"unknown {self.disease!r}"
            )
        return super().strata(blocks)

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        cohort = _with_disease(residents(self.population.age_min), self.disease)
        events = f"""
            SELECT c.municipality_code AS muni, c.sex, c.age, a.start_date
            FROM ({cohort}) c
            JOIN b_admissions a ON a.person_no = c.person_no AND year(a.start_date) = c.year
            WHERE {admission_filter(self.admission)}"""
        return (
            numerator(ind, by_event_period(events, "start_date", ind))
            + " UNION ALL "
            + population_denominator(ind, cohort)
        )

    def describe(self, ind: Indicator) -> list[str]:
        return [
            population_line(self.population),
            self.admission.describe(),
            f"- disease: `{self.disease}` (building blocks)",
        ]


def contact_combinations(sectors: list[str]) -> list[str]:
    """Every combination of sectors as the sorted names joined by `+`, then `none`."""
    combos = [
        "+".join(c) for r in range(1, len(sectors) + 1) for c in itertools.combinations(sectors, r)
    ]
    return [*sorted(combos), "none"]


class ChronicContactsBySector(Method):
    """The chronically ill by the exact combination of sectors they were in contact with
    in the year (`gp+hospital`, …, `none`), per chronically ill resident."""

    name: ClassVar[str] = "chronic_contacts_by_sector"
    population: Population
    sectors: Annotated[tuple[str, ...], one_of(CONTACT_SECTORS)]

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        out = []
        for combo in contact_combinations(sorted(self.sectors)):
            if combo == NO_CONTACT.id:
                out.append(NO_CONTACT)
                continue
            parts = [SECTOR_NAMES[s] for s in combo.split("+")]
            name = Texts(" + ".join(p.da for p in parts), " + ".join(p.en for p in parts))
            out.append(Stratum(combo, name))
        return tuple(out)

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        sectors = sorted(self.sectors)
        flags = ", ".join(
            f"max(CASE WHEN s.sector = '{s}' THEN 1 ELSE 0 END) AS has_{s}" for s in sectors
        )
        combination = (
            "concat_ws('+', "
            + ", ".join(f"CASE WHEN has_{s} = 1 THEN '{s}' END" for s in sectors)
            + ")"
        )
        cohort = _with_disease(residents(self.population.age_min))
        combos = f"""
            SELECT x.*, CASE WHEN {combination} = '' THEN 'none' ELSE {combination} END AS combo
            FROM (SELECT c.person_no, c.year, c.municipality_code, c.sex, c.age, {flags}
                  FROM ({cohort}) c
                  LEFT JOIN (SELECT * FROM b_sector_contacts
                             WHERE sector IN ({text_list(sectors)})) s
                    ON s.person_no = c.person_no AND s.year = c.year
                  GROUP BY c.person_no, c.year, c.municipality_code, c.sex, c.age) x"""
        return (
            numerator(ind, year_cohort_rows(ind, combos, ", c.combo"), stratum="r.combo")
            + " UNION ALL "
            + population_denominator(ind, cohort)
        )

    def describe(self, ind: Indicator) -> list[str]:
        return [population_line(self.population), f"- sectors: {', '.join(sorted(self.sectors))}"]
