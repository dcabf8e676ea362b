"""Indicator counts: for each indicator, numerator and denominator per period,
municipality, stratum, sex and 5-year age band — the engine's heavy work, as SQL both
engines run.

Every method returns one SELECT with the columns of CELL_COLUMNS. Numerator rows and
denominator rows may come separately (the other column 0); the roll-up sums them. A
municipality_code of NULL is an event of someone with no residence at its reference time:
counted in the country only. All code lists, ages and limits come from the definition.
"""

from __future__ import annotations

from datetime import date

from tvaers.indicators.catalogue import Catalogue, Indicator
from tvaers.indicators.dialect import band, has_prefix, local_date, text_list

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


def _period_key(kind: str, day: str) -> str:
    year = f"CAST(year({day}) AS STRING)"
    if kind == "year":
        return year
    if kind == "quarter":
        return f"{year} || '-Q' || CAST(quarter({day}) AS STRING)"
    return f"{year} || '-' || lpad(CAST(month({day}) AS STRING), 2, '0')"


def _by_event_period(sql: str, day: str, ind: Indicator) -> str:
    """The events of `sql` once per period of the indicator that holds their date `day`,
    kept to the periods being computed."""
    parts = [
        f"SELECT ev.*, {_period_key(k, 'ev.' + day)} AS period FROM ({sql}) ev" for k in ind.periods
    ]
    return (
        f"SELECT x.* FROM ({' UNION ALL '.join(parts)}) x "
        "WHERE x.period IN (SELECT period FROM p_periods)"
    )


def _year_periods(ind: Indicator, year: str) -> str:
    """JOIN clause: every period of the indicator within the year `year` (denominators of
    quarters and months are the population on 1 January of their year)."""
    return f"JOIN p_periods pp ON pp.year = {year} AND pp.period_type IN ({text_list(ind.periods)})"


def _strata(ind: Indicator) -> str:
    return " UNION ALL ".join(f"SELECT '{s.id}' AS stratum" for s in ind.strata)


def _population_denominator(ind: Indicator, cohort: str) -> str:
    """Denominator rows: the people of `cohort` (person_no, year, municipality_code, sex,
    age) by period and stratum."""
    return f"""
        SELECT '{ind.id}' AS indicator_id, g.period, g.municipality_code, st.stratum, g.sex,
               g.band, 0 AS numerator, g.n AS denominator, 0 AS n_provisional
        FROM (SELECT pp.period, c.municipality_code, c.sex, {band("c.age")} AS band,
                     count(*) AS n
              FROM ({cohort}) c {_year_periods(ind, "c.year")}
              GROUP BY pp.period, c.municipality_code, c.sex, {band("c.age")}) g
        CROSS JOIN ({_strata(ind)}) st"""


def _numerator(ind: Indicator, rows: str, stratum: str = "''", value: str = "count(*)") -> str:
    """Numerator rows from `rows` (period, muni, sex, age, …) grouped into cells."""
    return f"""
        SELECT '{ind.id}' AS indicator_id, r.period, r.muni AS municipality_code,
               {stratum} AS stratum, r.sex, {band("r.age")} AS band,
               {value} AS numerator, 0 AS denominator, 0 AS n_provisional
        FROM ({rows}) r
        GROUP BY r.period, r.muni, {stratum}, r.sex, {band("r.age")}"""


def _residents(age_min: int | float | None = None) -> str:
    where = f"WHERE age >= {int(age_min)}" if age_min else ""
    return f"SELECT * FROM b_population {where}"


def _admission_filter(spec: dict, alias: str = "a") -> str:
    return (
        f"{alias}.priority IN ({text_list(spec['priority'])}) "
        f"AND {alias}.sector IN ({text_list(spec['sector'])})"
    )


def _year_cohort_rows(ind: Indicator, cohort: str, extra: str = "") -> str:
    """Cohort rows (one per person and year) as numerator rows of the year's period."""
    return (
        f"SELECT pp.period, c.municipality_code AS muni, c.sex, c.age{extra} "
        f"FROM ({cohort}) c {_year_periods(ind, 'c.year')}"
    )


def population_count(ind: Indicator, cat: Catalogue, extracted: date) -> str:
    return _numerator(ind, _year_cohort_rows(ind, _residents()))


def population_share(ind: Indicator, cat: Catalogue, extracted: date) -> str:
    cohort = _residents(ind.params["numerator_age_min"])
    return (
        _numerator(ind, _year_cohort_rows(ind, cohort))
        + " UNION ALL "
        + _population_denominator(ind, _residents())
    )


