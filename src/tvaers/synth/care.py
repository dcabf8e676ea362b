"""Municipal care: home care, nursing homes, care after discharge, short offers, visits,
referrals.

Long-term care (home care, nursing home) follows latent entry ages (like the chronic
diseases), so uptake rises with age; a nursing-home resident stops getting home care.
Care after discharge follows the admissions (home nursing, rehabilitation, temporary beds),
so uptake rises after a hospital stay. Short offers (acute nursing, preventive home visits,
smoking cessation, patient education) are drawn per person-year.
"""

from __future__ import annotations

import duckdb

from tvaers.synth import chronic, rates, transitions
from tvaers.synth.chronic import logistic_age
from tvaers.synth.hospital import person_years
from tvaers.synth.sql import Ctx, at, muni_at, pick, service, val

# Contract values used below (checked against the contract when the module loads).
FROM_HOSPITAL = val("referrals", "from_sector", "hospital")
FROM_GP = val("referrals", "from_sector", "gp")
FROM_MUNICIPALITY = val("referrals", "from_sector", "municipality")
_D = "hospital_contacts"
TO_HOME, TO_TEMP, TO_OTHER, TO_DIED = (
    val(_D, "discharged_to", v) for v in ("home", "temporary_bed", "other", "died")
)


def home_care_age() -> str:
    p = rates.HOME_CARE
    return logistic_age(p["pmax_f"], p["pmax_m"], p["a50"], p["s"], p["min_age"], 400)


def nursing_home_age() -> str:
    p = rates.NURSING_HOME
    return logistic_age(p["pmax_f"], p["pmax_m"], p["a50"], p["s"], p["min_age"], 403)


def _long_term(c: Ctx) -> str:
    """Home care (practical, and personal for some), reablement before it, nursing home."""
    # The municipality's care factor scales how many of those who would need it get it.
    hc_ok = (
        "hc_on IS NOT NULL AND (nh_on IS NULL OR hc_on < nh_on) "
        "AND u(i, 410) < least(1, 0.85 * care_f)"
    )
    hc_end = "least(nh_on - 1, death_date)"
    earliest = f"{c.first_day} - {10 * 365}"
    personal_start = "dadd(hc_on, u(i, 412) * 700)"
    hours_prac = "0.5 + round(u(i, 413) * 2) / 2"
    hours_pers = "1 + round(ex2(i, 0, 414) * 8) / 2"
    reab = rates.REABLEMENT_BEFORE_HOME_CARE
    return f"""
    SELECT i, 'L' || i || '-p' AS sid, {service("home_care_practical")} AS service,
        greatest(hc_on, {earliest}) AS start, {hc_end} AS end_raw, {hours_prac} AS hours,
        NULL AS ref_from, NULL::DATE AS referred_on, true AS started
    FROM persons WHERE {hc_ok}
    UNION ALL
    SELECT i, 'L' || i || '-q', {service("home_care_personal")},
        greatest({personal_start}, {earliest}), {hc_end}, {hours_pers}, NULL, NULL, true
    FROM persons WHERE {hc_ok} AND u(i, 411) < {rates.HOME_CARE_PERSONAL_SHARE}
        AND ({personal_start} <= {hc_end} OR {hc_end} IS NULL)
    UNION ALL
    SELECT i, 'L' || i || '-r', {service("reablement")},
        hc_on - CAST(56 + u(i, 415) * 28 AS INTEGER), hc_on - 1, 2 + round(u(i, 416) * 4) / 2,
        {FROM_MUNICIPALITY}, hc_on - CAST(60 + u(i, 415) * 28 AS INTEGER), u(i, 417) > 0.05
    FROM persons WHERE {hc_ok} AND hc_on >= {c.first_day} - 365 AND u(i, 418) < {reab}
    UNION ALL
    SELECT i, 'L' || i || '-n', {service("nursing_home")}, greatest(nh_on, {earliest}),
        death_date, NULL, NULL, NULL, true
    FROM persons WHERE nh_on IS NOT NULL"""


