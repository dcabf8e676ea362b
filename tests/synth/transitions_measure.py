"""Transition levels of a generated delivery, measured on its raw files.

Written from ../shared/spec/transitions.md, independently of the generator and of the
indicator engine: the notified stays are rebuilt in plain Python from the messages (revise
and cancel, voided episodes, transfers chained), the rest is plain SQL over the files.
Times are read as Danish wall-clock time, exact enough for levels.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from tests.synth import calibration

TABLES = (
    "messages",
    "municipal_visits",
    "municipal_services",
    "gp_contacts",
    "referrals",
)
HOURS_72 = timedelta(hours=72)
HIP = ("DS720", "DS721", "DS722")


@dataclass
class Episode:
    person: str
    admitted: datetime | None = None
    inpatient: bool = False
    end: datetime | None = None
    died: bool = False


@dataclass
class NotifiedStay:
    person: str
    start: datetime
    end: datetime | None
    died: bool
    inpatient: bool


def open_delivery(directory: Path) -> duckdb.DuckDBPyConnection:
    """calibration's tables (persons, residence, contacts, stays, admissions) plus the raw
    transition tables, person key as `person`."""
    con = calibration.open_delivery([directory])
    for name in TABLES:
        source = calibration._source(directory, name)
        con.execute(f"CREATE OR REPLACE VIEW raw_{name} AS SELECT * FROM {source}")
        columns = [c[0] for c in con.execute(f"DESCRIBE raw_{name}").fetchall()]
        key = "cpr" if "cpr" in columns else "person_id"
        con.execute(
            f"CREATE VIEW {name} AS SELECT * EXCLUDE ({key}), "
            f"replace(CAST({key} AS VARCHAR), '-', '') AS person FROM raw_{name}"
        )
    return con


def _effective(messages: list[tuple]) -> dict[str, tuple[str, datetime]]:
    """One episode's messages (id, event, sent_at, event_at, replaces), by sent_at then id,
    to its effective messages: id -> (base event, event time)."""
    effective: dict[str, tuple[str, datetime]] = {}
    for mid, event, _sent, at, replaces in messages:
        for prefix in ("revise-", "cancel-"):
            if event.startswith(prefix):
                base = event.removeprefix(prefix)
                target = replaces if replaces in effective else None
                if target is None:  # the latest still-effective message of that event
                    same = [m for m, (e, _t) in effective.items() if e == base]
                    target = same[-1] if same else None
                if target is not None:
                    del effective[target]
                if prefix == "revise-":
                    effective[mid] = (base, at)
                break
        else:
            effective[mid] = (event, at)
    return effective


def notified_stays(con) -> tuple[list[NotifiedStay], list[tuple[str, datetime]]]:
    """The notified stays, and every effective discharge notification (person, time)."""
    rows = con.execute(
        """SELECT person, episode_id, message_id, event, sent_at,
                  coalesce(event_at, sent_at), replaces_message_id
        FROM messages WHERE type = 'hospital_notification'
        ORDER BY person, episode_id, sent_at, message_id"""
    ).fetchall()
    by_episode: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for person, episode, mid, event, sent, at, replaces in rows:
        by_episode[(person, episode)].append((mid, event, sent, at, replaces))
    episodes: dict[str, list[Episode]] = defaultdict(list)
    discharges: list[tuple[str, datetime]] = []
    for (person, _episode), messages in by_episode.items():
        effective = _effective(messages).values()
        admissions = [t for e, t in effective if e.startswith("admit-")]
        if not admissions:
            continue  # voided: none of its messages count
        ends = [
            (t, e == "deceased")
            for e, t in effective
            if e == "deceased" or (e.startswith("discharge-") and e.endswith("-home"))
        ]
        end, died = max(ends) if ends else (None, False)
        inpatient = any(e == "admit-inpatient" for e, _ in effective)
        episodes[person].append(Episode(person, min(admissions), inpatient, end, died))
        discharges += [(person, t) for e, t in effective if e.startswith("discharge-")]
    stays = []
    for person, eps in episodes.items():
        eps.sort(key=lambda x: x.admitted)
        current: NotifiedStay | None = None
        for ep in eps:
            if current is not None and current.end is None:  # open: the transfer chains
                current.end, current.died = ep.end, ep.died
                current.inpatient = current.inpatient or ep.inpatient
                continue
            current = NotifiedStay(person, ep.admitted, ep.end, ep.died, ep.inpatient)
            stays.append(current)
    return stays, discharges


def load_notified(con) -> None:
    """Tables `nstays` (the notified stays) and `discharge_notes` (every effective discharge
    notification: person, event time)."""
    stays, discharges = notified_stays(con)
    nstays = pa.table(  # noqa: F841 - read by the SQL below
        {
            "person": [s.person for s in stays],
            "start": pa.array([s.start for s in stays], pa.timestamp("us")),
            "t0": pa.array([s.end for s in stays], pa.timestamp("us")),
            "died": [s.died for s in stays],
            "inpatient": [s.inpatient for s in stays],
        }
    )
    con.execute("CREATE OR REPLACE TABLE nstays AS SELECT * FROM nstays")
    notes = pa.table(  # noqa: F841 - read by the SQL below
        {
            "person": [p for p, _ in discharges],
            "at": pa.array([t for _, t in discharges], pa.timestamp("us")),
        }
    )
    con.execute("CREATE OR REPLACE TABLE discharge_notes AS SELECT * FROM notes")


def build_followup(con, extracted_at: date) -> None:
    """Table `followup` (after load_notified): the denominator of followup_72h_after_discharge_65plus with its
    municipality, year, whether followed up (total, municipal, GP) and the group the
    citizen belongs to (home nursing around the discharge, nursing home, neither)."""
    cutoff = datetime.combine(extracted_at, datetime.min.time())
    con.execute(
        f"""CREATE OR REPLACE TABLE followup AS
        WITH d AS (
            SELECT n.person, n.t0, n.t0 + INTERVAL 72 HOUR AS t1, CAST(n.t0 AS DATE) AS d0,
                CAST(n.t0 + INTERVAL 72 HOUR AS DATE) AS d1, p.death
            FROM nstays n JOIN persons p USING (person)
            WHERE n.inpatient AND n.t0 IS NOT NULL AND NOT n.died
              AND n.t0 + INTERVAL 72 HOUR <= TIMESTAMP '{cutoff}'
              AND date_diff('year', p.birth, CAST(n.t0 AS DATE))
                  - CASE WHEN strftime(n.t0, '%m%d') < strftime(p.birth, '%m%d') THEN 1 ELSE 0 END
                  >= 65),
        -- follow-up contacts; a date-only service start counts from 00:00 of its date
        contacts AS (
            SELECT d.person, d.t0, 'municipality' AS kind, v."at" AS "at"
            FROM d JOIN municipal_visits v ON v.person = d.person AND v.kind = 'visit'
                AND v."at" > d.t0 AND v."at" <= d.t1
            UNION ALL
            SELECT d.person, d.t0, 'municipality', CAST(CAST(s.start AS DATE) AS TIMESTAMP)
            FROM d JOIN municipal_services s ON s.person = d.person
                AND CAST(s.start AS DATE) BETWEEN d.d0 AND d.d1
            UNION ALL
            SELECT d.person, d.t0, 'gp', g."at" FROM d JOIN gp_contacts g
                ON g.person = d.person AND g.kind <> 'email' AND g."at" > d.t0 AND g."at" <= d.t1),
        first AS (
            SELECT person, t0, min("at") AS first_at,
                bool_or(kind = 'municipality') AS municipal, bool_or(kind = 'gp') AS gp
            FROM contacts GROUP BY ALL),
        readmitted AS (
            SELECT d.person, d.t0, min(n.start) AS next_admission FROM d JOIN nstays n
                ON n.person = d.person AND n.start > d.t0 AND n.start <= d.t1
            GROUP BY ALL),
        kept AS (
            SELECT d.*, f.first_at, coalesce(f.municipal, false) AS municipal,
                coalesce(f.gp, false) AS gp FROM d
            LEFT JOIN first f USING (person, t0) LEFT JOIN readmitted r USING (person, t0)
            WHERE NOT (d.death IS NOT NULL AND d.death BETWEEN d.d0 AND d.d1
                       AND (f.first_at IS NULL OR CAST(d.death AS TIMESTAMP) < f.first_at))
              AND NOT (r.next_admission IS NOT NULL
                       AND (f.first_at IS NULL OR r.next_admission < f.first_at)))
        SELECT k.person, k.t0, year(k.t0) AS year, r.municipality,
            k.first_at IS NOT NULL AS followed, k.municipal, k.gp,
            CASE WHEN EXISTS (SELECT 1 FROM municipal_services s WHERE s.person = k.person
                    AND s.service = 'home_nursing' AND CAST(s.start AS DATE) <= k.d0 + 7
                    AND (s."end" IS NULL OR CAST(s."end" AS DATE) >= k.d0))
                 THEN 'home_nursing'
                 WHEN EXISTS (SELECT 1 FROM municipal_services s WHERE s.person = k.person
                    AND s.service = 'nursing_home' AND CAST(s.start AS DATE) <= k.d0
                    AND (s."end" IS NULL OR CAST(s."end" AS DATE) >= k.d0))
                 THEN 'nursing_home' ELSE 'neither' END AS grp
        FROM kept k JOIN residence r ON r.person = k.person AND r.valid_from <= k.d0
            AND (r.valid_to IS NULL OR r.valid_to > k.d0)"""
    )


def build_uptake(con, extracted_at: date) -> None:
    """Table `uptake`: referrals referred at least 30 days before extraction, started within
    30 days or not, with service, sector, municipality and year."""
    con.execute(
        f"""CREATE OR REPLACE TABLE uptake AS
        SELECT service, from_sector, CAST(CAST(municipality_code AS INTEGER) AS VARCHAR)
                AS municipality,
            year(CAST(referred_on AS DATE)) AS year,
            coalesce(CAST(started_on AS DATE) <= CAST(referred_on AS DATE) + 30, false)
                AS started
        FROM referrals WHERE CAST(referred_on AS DATE) + 30 < DATE '{extracted_at}'"""
    )


def build_coverage(con) -> None:
    """Table `coverage` (after load_notified): LPR somatic admissions (>= 12 h) ending alive at home, in a nursing
    home or a temporary bed, with or without a discharge notification within 24 h."""
    con.execute(
        """CREATE OR REPLACE TABLE coverage AS
        SELECT a.person, a."end", year(a."end") AS year, r.municipality,
            EXISTS (SELECT 1 FROM discharge_notes n WHERE n.person = a.person
                AND n."at" BETWEEN a."end" - INTERVAL 24 HOUR AND a."end" + INTERVAL 24 HOUR)
                AS notified
        FROM admissions a JOIN residence r ON r.person = a.person
            AND r.valid_from <= CAST(a."end" AS DATE)
            AND (r.valid_to IS NULL OR r.valid_to > CAST(a."end" AS DATE))
        WHERE a.sector = 'somatic' AND NOT a.died
          AND a.discharged_to IN ('home', 'nursing_home', 'temporary_bed')"""
    )


def hip_fractures_to_nursing_home(con) -> dict[int, int]:
    """Acute somatic admissions of people aged 65+ with a hip-fracture stay diagnosis,
    ending alive in a nursing home, by year of the stay end."""
    codes = ", ".join(f"'{c}'" for c in HIP)
    return dict(
        con.execute(
            f"""SELECT year("end"), count(*) FROM admissions WHERE sector = 'somatic'
            AND priority = 'acute' AND age_at_end >= 65 AND diagnosis IN ({codes})
            AND NOT died AND discharged_to = 'nursing_home' GROUP BY 1"""
        ).fetchall()
    )


def copd_smoking_referrals(con, year: int) -> tuple[int, int]:
    """(COPD patients aged 18+ resident on 1 January, those referred to smoking cessation
    in the year) — COPD by the catalogue's rule (a DJ44 diagnosis before the date)."""
    calibration.chronic_prevalence(con, year)  # builds `adults` and `dx` for the year
    return con.execute(
        f"""WITH copd AS (
            SELECT DISTINCT a.person FROM adults a JOIN dx USING (person)
            WHERE starts_with(dx.code, 'DJ44'))
        SELECT count(*), count(*) FILTER (WHERE person IN (
            SELECT person FROM referrals WHERE service = 'smoking_cessation'
              AND year(CAST(referred_on AS DATE)) = {year}))
        FROM copd"""
    ).fetchone()
