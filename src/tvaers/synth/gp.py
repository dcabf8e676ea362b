"""General practice: GP contacts (consultations, phone, e-mail, video, home visits, yearly
chronic care reviews) and prescription dispensings (everyday drugs, plus each treated
chronic patient's drug every ~3 months, from chronic.py).

Both are large (GP contacts ~7 a person-year) and streamed straight into their files.
Contract keys are unique by construction: contacts of a person-year sit in distinct time
slots, dispensings of a person-year on distinct days, and the chronic drugs are never on
the everyday list.
"""

from __future__ import annotations

from tvaers.synth import chronic, rates
from tvaers.synth.hospital import person_years, slot_day
from tvaers.synth.rates import GENERAL_ATC
from tvaers.synth.sql import Ctx, at, draw, pick, val

G = "gp_contacts"
MAX_PER_YEAR = 300


def clinic_sql(code: str, clinics: str) -> str:
    """The person's practice (ydernummer) in a municipality: 3-digit municipality code and a
    practice number; a person keeps one practice per municipality."""
    return f"lpad({code}, 3, '0') || lpad(CAST(h(i, 500) % {clinics} AS VARCHAR), 3, '0')"


def _frail_gp() -> str:
    # Frailty matters less for GP contacts than for hospital use: frail^0.5, renormalised
    # to mean 1 (E[frail^a] = exp(a(a-1)s²/2) for the lognormal with mean 1).
    s2 = rates.FRAILTY_SIGMA**2
    return f"(sqrt(frail) / exp(-{s2} / 8))"


def gp_contacts_sql(c: Ctx) -> str:
    lam = f"expo * gp * {_frail_gp()} * (1 + {rates.CHRONIC_EXTRA_GP} * cc)"
    kind = pick([(val(G, "kind", k), w) for k, w in rates.GP_KIND.items()], "u2(i, e, 505)")
    ev = "(y - 1900) * 1000 + k"
    return f"""
    WITH py AS ({person_years(c)}),
    counts AS (
        -- At most 30 a day alive: contacts sharing a day (with a weekend moved onto it, up
        -- to ~90) get distinct 5-minute slots of the 96 in the working day.
        SELECT *, least({MAX_PER_YEAR}, 30 * (hi - lo), sround({lam}, u2(i, y, 501))) AS n,
               (cc > 0 AND u2(i, y, 506) < expo)::INTEGER AS n_r, h2(i, y, 502) % 96 AS slot_off
        FROM py),
    ev AS (
        SELECT i, person, region_code, y, jan1, lo, hi, age, code1, code2, clinics1, clinics2,
               move_date, n, n_r, slot_off, unnest(range(n + n_r)) AS k
        FROM counts WHERE n + n_r > 0),
    t AS (
        SELECT *, {ev} AS e,
            weekday_in(jan1, {slot_day("k", "n + n_r", "u2(i, (y - 1900) * 1000 + k, 503)")}, lo)
                AS day
        FROM ev),
    t2 AS (
        SELECT t.*, {at("code", "day")} AS code, {at("clinics", "day")} AS clinics FROM t)
    SELECT person, i, region_code, {clinic_sql("code", "clinics")} AS clinic_id,
        day + INTERVAL 480 MINUTE + minutes(((k + slot_off) % 96) * 5) AS at,
        CASE WHEN k >= n THEN {val(G, "kind", "chronic_care_review")}
             WHEN age >= 80 AND u2(i, e, 504) < {rates.GP_HOME_VISIT_80PLUS}
                  THEN {val(G, "kind", "home_visit")}
             ELSE {kind} END AS kind
    FROM t2"""


def prescriptions_sql(c: Ctx) -> str:
    lam = f"expo * rx * {_frail_gp()} * (1 + 0.3 * cc)"
    general = f"""
    WITH py AS ({person_years(c)}),
    -- At most one dispensing a day alive (distinct days keep the contract key unique, also
    -- for someone who lived only a few days of the year).
    counts AS (SELECT *, least(hi - lo, sround({lam}, u2(i, y, 510))) AS n FROM py),
    ev AS (
        SELECT i, person, region_code, y, jan1, lo, hi, n, unnest(range(n)) AS k
        FROM counts WHERE n > 0),
    t AS (
        SELECT *, dadd(jan1, {slot_day("k", "n", "u2(i, (y - 1900) * 1000 + k, 511)")}) AS day
        FROM ev)
    SELECT person, i, region_code, day AS dispensed_on,
        {draw(list(GENERAL_ATC), "u2(i, (y - 1900) * 1000 + k, 512)")} AS atc
    FROM t"""
    return (
        f"SELECT * FROM ({general})\nUNION ALL BY NAME\n"
        f"SELECT * FROM ({chronic.chronic_prescriptions_sql(c)})"
    )
