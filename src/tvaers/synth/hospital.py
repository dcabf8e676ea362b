"""Hospital stays (admissions): counts by age, sex, chronic disease and frailty; acute or
planned; somatic, psychiatric or birth; a long-tailed length of stay; transfers between
departments as contiguous contacts; readmissions; terminal admissions ending in death;
ready-for-discharge times; and the B diagnoses of the chronically ill.

The stays are materialised in the work database (`stays`, about 0.8 M rows a year for the
whole country): care after discharge and the MedCom messages are built from them. The far
more numerous outpatient contacts stream straight into the file (outpatient.py).
"""

from __future__ import annotations

import duckdb

from tvaers.synth import chronic, codes, rates
from tvaers.synth.rates import interp
from tvaers.synth.sql import Ctx, at, draw, pick, val

T = "hospital_contacts"
MAX_RATE_AGE = 115

# Departments (last 3 digits of the SHAK code).
DEPT_ED, DEPT_MEDICINE, DEPT_SURGERY, DEPT_ORTHO = "010", "120", "220", "320"
DEPT_GERIATRIC, DEPT_OBSTETRIC, DEPT_PSYCH, DEPT_OUTPATIENT = "420", "610", "900", "150"


def _rate_rows() -> dict[str, tuple[list[float], list[float]]]:
    """Every per-age rate from rates.py as (women, men) lists indexed by age 0..115."""
    cols: dict[str, tuple[list[float], list[float]]] = {}

    def put(name: str, f) -> None:
        cols[name] = tuple(  # type: ignore[assignment]
            [f(age, sex) for age in range(MAX_RATE_AGE + 1)] for sex in ("F", "M")
        )

    def adm(age, sex):
        v = interp(rates.ADMISSIONS_PER_1000, age) / 1000 * rates.ADMISSION_SCALE
        return v * (rates.ADMISSIONS_MALE_FACTOR_50PLUS if sex == "M" and age >= 50 else 1)

    def outp(age, sex):
        v = interp(rates.OUTPATIENT_PER_PERSON, age)
        return v * (rates.OUTPATIENT_WOMEN_FACTOR_18_45 if sex == "F" and 18 <= age <= 45 else 1)

    put("adm", adm)
    put("births", lambda a, s: interp(rates.BIRTH_ADMISSIONS_PER_1000_WOMEN, a) / 1000
        if s == "F" else 0.0)  # fmt: skip
    put("acute", lambda a, s: interp(rates.ACUTE_SHARE, a))
    put("prev", lambda a, s: interp(rates.PREVENTABLE_SHARE, a))
    put("psych", lambda a, s: interp(rates.PSYCH_ADMISSIONS_PER_1000, a) / 1000)
    put("readm", lambda a, s: interp(rates.READMISSION_PROB, a))
    put("outp", outp)
    put("outp_psych", lambda a, s: interp(rates.OUTPATIENT_PSYCH_SHARE, a))
    put("ed", lambda a, s: interp(rates.ED_PER_PERSON, a))
    put("gp", lambda a, s: interp(rates.GP_PER_PERSON, a)
        * (rates.GP_WOMEN_FACTOR if s == "F" else 1))  # fmt: skip
    put("rx", lambda a, s: interp(rates.PRESCRIPTIONS_PER_PERSON, a))
    put("acute_nursing", lambda a, s: interp(rates.ACUTE_NURSING, a) if a >= 65 else 0.0)
    return cols


def _rate_columns(age: str) -> str:
    """SELECT items: each rate looked up in a list constant by age and sex (no join)."""
    items = []
    for name, (women, men) in _rate_rows().items():
        lf = "[" + ", ".join(f"{v:.6g}" for v in women) + "]"
        lm = "[" + ", ".join(f"{v:.6g}" for v in men) + "]"
        items.append(f"(CASE WHEN sex = 'M' THEN {lm} ELSE {lf} END)[{age} + 1] AS {name}")
    return ", ".join(items)


