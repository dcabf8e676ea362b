"""Outpatient contacts (ambulante besøg): planned visits (physical, virtual, at home),
chronic control visits with the disease's code, and short emergency-department visits that
do not become admissions. About 2 a person-year, so 70 million rows for the whole country
over six years: they are never materialised, but generated per person-year and streamed
into the hospital_contacts file.
"""

from __future__ import annotations

from tvaers.synth import chronic, codes, rates
from tvaers.synth.hospital import (
    DEPT_ED,
    DEPT_OUTPATIENT,
    DEPT_PSYCH,
    T,
    person_years,
    slot_day,
    slot_time,
)
from tvaers.synth.sql import Ctx, at, draw, pick, val


def outpatient_sql(c: Ctx) -> str:
    ce = rates.CHRONIC_EXTRA_OUTPATIENT
    lam_o = f"expo * outp * frail * (1 + {ce} * cc)"
    lam_c = f"expo * {rates.CHRONIC_CONTROL_VISITS} * cc"
    lam_e = "expo * ed * sqrt(frail)"
    ev = "(y - 1900) * 1000 + k"
    ctype = pick(
        [(val(T, "contact_type", k), w) for k, w in rates.OUTPATIENT_TYPE.items()],
        "u2(i, e, 301)",
    )
    code = chronic.first_code_before("jan1")
    psych_code = (
        f"CASE WHEN on_schizophrenia < jan1 AND u2(i, e, 306) < 0.7 THEN 'DF209' "
        f"ELSE {draw(codes.PSYCHIATRIC, 'u2(i, e, 303)')} END"
    )
    return f"""
    WITH py AS ({person_years(c)}),
    counts AS (
        SELECT *, sround({lam_o}, u2(i, y, 290)) AS n_o, sround({lam_c}, u2(i, y, 291)) AS n_c,
                  sround({lam_e}, u2(i, y, 292)) AS n_e
        FROM py),
    ev AS (
        SELECT i, person, region_code, y, jan1, lo, hi, hosp1, hosp2,
               move_date, on_schizophrenia, age, outp_psych, n_o, n_c, n_e, {code} AS ccode,
               unnest(range(n_o + n_c + n_e)) AS k
        FROM counts WHERE n_o + n_c + n_e > 0),
    t AS (
        SELECT *, {ev} AS e,
            CASE WHEN k < n_o THEN 'o' WHEN k < n_o + n_c THEN 'c' ELSE 'e' END AS kind
        FROM ev),
    t2 AS (
        SELECT *,
            CASE WHEN kind = 'e' THEN {slot_time("k - n_o - n_c", "n_e", "u2(i, e, 293)")}
                 ELSE weekday_in(jan1, {slot_day("k", "n_o + n_c", "u2(i, e, 294)")}, lo)
                      + INTERVAL 480 MINUTE + minutes(u2(i, e, 295) * 450) END AS start,
            kind = 'o' AND u2(i, e, 296) < outp_psych AS psych
        FROM t),
    t3 AS (
        SELECT t2.*, {at("hosp", "CAST(start AS DATE)")} AS hosp FROM t2)
    SELECT 'O' || i || '-' || e AS contact_id, person, i, region_code,
        hosp || CASE WHEN kind = 'e' THEN '{DEPT_ED}' WHEN psych OR ccode = 'DF209'
                     THEN '{DEPT_PSYCH}' ELSE '{DEPT_OUTPATIENT}' END AS hospital_code,
        start,
        CASE WHEN e_end >= {c.cutoff_ts} THEN NULL ELSE e_end END AS "end",
        contact_type, priority, sector, diagnosis,
        NULL::TIMESTAMP AS ready_for_discharge, NULL::VARCHAR AS discharged_to
    FROM (
        SELECT *,
            start + minutes(CASE WHEN kind = 'e' THEN 60 + u2(i, e, 297) * 540
                                 WHEN contact_type = 'virtual' THEN 10 + u2(i, e, 297) * 20
                                 ELSE 15 + u2(i, e, 297) * 90 END) AS e_end
        FROM (
            SELECT *,
                CASE WHEN kind = 'o' THEN {ctype}
                     ELSE {val(T, "contact_type", "physical")} END AS contact_type,
                CASE WHEN kind = 'e' THEN {val(T, "priority", "acute")}
                     ELSE {val(T, "priority", "planned")} END AS priority,
                CASE WHEN psych OR (kind = 'c' AND ccode = 'DF209')
                     THEN {val(T, "sector", "psychiatric")}
                     ELSE {val(T, "sector", "somatic")} END AS sector,
                CASE WHEN kind = 'c' THEN ccode
                     WHEN kind = 'e' THEN {draw(codes.EMERGENCY, "u2(i, e, 302)")}
                     WHEN psych THEN {psych_code}
                     ELSE {draw(codes.OUTPATIENT, "u2(i, e, 302)")} END AS diagnosis
            FROM t3))"""
