"""Transitions from hospital to municipality: referral uptake, the follow-up after a
discharge, and each municipality's levels of both (rates.py, "transitions").

Referral uptake: a referral is started within 30 days with a probability by service, by who
referred, by municipality and year (a logistic model); otherwise it starts later or never.

Follow-up: every discharge of a citizen aged 65+ (alive, not to a temporary bed, which is
itself municipal care from the day of discharge) gets a planned outcome — followed up by the
municipality within 72 hours or not — with the municipality's level for the year. A
followed-up citizen gets an in-person visit within the 72 hours (home nursing for those who
have it, the nursing home's nurse for residents, a preventive home visit after discharge,
Serviceloven § 79 a, for everyone else). For the others the municipality is quiet for 72
hours: visits that would have fallen there are phone calls, and services that would have
started there start a few days later. GP contacts are left as they come, so the GP part of
the follow-up is what ordinary GP use gives.
"""

from __future__ import annotations

import math
import random

import duckdb

from tvaers.synth import rates
from tvaers.synth.sql import Ctx, at, service, val

_D = "hospital_contacts"
NURSING_HOME = val(_D, "discharged_to", "nursing_home")
TEMPORARY_BED = val(_D, "discharged_to", "temporary_bed")
DIED = val(_D, "discharged_to", "died")
VISIT = val("municipal_visits", "kind", "visit")
PHONE = val("municipal_visits", "kind", "phone")
# A row of care0 as an integer for the seeded hashes (sids are text).
ROW_KEY = "CAST(hash(sid) % 2147483647 AS BIGINT)"


def effects(seed: int, code: str) -> dict[str, float]:
    """A municipality's follow-up and referral levels. Drawn from their own random stream,
    so they leave the older effects of a seed (and the rest of its data) unchanged."""
    rng = random.Random(f"tvaers-synth-transitions:{seed}:{code}")
    level = rng.uniform(*rates.FOLLOWUP_LEVEL_RANGE)
    improving = rng.random() >= rates.FOLLOWUP_FLAT_SHARE
    gain = rng.uniform(*rates.FOLLOWUP_GAIN_RANGE)
    uptake = rng.gauss(0, rates.UPTAKE_MUNI_SIGMA)
    up_improving = rng.random() >= rates.UPTAKE_FLAT_SHARE
    up_gain = rng.uniform(*rates.UPTAKE_GAIN_RANGE)
    s = rates.SMOKING_REFERRAL_SIGMA
    return {
        "followup": level,
        "followup_gain": gain if improving else 0.0,
        "uptake": uptake,
        "uptake_gain": up_gain if up_improving else 0.0,
        "smoking_referral": math.exp(rng.gauss(0, s) - s**2 / 2),
    }