def person_years(c: Ctx, extra: str = "") -> str:
    """One row per person and year the person is alive in, with age (reached in the year),
    chronic disease count on 1 January, the year's rates and municipal factors.

    [lo, hi) is the part of the year (in days from 1 January) the person is alive and
    counted: from birth, up to but not including the day of death. Events are placed only
    inside it and counts are scaled by the exposure (hi - lo) / ndays, so no event ever
    needs to be filtered out afterwards. (Filtering on a computed time made DuckDB copy the
    whole expression into the filter several times, which cost more than generating.)"""
    jan1 = "make_date(y, 1, 1)"
    age = f"least(y - year(birth_date), {MAX_RATE_AGE})"
    years = (
        f"range(greatest({c.y0}, year(birth_date)), "
        f"least({c.y1}, coalesce(year(death_date), {c.y1})) + 1)"
    )
    return f"""
    SELECT *, CAST(hi - lo AS DOUBLE) / ndays AS expo FROM (
    SELECT p.*, {jan1} AS jan1, make_date(y + 1, 1, 1) - {jan1} AS ndays,
           greatest(0, birth_date - {jan1}) AS lo,
           CASE WHEN year(death_date) = y THEN death_date - {jan1}
                ELSE make_date(y + 1, 1, 1) - {jan1} END AS hi,
           {age} AS age,
           {chronic.chronic_count(jan1)} AS cc,
           {_rate_columns(age)},
           {at("prev", jan1)} AS m_prev, {at("impr", jan1)} AS m_improving,
           {at("rfd", jan1)} AS m_rfd {extra}
    FROM (SELECT *, unnest({years}) AS y FROM persons) p)
    WHERE hi > lo"""


def slot_day(slot: str, nslot: str, r: str) -> str:
    """Day offset (from 1 January) of slot `slot` of `nslot` spread evenly over [lo, hi):
    slot k owns the days [floor(k w), floor((k + 1) w)) with w = (hi - lo) / nslot, and
    gets a random one of them. With nslot <= hi - lo every slot has its own day (the
    prescriptions' contract key relies on that)."""
    w = f"(CAST(hi - lo AS DOUBLE) / greatest(1, {nslot}))"
    first = f"floor({slot} * {w})"
    return f"(lo + {first} + floor({r} * greatest(1, floor(({slot} + 1) * {w}) - {first})))"


def slot_time(slot: str, nslot: str, r: str) -> str:
    """Timestamp of a slot with the winter peak (seasonal warp over [lo, hi))."""
    return (
        f"(jan1 + minutes((lo + season(({slot} + {r}) / greatest(1, {nslot}), "
        f"{rates.SEASONAL_AMPLITUDE}) "
        f"* (hi - lo)) * 1440))"
    )


def _preventable_factor(c: Ctx) -> str:
    """The municipality's multiplier on preventable admissions in year y (the truth an
    analysis should find: some municipalities worse, some improving)."""
    return (
        f"(m_prev * CASE WHEN m_improving THEN pow({1 - rates.MUNI_IMPROVING_PER_YEAR}, "
        f"y - {c.y0}) ELSE 1 END)"
    )


def _los(kind: str, r: str) -> str:
    """Hours beyond the 13-hour minimum: lognormal, longer for the elderly, capped."""
    med = rates.LOS_MEDIAN_HOURS[kind]
    return (
        f"least({rates.LOS_MAX_HOURS}, 13 + {med} * exp({rates.LOS_SIGMA} * {r}) "
        f"* (CASE WHEN age >= 65 THEN {rates.LOS_AGE_FACTOR_65PLUS} ELSE 1 END))"
    )


def _acute_dx(r: str) -> str:
    return (
        f"(CASE WHEN age < 15 THEN {draw(codes.ACUTE_CHILD, r)} "
        f"WHEN age < 65 THEN {draw(codes.ACUTE_ADULT, r)} "
        f"ELSE {draw(codes.ACUTE_ELDERLY, r)} END)"
    )


def _disease_dx(r: str, on: str) -> str:
    """A disease-specific code for people with COPD / heart failure / T2D, else NULL."""
    parts, cum = [], 0.0
    for key, share in rates.DISEASE_ADMISSION_SHARE.items():
        parts.append(
            f"WHEN {chronic.has(key, on)} AND {r} >= {cum} AND {r} < {cum + share} "
            f"THEN '{codes.DISEASE_ADMISSION_CODE[key]}'"
        )
        cum += share
    return f"(CASE {' '.join(parts)} END)"


