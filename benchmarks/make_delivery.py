"""Write a synthetic, contract-valid delivery (persons, residence, hospital_contacts).

Everything is generated inside DuckDB from `range(n)` with a seeded integer hash, so a
10-million-contact delivery takes seconds and the same seed always gives the same rows
(same file bytes for CSV; for Parquet the same rows in the same order).

    .venv/bin/python benchmarks/make_delivery.py --out benchmarks/data/d1 \\
        --persons 1000000 --contacts 10000000 --format csv --person-key cpr --seed 1

What the rows look like (all within data contract v1, extracted_at 2025-06-30):

- persons: birth dates uniform over 1920-01-01..2023-12-31; the CPR is DDMMYY + a 7th
  digit that gives the right century (0-3 for the 1900s, 4 for the 2000s, YY <= 23) + 3
  serial digits, unique per birth date; sex follows the parity of the last digit (as real
  CPR numbers do); about 3 % die between 2025-01-01 and 2025-06-01.
- residence: one open period per person from the birth date, in one of the 98
  municipalities.
- hospital_contacts: start uniform over 2019-01-01..2024-12-31 (not before birth), so no
  contact starts after a death; outpatient, virtual, home and admitted contacts with
  plausible durations; 0.5 % ongoing (no end); ready_for_discharge on ~5 %; discharged_to
  on admissions. Local times that do not exist (the hour skipped when summer time starts)
  are moved to 03:00, which keeps end >= start.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from tvaers.reference.org import municipality_codes

GENERATOR_VERSION = 1  # bump when the generated rows change, so cached deliveries are remade
EXTRACTED_AT = "2025-06-30"
BIRTH_FIRST = date(1920, 1, 1)
BIRTH_LAST = date(2023, 12, 31)
# Serial numbers available per birth date: 4 x 1000 in the 1900s (7th digit 0-3); in the
# 2000s only 7th digit 4 is used, so 1000. This bounds how many persons fit.
SERIALS_2000S = 1000
TABLE_NAMES = ("persons", "residence", "hospital_contacts")

# Seeded 31-bit integer hash (three xorshift-multiply rounds). Written out in SQL rather
# than DuckDB's hash() so the data do not change with the DuckDB version. Every product
# stays below 2**62, inside BIGINT.
_MACROS = """
CREATE OR REPLACE MACRO _mix(x) AS (xor(x, x >> 15) * 1935289751) % 2147483648;
CREATE OR REPLACE MACRO _fin(x) AS xor(x, x >> 16);
CREATE OR REPLACE MACRO h(i, k) AS
    _fin(_mix(_mix(_mix((i * 40503 + k * 1000003 + {seed} * 7919 + 12345) % 2147483648))));
CREATE OR REPLACE MACRO u(i, k) AS h(i, k) / 2147483648.0;
-- Wall-clock local time that does not exist (02:00-02:59 on the last Sunday of March,
-- when Danish summer time starts) is clamped to 03:00: monotone, so order is kept.
CREATE OR REPLACE MACRO no_gap(ts) AS CASE
    WHEN month(ts) = 3 AND day(ts) >= 25 AND dayofweek(ts) = 0 AND hour(ts) = 2
    THEN date_trunc('day', ts) + INTERVAL 3 HOUR ELSE ts END;
