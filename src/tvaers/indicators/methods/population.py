"""Methods on the population on 1 January alone."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from tvaers.indicators.dialect import Dialect
from tvaers.indicators.fields import Number
from tvaers.indicators.methods.base import Method
from tvaers.indicators.methods.cells import (
    numerator,
    population_denominator,
    residents,
    year_cohort_rows,
)

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Indicator


class PopulationCount(Method):
    """Residents on 1 January: a count, without denominator."""

    name: ClassVar[str] = "population_count"
    has_denominator: ClassVar[bool] = False

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        return numerator(ind, year_cohort_rows(ind, residents()))


class PopulationShare(Method):
    """Residents aged ≥ numerator_age_min on 1 January per resident."""

    name: ClassVar[str] = "population_share"
    numerator_age_min: Number

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        cohort = residents(self.numerator_age_min)
        return (
            numerator(ind, year_cohort_rows(ind, cohort))
            + " UNION ALL "
            + population_denominator(ind, residents())
        )

    def describe(self, ind: Indicator) -> list[str]:
        return [f"- numerator: residents aged ≥ {self.numerator_age_min}"]