def build_stays(con: duckdb.DuckDBPyConnection, c: Ctx) -> None:
    """stays: one row per admission with its contact boundaries and outcome."""
    pf = _preventable_factor(c)
    ce = rates.CHRONIC_EXTRA_ADMISSIONS
    lam_s = f"expo * adm * frail * (1 + {ce} * cc) * (1 + acute * prev * ({pf} - 1))"
    lam_p = (
        "expo * psych * sqrt(frail) * (1 + 4 * coalesce(on_schizophrenia < jan1, false)::INTEGER)"
    )
    # Admission events: k < n_s somatic, then psychiatric, then births.
    ev = "(y - 1900) * 1000 + k"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE stay_events AS
        WITH py AS ({person_years(c)}),
        counts AS (
            SELECT *, sround({lam_s}, u2(i, y, 200)) AS n_s,
                      sround({lam_p}, u2(i, y, 201)) AS n_p,
                      sround(expo * births, u2(i, y, 202)) AS n_b,
                      -- hip fractures of those living in a nursing home all year
                      CASE WHEN nh_on < jan1 THEN sround(expo * {rates.HIP_FRACTURE_NURSING_HOME},
                          u2(i, y, 203)) ELSE 0 END AS n_h,
                      {pf} AS pf
            FROM py),
        ev AS (
            SELECT i, person, region_code, sex, age, cc, y, jan1, lo, hi, birth_date,
                death_date, death_ts, mi1, mi2, move_date, nh_on, m_rfd, readm, frail, acute,
                prev, pf, n_s, n_p, n_b, n_h,
                {", ".join(chronic.onset_col(d) for d in rates.DISEASES)},
                unnest(range(n_s + n_p + n_b + n_h)) AS k
            FROM counts WHERE n_s + n_p + n_b + n_h > 0)
        SELECT *, {ev} AS e,
            -- Admission times are independent (not spread over slots like outpatient visits),
            -- so a frail person's admissions can fall close together, as they do.
            CASE WHEN k < n_s THEN 'somatic' WHEN k < n_s + n_p THEN 'psych'
                 WHEN k < n_s + n_p + n_b THEN 'birth' ELSE 'hip' END AS kind
        FROM ev"""
    )
    p_eff = "(prev * pf / (1 - prev + prev * pf))"
    r_dx = "u2(i, e, 210)"
    r_prev = f"{r_dx} / greatest({p_eff}, 1e-9)"  # uniform again, given r_dx < p_eff
    acute_cat = (
        f"CASE WHEN {_disease_dx('u2(i, e, 211)', 'jan1')} IS NOT NULL THEN 'disease' "
        f"WHEN {r_dx} < {p_eff} THEN 'preventable' ELSE 'acute' END"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE stays0 AS
        WITH s AS (
            SELECT *,
                CASE WHEN kind = 'psych' THEN u2(i, e, 212) < 0.6
                     WHEN kind = 'birth' THEN u2(i, e, 212) < 0.7
                     WHEN kind = 'hip' THEN true
                     ELSE u2(i, e, 212) < acute END AS is_acute,
                {slot_time("0", "1", "u2(i, e, 213)")} AS t0
            FROM stay_events),
        s2 AS (
            SELECT *,
                CASE WHEN kind IN ('psych', 'birth', 'hip') THEN kind
                     WHEN NOT is_acute THEN 'planned' ELSE {acute_cat} END AS cat,
                CASE WHEN is_acute THEN t0
                     ELSE weekday(CAST(t0 AS DATE)) + INTERVAL 450 MINUTE
                          + minutes(u2(i, e, 214) * 240) END AS start
            FROM s)
        SELECT i, person, region_code, sex, age, cc, y, e, birth_date, death_date, death_ts,
            mi1, mi2, move_date, nh_on, m_rfd AS rfd_f, readm, frail,
            {", ".join(chronic.onset_col(d) for d in rates.DISEASES)},
            'S' || i || '-' || e AS stay_id, cat, is_acute,
            CASE WHEN cat = 'psych' THEN 'psychiatric' ELSE 'somatic' END AS sector,
            start,
            CASE cat
                WHEN 'preventable' THEN {draw(codes.PREVENTABLE, r_prev)}
                WHEN 'disease' THEN {_disease_dx("u2(i, e, 211)", "jan1")}
                WHEN 'acute' THEN {_acute_dx("u2(i, e, 215)")}
                WHEN 'planned' THEN {draw(codes.PLANNED, "u2(i, e, 215)")}
                WHEN 'birth' THEN {draw(codes.BIRTH, "u2(i, e, 215)")}
                WHEN 'hip' THEN {draw(codes.HIP_FRACTURE, "u2(i, e, 215)")}
                ELSE CASE WHEN on_schizophrenia < jan1 AND u2(i, e, 216) < 0.7 THEN 'DF209'
                          ELSE {draw(codes.PSYCHIATRIC, "u2(i, e, 215)")} END
            END AS diagnosis,
            CASE cat WHEN 'psych' THEN {_los("psychiatric", "z2(i, e, 217)")}
                     WHEN 'planned' THEN {_los("planned", "z2(i, e, 217)")}
                     WHEN 'birth' THEN 13 + 30 * exp(0.6 * z2(i, e, 217))
                     ELSE {_los("acute", "z2(i, e, 217)")} END AS los_h
        FROM s2"""
    )
    _add_readmissions(con, c)
    _add_terminal(con, c)
    _finish_stays(con, c)
    con.execute("DROP TABLE stay_events")


