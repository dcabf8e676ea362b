"""The synthetic population: municipalities, persons, CPR numbers, deaths, moves.

Population per municipality: data/municipality_population.csv holds approximate FOLK1A
figures for 1 January 2019 (Danmarks Statistik, rounded, not an official extract); each
region's municipalities are scaled so the region sums to the verified 2019 total in
rates.REGION_POPULATION_2019. The first generated year starts with that population times
`scale`; births are added every year; deaths follow a Gompertz hazard rising with age.

Everything person-level is one row of the `persons` work table, computed from the person's
number `i` with seeded hashes: birth date and sex, chronic disease onsets (chronic.py),
home care and nursing-home entry (care.py), death, at most one move within the region, and
the person key (a CPR number valid by the contract's century rule, or a person_id).
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

import duckdb

from tvaers.reference.org import clusters_of, municipalities, municipality
from tvaers.sql import lit
from tvaers.synth import care, chronic, rates, transitions
from tvaers.synth.rates import DISEASES, MORTALITY_EXTRA
from tvaers.synth.sql import Ctx

REGIONS = {
    "nordjylland": "1081",
    "midtjylland": "1082",
    "syddanmark": "1083",
    "hovedstaden": "1084",
    "sjaelland": "1085",
}
# Synthetic SHAK hospital prefixes (2 digits per region; the cluster adds 2 more). Codes
# are made up in the SHAK shape: 4-digit hospital + 3-digit department.
_HOSPITAL_PREFIX = {"1081": "80", "1082": "70", "1083": "42", "1084": "13", "1085": "38"}
# Hospitals follow the health clusters (in force 2022-2026) of the municipality.
_CLUSTER_DAY = date(2023, 1, 1)


@dataclass
class MunicipalityPlan:
    idx: int
    code: str
    name: str
    region_code: str
    population: float  # 1 Jan of the first year, after scaling
    n0: int
    births: dict[int, int] = field(default_factory=dict)
    tilt: float = 0.0
    preventable: float = 1.0  # multiplier on preventable admissions (before the trend)
    worse: bool = False
    improving: bool = False
    rfd: float = 1.0  # multiplier on ready-for-discharge share
    care: float = 1.0  # multiplier on home-care uptake
    # Transitions (transitions.py): follow-up level and its yearly gain, referral uptake
    # (logit shift and its yearly gain), smoking-cessation referral factor, share of
    # discharges without a discharge notification.
    followup: float = 0.75
    followup_gain: float = 0.0
    uptake: float = 0.0
    uptake_gain: float = 0.0
    smoking_referral: float = 1.0
    notification_missing: float = 0.0
    hospital: str = ""  # 4-digit synthetic SHAK hospital code
    clinics: int = 1


def _published_population() -> dict[str, float]:
    text = (resources.files("tvaers.synth") / "data" / "municipality_population.csv").read_text(
        encoding="utf-8"
    )
    raw = {r["code"]: float(r["population"]) for r in csv.DictReader(io.StringIO(text))}
    by_region: dict[str, float] = {}
    for code, pop in raw.items():
        by_region[municipality(code).region_code] = (
            by_region.get(municipality(code).region_code, 0) + pop
        )
    # Scale so each region sums to its verified 2019 total.
    return {
        code: pop
        * rates.REGION_POPULATION_2019[municipality(code).region_code]
        / by_region[municipality(code).region_code]
        for code, pop in raw.items()
    }


def plan(region: str, scale: float, years: tuple[int, int], seed: int) -> list[MunicipalityPlan]:
    """The municipalities to generate with their sizes and (seeded) effects."""
    if region != "all" and region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; choose {', '.join([*REGIONS, 'all'])}")
    wanted = set(REGIONS.values()) if region == "all" else {REGIONS[region]}
    pops = _published_population()
    out: list[MunicipalityPlan] = []
    cluster_index: dict[str, int] = {}
    for m in municipalities():
        if m.region_code not in wanted:
            continue
        # Effects depend on the seed and the municipality only, not on which region is
        # generated, so a municipality looks the same in a regional and a national run.
        rng = random.Random(f"tvaers-synth:{seed}:{m.code}")
        pop = pops[m.code] * scale
        if m.code in rates.CITY_MUNICIPALITIES:
            tilt = rates.AGE_TILT_CITY
        elif pops[m.code] < 30_000:
            tilt = rates.AGE_TILT_SMALL
        else:
            tilt = rng.gauss(0, rates.AGE_TILT_NOISE)
        worse = rng.random() < rates.MUNI_WORSE_SHARE
        improving = rng.random() < rates.MUNI_IMPROVING_SHARE
        prev = math.exp(rng.gauss(0, rates.MUNI_PREVENTABLE_SIGMA))
        rfd = math.exp(rng.gauss(0, rates.MUNI_RFD_SIGMA) - rates.MUNI_RFD_SIGMA**2 / 2)
        care_f = math.exp(rng.gauss(0, rates.MUNI_CARE_SIGMA))
        tr = transitions.effects(seed, m.code)
        births = {}
        for y in range(years[0], years[1] + 1):
            x = pop * rates.BIRTHS_PER_1000 / 1000
            births[y] = int(x) + (1 if rng.random() < x - int(x) else 0)
        slug = clusters_of(m.code, _CLUSTER_DAY)[0].slug
        cluster_index.setdefault(slug, len([s for s in cluster_index if s]) + 1)
        hospital = f"{_HOSPITAL_PREFIX[m.region_code]}{cluster_index[slug] * 10:02d}"
        out.append(
            MunicipalityPlan(
                idx=len(out),
                code=m.code,
                name=m.name,
                region_code=m.region_code,
                population=pop,
                n0=max(1, round(pop)),
                births=births,
                tilt=tilt,
                preventable=prev * (rates.MUNI_WORSE_FACTOR if worse else 1.0),
                worse=worse,
                improving=improving,
                rfd=rfd,
                care=care_f,
                hospital=hospital,
                clinics=max(1, round(pop / rates.PERSONS_PER_CLINIC)),
                notification_missing=transitions.notification_missing(seed, hospital, m.code),
                **tr,
            )
        )
    return out


def _age_weights(tilt: float) -> list[float]:
    w = []
    for age in range(rates.MAX_AGE + 1):
        band = min(age // 5, len(rates.AGE_PYRAMID_2019) - 1)
        w.append(rates.AGE_PYRAMID_2019[band] / 5 * math.exp(tilt * (age - 40) / 40))
    total = sum(w)
    return [x / total for x in w]


def _insert(con: duckdb.DuckDBPyConnection, name: str, rows: list[tuple]) -> None:
    """Insert rows as one VALUES statement (executemany is slow: one statement per row)."""

    def sql(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return lit(v)
        return repr(v)

    for start in range(0, len(rows), 5000):
        chunk = rows[start : start + 5000]
        values = ", ".join("(" + ", ".join(sql(v) for v in r) + ")" for r in chunk)
        con.execute(f"INSERT INTO {name} VALUES {values}")


def load_tables(con: duckdb.DuckDBPyConnection, munis: list[MunicipalityPlan], c: Ctx) -> int:
    """muni, muni_births, age_cells, mcdf: the small driving tables. Returns persons total."""
    # Initial population as (municipality, age, sex) cells: each municipality's people are
    # spread over the cells of its age pyramid by seeded stochastic rounding, so the pyramid
    # is exact up to rounding (and no per-person inverse-CDF join is needed). Person numbers
    # i: the cells in order, then the births of each year.
    cells, off = [], 0
    for m in munis:
        rng = random.Random(f"tvaers-synth-cells:{c.seed}:{m.code}")
        first = off
        for age, w in enumerate(_age_weights(m.tilt)):
            for sex, share in (("M", rates.male_share(age)), ("F", 1 - rates.male_share(age))):
                x = m.population * w * share
                n = int(x) + (1 if rng.random() < x - int(x) else 0)
                if n:
                    cells.append((m.idx, age, sex, n, off))
                    off += n
        m.n0 = off - first
    con.execute(
        "CREATE OR REPLACE TABLE age_cells (mi INTEGER, age INTEGER, sex VARCHAR, n BIGINT, "
        "off BIGINT)"
    )
    _insert(con, "age_cells", cells)
    con.execute(
        """CREATE OR REPLACE TABLE muni (mi INTEGER, code VARCHAR, region_code VARCHAR,
        n0 BIGINT, prev DOUBLE, improving BOOLEAN, rfd DOUBLE, care DOUBLE,
        hosp VARCHAR, clinics INTEGER, fu DOUBLE, fug DOUBLE, upt DOUBLE, uptg DOUBLE,
        scr DOUBLE, nmiss DOUBLE)"""
    )
    rows = [
        (m.idx, m.code, m.region_code, m.n0, m.preventable, m.improving, m.rfd, m.care,
         m.hospital, m.clinics, m.followup, m.followup_gain, m.uptake, m.uptake_gain,
         m.smoking_referral, m.notification_missing)
        for m in munis
    ]  # fmt: skip
    _insert(con, "muni", rows)
    birth_rows = []
    for y in range(c.y0, c.y1 + 1):
        for m in munis:
            birth_rows.append((m.idx, y, m.births[y], off))
            off += m.births[y]
    con.execute(
        "CREATE OR REPLACE TABLE muni_births (mi INTEGER, y INTEGER, nb BIGINT, off BIGINT)"
    )
    _insert(con, "muni_births", birth_rows)
    # Destination of a move: a municipality of the same region, weighted by population.
    mcdf = []
    for region in sorted({m.region_code for m in munis}):
        members = [m for m in munis if m.region_code == region]
        total, lo = sum(m.population for m in members), 0.0
        for m in members:
            mcdf.append((region, lo, m.idx))
            lo += m.population / total
    con.execute("CREATE OR REPLACE TABLE mcdf (region_code VARCHAR, lo DOUBLE, mi INTEGER)")
    _insert(con, "mcdf", mcdf)
    return off


def _mortality(age: str) -> str:
    r = rates
    return (
        f"(CASE WHEN {age} <= 0 THEN {r.MORTALITY_INFANT} ELSE {r.MORTALITY_FLOOR} + "
        f"{r.MORTALITY_Q60} * exp({r.MORTALITY_SLOPE} * ({age} - 60)) END)"
    )


def _hazard_multiplier(on: str) -> str:
    extra = [
        f"{MORTALITY_EXTRA[d.key]} * coalesce({chronic.onset_col(d)} < {on}, false)::INTEGER"
        for d in DISEASES
        if d.key in MORTALITY_EXTRA
    ]
    extra.append(f"{MORTALITY_EXTRA['nursing_home']} * coalesce(nh_on < {on}, false)::INTEGER")
    return "(1 + " + " + ".join(extra) + ")"


def _move_rate(age: str) -> str:
    knots = sorted(rates.MOVE_RATE_KNOTS.items())
    parts = []
    for (a0, v0), (a1, v1) in itertools.pairwise(knots):
        parts.append(f"WHEN {age} < {a1} THEN {v0} + ({v1} - {v0}) * ({age} - {a0}) / {a1 - a0}")
    return f"(CASE {' '.join(parts)} ELSE {knots[-1][1]} END)"


# CPR: the 7th digit gives the century with the year (contract rule); per birth year these
# digits are usable. Each (birth date, sex) gets consecutive serials, so numbers are unique
# and the last digit is odd for men, even for women, as in real CPR numbers.
_CENTURY_DIGITS = (
    (1900, 1936, [0, 1, 2, 3]),
    (1937, 1999, [0, 1, 2, 3, 4, 9]),
    (2000, 2036, [4, 5, 6, 7, 8, 9]),
)


def _cpr_sql() -> str:
    cases_cap = " ".join(
        f"WHEN year(birth_date) BETWEEN {a} AND {b} THEN {len(d) * 1000}"
        for a, b, d in _CENTURY_DIGITS
    )
    cases_digit = " ".join(
        f"WHEN year(birth_date) BETWEEN {a} AND {b} THEN {d}[1 + (num // 1000)::INTEGER]"
        for a, b, d in _CENTURY_DIGITS
    )
    return (
        f"""
        strftime(birth_date, '%d%m%y') || (CASE {cases_digit} END)::VARCHAR
        || lpad((num % 1000)::VARCHAR, 3, '0')""",
        f"(CASE {cases_cap} END)",
    )


# Attributes of the first and second municipality carried on each person (see sql.at).
_MUNI_ATTRS = ", ".join(
    f"m{n}.{col} AS {name}{n}"
    for n in (1, 2)
    for col, name in (
        ("code", "code"), ("hosp", "hosp"), ("clinics", "clinics"), ("prev", "prev"),
        ("improving", "impr"), ("rfd", "rfd"), ("fu", "fu"), ("fug", "fug"), ("upt", "upt"),
        ("uptg", "uptg"), ("scr", "scr"), ("nmiss", "nmiss"),
    )
)  # fmt: skip


def build_persons(con: duckdb.DuckDBPyConnection, c: Ctx, person_key: str) -> None:
    """persons: one row per person with everything person-level (see module doc)."""
    start = c.first_day
    # Stage 1: who exists, where, born when, which sex.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE p0 AS
        WITH aged AS (
            SELECT off + k AS i, mi, age, sex FROM (
                SELECT off, mi, age, sex, unnest(range(n)) AS k FROM age_cells)),
        born AS (
            SELECT off + k AS i, mi, y FROM (SELECT mi, y, off, unnest(range(nb)) AS k
                                             FROM muni_births))
        SELECT i, mi, age AS age0,
               make_date({c.y0} - age, 1, 1) - CAST(floor(u(i, 2) * 365) AS INTEGER)
                   AS birth_date,
               sex, false AS newborn
        FROM aged
        UNION ALL
        SELECT i, mi, NULL, make_date(y, 1, 1) + CAST(floor(u(i, 2) * 365) AS INTEGER),
               CASE WHEN u(i, 3) < 0.513 THEN 'M' ELSE 'F' END, true
        FROM born"""
    )
    # Stage 2: latent ages of disease onset, home care and nursing-home entry.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE p1 AS
        SELECT p0.*, m.region_code, m.care AS care_f,
               {", ".join(chronic.onset_age_columns())},
               {care.home_care_age()} AS age_hc,
               {care.nursing_home_age()} AS age_nh,
               exp({rates.FRAILTY_SIGMA} * z(i, 40) - {rates.FRAILTY_SIGMA**2 / 2}) AS frail
        FROM p0 JOIN muni m USING (mi)"""
    )
    # Stage 3: dates, death, move, key.
    dem = "age_dementia"
    nh_age = (
        f"CASE WHEN {dem} IS NOT NULL AND {dem} < age_nh "
        f"THEN greatest({dem} + 1, age_nh - {rates.NURSING_HOME_DEMENTIA_YEARS}) ELSE age_nh END"
    )
    jan1 = "make_date(y, 1, 1)"
    year_start = f"greatest(birth_date, {jan1})"
    q = (
        f"least({rates.MORTALITY_MAX}, "
        f"{rates.MORTALITY_SCALE} * {_mortality('(y - year(birth_date))')}"
        f" * (CASE WHEN sex = 'M' THEN {rates.MORTALITY_SEX['M']} ELSE "
        f"{rates.MORTALITY_SEX['F']} END) * {_hazard_multiplier(jan1)})"
    )
    death = (
        f"list_min([CASE WHEN birth_date <= make_date(y, 12, 31)"
        f" AND u2(i, y, 11) < {q} THEN dadd({year_start}, u2(i, y, 12) * "
        f"(make_date(y, 12, 31) - {year_start} + 1)) END "
        f"FOR y IN range({c.y0}, {c.y1 + 1})])"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE p2 AS
        SELECT * EXCLUDE (age_nh), {", ".join(chronic.onset_date_columns())},
               CASE WHEN age_hc < 115 THEN dadd(birth_date, age_hc * 365.25) END AS hc_on,
               CASE WHEN ({nh_age}) < 115 THEN dadd(birth_date, ({nh_age}) * 365.25) END AS nh_on
        FROM p1"""
    )
    cpr, capacity = _cpr_sql()
    # person_id: a pseudonym that cannot be mistaken for a CPR number (the contract refuses
    # those).
    key = cpr if person_key == "cpr" else "printf('P%09d', i)"
    n_years = c.n_years
    con.execute(
        f"""CREATE OR REPLACE TABLE persons AS
        SELECT x.*, {key} AS person, {_MUNI_ATTRS} FROM (
        WITH d AS (
            SELECT p2.*, {death} AS death_date FROM p2),
        mv AS (
            SELECT d.*,
                greatest({start}, birth_date + 30) AS mv_lo,
                CASE WHEN u(i, 20) < least(0.6, {n_years} * {_move_rate("coalesce(age0, 0)")})
                     THEN u(i, 21) END AS mv_r
            FROM d),
        mv2 AS (
            SELECT mv.*, CASE WHEN mv_r IS NOT NULL AND mv_lo < {c.cutoff}
                THEN dadd(mv_lo, mv_r * ({c.cutoff} - mv_lo)) END AS move0,
                u(i, 22) AS dest_r
            FROM mv),
        dest AS (
            SELECT mv2.*, mc.mi AS dest_mi FROM mv2
            ASOF JOIN mcdf mc ON mv2.region_code = mc.region_code AND mv2.dest_r >= mc.lo),
        ranked AS (
            SELECT dest.*,
                row_number() OVER (PARTITION BY birth_date, sex ORDER BY i) - 1 AS rnk,
                h(datediff('day', DATE '1800-01-01', birth_date), 4) AS off
            FROM dest)
        SELECT i, mi AS mi1, region_code, birth_date, sex, newborn, frail, care_f,
            death_date,
            CASE WHEN death_date IS NOT NULL
                 THEN death_date + INTERVAL 1 MINUTE * floor(u(i, 24) * 1439)::INTEGER
                 END AS death_ts,
            CASE WHEN move0 IS NOT NULL AND dest_mi <> mi
                      AND (death_date IS NULL OR move0 < death_date) THEN move0 END AS move_date,
            CASE WHEN move0 IS NOT NULL AND dest_mi <> mi
                      AND (death_date IS NULL OR move0 < death_date) THEN dest_mi
                 ELSE mi END AS mi2,
            CASE WHEN newborn OR u(i, 30) < 0.35 THEN birth_date
                 ELSE dadd(birth_date, u(i, 31) * ({start} - birth_date)) END AS res_from,
            {", ".join(chronic.onset_col(x) for x in DISEASES)},
            {", ".join(chronic.route_col(x) for x in DISEASES)},
            hc_on, nh_on,
            rnk, {capacity} AS cap,
            (2 * rnk + (sex = 'M')::INTEGER + 2 * (off % ({capacity} // 2))) % {capacity} AS num
        FROM ranked) x JOIN muni m1 ON m1.mi = x.mi1 JOIN muni m2 ON m2.mi = x.mi2
        ORDER BY i"""
    )
    over = con.execute("SELECT count(*) FROM persons WHERE 2 * rnk + 2 > cap").fetchone()[0]
    if over:
        raise ValueError("too many persons per birth date for unique CPR numbers; lower --scale")
    for t in ("p0", "p1", "p2"):
        con.execute(f"DROP TABLE {t}")


def residence_sql() -> str:
    """Residence periods: from res_from in the first municipality; a move ends that period
    and opens one in the second. A death closes the last period the day after (valid_to is
    exclusive), so no period overlaps and nobody lives anywhere after death."""
    end = "death_date + 1"
    return f"""
    SELECT person, i, region_code, code1 AS municipality_code, res_from AS valid_from,
           coalesce(move_date, {end}) AS valid_to
    FROM persons
    UNION ALL
    SELECT person, i, region_code, code2, move_date, {end}
    FROM persons WHERE move_date IS NOT NULL"""


def persons_sql() -> str:
    return "SELECT person, i, region_code, birth_date, sex, death_date FROM persons"
