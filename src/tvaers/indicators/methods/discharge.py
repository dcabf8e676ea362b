"""Ready-for-discharge days: hospital contacts that outlast the end of treatment."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from tvaers.indicators.blocks import residence_at
from tvaers.indicators.dialect import Dialect, age, local_date
from tvaers.indicators.fields import Params
from tvaers.indicators.methods.base import Method, Sectors
from tvaers.indicators.methods.cells import (
    by_event_period,
    numerator,
    population_denominator,
    residents,
)
from tvaers.sql import text_list

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Indicator


class Contacts(Params):
    sector: Sectors


class ReadyForDischargeDays(Method):
    """Days from the ready-for-discharge date to the end date of contacts ending in the
    period, per resident; attributed to the residence at the contact's end."""

    name: ClassVar[str] = "ready_for_discharge_days"
    contacts: Contacts

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        contacts = f"""
            SELECT c.person_no, {local_date("c.end_ts")} AS end_date,
                   {local_date("c.ready_ts")} AS ready_date
            FROM in_contacts c
            WHERE c.sector IN ({text_list(self.contacts.sector)})
              AND c.ready_ts IS NOT NULL AND c.end_ts IS NOT NULL"""
        events = f"""
            SELECT r.municipality_code AS muni, p.sex, {age("p.birth_date", "c.end_date")} AS age,
                   c.end_date, {dialect.days_between("c.ready_date", "c.end_date")} AS days
            FROM ({contacts}) c JOIN in_persons p ON p.person_no = c.person_no
            {residence_at("r", "c.person_no", "c.end_date")}"""
        rows = by_event_period(events, "end_date", ind)
        return (
            numerator(ind, rows, value="sum(r.days)")
            + " UNION ALL "
            + population_denominator(ind, residents())
        )

    def describe(self, ind: Indicator) -> list[str]:
        return [f"- contacts: sector {', '.join(self.contacts.sector)}"]