"""


def _persons_sql(n: int, person_key: str, seed: int) -> str:
    n_days = (BIRTH_LAST - BIRTH_FIRST).days + 1
    if person_key == "cpr":
        key = """strftime(birth_date, '%d%m%y')
            || CASE WHEN year(birth_date) >= 2000 THEN '4' ELSE (s // 1000)::VARCHAR END
            || lpad((s % 1000)::VARCHAR, 3, '0')"""
        sex = "CASE WHEN s % 2 = 1 THEN 'M' ELSE 'F' END"
    else:
        key = f"md5('tvaers-benchmark-{seed}-' || i::VARCHAR)"
        sex = "CASE WHEN h(i, 3) % 2 = 1 THEN 'M' ELSE 'F' END"
    return f"""
    CREATE TABLE persons AS
    WITH b AS (
        SELECT range AS i, DATE '{BIRTH_FIRST}' + (h(range, 1) % {n_days})::INTEGER AS birth_date
        FROM range({n})),
    k AS (
        SELECT i, birth_date,
               row_number() OVER (PARTITION BY birth_date ORDER BY i) - 1 AS k,
               h(datediff('day', DATE '{BIRTH_FIRST}', birth_date), 2) AS off
        FROM b),
    s AS (
        SELECT i, birth_date, k,
               CASE WHEN year(birth_date) >= 2000 THEN (k + off) % {SERIALS_2000S}
                    ELSE (k + off) % 4000 END AS s
        FROM k)
    SELECT i, {key} AS person, birth_date, {sex} AS sex,
           CASE WHEN h(i, 4) % 1000 < 30
                THEN DATE '2025-01-01' + (h(i, 5) % 152)::INTEGER END AS death_date,
           k
    FROM s
    ORDER BY i
    """


def _contacts_sql(m: int, n: int) -> str:
    return f"""
    CREATE TABLE contacts AS
    WITH c AS (
        SELECT range AS j, h(range, 10) % {n} AS p,
               h(range, 11) % 100 AS r_type, h(range, 12) % 100 AS r_adm,
               h(range, 13) % 1000 AS r_open, h(range, 14) % 100 AS r_rfd,
               h(range, 15) % 100 AS r_dest, h(range, 16) AS r_dur, h(range, 17) AS r_start,
               h(range, 18) AS r_dx, h(range, 19) AS r_hosp,
               h(range, 21) % 100 AS r_prio, h(range, 22) % 100 AS r_sector
        FROM range({m})),
    t AS (
        SELECT c.*, p.person,
               greatest(TIMESTAMP '2019-01-01', p.birth_date::TIMESTAMP) AS lo,
               CASE WHEN r_type < 80 THEN 'physical' WHEN r_type < 92 THEN 'virtual'
                    ELSE 'home' END AS contact_type
        FROM c JOIN persons p ON p.i = c.p),
    d AS (
        SELECT t.*,
               lo + to_minutes(r_start % datediff('minute', lo, TIMESTAMP '2025-01-01')) AS s0,
               CASE WHEN contact_type = 'physical' AND r_adm < 25
                    THEN 360 + r_dur % 20000           -- admission: 6 h to ~14 days
                    WHEN contact_type = 'virtual' THEN 5 + r_dur % 55
                    ELSE 10 + r_dur % 230 END AS dur,
               contact_type = 'physical' AND r_adm < 25 AS admitted
        FROM t)
    SELECT j,
           'K' || lpad(j::VARCHAR, 10, '0') AS contact_id,
           person,
           printf('%04d%03d', 5000 + r_hosp % 400, (r_hosp // 400) % 100 * 10) AS hospital_code,
           no_gap(s0) AS start,
           CASE WHEN r_open >= 5 THEN no_gap(s0 + to_minutes(dur)) END AS "end",
           contact_type,
           CASE WHEN r_prio < 40 THEN 'acute' ELSE 'planned' END AS priority,
           CASE WHEN r_sector < 10 THEN 'psychiatric' ELSE 'somatic' END AS sector,
           'D' || chr((65 + r_dx % 26)::INTEGER) || lpad(((r_dx // 26) % 100)::VARCHAR, 2, '0')
               || CASE (r_dx // 2600) % 3 WHEN 0 THEN ''
                       WHEN 1 THEN ((r_dx // 7800) % 10)::VARCHAR
                       ELSE lpad(((r_dx // 7800) % 100)::VARCHAR, 2, '0') END AS diagnosis,
           CASE WHEN r_open >= 5 AND admitted AND r_rfd < 20
                THEN no_gap(s0 + to_minutes((dur * (0.5 + 0.5 * u(j, 20)))::BIGINT))
                END AS ready_for_discharge,
           CASE WHEN r_open >= 5 AND admitted THEN
                CASE WHEN r_dest < 85 THEN 'home' WHEN r_dest < 89 THEN 'nursing_home'
                     WHEN r_dest < 92 THEN 'temporary_bed' WHEN r_dest < 93 THEN 'hospice'
                     WHEN r_dest < 98 THEN 'other_hospital' ELSE 'other' END
                END AS discharged_to
    FROM d
    ORDER BY j
    """


def _key_column(person_key: str) -> str:
    return "cpr" if person_key == "cpr" else "person_id"


def _exports(fmt: str, person_key: str) -> dict[str, str]:
    """SELECT per output table. CSV gets text in the contract's formats; Parquet keeps
    native DATE/TIMESTAMP columns, as a producer writing Parquet would."""
    key = _key_column(person_key)
    if fmt == "csv":
        dt = "strftime({0}, '%Y-%m-%dT%H:%M')"
        d = "strftime({0}, '%Y-%m-%d')"
    else:
        dt = d = "{0}"
    return {
        "persons": f"""SELECT person AS {key}, {d.format("birth_date")} AS birth_date, sex,
                   {d.format("death_date")} AS death_date FROM persons ORDER BY i""",
        "residence": f"""SELECT p.person AS {key}, m.code AS municipality_code,
                   {d.format("p.birth_date")} AS valid_from,
                   NULL::{"VARCHAR" if fmt == "csv" else "DATE"} AS valid_to
                   FROM persons p JOIN municipalities m ON m.idx = h(p.i, 30) % m.n
                   ORDER BY p.i""",
        "hospital_contacts": f"""SELECT contact_id, person AS {key}, hospital_code,
                   {dt.format("start")} AS start, {dt.format('"end"')} AS "end",
                   contact_type, priority, sector, diagnosis,
                   {dt.format("ready_for_discharge")} AS ready_for_discharge, discharged_to
                   FROM contacts ORDER BY j""",
    }


def make_delivery(
    out: Path,
    *,
    persons: int = 1_000_000,
    contacts: int = 10_000_000,
    fmt: str = "csv",
    person_key: str = "cpr",
    seed: int = 1,
    threads: int | None = None,
    log=print,
) -> dict:
    """Write the delivery to `out` (replaced if it exists); return what was written."""
    if fmt not in ("csv", "parquet"):
        raise ValueError("fmt must be csv or parquet")
    if person_key not in ("cpr", "person_id"):
        raise ValueError("person_key must be cpr or person_id")
    if persons < 1 or contacts < 0:
        raise ValueError("need at least one person and a non-negative number of contacts")
    started = time.perf_counter()
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)

    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute(_MACROS.format(seed=int(seed)))
    codes = sorted(municipality_codes())
    con.execute("CREATE TABLE municipalities (idx INTEGER, code VARCHAR, n INTEGER)")
    con.executemany(
        "INSERT INTO municipalities VALUES (?, ?, ?)",
        [(i, c, len(codes)) for i, c in enumerate(codes)],
    )

    con.execute(_persons_sql(persons, person_key, seed))
    max_k = con.execute(
        "SELECT max(k) FILTER (WHERE year(birth_date) >= 2000), max(k) FROM persons"
    ).fetchone()
    if (max_k[0] or 0) >= SERIALS_2000S or (max_k[1] or 0) >= 4000:
        raise ValueError(f"{persons} persons do not fit in unique CPR numbers; use fewer")
    con.execute(_contacts_sql(contacts, persons))
    t_gen = time.perf_counter() - started

    options = "(HEADER, DELIMITER ',')" if fmt == "csv" else "(FORMAT parquet)"
    files = {}
    for name, select in _exports(fmt, person_key).items():
        path = tmp / f"{name}.{fmt}"
        con.execute(f"COPY ({select}) TO '{path}' {options}")
        files[name] = path
    meta = {
        "source": f"Syntetisk benchmark-levering (seed {seed})",
        "extracted_at": EXTRACTED_AT,
    }
    (tmp / "delivery.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    rows = {
        "persons": persons,
        "residence": persons,
        "hospital_contacts": contacts,
    }
    con.close()

    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    elapsed = time.perf_counter() - started
    summary = {
        "directory": str(out),
        "generator_version": GENERATOR_VERSION,
        "format": fmt,
        "person_key": person_key,
        "persons": persons,
        "contacts": contacts,
        "seed": seed,
        "rows": rows,
        "bytes": {name: (out / p.name).stat().st_size for name, p in files.items()},
        "seconds": round(elapsed, 2),
    }
    t_write = elapsed - t_gen
    log(f"Wrote {out} in {elapsed:.1f} s (generating {t_gen:.1f} s, writing {t_write:.1f} s)")
    for name in TABLE_NAMES:
        size = summary["bytes"][name]
        log(f"  {name}.{fmt}: {rows[name]:>12,} rows  {size / 1e6:>10.1f} MB")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="delivery directory to write")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=10_000_000)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--person-key", choices=("cpr", "person_id"), default="cpr")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default all)")
    args = parser.parse_args(argv)
    try:
        make_delivery(
            args.out,
            persons=args.persons,
            contacts=args.contacts,
            fmt=args.format,
            person_key=args.person_key,
            seed=args.seed,
            threads=args.threads,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