def _after_discharge() -> str:
    """Care after a somatic stay of someone aged 65+ who went home (or to a temporary bed)."""
    a = rates.AFTER_DISCHARGE
    d = "CAST(e_ts AS DATE)"
    alive_home = f"discharged_to IN ({TO_HOME}, {TO_TEMP}, {TO_OTHER})"
    base = "FROM stays WHERE sector = 'somatic' AND age >= 65 AND NOT ongoing"
    nursing = (
        f"{a['home_nursing']} + CASE WHEN ready IS NOT NULL "
        f"THEN {rates.HOME_NURSING_EXTRA_WITH_RFD} ELSE 0 END"
    )
    rehab = (
        f"CASE WHEN diagnosis LIKE 'DS%' THEN {rates.FRACTURE_REHABILITATION} "
        f"ELSE {a['rehabilitation']} END"
    )
    return f"""
    SELECT i, 'A' || stay_id || '-t' AS sid, {service("temporary_bed")} AS service,
        {d} AS start, {d} + CAST(7 + u2(i, e, 420) * 35 AS INTEGER) AS end_raw, NULL AS hours,
        {FROM_HOSPITAL} AS ref_from, CAST(coalesce(ready, e_ts) AS DATE) AS referred_on,
        true AS started
    {base} AND discharged_to = {TO_TEMP}
    UNION ALL
    SELECT i, 'A' || stay_id || '-h', {service("home_nursing")},
        {d} + CAST(u2(i, e, 421) * 3 AS INTEGER), {d} + CAST(14 + u2(i, e, 422) * 76 AS INTEGER),
        0.5 + round(u2(i, e, 423) * 5) / 2,
        CASE WHEN u2(i, e, 424) < 0.5 THEN {FROM_HOSPITAL} END, {d}, true
    {base} AND {alive_home} AND u2(i, e, 425) < {nursing}
    UNION ALL
    SELECT i, 'A' || stay_id || '-g', {service("rehabilitation")},
        {d} + CAST(3 + u2(i, e, 426) * 17 AS INTEGER),
        {d} + CAST(31 + u2(i, e, 427) * 70 AS INTEGER), 1 + round(u2(i, e, 428) * 4) / 2,
        {FROM_HOSPITAL}, {d}, true
    {base} AND discharged_to IS NOT NULL AND discharged_to <> {TO_DIED}
        AND u2(i, e, 430) < {rehab}
    UNION ALL
    SELECT i, 'A' || stay_id || '-o', {service("outreach_team")},
        {d}, {d} + CAST(1 + u2(i, e, 431) * 9 AS INTEGER), 2.0, {FROM_HOSPITAL}, {d}, true
    {base} AND {alive_home} AND u2(i, e, 432) < {a["outreach_team"]}"""


def _short_offers(c: Ctx) -> str:
    """Offers drawn per person-year: acute nursing, preventive home visits (75+), smoking
    cessation, patient education."""
    day = "dadd(jan1, lo + u2(i, y, {k}) * (hi - lo))"
    sc = rates.SMOKING_CESSATION
    ce = rates.CHRONIC_EXTRA_CARE
    copd = chronic.has("copd", "jan1")
    ref = f"CASE WHEN u2(i, y, {{k}}) < 0.7 THEN {FROM_GP} ELSE {FROM_HOSPITAL} END"
    rows = [
        ("acute_nursing", "y-an", f"acute_nursing * care_f * (1 + {ce} * cc)", 440,
         "1 + u2(i, y, 445) * 6", "2 + round(u2(i, y, 446) * 16) / 2", ref.format(k=447)),
        ("prevention", "y-pv", f"CASE WHEN age >= 75 THEN {rates.PREVENTION_75PLUS} ELSE 0 END",
         441, "0", "1.0", "NULL"),
        ("smoking_cessation", "y-sc",
         f"CASE WHEN age >= 18 THEN ({sc['adult']} + {sc['copd']} * {copd}::INTEGER) * m_scr "
         "ELSE 0 END",
         442, "42", "1.0", ref.format(k=448)),
        ("patient_education", "y-pe",
         f"CASE WHEN cc > 0 AND age >= 18 THEN {rates.PATIENT_EDUCATION['chronic']} ELSE 0 END",
         443, "56", "2.0", ref.format(k=449)),
    ]  # fmt: skip
    parts = []
    for name, tag, p, k, length, hours, ref_from in rows:
        parts.append(
            f"""SELECT i, 'Y' || i || '-' || y || '-{tag}' AS sid, {service(name)} AS service,
                {day.format(k=k)} AS start,
                {day.format(k=k)} + CAST({length} AS INTEGER) AS end_raw,
                {hours} AS hours, {ref_from} AS ref_from,
                {day.format(k=k)} - CAST(u2(i, y, {k + 20}) * 14 AS INTEGER) AS referred_on,
                true AS started
            FROM py WHERE u2(i, y, {k + 10}) < expo * {p}"""
        )
    scr = f", {at('scr', 'make_date(y, 1, 1)')} AS m_scr"
    return f"WITH py AS ({person_years(c, scr)}) " + "\nUNION ALL\n".join(parts)


