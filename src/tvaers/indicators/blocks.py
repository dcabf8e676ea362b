"""Building blocks, computed once per run and shared by the indicators (catalogue section
"Building blocks"): stays, admissions, the population on 1 January, chronic-disease status
on 1 January, and contact with each sector per person and year; then the notified stays
(notified.py) and the follow-up contacts (followup.py) of the transitions indicators.

Every function materialises one table through the engine from the normalised input views
(`in_persons`, `in_residence`, `in_contacts`, `in_diagnoses`, `in_services`, `in_visits`,
`in_gp`, `in_rx`; see engine.py) and the parameter tables `p_years` and `p_periods`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tvaers.indicators import followup, notified
from tvaers.indicators.definitions import Disease
from tvaers.indicators.dialect import age, has_prefix, local_date
from tvaers.sql import text_list

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Catalogue


# In the order they are built. The notified stays come right after the admissions: their
# window passes over every hospital notification need the most working memory of any
# block, and before the population, chronic status and sector contacts (several gigabytes
# for the whole country) are made, that memory is free, so nothing is written to disk.
BLOCK_NAMES = (
    "stays",
    "admissions",
    "notified_stays",
    "followup_contacts",
    "population",
    "chronic",
    "sector_contacts",
)


def build_all(
    engine, cat: Catalogue, years: list[int], extracted: date, step=lambda name: None
) -> None:
    builds = {
        "stays": lambda: stays(engine, cat, years),
        "admissions": lambda: admissions(engine, cat, years),
        "population": lambda: population(engine, cat, years),
        "chronic": lambda: chronic(engine, cat, years),
        "sector_contacts": lambda: sector_contacts(engine, cat, years),
        "notified_stays": lambda: notified.build(engine, extracted),
        "followup_contacts": lambda: followup.build(engine, cat),
    }
    for name in BLOCK_NAMES:
        builds[name]()
        step(name)


def local_year(engine, seconds: str, years: list[int]) -> str:
    """The calendar year, in Danish local time, of the instant `seconds` after 1970 — or
    NULL outside `years`. Comparing with the instants of local midnight on 1 January is
    far cheaper than a time-zone conversion per row (tens of millions of GP contacts)."""
    whens = " ".join(
        f"WHEN {seconds} >= {_jan1_epoch(y)} THEN {y}" for y in sorted(years, reverse=True)
    )
    return f"CASE WHEN {seconds} >= {_jan1_epoch(max(years) + 1)} THEN NULL {whens} END"


def _jan1_epoch(year: int) -> int:
    return int(datetime(year, 1, 1, tzinfo=ZoneInfo("Europe/Copenhagen")).timestamp())


def residence_at(alias: str, person: str, on: str) -> str:
    """LEFT JOIN clause: the residence period of `person` covering the date `on`."""
    return (
        f"LEFT JOIN in_residence {alias} ON {alias}.person_no = {person} "
        f"AND {alias}.valid_from <= {on} AND ({alias}.valid_to IS NULL OR {alias}.valid_to > {on})"
    )


def stays(engine, cat: Catalogue, years: list[int]) -> None:
    """Contacts linked into stays per person and sector: a contact joins the current stay
    when it starts no later than `link_gap_hours` after the latest end so far.

    Contacts are ordered by start, end and contact id (the id only settles ties, so the
    order — and every tie-break below — is the same on every engine). The first window pass
    numbers them (`rn`) and finds the latest end before each; the second numbers the stays
    and marks the contacts that are a stay on their own.

    The two window passes sort every physical contact with its attributes: for a whole
    country that is more than the engine's memory, and a sort that spills is several times
    slower (more so on a machine with a slower disk). The engine says into how many groups
    of persons to split the work (`engine.groups_for`); stays never cross persons, so each
    group's stays are the same as in one pass, and each group's sort fits in memory."""
    contacts = (
        f"in_contacts WHERE contact_type IN ({text_list(cat.blocks.stay_contact_types)}) "
        "AND end_ts IS NOT NULL"
    )
    groups = engine.groups_for(f"SELECT count(*) FROM {contacts}", STAY_BYTES_PER_CONTACT)
    for group in range(groups):
        where = f"{contacts} AND person_no % {groups} = {group}" if groups > 1 else contacts
        _stays_of(engine, cat, where, first=group == 0)


# What one contact costs in the two window passes on DuckDB: the sort's rows with their
# attributes, row numbers and running maximum, plus the tables. Measured with the stage
# profile (profile.py): 1.6 GB more resident memory for 6.7 M physical contacts (Region
# Syddanmark at half scale) is about 240 bytes each.
STAY_BYTES_PER_CONTACT = 240


def _stays_of(engine, cat: Catalogue, contacts: str, first: bool) -> None:
    d = engine.dialect
    gap = cat.blocks.link_gap_hours * 3600
    order = "PARTITION BY person_no, sector ORDER BY s, e, contact_id"
    by_rn = "PARTITION BY person_no, sector ORDER BY rn"
    engine.materialize(
        "b_stay_order",
        f"""
        WITH c AS (
            SELECT contact_id, person_no, sector, priority, diagnosis, discharged_to,
                   {d.epoch("start_ts")} AS s, {d.epoch("end_ts")} AS e
            FROM {contacts})
        SELECT person_no, sector, priority, diagnosis, discharged_to, s, e,
               row_number() OVER ({order}) AS rn,
               max(e) OVER ({order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                   AS prev_end
        FROM c""",
    )
    new_stay = f"CASE WHEN prev_end IS NULL OR s > prev_end + {gap} THEN 1 ELSE 0 END"
    engine.materialize(
        "b_stay_contacts",
        f"""
        SELECT person_no, sector, priority, diagnosis, discharged_to, s, e, rn,
               CAST(sum({new_stay}) OVER ({by_rn} ROWS UNBOUNDED PRECEDING) AS BIGINT)
                   AS stay_no,
               CASE WHEN {new_stay} = 1 AND coalesce(lead({new_stay}) OVER ({by_rn}), 1) = 1
                    THEN 1 ELSE 0 END AS alone
        FROM b_stay_order""",
    )
    engine.drop("b_stay_order")
    # Most stays are one contact: those are taken as they are, and only the others are
    # aggregated — priority of the earliest contact, diagnosis of the longest (ties: the
    # earliest), discharged_to of the one with the latest end (ties: the later in order).
    (engine.materialize if first else engine.append)(
        "b_stays",
        f"""
        SELECT person_no, sector, stay_no, s, e, priority, diagnosis, discharged_to,
               1 AS n_contacts
        FROM b_stay_contacts WHERE alone = 1
        UNION ALL
        SELECT person_no, sector, stay_no, min(s) AS s, max(e) AS e,
               min_by(priority, rn) AS priority,
               min_by(diagnosis, {d.ordered("s - e", "rn")}) AS diagnosis,
               -- min_by/max_by skip an empty value on DuckDB (not on Spark): the latest
               -- contact's discharged_to counts also when it is empty, hence the ''.
               nullif(max_by(coalesce(discharged_to, ''), {d.ordered("e", "rn")}), '')
                   AS discharged_to,
               count(*) AS n_contacts
        FROM b_stay_contacts WHERE alone = 0 GROUP BY person_no, sector, stay_no""",
    )
    engine.drop("b_stay_contacts")


def admissions(engine, cat: Catalogue, years: list[int]) -> None:
    """Stays of at least `min_hours`, with what the indicators ask of them: dates in local
    time, death, age and residence at start and at end."""
    d = engine.dialect
    min_s = cat.blocks.admission_min_hours * 3600
    engine.materialize(
        "b_admissions",
        f"""
        WITH a AS (
            SELECT b.*, {local_date(d.timestamp("b.s"))} AS start_date,
                   {local_date(d.timestamp("b.e"))} AS end_date
            FROM b_stays b WHERE b.e - b.s >= {min_s})
        SELECT a.person_no, a.sector, a.stay_no, a.priority, a.diagnosis, a.discharged_to, a.s, a.e,
               a.start_date, a.end_date, p.sex,
               CASE WHEN a.discharged_to = 'died' OR p.death_date = a.end_date
                    THEN TRUE ELSE FALSE END AS died,
               {age("p.birth_date", "a.start_date")} AS age_start,
               {age("p.birth_date", "a.end_date")} AS age_end,
               rs.municipality_code AS muni_start, re.municipality_code AS muni_end
        FROM a JOIN in_persons p ON p.person_no = a.person_no
        {residence_at("rs", "a.person_no", "a.start_date")}
        {residence_at("re", "a.person_no", "a.end_date")}""",
    )
    # The stays serve only the admissions. For the whole country they are tens of millions
    # of rows (gigabytes) that would otherwise stay in memory through every later step and
    # be written out to disk when the notified stays need the room.
    engine.drop("b_stays")


def population(engine, cat: Catalogue, years: list[int]) -> None:
    """Residents on 1 January of each year: a residence period covering the day, born
    before it, alive at its start; age on that day."""
    engine.materialize(
        "b_population",
        f"""
        SELECT p.person_no, y.year, r.municipality_code, p.sex,
               {age("p.birth_date", "y.jan1")} AS age
        FROM in_persons p
        JOIN in_residence r ON r.person_no = p.person_no
        JOIN p_years y ON r.valid_from <= y.jan1 AND (r.valid_to IS NULL OR r.valid_to > y.jan1)
        WHERE p.birth_date < y.jan1 AND (p.death_date IS NULL OR p.death_date >= y.jan1)""",
    )


def _diagnosis_status(disease: Disease) -> str:
    """(person, year) with a qualifying diagnosis on a contact starting before 1 January."""
    return f"""
        SELECT o.person_no, y.year, '{disease.id}' AS disease
        FROM (SELECT person_no, min(first_date) AS onset FROM b_person_codes
              WHERE {has_prefix("code", disease.diagnoses)} GROUP BY person_no) o
        JOIN p_years y ON o.onset < y.jan1"""


def _prescription_status(disease: Disease, days_between) -> str:
    """(person, year) with the dispensings the definition asks for in the lookback window
    before 1 January. With two dispensings, consecutive pairs suffice: if any two lie within
    `within_days`, so do two neighbours (the later one of them is the same)."""
    rx = disease.prescriptions
    assert rx is not None
    lag = rx.min_dispensings - 1
    first = f"lag(x.dispensed_on, {lag}) OVER (PARTITION BY x.person_no ORDER BY x.dispensed_on)"
    pair_ok = "TRUE"
    if lag:
        apart = days_between("q.first_on", "q.dispensed_on")
        pair_ok = f"q.first_on IS NOT NULL AND {apart} <= {int(rx.within_days or 0)}"
    age_ok = f"{age('q.birth_date', 'q.dispensed_on')} >= {int(rx.min_age_at_last or 0)}"
    return f"""
        SELECT q.person_no, y.year, '{disease.id}' AS disease
        FROM (SELECT x.person_no, x.dispensed_on, p.birth_date,
                     {first if lag else "x.dispensed_on"} AS first_on
              FROM (SELECT DISTINCT person_no, dispensed_on FROM b_person_rx
                    WHERE {has_prefix("atc", rx.atc)}) x
              JOIN in_persons p ON p.person_no = x.person_no) q
        JOIN p_years y ON year(q.dispensed_on) < y.year
                      AND y.year <= year(q.first_on) + {int(rx.lookback_years)}
        WHERE {pair_ok} AND {age_ok}"""


def chronic(engine, cat: Catalogue, years: list[int]) -> None:
    """Chronic-disease status on 1 January: (person, year, disease), `excluded_by` applied
    (t1d wins over t2d). `any` is derived where it is used.

    The contacts and prescriptions are first cut down to the catalogue's codes (a few per
    cent of the rows), so the per-disease steps work on small tables."""
    d = engine.dialect
    diseases = cat.blocks.diseases
    all_dx = tuple(c for x in diseases for c in x.diagnoses)
    engine.materialize(
        "b_person_codes",
        f"""
        SELECT person_no, code, {local_date(d.timestamp("min(s)"))} AS first_date FROM (
            SELECT person_no, diagnosis AS code, {d.epoch("start_ts")} AS s
            FROM in_contacts WHERE {has_prefix("diagnosis", all_dx)}
            UNION ALL
            SELECT c.person_no, g.code, {d.epoch("c.start_ts")} AS s
            FROM (SELECT contact_id, code FROM in_diagnoses
                  WHERE {has_prefix("code", all_dx)}) g
            JOIN in_contacts c ON c.contact_id = g.contact_id) x
        GROUP BY person_no, code""",
    )
    all_atc = tuple(c for x in diseases if x.prescriptions for c in x.prescriptions.atc)
    engine.materialize(
        "b_person_rx",
        f"SELECT person_no, dispensed_on, atc FROM in_rx WHERE {has_prefix('atc', all_atc)}"
        if all_atc
        else "SELECT person_no, dispensed_on, atc FROM in_rx WHERE FALSE",
    )
    parts = []
    for disease in diseases:
        parts.append(_diagnosis_status(disease))
        if disease.prescriptions is not None:
            parts.append(_prescription_status(disease, d.days_between))
    engine.materialize(
        "b_chronic_raw", "SELECT DISTINCT * FROM (" + " UNION ALL ".join(parts) + ")"
    )
    exclusions = [
        f"""(c.disease = '{disease.id}' AND EXISTS (
                SELECT 1 FROM b_chronic_raw x WHERE x.person_no = c.person_no
                AND x.year = c.year AND x.disease IN ({text_list(disease.excluded_by)})))"""
        for disease in diseases
        if disease.excluded_by
    ]
    where = f"WHERE NOT ({' OR '.join(exclusions)})" if exclusions else ""
    engine.materialize("b_chronic", f"SELECT c.* FROM b_chronic_raw c {where}")
    for name in ("b_chronic_raw", "b_person_codes", "b_person_rx"):
        engine.drop(name)


def sector_contacts(engine, cat: Catalogue, years: list[int]) -> None:
    """(person, year, sector) for contact with the hospital (a contact starting in the year),
    general practice (a contact in the year) and the municipality (a service period
    overlapping the year or a visit in it)."""
    d = engine.dialect

    def year_of(ts: str) -> str:
        return local_year(engine, d.epoch(ts), years)

    # Distinct per sector, then put together: the sectors' rows cannot coincide, so three
    # smaller hash tables (built one after the other) replace one over every contact.
    engine.materialize(
        "b_sector_contacts",
        f"""
        SELECT person_no, year, 'hospital' AS sector FROM (
            SELECT DISTINCT person_no, {year_of("start_ts")} AS year FROM in_contacts) h
        WHERE year IS NOT NULL
        UNION ALL
        SELECT person_no, year, 'gp' FROM (
            SELECT DISTINCT person_no, {year_of("at_ts")} AS year FROM in_gp) g
        WHERE year IS NOT NULL
        UNION ALL
        SELECT person_no, year, 'municipality' FROM (
            SELECT DISTINCT person_no, year FROM (
                SELECT person_no, {year_of("at_ts")} AS year FROM in_visits
                UNION ALL
                SELECT s.person_no, y.year FROM in_services s
                JOIN p_years y ON s.start_date < make_date(y.year + 1, 1, 1)
                              AND (s.end_date IS NULL OR s.end_date >= y.jan1)) v) m
        WHERE year IS NOT NULL""",
    )