def notification_missing(seed: int, hospital: str, code: str) -> float:
    """Share of discharges without a discharge notification: the hospital's level (its
    systems and routines) times a little municipal noise (the receiving end)."""
    level = random.Random(f"tvaers-synth-hospital:{seed}:{hospital}").uniform(
        *rates.NOTIFICATION_MISSING_RANGE
    )
    return level * random.Random(f"tvaers-synth-receiver:{seed}:{code}").uniform(0.6, 1.4)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def apply_uptake(con: duckdb.DuckDBPyConnection) -> None:
    """care0's referred rows: started within 30 days, later (31-90 days) or never."""
    modelled = {s: p for s, p in rates.UPTAKE_30D.items() if p < 1}
    base = (
        "CASE service "
        + " ".join(f"WHEN {service(s)} THEN {_logit(p):.6f}" for s, p in modelled.items())
        + " END"
    )
    sector = (
        "CASE ref_from "
        + " ".join(
            f"WHEN {val('referrals', 'from_sector', k)} THEN {v}"
            for k, v in rates.UPTAKE_FROM_SECTOR.items()
        )
        + " ELSE 0 END"
    )
    late = (
        "CASE service "
        + " ".join(f"WHEN {service(s)} THEN {v}" for s, v in rates.UPTAKE_LATE.items())
        + f" ELSE {rates.UPTAKE_LATE_DEFAULT} END"
    )
    year = f"(year(referred_on) - {rates.FOLLOWUP_BASE_YEAR})"
    logit = (
        f"({base} + {sector} + {at('upt', 'referred_on')} + {at('uptg', 'referred_on')} * {year})"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE care0 AS
        WITH j AS (
            SELECT c.*, {ROW_KEY} AS rk,
                CASE WHEN c.ref_from IS NOT NULL AND ({base}) IS NOT NULL
                     THEN u2(c.i, {ROW_KEY}, 470) < 1 / (1 + exp(-{logit})) END AS within,
                u2(c.i, {ROW_KEY}, 471) < {late} AS late
            FROM care0 c JOIN (SELECT i, move_date, upt1, upt2, uptg1, uptg2 FROM persons) p
                USING (i)),
        k AS (
            SELECT *, CASE WHEN within IS NULL THEN start
                           WHEN within
                               THEN referred_on + CAST(least(start - referred_on, 30) AS INTEGER)
                           WHEN late THEN referred_on + 31
                                + CAST(least(59, floor(ex2(i, rk, 472) * 20)) AS INTEGER)
                           ELSE start END AS start2
            FROM j)
        SELECT i, sid, service, start2 AS start,
            end_raw + CAST(start2 - start AS INTEGER) AS end_raw, hours, ref_from, referred_on,
            CASE WHEN within IS NULL THEN started ELSE within OR late END AS started
        FROM k"""
    )


def build_followup(con: duckdb.DuckDBPyConnection, c: Ctx) -> None:
    """followup: one row per discharge in scope with its planned outcome and, when followed
    up, the time and service of the visit; then care0 gets the preventive visits' periods,
    and services that would start in a quiet window are moved past it."""
    year = f"(year(t0) - {rates.FOLLOWUP_BASE_YEAR})"
    level = f"least({rates.FOLLOWUP_MAX}, greatest(0.0, lvl + gain * {year}))"
    evening = "INTERVAL 17 HOUR + minutes(floor(u2(i, e, 476) * 300))"
    con.execute(
        f"""CREATE OR REPLACE TABLE followup AS
        WITH w AS (
            SELECT s.i, s.e, s.e_ts AS t0, s.e_ts + INTERVAL 72 HOUR AS t1,
                CAST(s.e_ts AS DATE) AS d0, CAST(s.e_ts + INTERVAL 72 HOUR AS DATE) AS d1,
                s.discharged_to = {NURSING_HOME} AS resident,
                {at("fu", "CAST(s.e_ts AS DATE)")} AS lvl,
                {at("fug", "CAST(s.e_ts AS DATE)")} AS gain
            FROM stays s JOIN (SELECT i, fu1, fu2, fug1, fug2 FROM persons) p
                USING (i)
            WHERE s.age >= 65 AND NOT s.ongoing AND s.discharged_to IS NOT NULL
              AND s.discharged_to NOT IN ({DIED}, {TEMPORARY_BED})),
        hn AS (
            SELECT DISTINCT w.i, w.e FROM w JOIN care0 c ON c.i = w.i
            WHERE c.service = {service("home_nursing")} AND c.started
              AND c.start <= w.d0 + 7 AND (c.end_raw IS NULL OR c.end_raw >= w.d0)),
        o AS (
            SELECT w.*, hn.i IS NOT NULL AS home_nursing,
                u2(w.i, w.e, 473) < {level} * CASE WHEN hn.i IS NOT NULL OR resident THEN 1
                    ELSE {rates.FOLLOWUP_WITHOUT_HOME_NURSING} END AS fu
            FROM w LEFT JOIN hn USING (i, e))
        SELECT o.*,
            CASE WHEN NOT fu THEN NULL
                 WHEN t0 < d0 + INTERVAL 16 HOUR AND u2(i, e, 474) < {rates.FOLLOWUP_SAME_DAY}
                      THEN d0 + {evening}
                 WHEN u2(i, e, 475) < {rates.FOLLOWUP_NEXT_DAY} THEN d0 + 1 + {evening}
                 ELSE d0 + 2 + {evening} END AS fu_at,
            CASE WHEN home_nursing THEN {service("home_nursing")}
                 WHEN resident THEN {service("nursing_home")}
                 ELSE {service("prevention")} END AS fu_service
        FROM o ORDER BY i, e"""
    )
    con.execute("CREATE OR REPLACE TABLE quiet AS SELECT i, t0, t1 FROM followup WHERE NOT fu")
    # The preventive home visit after discharge is a one-day period of its own (no regular
    # visits: its one visit is the follow-up visit, see followup_visits_sql).
    con.execute(
        """INSERT INTO care0 BY NAME
        SELECT i, 'F' || i || '-' || e AS sid, fu_service AS service,
            CAST(fu_at AS DATE) AS start, CAST(fu_at AS DATE) AS end_raw, NULL AS hours,
            NULL AS ref_from, NULL AS referred_on, true AS started
        FROM followup WHERE fu AND fu_service = 'prevention'"""
    )
    # Quiet windows: a service that would start there starts 1-3 days after (a nursing home
    # keeps its day: moving in is not a follow-up the municipality can delay).
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE care0 AS
        WITH shift AS (
            SELECT c.sid, max(q.d1) AS d1 FROM care0 c JOIN followup q
                ON q.i = c.i AND NOT q.fu AND c.start BETWEEN q.d0 AND q.d1
            WHERE c.service <> {service("nursing_home")} AND c.sid NOT LIKE 'F%'
            GROUP BY c.sid),
        m AS (
            SELECT c.*, CASE WHEN s.d1 IS NULL THEN c.start
                ELSE s.d1 + 1 + CAST(floor(u2(c.i, {ROW_KEY}, 477) * 3) AS INTEGER) END AS start2
            FROM care0 c LEFT JOIN shift s USING (sid))
        SELECT * EXCLUDE (start, start2, end_raw), start2 AS start,
            end_raw + CAST(start2 - start AS INTEGER) AS end_raw
        FROM m"""
    )


def quiet_visits_sql(visits: str) -> str:
    """The visits with an in-person visit inside a quiet window made a phone call. (A semi
    join probed by the visits keeps their order, so the file stays the same for a seed.)"""
    return f"""
    SELECT v.* REPLACE (CASE WHEN v.kind = {VISIT} AND EXISTS (
            SELECT 1 FROM quiet q WHERE q.i = v.i AND v.at > q.t0 AND v.at <= q.t1)
        THEN {PHONE} ELSE v.kind END AS kind)
    FROM ({visits}) v"""


def followup_visits_sql(c: Ctx) -> str:
    """The planned follow-up visits (in-person, in the evening: the regular visits lie in the
    day, so the contract key cannot repeat), never after death or extraction."""
    return f"""
    SELECT p.person, f.i, p.region_code, {at("code", "CAST(f.fu_at AS DATE)")}
            AS municipality_code,
        f.fu_service AS service, f.fu_at AS at, {VISIT} AS kind
    FROM followup f JOIN persons p USING (i)
    WHERE f.fu AND f.fu_at < coalesce(p.death_ts, {c.cutoff_ts}) AND f.fu_at < {c.cutoff_ts}
    QUALIFY row_number() OVER (PARTITION BY f.i, f.fu_service, f.fu_at ORDER BY f.e) = 1"""
