"""Measure a generated delivery against the published figures it is calibrated to.

Deliberately independent of the indicator engine and of the generator: a few plain SQL
queries over the delivery's files, following ../shared/spec/indicators.md (stays from
physical contacts ≤ 4 h apart, admissions ≥ 12 h, the preventable-admission list, 30-day
readmissions, the chronic-disease rules). Times are read as Danish wall-clock time, which
is exact enough for rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

PREVENTABLE = [
    "DE86",
    "DK590",
    "DJ12",
    "DJ13",
    "DJ14",
    "DJ15",
    "DJ16",
    "DJ17",
    "DJ18",
    "DJ20",
    "DJ21",
    "DJ22",
    "DN30",
    "DN390",
    "DA08",
    "DA09",
    "DK529",
    "DS02",
    "DS12",
    "DS22",
    "DS32",
    "DS42",
    "DS52",
    "DS62",
    "DS72",
    "DS82",
    "DS92",
    "DT08",
    "DT10",
    "DT12",
    "DD50",
    "DD51",
    "DD52",
    "DD53",
    "DZ59",
    "DZ60",
    "DZ74",
    "DZ75",
    "DL89",
]


def _starts_with_any(column: str, prefixes: list[str]) -> str:
    return "(" + " OR ".join(f"starts_with({column}, '{p}')" for p in prefixes) + ")"


def _source(directory: Path, table: str) -> str | None:
    for ext, reader in (("parquet", "read_parquet"), ("csv", "read_csv")):
        path = directory / f"{table}.{ext}"
        if path.exists():
            options = ", all_varchar = true" if ext == "csv" else ""
            return f"{reader}('{path}'{options})"
    return None


def open_delivery(directories: list[Path]) -> duckdb.DuckDBPyConnection:
    """Views over one delivery or several (split by source), person key as `person`."""
    con = duckdb.connect()
    for table in (
        "persons",
        "residence",
        "hospital_contacts",
        "hospital_diagnoses",
        "prescriptions",
        "municipal_services",
        "gp_contacts",
    ):
        sources = [s for d in directories if (s := _source(d, table))]
        if not sources:
            continue
        union = " UNION ALL ".join(f"SELECT * FROM {s}" for s in sources)
        con.execute(f"CREATE VIEW raw_{table} AS {union}")
    key = (
        "cpr"
        if "cpr" in [c[0] for c in con.execute("DESCRIBE raw_persons").fetchall()]
        else "person_id"
    )
    norm = f"replace(CAST({key} AS VARCHAR), '-', '')"
    con.execute(
        f"CREATE TABLE persons AS SELECT {norm} AS person, CAST(birth_date AS DATE) AS birth, "
        f"sex, CAST(death_date AS DATE) AS death FROM raw_persons"
    )
    con.execute(
        f"CREATE TABLE residence AS SELECT {norm} AS person, "
        f"CAST(CAST(municipality_code AS INTEGER) AS VARCHAR) AS municipality, "
        f"CAST(valid_from AS DATE) AS valid_from, CAST(valid_to AS DATE) AS valid_to "
        f"FROM raw_residence"
    )
    con.execute(
        f"""CREATE TABLE contacts AS SELECT contact_id, {norm} AS person,
            CAST(replace(CAST(start AS VARCHAR), 'T', ' ') AS TIMESTAMP) AS start,
            CAST(replace(CAST("end" AS VARCHAR), 'T', ' ') AS TIMESTAMP) AS "end",
            contact_type, priority, sector, diagnosis, discharged_to,
            CAST(replace(CAST(ready_for_discharge AS VARCHAR), 'T', ' ') AS TIMESTAMP) AS ready
        FROM raw_hospital_contacts"""
    )
    _stays(con)
    return con


def _stays(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """CREATE TABLE stays AS
        WITH c AS (
            SELECT * FROM contacts WHERE contact_type = 'physical' AND "end" IS NOT NULL),
        o AS (
            SELECT *, max("end") OVER (PARTITION BY person, sector ORDER BY start, "end"
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end FROM c),
        g AS (
            SELECT *, sum(CASE WHEN prev_end IS NULL OR start > prev_end + INTERVAL 4 HOUR
                          THEN 1 ELSE 0 END)
                OVER (PARTITION BY person, sector ORDER BY start, "end" ROWS UNBOUNDED PRECEDING)
                AS stay_no FROM o)
        SELECT g.person, sector, stay_no, min(start) AS start, max("end") AS "end",
            arg_min(priority, start) AS priority,
            first(diagnosis ORDER BY ("end" - start) DESC, start) AS diagnosis,
            first(discharged_to ORDER BY "end" DESC) AS discharged_to,
            count(*) AS contacts
        FROM g GROUP BY ALL"""
    )
    con.execute(
        """CREATE TABLE admissions AS
        SELECT s.*, date_diff('year', p.birth, CAST(s.start AS DATE))
                    - CASE WHEN strftime(s.start, '%m%d') < strftime(p.birth, '%m%d') THEN 1 ELSE 0 END
                    AS age_at_start,
               date_diff('year', p.birth, CAST(s."end" AS DATE))
                    - CASE WHEN strftime(s."end", '%m%d') < strftime(p.birth, '%m%d') THEN 1 ELSE 0 END
                    AS age_at_end,
               coalesce(s.discharged_to = 'died' OR p.death = CAST(s."end" AS DATE), false) AS died
        FROM stays s JOIN persons p USING (person)
        WHERE s."end" - s.start >= INTERVAL 12 HOUR"""
    )


def residents(con, year: int, min_age: int = 0) -> int:
    """People resident and alive on 1 January of `year`, aged ≥ min_age that day."""
    return con.execute(
        f"""SELECT count(DISTINCT r.person) FROM residence r JOIN persons p USING (person)
        WHERE r.valid_from <= DATE '{year}-01-01'
          AND (r.valid_to IS NULL OR r.valid_to > DATE '{year}-01-01')
          AND p.birth < DATE '{year}-01-01'
          AND (p.death IS NULL OR p.death >= DATE '{year}-01-01')
          AND date_diff('year', p.birth, DATE '{year}-01-01')
              - CASE WHEN strftime(p.birth, '%m%d') > '0101' THEN 1 ELSE 0 END >= {min_age}"""
    ).fetchone()[0]


def admissions(con, year: int) -> int:
    return con.execute(f"SELECT count(*) FROM admissions WHERE year(start) = {year}").fetchone()[0]


def outpatient_visits(con, year: int) -> int:
    """Hospital contacts in the year that are not part of an admission."""
    return con.execute(
        f"""SELECT count(*) FROM contacts c WHERE year(c.start) = {year} AND NOT EXISTS (
            SELECT 1 FROM admissions a WHERE a.person = c.person AND c.start >= a.start
            AND c.start <= a."end" AND c.contact_type = 'physical')"""
    ).fetchone()[0]


def preventable_65plus(con, year: int) -> int:
    return con.execute(
        f"""SELECT count(*) FROM admissions WHERE year(start) = {year} AND priority = 'acute'
        AND sector = 'somatic' AND age_at_start >= 65
        AND {_starts_with_any("diagnosis", PREVENTABLE)}"""
    ).fetchone()[0]


def readmission_share_65plus(con, year: int) -> float:
    """Share of 65+ index admissions ending in `year` followed by a qualifying readmission."""
    excluded_index = _starts_with_any("i.diagnosis", ["DC", "DD0", "DO", "DF"])
    excluded_re = _starts_with_any(
        "r.diagnosis", ["DC", "DD0", "DO", "DS", "DT", "DX", "DY", "DZ763"]
    )
    return con.execute(
        f"""WITH idx AS (
            SELECT * FROM admissions i WHERE i.sector = 'somatic' AND year(i."end") = {year}
              AND NOT i.died AND coalesce(i.discharged_to, '') NOT IN ('hospice', 'other_hospital')
              AND NOT {excluded_index} AND i.age_at_end >= 65)
        SELECT avg(CASE WHEN EXISTS (
            SELECT 1 FROM admissions r WHERE r.person = idx.person AND r.sector = 'somatic'
              AND r.priority = 'acute' AND r.start > idx."end"
              AND r.start <= idx."end" + INTERVAL 720 HOUR AND NOT {excluded_re})
            THEN 1.0 ELSE 0.0 END) FROM idx"""
    ).fetchone()[0]


def chronic_prevalence(con, year: int) -> dict[str, float]:
    """Share of residents aged ≥ 18 on 1 January with each disease (the catalogue's rules
    for t2d, copd and asthma; t1d wins over t2d)."""
    day = f"DATE '{year}-01-01'"
    con.execute(
        f"""CREATE OR REPLACE TABLE adults AS
        SELECT DISTINCT r.person, p.birth FROM residence r JOIN persons p USING (person)
        WHERE r.valid_from <= {day} AND (r.valid_to IS NULL OR r.valid_to > {day})
          AND p.birth < {day} AND (p.death IS NULL OR p.death >= {day})
          AND p.birth <= {day} - INTERVAL 18 YEAR"""
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE dx AS
        SELECT c.person, c.diagnosis AS code FROM contacts c WHERE c.start < {day}
        UNION ALL
        SELECT c.person, d.code FROM {_diagnoses_source(con)} d JOIN contacts c USING (contact_id)
        WHERE c.start < {day}"""
    )
    has = {
        name: f"person IN (SELECT person FROM dx WHERE {_starts_with_any('code', prefixes)})"
        for name, prefixes in {
            "t1d": ["DE10"],
            "t2d_dx": ["DE11"],
            "copd": ["DJ44"],
            "asthma": ["DJ45", "DJ46"],
        }.items()
    }
    t2d_rx = f"""person IN (
        SELECT a.person FROM rx a JOIN rx b ON a.person = b.person
        AND b.day > a.day AND b.day <= a.day + 365 AND b.day < {day}
        AND b.day >= {day} - INTERVAL 5 YEAR
        JOIN persons p ON p.person = a.person WHERE b.day >= p.birth + INTERVAL 30 YEAR)"""
    con.execute(
        "CREATE OR REPLACE TABLE rx AS SELECT replace(CAST(coalesce("
        + ("cpr" if _has_column(con, "raw_prescriptions", "cpr") else "person_id")
        + ") AS VARCHAR), '-', '') AS person, CAST(dispensed_on AS DATE) AS day "
        "FROM raw_prescriptions WHERE starts_with(atc, 'A10B')"
    )
    n, t1d, t2d, copd, asthma = con.execute(
        f"""SELECT count(*),
            avg(CASE WHEN {has["t1d"]} THEN 1.0 ELSE 0 END),
            avg(CASE WHEN NOT ({has["t1d"]}) AND ({has["t2d_dx"]} OR {t2d_rx}) THEN 1.0 ELSE 0 END),
            avg(CASE WHEN {has["copd"]} THEN 1.0 ELSE 0 END),
            avg(CASE WHEN {has["asthma"]} THEN 1.0 ELSE 0 END)
        FROM adults"""
    ).fetchone()
    return {"adults": n, "t1d": t1d, "t2d": t2d, "copd": copd, "asthma": asthma}


def _has_column(con, view: str, column: str) -> bool:
    return column in [c[0] for c in con.execute(f"DESCRIBE {view}").fetchall()]


def _diagnoses_source(con) -> str:
    views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()]
    if "raw_hospital_diagnoses" in views:
        return "raw_hospital_diagnoses"
    return "(SELECT NULL::VARCHAR AS contact_id, NULL::VARCHAR AS code WHERE false)"


@dataclass(frozen=True)
class Rates:
    year: int
    residents: int
    residents_65plus: int
    admissions_per_1000: float
    outpatient_per_1000: float
    preventable_65plus_per_1000: float
    readmission_share_65plus: float


def rates(con, year: int) -> Rates:
    n, n65 = residents(con, year), residents(con, year, 65)
    return Rates(
        year=year,
        residents=n,
        residents_65plus=n65,
        admissions_per_1000=1000 * admissions(con, year) / n,
        outpatient_per_1000=1000 * outpatient_visits(con, year) / n,
        preventable_65plus_per_1000=1000 * preventable_65plus(con, year) / n65,
        readmission_share_65plus=readmission_share_65plus(con, year),
    )
