"""What every method is, and the parameter groups several methods share.

A method is a Pydantic model of its parameters (read from the definition file when the
catalogue loads) with three duties: the strata it produces, the SQL of its cells, and the
lines that describe its parameters on the generated catalogue page.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar

from tvaers.indicators.definitions import (
    DIAGNOSIS_PREFIX,
    PRIORITIES,
    SECTORS,
    TOTAL,
    Blocks,
    Stratum,
)
from tvaers.indicators.dialect import Dialect
from tvaers.indicators.fields import Number, Params, one_of, prefixes

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Indicator

# Parameter types several methods use.
Sectors = Annotated[tuple[str, ...], one_of(SECTORS)]
Priorities = Annotated[tuple[str, ...], one_of(PRIORITIES)]
DiagnosisCodes = Annotated[tuple[str, ...], prefixes(DIAGNOSIS_PREFIX)]


class Method(Params):
    """One way of counting an indicator. Subclasses set `name`, declare their parameters
    as fields and write `cells`; the registry (methods/__init__.py) maps `name` to the
    class."""

    name: ClassVar[str]
    # False for a plain count: no denominator, no interval, no rate.
    has_denominator: ClassVar[bool] = True

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        """The strata, the unstratified total (id "") first where there is one. May raise
        fields.FieldError for a parameter that does not fit the building blocks."""
        return (TOTAL,)

    @abstractmethod
    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        """One SELECT with the columns of cells.CELL_COLUMNS, in SQL both engines run.
        Abstract: a method class without it cannot be instantiated (pydantic's model
        metaclass is an ABCMeta), so the catalogue refuses it when it loads."""

    def describe(self, ind: Indicator) -> list[str]:
        """Markdown lines for docs/indicators.md: the parameters as the file states them."""
        return []

    def followup_hours(self) -> float | None:
        """The window after a discharge in which the method looks for follow-up contacts
        (building block `b_followup`), or None when it uses none."""
        return None


class Population(Params):
    age_min: Number


class Admission(Params):
    priority: Priorities
    sector: Sectors
    age_min: Number | None = None  # at the stay's start, where the method uses it

    def describe(self) -> str:
        age = f", age ≥ {self.age_min} at stay start" if self.age_min is not None else ""
        return (
            f"- admissions: priority {', '.join(self.priority)}, sector "
            f"{', '.join(self.sector)}{age}"
        )


def population_line(population: Population) -> str:
    return f"- population: residents aged ≥ {population.age_min} on 1 January"


def code_list(codes: tuple[str, ...]) -> str:
    return ", ".join(f"`{c}`" for c in codes)