def _add_readmissions(con: duckdb.DuckDBPyConnection, c: Ctx) -> None:
    """An extra acute admission 6 h to 30 days after a somatic stay, with probability
    READMISSION_PROB (more for the chronically ill): together with the clustering that
    frailty gives, 30-day readmissions of the 65+ land near 15-20 %."""
    p = f"readm * (1 + {rates.READMISSION_CHRONIC_EXTRA} * cc)"
    delay = f"least(30 * 24 - 7, 6 + {rates.READMISSION_MEAN_DAYS} * 24 * ex2(i, e, 220))"
    same = rates.READMISSION_SAME_DIAGNOSIS
    con.execute(
        f"""INSERT INTO stays0
        SELECT i, person, region_code, sex, age, cc, y, e + 500000, birth_date, death_date,
            death_ts, mi1, mi2, move_date, nh_on, rfd_f, readm, frail,
            {", ".join(chronic.onset_col(d) for d in rates.DISEASES)},
            stay_id || 'R', 'readmission', true, 'somatic',
            start + minutes(los_h * 60) + minutes({delay} * 60),
            CASE WHEN u2(i, e, 221) < {same} AND diagnosis NOT LIKE 'DS%' THEN diagnosis
                 WHEN u2(i, e, 222) < 0.3 THEN {draw(codes.PREVENTABLE, "u2(i, e, 223)")}
                 ELSE {_acute_dx("u2(i, e, 223)")} END,
            {_los("acute", "z2(i, e, 224)")}
        FROM stays0
        WHERE sector = 'somatic' AND cat <> 'birth' AND u2(i, e, 225) < {p}"""
    )


def _add_terminal(con: duckdb.DuckDBPyConnection, c: Ctx) -> None:
    """Deaths in hospital: an acute admission ending at the time of death."""
    t = rates.TERMINAL_ADMISSION
    copd = chronic.has("copd", "death_date")
    hf = chronic.has("heart_failure", "death_date")
    terminal_los = _los("terminal", "z(i, 230)").replace(
        "age", "(year(death_date) - year(birth_date))"
    )
    con.execute(
        f"""INSERT INTO stays0
        SELECT i, person, region_code, sex, least(year(death_date) - year(birth_date), 115),
            {chronic.chronic_count("death_date")}, year(death_date), 999999, birth_date,
            death_date, death_ts, mi1, mi2, move_date, nh_on, 1.0, 0.0, frail,
            {", ".join(chronic.onset_col(d) for d in rates.DISEASES)},
            'S' || i || '-T', 'terminal', true, 'somatic',
            death_ts - minutes(60 * least(
                datediff('minute', birth_date::TIMESTAMP, death_ts) / 60.0,
                {terminal_los})),
            CASE WHEN {copd} AND u(i, 231) < 0.3 THEN 'DJ441'
                 WHEN {hf} AND u(i, 231) < 0.3 THEN 'DI500'
                 ELSE {draw(codes.TERMINAL, "u(i, 232)")} END,
            0
        FROM persons
        WHERE death_date IS NOT NULL AND u(i, 233) <
            CASE WHEN nh_on <= death_date THEN {t["nursing_home"]} ELSE {t["default"]} END"""
    )