def build_services(con: duckdb.DuckDBPyConnection, c: Ctx) -> None:
    """care: every service period (started or not) with its referral; then services:
    deduplicated on the contract key, same-service periods of a person made disjoint
    (visits can then never collide), cut at death and extraction."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE care0 AS
        SELECT * FROM ({_long_term(c)})
        UNION ALL SELECT * FROM ({_after_discharge()})
        UNION ALL SELECT * FROM ({_short_offers(c)})"""
    )
    transitions.apply_uptake(con)
    transitions.build_followup(con, c)
    # Long-term periods that span a move are split: each municipality provides its part.
    # coalesce: without a move the condition is NULL, and NOT NULL would drop the row.
    split = (
        "coalesce(sid LIKE 'L%' AND move_date > start "
        "AND (end1 IS NULL OR move_date <= end1), false)"
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE care AS
        WITH j AS (
            SELECT c.*, p.person, p.region_code, p.birth_date, p.death_date, p.mi1, p.mi2,
                   p.move_date, p.code1, p.code2,
                   CASE WHEN c.end_raw >= {c.cutoff} THEN NULL ELSE c.end_raw END AS end1
            FROM care0 c JOIN persons p USING (i)
            WHERE c.start < {c.cutoff} AND c.start >= p.birth_date
              AND (p.death_date IS NULL OR c.start <= p.death_date)),
        k AS (
            SELECT * EXCLUDE (end1), least(end1, death_date) AS end2,
                   {muni_at("start")} AS mi FROM j WHERE NOT {split}
            UNION ALL BY NAME
            SELECT * EXCLUDE (end1), move_date - 1 AS end2, mi1 AS mi FROM j WHERE {split}
            UNION ALL BY NAME
            SELECT * EXCLUDE (start, end1), move_date AS start,
                   least(end1, death_date) AS end2, mi2 AS mi FROM j WHERE {split})
        SELECT *, CASE WHEN mi = mi2 THEN code2 ELSE code1 END AS municipality_code FROM k"""
    )
    con.execute("DROP TABLE care0")
    con.execute(
        """CREATE OR REPLACE TABLE services AS
        WITH started AS (
            SELECT * FROM care WHERE started AND (end2 IS NULL OR end2 >= start)
            QUALIFY row_number() OVER (
                PARTITION BY i, municipality_code, service, start ORDER BY sid) = 1),
        trimmed AS (
            SELECT *, lead(start) OVER (PARTITION BY i, service ORDER BY start, sid) AS next_start
            FROM started)
        SELECT *, CASE WHEN next_start IS NOT NULL AND (end2 IS NULL OR end2 >= next_start)
                       THEN next_start - 1 ELSE end2 END AS "end",
               row_number() OVER (ORDER BY i, sid, start) AS sno
        FROM trimmed ORDER BY i, sid, start"""
    )


def services_sql(c: Ctx) -> str:
    return """SELECT person, i, region_code, municipality_code, service, start, "end",
                     hours AS hours_per_week FROM services"""


def visits_sql(c: Ctx) -> str:
    """Single visits spread over each visiting service's period (never two on one day, so
    the contract key cannot repeat). Only visits before death and extraction."""
    rate = (
        "CASE service "
        + " ".join(f"WHEN {service(s)} THEN {r}" for s, r in rates.VISITS_PER_WEEK.items())
        + " END"
    )
    kind = pick(
        [(val("municipal_visits", "kind", k), w) for k, w in rates.VISIT_KIND.items()],
        "u2(sno, k, 461)",
    )
    last = f'coalesce("end", least(coalesce(death_date, {c.cutoff} - 1), {c.cutoff} - 1))'
    regular = f"""
    SELECT person, i, region_code, municipality_code, service,
        start + CAST(floor(k * span / n) AS INTEGER) + INTERVAL 420 MINUTE
            + minutes((k * 131 + h(sno, 460)) % 600) AS at,
        {kind} AS kind
    FROM (
        SELECT *, unnest(range(n)) AS k FROM (
            SELECT *, {last} - start + 1 AS span,
                CAST(least({rates.MAX_VISITS_PER_PERIOD},
                           greatest(1, round(({rate}) * ({last} - start + 1) / 7))) AS BIGINT) AS n
            FROM services WHERE ({rate}) IS NOT NULL AND {last} >= start
                AND sid NOT LIKE 'F%'))"""
    # In a quiet window after a discharge an in-person visit is a phone call; the planned
    # follow-up visits come on top (transitions.py).
    return f"""
    SELECT * FROM ({transitions.quiet_visits_sql(regular)})
    UNION ALL
    SELECT * FROM ({transitions.followup_visits_sql(c)})"""


def referrals_sql(c: Ctx) -> str:
    """Referrals behind the services that have one; some were never started."""
    return f"""
    SELECT 'R' || sid AS referral_id, person, i, region_code, ref_from AS from_sector, service,
        municipality_code, least(referred_on, start) AS referred_on,
        CASE WHEN started THEN start END AS started_on
    FROM care
    WHERE ref_from IS NOT NULL AND least(referred_on, start) < {c.cutoff}
      AND least(referred_on, start) >= birth_date
    QUALIFY row_number() OVER (PARTITION BY sid ORDER BY start) = 1
    ORDER BY i, sid"""
