"""Key figures of a generated delivery, computed straight from its files, to see how close
the knobs in rates.py land to the published levels. A calibration aid, not the indicator
engine: it follows indicators.md closely (stays, admissions, preventable admissions,
readmissions, ready-for-discharge days, chronic prevalence) but simplifies where that does
not move the numbers (no DST, no disclosure control, a person's residence on 1 January).

    .venv/bin/python -m tvaers.synth.check DIR [YEAR]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tvaers.indicators import catalogue
from tvaers.indicators.catalogue import Catalogue
from tvaers.indicators.definitions import Disease
from tvaers.indicators.methods.readmissions import Readmissions
from tvaers.sql import text_list


@dataclass(frozen=True)
class CodeLists:
    """The code lists the measures use, read from the indicator catalogue (so a corrected
    list there moves the calibration aid with the engine)."""

    preventable: tuple[str, ...]
    chronic: tuple[Disease, ...]
    index_excluded: tuple[str, ...]  # index admissions: diagnoses, discharged_to
    index_excluded_to: tuple[str, ...]
    readmission_excluded: tuple[str, ...]
    readmission_hours: float


def code_lists(cat: Catalogue | None = None) -> CodeLists:
    cat = cat or catalogue.load()
    preventable = cat.get("preventable_admissions_65plus")
    readmissions = cat.get("readmissions_30d_somatic").method
    assert isinstance(readmissions, Readmissions)
    return CodeLists(
        preventable=tuple(c for s in preventable.strata for c in s.codes),
        chronic=cat.blocks.diseases,
        index_excluded=readmissions.index.excluded_diagnoses,
        index_excluded_to=readmissions.index.excluded_discharged_to,
        readmission_excluded=readmissions.readmission.excluded_diagnoses,
        readmission_hours=float(readmissions.readmission.within_hours),
    )


def __getattr__(name: str):
    # CHRONIC_DX (disease -> diagnosis prefixes) was a copy of the catalogue's lists; it is
    # still offered, read from the catalogue when asked for.
    if name == "CHRONIC_DX":
        return {d.id: list(d.diagnoses) for d in code_lists().chronic}
    raise AttributeError(name)


def _prefix(col: str, prefixes: tuple[str, ...] | list[str]) -> str:
    return "(" + " OR ".join(f"starts_with({col}, '{p}')" for p in prefixes) + ")"


def _views(con: duckdb.DuckDBPyConnection, dirs: list[Path]) -> None:
    def files(name: str) -> list[str]:
        found = []
        for d in dirs:
            found += [str(p) for p in d.glob(f"{name}.*") if p.suffix in (".csv", ".parquet")]
        return found

    for name in (
        "persons", "residence", "hospital_contacts", "hospital_diagnoses", "municipal_services",
        "gp_contacts", "prescriptions",
    ):  # fmt: skip
        fs = files(name)
        if not fs:
            continue
        if fs[0].endswith(".csv"):
            src = f"read_csv({fs}, header = true, all_varchar = true)"
        else:
            src = f"read_parquet({fs})"
        con.execute(f"CREATE VIEW raw_{name} AS SELECT * FROM {src}")
    key = (
        "cpr"
        if "cpr" in [c[0] for c in con.execute("DESCRIBE raw_persons").fetchall()]
        else ("person_id")
    )
    con.execute(
        f"""CREATE TABLE persons AS SELECT {key} AS p, CAST(birth_date AS DATE) AS birth,
        CAST(death_date AS DATE) AS death FROM raw_persons"""
    )
    con.execute(
        f"""CREATE TABLE residence AS SELECT {key} AS p, municipality_code AS m,
        CAST(valid_from AS DATE) AS vf, CAST(valid_to AS DATE) AS vt FROM raw_residence"""
    )
    con.execute(
        f"""CREATE TABLE contacts AS SELECT contact_id, {key} AS p,
        CAST(replace(CAST(start AS VARCHAR), 'T', ' ') AS TIMESTAMP) AS s,
        CAST(replace(CAST("end" AS VARCHAR), 'T', ' ') AS TIMESTAMP) AS e,
        contact_type, priority, sector, diagnosis,
        CAST(replace(CAST(ready_for_discharge AS VARCHAR), 'T', ' ') AS TIMESTAMP) AS rfd,
        discharged_to FROM raw_hospital_contacts"""
    )


def _stays(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """CREATE TABLE stays AS
        WITH c AS (
            SELECT *, max(e) OVER (PARTITION BY p, sector ORDER BY s, contact_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
            FROM contacts WHERE contact_type = 'physical' AND e IS NOT NULL),
        n AS (
            SELECT *, sum(CASE WHEN prev_end IS NULL OR s > prev_end + INTERVAL 4 HOUR
                          THEN 1 ELSE 0 END)
                      OVER (PARTITION BY p, sector ORDER BY s, contact_id) AS stay_no
            FROM c)
        SELECT p, sector, stay_no, min(s) AS s, max(e) AS e,
            arg_min(priority, s) AS priority,
            arg_max(diagnosis, (datediff('minute', s, e), -epoch(s))) AS diagnosis,
            arg_max(discharged_to, e) AS discharged_to
        FROM n GROUP BY ALL"""
    )
    con.execute(
        """CREATE TABLE adm AS SELECT st.*, date_diff('year', pe.birth, CAST(st.s AS DATE))
            - CASE WHEN strftime(CAST(st.s AS DATE), '%m%d') < strftime(pe.birth, '%m%d')
                   THEN 1 ELSE 0 END AS age_s,
            date_diff('year', pe.birth, CAST(st.e AS DATE))
            - CASE WHEN strftime(CAST(st.e AS DATE), '%m%d') < strftime(pe.birth, '%m%d')
                   THEN 1 ELSE 0 END AS age_e,
            pe.death
        FROM stays st JOIN persons pe USING (p)
        WHERE st.e >= st.s + INTERVAL 12 HOUR"""
    )


def measure(directory: Path | list[Path], year: int = 2023) -> dict[str, float]:
    """The key figures for one year of a delivery (or of the deliveries of a split run)."""
    lists = code_lists()
    dirs = [directory] if isinstance(directory, Path) else list(directory)
    if len(dirs) == 1 and (dirs[0] / "manifest.json").exists():
        dirs = [d for d in dirs[0].iterdir() if d.is_dir()]
    con = duckdb.connect()
    _views(con, dirs)
    _stays(con)
    jan1, next_jan1 = f"DATE '{year}-01-01'", f"DATE '{year + 1}-01-01'"
    age = f"(date_diff('year', birth, {jan1}))"
    con.execute(
        f"""CREATE TABLE pop AS SELECT DISTINCT pe.p, pe.birth, pe.death, {age} AS age, r.m
        FROM persons pe JOIN residence r USING (p)
        WHERE r.vf <= {jan1} AND (r.vt IS NULL OR r.vt > {jan1}) AND pe.birth < {jan1}
          AND (pe.death IS NULL OR pe.death >= {jan1})"""
    )
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    out: dict[str, float] = {}
    n = q("SELECT count(*) FROM pop")
    n65 = q("SELECT count(*) FROM pop WHERE age >= 65")
    n18 = q("SELECT count(*) FROM pop WHERE age >= 18")
    out["population"] = n
    out["share_65plus_pct"] = 100 * n65 / n
    out["share_80plus_pct"] = 100 * q("SELECT count(*) FROM pop WHERE age >= 80") / n
    in_year = f"s >= {jan1} AND s < {next_jan1}"
    out["deaths_per_1000"] = (
        1000 * q(f"SELECT count(*) FROM persons WHERE death >= {jan1} AND death < {next_jan1}") / n
    )
    out["admissions_per_1000"] = 1000 * q(f"SELECT count(*) FROM adm WHERE {in_year}") / n
    out["admissions_national_equiv"] = out["admissions_per_1000"] * 5_900
    out["acute_share_pct"] = 100 * q(
        f"SELECT avg((priority = 'acute')::INT) FROM adm WHERE {in_year}"
    )
    out["psychiatric_admissions_per_1000"] = (
        1000 * q(f"SELECT count(*) FROM adm WHERE {in_year} AND sector = 'psychiatric'") / n
    )
    out["mean_los_days_somatic"] = q(
        f"SELECT avg(datediff('minute', s, e)) / 1440 FROM adm WHERE {in_year} "
        "AND sector = 'somatic'"
    )
    contacts = q(f"SELECT count(*) FROM contacts WHERE {in_year}")
    adm_contacts = q(
        f"""SELECT count(*) FROM contacts c JOIN adm a ON c.p = a.p AND c.s >= a.s
            AND c.s <= a.e AND c.contact_type = 'physical'
            WHERE c.s >= {jan1} AND c.s < {next_jan1}"""
    )
    out["outpatient_contacts_per_person"] = (contacts - adm_contacts) / n
    out["outpatient_national_equiv_millions"] = out["outpatient_contacts_per_person"] * 5.9
    prev = q(
        f"""SELECT count(*) FROM adm WHERE {in_year} AND priority = 'acute'
            AND sector = 'somatic' AND age_s >= 65
            AND {_prefix("diagnosis", lists.preventable)}"""
    )
    out["preventable_65plus_per_1000"] = 1000 * prev / n65
    excluded_index = _prefix("diagnosis", lists.index_excluded)
    excluded_re = _prefix("diagnosis", lists.readmission_excluded)
    excluded_to = text_list(("died", *lists.index_excluded_to))
    for label, cond in (("all", "true"), ("65plus", "i.age_e >= 65")):
        row = con.execute(
            f"""WITH idx AS (
                SELECT * FROM adm WHERE sector = 'somatic' AND e >= {jan1} AND e < {next_jan1}
                  AND coalesce(discharged_to, '') NOT IN ({excluded_to})
                  AND NOT (death IS NOT NULL AND death = CAST(e AS DATE))
                  AND NOT {excluded_index}),
            re AS (SELECT * FROM adm WHERE sector = 'somatic' AND priority = 'acute'
                   AND NOT {excluded_re})
            SELECT count(*), count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM re WHERE re.p = i.p AND re.s > i.e
                  AND re.s <= i.e + to_seconds({lists.readmission_hours * 3600})))
            FROM idx i WHERE {cond}"""
        ).fetchone()
        out[f"readmission_30d_{label}_pct"] = 100 * row[1] / max(1, row[0])
    rfd = q(
        f"""SELECT sum(CAST(e AS DATE) - CAST(rfd AS DATE)) FROM contacts
            WHERE rfd IS NOT NULL AND sector = 'somatic' AND e >= {jan1} AND e < {next_jan1}"""
    )
    out["ready_for_discharge_days_per_1000"] = 1000 * (rfd or 0) / n
    # Chronic prevalence among residents 18+ on 1 January.
    codes = """SELECT p, diagnosis AS code, s FROM contacts
        UNION ALL SELECT c.p, d.code, c.s FROM raw_hospital_diagnoses d
        JOIN contacts c USING (contact_id)"""
    con.execute(f"CREATE TABLE dx AS SELECT p, code, min(s) AS first FROM ({codes}) GROUP BY ALL")
    key = (
        "cpr"
        if "cpr" in [c[0] for c in con.execute("DESCRIBE raw_prescriptions").fetchall()]
        else ("person_id")
    )
    con.execute(
        f"""CREATE TABLE rx AS SELECT {key} AS p, CAST(dispensed_on AS DATE) AS d, atc
        FROM raw_prescriptions"""
    )
    any_sql = []
    for disease in lists.chronic:
        sqls = [f"SELECT p FROM dx WHERE first < {jan1} AND {_prefix('code', disease.diagnoses)}"]
        rx = disease.prescriptions
        if rx is not None:
            since = f"{jan1} - INTERVAL {int(rx.lookback_years)} YEAR"
            if rx.min_dispensings == 1:
                sqls.append(
                    f"SELECT p FROM rx WHERE d < {jan1} AND d >= {since} "
                    f"AND {_prefix('atc', rx.atc)}"
                )
            else:  # two dispensings close enough together, the later at a minimum age
                sqls.append(
                    f"""SELECT r.p FROM (
                        SELECT p, d, lag(d) OVER (PARTITION BY p ORDER BY d) AS prev FROM rx
                        WHERE {_prefix("atc", rx.atc)} AND d < {jan1} AND d >= {since}) r
                    JOIN persons pe USING (p)
                    WHERE r.d - r.prev <= {int(rx.within_days or 0)}
                      AND date_diff('year', pe.birth, r.d) >= {int(rx.min_age_at_last or 0)}"""
                )
        union = " UNION ".join(sqls)
        any_sql.append(union)
        out[f"prevalence_{disease.id}_pct"] = (
            100 * q(f"SELECT count(*) FROM pop WHERE age >= 18 AND p IN ({union})") / n18
        )
    out["prevalence_any_pct"] = (
        100
        * q(f"SELECT count(*) FROM pop WHERE age >= 18 AND p IN ({' UNION '.join(any_sql)})")
        / n18
    )
    out["gp_contacts_per_person"] = (
        q(
            f"""SELECT count(*) FROM raw_gp_contacts
            WHERE CAST(left(CAST("at" AS VARCHAR), 4) AS INTEGER) = {year}"""
        )
        / n
    )
    out["prescriptions_per_person"] = (
        q(f"SELECT count(*) FROM rx WHERE d >= {jan1} AND d < {next_jan1}") / n
    )
    for svc in ("home_care_practical", "nursing_home"):
        out[f"{svc}_65plus_pct"] = (
            100
            * q(
                f"""SELECT count(DISTINCT s.{key}) FROM raw_municipal_services s
                JOIN pop ON pop.p = s.{key}
                WHERE s.service = '{svc}' AND pop.age >= 65
                  AND CAST(s.start AS DATE) <= {jan1}
                  AND (s."end" IS NULL OR CAST(s."end" AS DATE) >= {jan1})"""
            )
            / n65
        )
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    year = int(argv[1]) if len(argv) > 1 else 2023
    for k, v in measure(Path(argv[0]), year).items():
        print(f"{k:40s} {v:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
