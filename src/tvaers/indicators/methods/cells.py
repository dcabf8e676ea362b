"""SQL pieces the methods share: cells, periods, the population as denominator.

Every method returns one SELECT with the columns of CELL_COLUMNS: numerator and
denominator per period, municipality, stratum, sex and 5-year age band. Numerator rows and
denominator rows may come separately (the other column 0); the roll-up sums them. A
municipality_code of NULL is an event of someone with no residence at its reference time:
counted in the country only. The SQL reads the building blocks (`b_*`, blocks.py), the
input views (`in_*`, engine.py) and the parameter table `p_periods`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tvaers.indicators.dialect import band
from tvaers.sql import text_list

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Indicator
    from tvaers.indicators.methods.base import Admission

CELL_COLUMNS = (
    "indicator_id",
    "period",
    "municipality_code",
    "stratum",
    "sex",
    "band",
    "numerator",
    "denominator",
    "n_provisional",
)


def period_key(kind: str, day: str) -> str:
    year = f"CAST(year({day}) AS STRING)"
    if kind == "year":
        return year
    if kind == "quarter":
        return f"{year} || '-Q' || CAST(quarter({day}) AS STRING)"
    return f"{year} || '-' || lpad(CAST(month({day}) AS STRING), 2, '0')"


def by_event_period(sql: str, day: str, ind: Indicator) -> str:
    """The events of `sql` once per period of the indicator that holds their date `day`,
    kept to the periods being computed (with the months after the last whole year up to
    the extraction only for an indicator counted up to it)."""
    # The events as one common table that every period type reads: DuckDB computes it
    # once, where the query written out once per period type ran its joins that often.
    parts = [
        f"SELECT ev.*, {period_key(k, 'ev.' + day)} AS period FROM period_events ev"
        for k in ind.periods
    ]
    which = "" if ind.months_to_extraction else " WHERE NOT recent"
    return (
        f"WITH period_events AS ({sql}) "
        f"SELECT x.* FROM ({' UNION ALL '.join(parts)}) x "
        f"WHERE x.period IN (SELECT period FROM p_periods{which})"
    )


def year_periods(ind: Indicator, year: str) -> str:
    """JOIN clause: every period of the indicator within the year `year` (denominators of
    quarters and months are the population on 1 January of their year)."""
    return (
        f"JOIN p_periods pp ON pp.year = {year} AND NOT pp.recent "
        f"AND pp.period_type IN ({text_list(ind.periods)})"
    )


def _strata(ind: Indicator) -> str:
    return " UNION ALL ".join(f"SELECT '{s.id}' AS stratum" for s in ind.strata)


def population_denominator(ind: Indicator, cohort: str) -> str:
    """Denominator rows: the people of `cohort` (person_no, year, municipality_code, sex,
    age) by period and stratum."""
    # Counted per year first and only then given to each period of the year: the same
    # numbers, but a person-year is counted once, not once per month and quarter (for the
    # whole country 37 M person-years would otherwise become 630 M rows to group).
    return f"""
        SELECT '{ind.id}' AS indicator_id, pp.period, g.municipality_code, st.stratum, g.sex,
               g.band, 0 AS numerator, g.n AS denominator, 0 AS n_provisional
        FROM (SELECT c.year, c.municipality_code, c.sex, {band("c.age")} AS band,
                     count(*) AS n
              FROM ({cohort}) c
              GROUP BY c.year, c.municipality_code, c.sex, {band("c.age")}) g
        {year_periods(ind, "g.year")}
        CROSS JOIN ({_strata(ind)}) st"""


def numerator(ind: Indicator, rows: str, stratum: str = "''", value: str = "count(*)") -> str:
    """Numerator rows from `rows` (period, muni, sex, age, …) grouped into cells."""
    return f"""
        SELECT '{ind.id}' AS indicator_id, r.period, r.muni AS municipality_code,
               {stratum} AS stratum, r.sex, {band("r.age")} AS band,
               {value} AS numerator, 0 AS denominator, 0 AS n_provisional
        FROM ({rows}) r
        GROUP BY r.period, r.muni, {stratum}, r.sex, {band("r.age")}"""


def residents(age_min: int | float | None = None) -> str:
    """The population on 1 January (b_population), from `age_min` on."""
    where = f"WHERE age >= {int(age_min)}" if age_min else ""
    return f"SELECT * FROM b_population {where}"


def admission_filter(spec: Admission, alias: str = "a") -> str:
    return (
        f"{alias}.priority IN ({text_list(spec.priority)}) "
        f"AND {alias}.sector IN ({text_list(spec.sector)})"
    )


def year_cohort_rows(ind: Indicator, cohort: str, extra: str = "") -> str:
    """Cohort rows (one per person and year) as numerator rows of the year's period."""
    return (
        f"SELECT pp.period, c.municipality_code AS muni, c.sex, c.age{extra} "
        f"FROM ({cohort}) c {year_periods(ind, 'c.year')}"
    )
