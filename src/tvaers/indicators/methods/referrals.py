"""Methods on referrals to municipal offers (the contract's `referrals`, transitions.md)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar

from tvaers.indicators.definitions import CONTACT_SECTORS, TOTAL, Blocks, Stratum, Texts
from tvaers.indicators.dialect import Dialect, age
from tvaers.indicators.fields import FieldError, Number, Text, one_of
from tvaers.indicators.methods.base import Method, Population, population_line
from tvaers.indicators.methods.cells import (
    by_event_period,
    numerator,
    population_denominator,
    residents,
    year_cohort_rows,
)
from tvaers.indicators.methods.transitions import flag_cells
from tvaers.sql import text_list
from tvaers.warehouse.contract import MUNICIPAL_SERVICES

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Indicator

Services = Annotated[tuple[str, ...], one_of(MUNICIPAL_SERVICES)]
FROM_PREFIX = "from_"  # the referring-sector strata: from_hospital, from_gp, from_municipality
SERVICE_NAMES = {
    "home_care_personal": Texts("personlig pleje", "personal care"),
    "home_care_practical": Texts("praktisk hjælp", "practical help"),
    "home_nursing": Texts("hjemmesygepleje", "home nursing"),
    "acute_nursing": Texts("akutsygepleje", "acute nursing"),
    "rehabilitation": Texts("genoptræning", "rehabilitation"),
    "reablement": Texts("rehabiliteringsforløb", "reablement"),
    "temporary_bed": Texts("midlertidig plads", "temporary bed"),
    "nursing_home": Texts("plejebolig", "nursing home"),
    "prevention": Texts("forebyggelse", "prevention"),
    "smoking_cessation": Texts("rygestop", "smoking cessation"),
    "patient_education": Texts("patientuddannelse", "patient education"),
    "outreach_team": Texts("udgående team", "outreach team"),
}
SECTOR_NAMES = {
    "hospital": Texts("henvist fra hospital", "referred by a hospital"),
    "gp": Texts("henvist fra almen praksis", "referred by general practice"),
    "municipality": Texts("henvist fra kommunen", "referred by the municipality"),
}


class ReferralUptake(Method):
    """Referrals referred in the period, and whether the offer started within
    `within_days` of the referral date. Referrals less than `within_days` before the
    extraction date are left out (counted as provisional). Attributed to the referral's
    municipality (the one offering the service). Strata: each service, and the referring
    sector (`from_…`); each family partitions the total."""

    name: ClassVar[str] = "referral_uptake"
    services: Services
    from_sectors: Annotated[tuple[str, ...], one_of(CONTACT_SECTORS)]
    within_days: Number

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        services = [Stratum(s, SERVICE_NAMES[s]) for s in self.services]
        sectors = [Stratum(FROM_PREFIX + s, SECTOR_NAMES[s]) for s in self.from_sectors]
        return (TOTAL, *services, *sectors)

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        days = int(self.within_days)
        waited = dialect.days_between("f.referred_on", "f.started_on")
        to_extraction = dialect.days_between("f.referred_on", f"DATE '{extracted.isoformat()}'")
        flagged = f"""
            SELECT f.municipality_code AS muni, p.sex,
                   {age("p.birth_date", "f.referred_on")} AS age, f.referred_on,
                   f.service, f.from_sector,
                   CASE WHEN {to_extraction} < {days} THEN 1 ELSE 0 END AS prov,
                   CASE WHEN f.started_on IS NOT NULL AND {waited} <= {days}
                        THEN 1 ELSE 0 END AS started
            FROM in_referrals f JOIN in_persons p ON p.person_no = f.person_no
            WHERE f.service IN ({text_list(self.services)})
              AND f.from_sector IN ({text_list(self.from_sectors)})"""
        rows = by_event_period(flagged, "referred_on", ind)
        parts = [
            f"""SELECT r.period, r.muni, r.sex, r.age, {stratum} AS stratum,
                       r.started * (1 - r.prov) AS num, 1 - r.prov AS den, r.prov
                FROM ({rows}) r"""
            for stratum in ("''", "r.service", f"'{FROM_PREFIX}' || r.from_sector")
        ]
        return flag_cells(ind, " UNION ALL ".join(parts))

    def describe(self, ind: Indicator) -> list[str]:
        return [
            f"- services: {', '.join(self.services)}; referring sectors: "
            f"{', '.join(self.from_sectors)}",
            f"- taken up: `started_on` at most {self.within_days} days after `referred_on`",
            f"- left out: referred less than {self.within_days} days before the extraction "
            "date (provisional)",
        ]


class ChronicReferral(Method):
    """Residents with the disease on 1 January, and those of them referred to the service
    in the year."""

    name: ClassVar[str] = "chronic_referral"
    population: Population
    disease: Text
    service: Annotated[tuple[str, ...], one_of(MUNICIPAL_SERVICES)]

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        if self.disease not in {d.id for d in blocks.diseases}:
            raise FieldError(
                "disease", f"ukendt sygdom {self.disease!r}", f"unknown {self.disease!r}"
            )
        return super().strata(blocks)

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        cohort = f"""
            SELECT c.* FROM ({residents(self.population.age_min)}) c
            WHERE EXISTS (SELECT 1 FROM b_chronic k WHERE k.person_no = c.person_no
                          AND k.year = c.year AND k.disease = '{self.disease}')"""
        referred = f"""
            SELECT c.* FROM ({cohort}) c
            WHERE EXISTS (SELECT 1 FROM in_referrals f WHERE f.person_no = c.person_no
                          AND year(f.referred_on) = c.year
                          AND f.service IN ({text_list(self.service)}))"""
        return (
            numerator(ind, year_cohort_rows(ind, referred))
            + " UNION ALL "
            + population_denominator(ind, cohort)
        )

    def describe(self, ind: Indicator) -> list[str]:
        return [
            population_line(self.population),
            f"- disease: `{self.disease}` (building blocks) on 1 January",
            f"- numerator: referred to {', '.join(self.service)} in the year",
        ]
