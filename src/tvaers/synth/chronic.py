"""Chronic disease: who has which disease from when, and how the catalogue will see it.

Each person draws, per disease, a latent uniform; the age at which the disease's logistic
cumulative-prevalence curve (rates.DISEASES) reaches it is the onset age. So on any day the
prevalence by age is the curve, without simulating incidence year by year.

The catalogue (indicators.md) detects a disease by a hospital diagnosis any time before, or
by dispensings. Each person with a disease gets a detection route (diagnosis, prescriptions
or both) and the matching rows: one diagnostic outpatient contact at onset (history before
the first year is written too, so prevalence is right from 1 January of the first year),
dispensings every ~3 months from onset, and the code as B diagnosis on later admissions.
"""

from __future__ import annotations

from tvaers.synth import rates
from tvaers.synth.rates import DISEASES, Disease
from tvaers.synth.sql import Ctx, val


# Column names in the persons work table, per disease.
def onset_col(d: Disease) -> str:
    return f"on_{d.key}"


def route_col(d: Disease) -> str:
    """0 = diagnosis only, 1 = prescriptions only, 2 = both."""
    return f"rt_{d.key}"


def logistic_age(pf: float, pm: float, a50: float, s: float, min_age: float, stream: int) -> str:
    """Onset age (DOUBLE) or NULL: the inverse of the logistic prevalence curve at u."""
    pmax = f"(CASE WHEN sex = 'M' THEN {pm} ELSE {pf} END)"
    uu = f"u(i, {stream})"
    return (
        f"(CASE WHEN {uu} < {pmax} THEN greatest({min_age} + 2 * u(i, {stream + 1}), "
        f"{a50} + {s} * ln(greatest({uu}, 1e-9) / ({pmax} - {uu}))) END)"
    )


def onset_age_columns() -> list[str]:
    """SELECT items: per disease the onset age (NULL: never) and the detection route."""
    out = []
    for n, d in enumerate(DISEASES):
        stream = 100 + 4 * n
        age = logistic_age(d.pmax_f, d.pmax_m, d.a50, d.s, d.min_age, stream)
        out.append(f"{age} AS age_{d.key}")
        r = f"u(i, {stream + 2})"
        out.append(
            f"(CASE WHEN {r} < {d.dx_only} THEN 0 WHEN {r} < {d.dx_only + d.rx_only} THEN 1 "
            f"ELSE 2 END) AS {route_col(d)}"
        )
    return out


def onset_date_columns() -> list[str]:
    """Onset dates from the ages (NULL when the onset would lie past 2100)."""
    return [
        f"CASE WHEN age_{d.key} < 115 THEN dadd(birth_date, age_{d.key} * 365.25) END "
        f"AS {onset_col(d)}"
        for d in DISEASES
    ]


def chronic_count(on: str) -> str:
    """Number of diseases with onset before the date expression `on`."""
    # coalesce: no onset (NULL) means "not before"; a NULL would poison every sum it is in.
    return (
        "(" + " + ".join(f"coalesce({onset_col(d)} < {on}, false)::INTEGER" for d in DISEASES) + ")"
    )


def has(key: str, on: str) -> str:
    d = next(x for x in DISEASES if x.key == key)
    return f"coalesce({onset_col(d)} < {on}, false)"


def first_code_before(on: str) -> str:
    """SQL: the code of the person's first disease (in DISEASES order) present before `on`;
    used for chronic control visits."""
    parts = " ".join(f"WHEN {onset_col(d)} < {on} THEN '{d.dx}'" for d in DISEASES)
    return f"(CASE {parts} END)"


def diagnostic_contacts_sql(c: Ctx) -> str:
    """One outpatient contact per person and diagnosis-detected disease, on the onset day
    (not before `history_from`), with the disease code as A diagnosis. Columns as
    hospital.contact_columns()."""
    T = "hospital_contacts"
    parts = []
    for n, d in enumerate(DISEASES):
        sector = "psychiatric" if d.psychiatric else "somatic"
        dept = "900" if d.psychiatric else "150"
        day = f"greatest({onset_col(d)}, {c.history_from})"
        start = f"({day} + INTERVAL 8 HOUR + minutes(u(i, {150 + n}) * 420))"
        parts.append(
            f"""SELECT 'D' || i || '-{n}' AS contact_id, person, i, region_code,
                hosp1 || '{dept}' AS hospital_code,
                no_gap({start}) AS start,
                no_gap({start} + minutes(20 + u(i, {160 + n}) * 70)) AS "end",
                {val(T, "contact_type", "physical")} AS contact_type,
                {val(T, "priority", "planned")} AS priority,
                {val(T, "sector", sector)} AS sector,
                '{d.dx}' AS diagnosis,
                NULL::TIMESTAMP AS ready_for_discharge, NULL::VARCHAR AS discharged_to
            FROM persons
            WHERE {onset_col(d)} IS NOT NULL AND {route_col(d)} <> 1
              AND {day} < LEAST(coalesce(death_date, {c.cutoff}), {c.cutoff})
              AND {day} >= birth_date"""
        )
    return "\nUNION ALL\n".join(parts)


def chronic_prescriptions_sql(c: Ctx) -> str:
    """Dispensings of each treated person's disease drug every ~DISPENSE_DAYS, from onset
    (at most RX_HISTORY_DAYS before the first year) until death or extraction.
    Columns: person, i, region_code, dispensed_on, atc."""
    every = rates.DISPENSE_DAYS
    parts = []
    for n, d in enumerate(DISEASES):
        if not d.atc:
            continue
        treated = (
            f"{route_col(d)} <> 0"
            if d.rx_only > 0
            else f"u(i, {170 + n}) < {rates.TREATED_SHARE_NO_RX_ROUTE}"
        )
        if d.rx_only > 0:  # the catalogue's route: every rx-route person is treated
            treated = f"({route_col(d)} <> 0 OR u(i, {170 + n}) < 0.5)"
        parts.append(
            f"""SELECT person, i, region_code, {onset_col(d)} AS onset, '{d.atc}' AS atc,
                    greatest({onset_col(d)}, {c.first_day} - {rates.RX_HISTORY_DAYS}) AS rx_from,
                    least(coalesce(death_date, {c.cutoff}), {c.cutoff} - 1) AS rx_to,
                    {n} AS dn
                FROM persons
                WHERE {onset_col(d)} IS NOT NULL AND {treated}"""
        )
    union = "\nUNION ALL\n".join(parts)
    return f"""
    SELECT person, i, region_code, dispensed_on, atc FROM (
        SELECT person, i, region_code, atc,
               dadd(rx_from, k * {every} + u2(i, k * 16 + dn, 180) * 20) AS dispensed_on,
               rx_to
        FROM (SELECT *, unnest(range(CAST(greatest(0, (rx_to - rx_from) // {every} + 1)
                                          AS BIGINT))) AS k
              FROM ({union}) WHERE rx_to >= rx_from))
    WHERE dispensed_on <= rx_to
    """