def admissions_per_population(ind: Indicator, cat: Catalogue, extracted: date) -> str:
    """Admissions starting in the period, at age ≥ age_min at the stay's start, with a stay
    diagnosis in one of the groups; attributed to the residence at the start."""
    spec = ind.params["admission"]
    groups = [s for s in ind.strata if s.id]
    group_of = " ".join(f"WHEN {has_prefix('a.diagnosis', g.codes)} THEN '{g.id}'" for g in groups)
    all_codes = tuple(c for g in groups for c in g.codes)
    events = f"""
        SELECT a.muni_start AS muni, a.sex, a.age_start AS age, a.start_date,
               CASE {group_of} END AS grp
        FROM b_admissions a
        WHERE {_admission_filter(spec)} AND a.age_start >= {int(spec["age_min"])}
          AND {has_prefix("a.diagnosis", all_codes)}"""
    rows = _by_event_period(events, "start_date", ind)
    return (
        _numerator(ind, rows)
        + " UNION ALL "
        + _numerator(ind, rows, stratum="r.grp")
        + " UNION ALL "
        + _population_denominator(ind, _residents(ind.params["population"]["age_min"]))
    )


def readmissions(ind: Indicator, cat: Catalogue, extracted: date) -> str:
    """Index admissions ending in the period (attributed to the residence at their end) and
    whether a qualifying acute readmission started within the window after the end."""
    idx, re = ind.params["index"], ind.params["readmission"]
    excluded_to = idx.get("excluded_discharged_to") or []
    age_min = idx.get("age_min")
    where = [
        f"a.sector IN ({text_list(idx['sector'])})",
        "NOT a.died",
        f"NOT {has_prefix('a.diagnosis', idx['excluded_diagnoses'])}",
    ]
    if excluded_to:
        where.append(
            f"(a.discharged_to IS NULL OR a.discharged_to NOT IN ({text_list(excluded_to)}))"
        )
    if age_min is not None:
        where.append(f"a.age_end >= {int(age_min)}")
    window = float(re["within_hours"]) * 3600
    provisional = (
        f"CASE WHEN {{days_to_extraction}} < {int(ind.params['provisional_days'])} "
        "THEN 1 ELSE 0 END"
    )
    flagged = f"""
        SELECT i.person_no, i.sector, i.stay_no, i.end_date, i.muni_end AS muni, i.sex,
               i.age_end AS age,
               max(CASE WHEN r.person_no IS NULL THEN 0 ELSE 1 END) AS readmitted,
               max({provisional}) AS provisional
        FROM (SELECT a.* FROM b_admissions a WHERE {" AND ".join(where)}) i
        LEFT JOIN (SELECT a.person_no, a.s FROM b_admissions a
                   WHERE {_admission_filter(re)}
                     AND NOT {has_prefix("a.diagnosis", re["excluded_diagnoses"])}) r
          ON r.person_no = i.person_no AND r.s > i.e AND r.s <= i.e + {window}
        GROUP BY i.person_no, i.sector, i.stay_no, i.end_date, i.muni_end, i.sex, i.age_end"""
    rows = _by_event_period(flagged, "end_date", ind)
    return f"""
        SELECT '{ind.id}' AS indicator_id, r.period, r.muni AS municipality_code,
               '' AS stratum, r.sex, {band("r.age")} AS band,
               sum(r.readmitted) AS numerator, count(*) AS denominator,
               sum(r.provisional) AS n_provisional
        FROM ({rows}) r
        GROUP BY r.period, r.muni, r.sex, {band("r.age")}"""


def ready_for_discharge_days(ind: Indicator, cat: Catalogue, extracted: date) -> str:
    """Days from the ready-for-discharge date to the end date of contacts ending in the
    period; attributed to the residence at the contact's end."""
    from tvaers.indicators.blocks import residence_at
    from tvaers.indicators.dialect import age

    sector = ind.params["contacts"]["sector"]
    contacts = f"""
        SELECT c.person_no, {local_date("c.end_ts")} AS end_date,
               {local_date("c.ready_ts")} AS ready_date
        FROM in_contacts c
        WHERE c.sector IN ({text_list(sector)})
          AND c.ready_ts IS NOT NULL AND c.end_ts IS NOT NULL"""
    events = f"""
        SELECT r.municipality_code AS muni, p.sex, {age("p.birth_date", "c.end_date")} AS age,
               c.end_date, {{days}} AS days
        FROM ({contacts}) c JOIN in_persons p ON p.person_no = c.person_no
        {residence_at("r", "c.person_no", "c.end_date")}"""
    rows = _by_event_period(events, "end_date", ind)
    return (
        _numerator(ind, rows, value="sum(r.days)")
        + " UNION ALL "
        + _population_denominator(ind, _residents())
    )