def _finish_stays(con: duckdb.DuckDBPyConnection, c: Ctx) -> None:
    """Cut to life and to the extraction, set outcome, contacts and ready-for-discharge."""
    d65 = rates.DISCHARGED_TO_65PLUS
    dyoung = rates.DISCHARGED_TO_UNDER65
    to65 = pick([(val(T, "discharged_to", k), w) for k, w in d65.items()], "u2(i, e, 240)")
    to_young = pick([(val(T, "discharged_to", k), w) for k, w in dyoung.items()], "u2(i, e, 240)")
    to_care = ", ".join(val(T, "discharged_to", v) for v in ("temporary_bed", "nursing_home"))
    rfd_days = (
        f"CASE WHEN u2(i, e, 242) < {rates.RFD_ZERO_DAYS} THEN 0 ELSE "
        f"1 + floor(ex2(i, e, 243) * {rates.RFD_MEAN_DAYS - 1}) END"
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE stays AS
        WITH a AS (
            SELECT *, CASE WHEN cat = 'terminal' THEN death_ts
                           ELSE start + minutes(los_h * 60) END AS end0 FROM stays0
            WHERE start >= birth_date::TIMESTAMP AND start < {c.cutoff_ts}
              AND (death_ts IS NULL OR start < death_ts)),
        b AS (
            SELECT *,
                cat = 'terminal' OR (death_ts IS NOT NULL AND death_ts <= end0) AS died,
                CASE WHEN death_ts IS NOT NULL AND death_ts <= end0 THEN death_ts ELSE end0 END
                    AS e_ts,
                CASE WHEN is_acute AND sector = 'somatic' AND cat <> 'birth'
                          AND u2(i, e, 244) < {rates.ED_FIRST_SHARE}
                     THEN 120 + u2(i, e, 245) * 360 ELSE 0 END AS ed_min,
                -15 + u2(i, e, 246) * 75 AS gap_min,
                los_h > 96 AND u2(i, e, 247) < {rates.THIRD_CONTACT_SHARE} AS third,
                0.4 + 0.3 * u2(i, e, 248) AS split
            FROM a),
        bounds AS (
            SELECT *,
                CASE WHEN ed_min > 0 THEN least(start + minutes(ed_min), e_ts) END AS ed_end,
                CASE WHEN ed_min > 0
                     THEN least(start + minutes(ed_min) + minutes(gap_min), e_ts)
                     ELSE start END AS ward_start
            FROM b),
        bounds2 AS (
            SELECT *,
                CASE WHEN third THEN greatest(ward_start,
                     least(start + minutes(los_h * 60 * split), e_ts)) ELSE e_ts END AS ward_end
            FROM bounds),
        bounds3 AS (
            SELECT *,
                CASE WHEN third THEN least(ward_end + minutes(u2(i, e, 249) * 30), e_ts) END
                    AS third_start,
                e_ts >= {c.cutoff_ts} AS ongoing
            FROM bounds2),
        outcome AS (
            SELECT *,
                CASE WHEN ongoing THEN NULL
                     WHEN died THEN {val(T, "discharged_to", "died")}
                     WHEN sector = 'psychiatric' OR cat = 'birth'
                          THEN {val(T, "discharged_to", "home")}
                     WHEN nh_on <= CAST(e_ts AS DATE) THEN {val(T, "discharged_to", "nursing_home")}
                     WHEN age >= 65 THEN {to65}
                     ELSE {to_young} END AS discharged_to,
                coalesce(third_start, ward_start) AS last_start
            FROM bounds3),
        rfd AS (
            SELECT *,
                CASE WHEN discharged_to IS NOT NULL
                          AND discharged_to <> {val(T, "discharged_to", "died")}
                          AND sector = 'somatic' AND cat <> 'birth' AND age >= 65
                          AND u2(i, e, 241) < {rates.RFD_SHARE_65PLUS} * rfd_f
                              * (CASE WHEN discharged_to IN ({to_care}) THEN 2.5 ELSE 1 END)
                     THEN least(e_ts, greatest(last_start,
                          CAST(e_ts AS DATE) - CAST({rfd_days} AS INTEGER)
                          + INTERVAL 9 HOUR + minutes(u2(i, e, 250) * 360)))
                     END AS ready
            FROM outcome)
        SELECT i, person, region_code, sex, age, cc, e, stay_id, cat, is_acute, sector, start,
            e_ts, ongoing, died, discharged_to, ready, diagnosis, ed_min > 0 AS has_ed, ed_end,
            ward_start, ward_end, third, third_start, birth_date, death_date, death_ts, mi1, mi2,
            move_date, {", ".join(chronic.onset_col(d) for d in rates.DISEASES)},
            {at("hosp", "CAST(start AS DATE)")} AS hosp,
            {at("code", "CAST(start AS DATE)")} AS m_code,
            {at("code", "CAST(e_ts AS DATE)")} AS out_code,
            {at("clinics", "CAST(e_ts AS DATE)")} AS out_clinics,
            {at("nmiss", "CAST(start AS DATE)")} AS notification_missing
        FROM rfd JOIN (SELECT i AS pi, hosp1, hosp2, code1, code2, clinics1, clinics2, nmiss1,
                              nmiss2 FROM persons) pp ON pp.pi = rfd.i
        ORDER BY i, e"""
    )
    con.execute("DROP TABLE stays0")


def _ward_dept() -> str:
    return (
        f"CASE WHEN sector = 'psychiatric' THEN '{DEPT_PSYCH}' "
        f"WHEN cat = 'birth' THEN '{DEPT_OBSTETRIC}' "
        f"WHEN diagnosis LIKE 'DS%' THEN '{DEPT_ORTHO}' "
        f"WHEN cat = 'planned' THEN '{DEPT_SURGERY}' ELSE '{DEPT_MEDICINE}' END"
    )


def stay_contacts_sql(c: Ctx) -> str:
    """The contacts of the stays: emergency department, ward, and maybe a third department,
    contiguous in time. Only the last carries discharged_to and ready_for_discharge."""
    end = f"CASE WHEN {{e}} >= {c.cutoff_ts} THEN NULL ELSE {{e}} END"
    phys = val(T, "contact_type", "physical")
    prio = (
        f"CASE WHEN is_acute THEN {val(T, 'priority', 'acute')} "
        f"ELSE {val(T, 'priority', 'planned')} END"
    )
    common = (
        f"person, i, region_code, {phys} AS contact_type, {prio} AS priority, sector, diagnosis"
    )
    last_third = "third"
    return f"""
    SELECT stay_id || '-1' AS contact_id, {common}, hosp || '{DEPT_ED}' AS hospital_code,
        start, {end.format(e="ed_end")} AS "end",
        NULL::TIMESTAMP AS ready_for_discharge, NULL::VARCHAR AS discharged_to
    FROM stays WHERE has_ed
    UNION ALL
    SELECT stay_id || '-2', {common}, hosp || ({_ward_dept()}), ward_start,
        {end.format(e="ward_end")},
        CASE WHEN NOT {last_third} AND NOT ongoing THEN ready END,
        CASE WHEN NOT {last_third} THEN discharged_to END
    FROM stays WHERE ward_start < {c.cutoff_ts}
    UNION ALL
    SELECT stay_id || '-3', {common},
        hosp || CASE WHEN age >= 65 THEN '{DEPT_GERIATRIC}' ELSE '{DEPT_MEDICINE}' END,
        third_start, {end.format(e="e_ts")},
        CASE WHEN NOT ongoing THEN ready END, discharged_to
    FROM stays WHERE third AND third_start < {c.cutoff_ts}"""


def diagnoses_sql(c: Ctx) -> str:
    """B diagnoses on the ward contact: every catalogue disease the person has at the start
    of the stay, and now and then a comorbidity code."""
    parts = [
        f"""SELECT stay_id || '-2' AS contact_id, region_code, '{d.dx}' AS code,
               {val("hospital_diagnoses", "kind", "B")} AS kind
            FROM stays WHERE {chronic.onset_col(d)} < CAST(start AS DATE)
              AND ward_start < {c.cutoff_ts} AND diagnosis <> '{d.dx}'"""
        for d in rates.DISEASES
    ]
    parts.append(
        f"""SELECT stay_id || '-2', region_code, {draw(codes.SECONDARY, "u2(i, e, 260)")},
               {val("hospital_diagnoses", "kind", "B")}
            FROM stays WHERE ward_start < {c.cutoff_ts} AND u2(i, e, 261) < 0.3"""
    )
    return "\nUNION ALL\n".join(parts)