def chronic_prevalence(ind: Indicator, cat: Catalogue, extracted: date) -> str:
    residents = _residents(ind.params["population"]["age_min"])
    with_disease = f"""
        SELECT c.*, k.disease FROM ({residents}) c
        JOIN b_chronic k ON k.person_no = c.person_no AND k.year = c.year"""
    with_any = f"""
        SELECT c.* FROM ({residents}) c
        WHERE EXISTS (SELECT 1 FROM b_chronic k
                      WHERE k.person_no = c.person_no AND k.year = c.year)"""
    return (
        _numerator(ind, _year_cohort_rows(ind, with_disease, ", c.disease"), stratum="r.disease")
        + " UNION ALL "
        + _numerator(ind, _year_cohort_rows(ind, with_any), stratum="'any'")
        + " UNION ALL "
        + _population_denominator(ind, residents)
    )


def chronic_admissions(ind: Indicator, cat: Catalogue, extracted: date) -> str:
    """Admissions starting in the period of people who had the disease on 1 January of the
    period's year (and lived in the municipality then)."""
    residents = _residents(ind.params["population"]["age_min"])
    cohort = f"""
        SELECT c.* FROM ({residents}) c
        WHERE EXISTS (SELECT 1 FROM b_chronic k WHERE k.person_no = c.person_no
                      AND k.year = c.year AND k.disease = '{ind.params["disease"]}')"""
    events = f"""
        SELECT c.municipality_code AS muni, c.sex, c.age, a.start_date
        FROM ({cohort}) c
        JOIN b_admissions a ON a.person_no = c.person_no AND year(a.start_date) = c.year
        WHERE {_admission_filter(ind.params["admission"])}"""
    return (
        _numerator(ind, _by_event_period(events, "start_date", ind))
        + " UNION ALL "
        + _population_denominator(ind, cohort)
    )


def chronic_contacts_by_sector(ind: Indicator, cat: Catalogue, extracted: date) -> str:
    residents = _residents(ind.params["population"]["age_min"])
    sectors = sorted(ind.params["sectors"])
    flags = ", ".join(
        f"max(CASE WHEN s.sector = '{s}' THEN 1 ELSE 0 END) AS has_{s}" for s in sectors
    )
    combination = (
        "concat_ws('+', "
        + ", ".join(f"CASE WHEN has_{s} = 1 THEN '{s}' END" for s in sectors)
        + ")"
    )
    cohort = f"""
        SELECT c.* FROM ({residents}) c
        WHERE EXISTS (SELECT 1 FROM b_chronic k
                      WHERE k.person_no = c.person_no AND k.year = c.year)"""
    combos = f"""
        SELECT x.*, CASE WHEN {combination} = '' THEN 'none' ELSE {combination} END AS combo
        FROM (SELECT c.person_no, c.year, c.municipality_code, c.sex, c.age, {flags}
              FROM ({cohort}) c
              LEFT JOIN (SELECT * FROM b_sector_contacts
                         WHERE sector IN ({text_list(sectors)})) s
                ON s.person_no = c.person_no AND s.year = c.year
              GROUP BY c.person_no, c.year, c.municipality_code, c.sex, c.age) x"""
    return (
        _numerator(ind, _year_cohort_rows(ind, combos, ", c.combo"), stratum="r.combo")
        + " UNION ALL "
        + _population_denominator(ind, cohort)
    )


def repeated_admissions(ind: Indicator, cat: Catalogue, extracted: date) -> str:
    residents = _residents(ind.params["population"]["age_min"])
    heavy = f"""
        SELECT c.* FROM ({residents}) c
        JOIN (SELECT a.person_no, year(a.start_date) AS year, count(*) AS n
              FROM b_admissions a WHERE {_admission_filter(ind.params["admission"])}
              GROUP BY a.person_no, year(a.start_date)) n
          ON n.person_no = c.person_no AND n.year = c.year
        WHERE n.n >= {int(ind.params["min_admissions"])}"""
    return (
        _numerator(ind, _year_cohort_rows(ind, heavy))
        + " UNION ALL "
        + _population_denominator(ind, residents)
    )


METHODS = {
    "population_count": population_count,
    "population_share": population_share,
    "admissions_per_population": admissions_per_population,
    "readmissions": readmissions,
    "ready_for_discharge_days": ready_for_discharge_days,
    "chronic_prevalence": chronic_prevalence,
    "chronic_admissions": chronic_admissions,
    "chronic_contacts_by_sector": chronic_contacts_by_sector,
    "repeated_admissions": repeated_admissions,
}


def cells_sql(engine, ind: Indicator, cat: Catalogue, extracted: date) -> str:
    """The indicator's cells, with the engine's spelling of day differences filled in."""
    d = engine.dialect
    sql = METHODS[ind.method](ind, cat, extracted)
    return sql.replace(
        "{days_to_extraction}", d.days_between("i.end_date", f"DATE '{extracted.isoformat()}'")
    ).replace("{days}", d.days_between("c.ready_date", "c.end_date"))
