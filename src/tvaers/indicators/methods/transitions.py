"""Methods of the transitions indicators (transitions.md): follow-up after a notified
discharge, notification coverage of LPR discharges, and outcomes after a discharge.

They count flagged events: each row of a method's `rows` is one event with its period,
municipality, sex, age, stratum and three 0/1 flags (in the numerator, in the
denominator, provisional); `flag_cells` sums them into cells.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar

from tvaers.indicators.blocks import residence_at
from tvaers.indicators.definitions import DISCHARGE_KINDS, TOTAL, Blocks, Stratum, Texts
from tvaers.indicators.dialect import Dialect, age, band, has_prefix, local_date
from tvaers.indicators.fields import Number, Params, one_of
from tvaers.indicators.followup import death_in_window, in_window
from tvaers.indicators.methods.base import Admission, DiagnosisCodes, Method, Sectors, code_list
from tvaers.indicators.methods.cells import admission_filter, by_event_period
from tvaers.indicators.notified import extraction_epoch
from tvaers.sql import text_list

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Indicator

DischargeKinds = Annotated[tuple[str, ...], one_of(DISCHARGE_KINDS)]
StayClasses = Annotated[tuple[str, ...], one_of(("inpatient", "emergency"))]


def flag_cells(ind: Indicator, rows: str) -> str:
    """Cells from event rows (period, muni, sex, age, stratum, num, den, prov)."""
    return f"""
        SELECT '{ind.id}' AS indicator_id, r.period, r.muni AS municipality_code, r.stratum,
               r.sex, {band("r.age")} AS band, sum(r.num) AS numerator,
               sum(r.den) AS denominator, sum(r.prov) AS n_provisional
        FROM ({rows}) r
        GROUP BY r.period, r.muni, r.stratum, r.sex, {band("r.age")}"""


def _earliest(a: str, b: str) -> str:
    """The earlier of two instants, either of which may be NULL (written out: the engines'
    least() differ on NULL)."""
    return f"CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL OR {a} <= {b} THEN {a} ELSE {b} END"


class NotifiedStays(Params):
    stay_class: StayClasses
    age_min: Number  # at the discharge


HOURS_PREFIX = "first_"  # the strata of the hours to the first follow-up contact


def hour_bands(within: float, width: float) -> list[tuple[int, int]]:
    """[(from, to)] hours: the window cut in bands of `width` (the last one closed)."""
    edges = [int(h) for h in range(0, int(within), int(width))]
    return [(a, min(a + int(width), int(within))) for a in edges]


class FollowupAfterDischarge(Method):
    """Notified stays ending with a discharge home, and whether a follow-up contact came
    within the window after the discharge. Excluded: a death or a new notified admission
    in the window before any follow-up contact, and stays whose window reaches past the
    extraction (counted as provisional). Strata: by kind (a municipal contact, a GP
    contact; the total is either), and by the hours from the discharge to the first
    contact in bands of `band_hours` (`first_0_12h`, …; a contact known by its date only
    counts from the discharge), by year only (a distribution over the year; per month the
    bands would multiply the cells for little). Attributed to the residence on the
    discharge date."""

    name: ClassVar[str] = "followup_after_discharge"
    stays: NotifiedStays
    within_hours: Number
    band_hours: Number

    def followup_hours(self) -> float | None:
        return float(self.within_hours)

    def bands(self) -> list[tuple[int, int]]:
        return hour_bands(float(self.within_hours), float(self.band_hours))

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        bands = [
            Stratum(
                f"{HOURS_PREFIX}{a}_{b}h",
                Texts(f"første opfølgning efter {a}–{b} timer", f"first follow-up after {a}–{b} h"),
            )
            for a, b in self.bands()
        ]
        return (
            TOTAL,
            Stratum("municipality", Texts("kommunal opfølgning", "municipal follow-up")),
            Stratum("gp", Texts("opfølgning i almen praksis", "general practice follow-up")),
            *bands,
        )

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        d, hours = dialect, self.within_hours
        window = float(hours) * 3600
        stays = f"""
            SELECT n.person_no, n.end_t AS dis, {local_date(d.timestamp("n.end_t"))} AS end_date
            FROM b_notified_stays n
            WHERE n.end_kind = 'discharge' AND n.class IN ({text_list(self.stays.stay_class)})"""
        people = f"""
            SELECT s.*, r.municipality_code AS muni, p.sex, p.death_date,
                   {age("p.birth_date", "s.end_date")} AS age
            FROM ({stays}) s JOIN in_persons p ON p.person_no = s.person_no
            {residence_at("r", "s.person_no", "s.end_date")}
            WHERE {age("p.birth_date", "s.end_date")} >= {int(self.stays.age_min)}"""
        first = f"""
            SELECT s.person_no, s.dis, min(f.t) AS f_any,
                   min(CASE WHEN f.kind = 'municipality' THEN f.t END) AS f_muni,
                   min(CASE WHEN f.kind = 'gp' THEN f.t END) AS f_gp
            FROM ({stays}) s JOIN b_followup f
              ON f.person_no = s.person_no AND {in_window(d, "f", "s.dis", hours)}
            GROUP BY s.person_no, s.dis"""
        readmit = f"""
            SELECT s.person_no, s.dis, min(n.admit_t) AS next_t
            FROM ({stays}) s JOIN b_notified_stays n
              ON n.person_no = s.person_no AND n.admit_t > s.dis AND n.admit_t <= s.dis + {window}
            GROUP BY s.person_no, s.dis"""
        death_t = (
            f"CASE WHEN {death_in_window(d, 'q.death_date', 'q.dis', hours)} "
            f"THEN {d.midnight('q.death_date')} END"
        )
        flagged = f"""
            SELECT q.*, CASE WHEN q.dis + {window} > {extraction_epoch(extracted)}
                             THEN 1 ELSE 0 END AS near,
                   {_earliest(death_t, "q.next_t")} AS stop_t
            FROM (SELECT p.*, f.f_any, f.f_muni, f.f_gp, x.next_t
                  FROM ({people}) p
                  LEFT JOIN ({first}) f ON f.person_no = p.person_no AND f.dis = p.dis
                  LEFT JOIN ({readmit}) x ON x.person_no = p.person_no AND x.dis = p.dis) q"""
        counted = f"""
            SELECT z.*, CASE WHEN near = 0 AND NOT (stop_t IS NOT NULL
                                 AND (f_any IS NULL OR stop_t < f_any)) THEN 1 ELSE 0 END AS den
            FROM ({flagged}) z"""
        rows = by_event_period(counted, "end_date", ind)
        parts = [
            f"""SELECT r.period, r.muni, r.sex, r.age, '{stratum}' AS stratum,
                       CASE WHEN r.den = 1 AND {col} IS NOT NULL THEN 1 ELSE 0 END AS num,
                       r.den, r.near AS prov
                FROM events r"""
            for stratum, col in (("", "r.f_any"), ("municipality", "r.f_muni"), ("gp", "r.f_gp"))
        ]
        # The band of the first contact: its index from the hours after the discharge (a
        # date-only contact may lie before the discharge's time: band 0; a contact at the
        # window's very end: the last band).
        last = len(self.bands()) - 1
        width = float(self.band_hours) * 3600
        index = f"CAST(floor((r.f_any - r.dis) / {width}) AS INT)"
        band_no = (
            f"CASE WHEN r.f_any < r.dis THEN 0 WHEN {index} > {last} THEN {last} ELSE {index} END"
        )
        bands = " UNION ALL ".join(
            f"SELECT {n} AS n, '{HOURS_PREFIX}{a}_{b}h' AS stratum"
            for n, (a, b) in enumerate(self.bands())
        )
        parts.append(
            f"""SELECT r.period, r.muni, r.sex, r.age, b.stratum,
                       CASE WHEN r.den = 1 AND r.f_any IS NOT NULL AND {band_no} = b.n
                            THEN 1 ELSE 0 END AS num,
                       r.den, r.near AS prov
                FROM events r CROSS JOIN ({bands}) b
                WHERE r.period NOT LIKE '%-%'"""
        )
        # Every stratum reads the same events: one common table, which DuckDB computes once
        # (written out four times, the window joins ran four times).
        return flag_cells(ind, f"WITH events AS ({rows}) {' UNION ALL '.join(parts)}")

    def describe(self, ind: Indicator) -> list[str]:
        s = self.stays
        return [
            f"- notified stays of class {', '.join(s.stay_class)} ending with a discharge home, "
            f"age ≥ {s.age_min} at the discharge",
            f"- follow-up contact within {self.within_hours} hours after the discharge "
            "(building blocks: `followup_contact`)",
            f"- excluded: death or a new notified admission within {self.within_hours} hours "
            "before any follow-up contact; stays whose window reaches past 00:00 on the "
            "extraction date (provisional)",
        ]


class DischargedAdmissions(Params):
    sector: Sectors
    discharged_to: DischargeKinds


class NotificationCoverage(Method):
    """LPR admissions ending alive with the given discharge destinations, and whether the
    same person has an effective notified discharge within the window before or after the
    stay's end. Attributed to the residence at the stay's end."""

    name: ClassVar[str] = "notification_coverage"
    admissions: DischargedAdmissions
    within_hours: Number

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        spec, window = self.admissions, float(self.within_hours) * 3600
        covered = f"""
            SELECT a.person_no, a.sector, a.stay_no, a.end_date, a.muni_end AS muni, a.sex,
                   a.age_end AS age, max(CASE WHEN n.person_no IS NULL THEN 0 ELSE 1 END) AS hit
            FROM b_admissions a
            LEFT JOIN b_notified_episodes n
              ON n.person_no = a.person_no AND n.end_kind = 'discharge'
             AND n.end_t >= a.e - {window} AND n.end_t <= a.e + {window}
            WHERE a.sector IN ({text_list(spec.sector)}) AND NOT a.died
              AND a.discharged_to IN ({text_list(spec.discharged_to)})
            GROUP BY a.person_no, a.sector, a.stay_no, a.end_date, a.muni_end, a.sex, a.age_end"""
        rows = by_event_period(covered, "end_date", ind)
        return flag_cells(
            ind,
            f"""SELECT r.period, r.muni, r.sex, r.age, '' AS stratum, r.hit AS num, 1 AS den,
                       0 AS prov FROM ({rows}) r""",
        )

    def describe(self, ind: Indicator) -> list[str]:
        a = self.admissions
        return [
            f"- admissions: sector {', '.join(a.sector)}, ending alive, discharged_to "
            f"{', '.join(a.discharged_to)}",
            f"- covered: an effective notified discharge of the person within "
            f"{self.within_hours} hours before or after the stay's end",
        ]


class IndexStays(Admission):
    diagnoses: DiagnosisCodes
    discharged_to: DischargeKinds


class OutcomesAfterDischarge(Method):
    """Admissions with a stay diagnosis of the list, ending alive with the given
    destination, and whether the person died (death date within the window's dates) or
    began a qualifying admission within the window after the stay's end. Strata `death`,
    `readmission`; the total is either. Index stays ending less than `provisional_days`
    before the extraction date are provisional."""

    name: ClassVar[str] = "outcomes_after_discharge"
    index: IndexStays
    readmission: Admission
    within_hours: Number
    provisional_days: Number

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        return (
            TOTAL,
            Stratum("death", Texts("død", "death")),
            Stratum("readmission", Texts("genindlæggelse", "readmission")),
        )

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        d, idx = dialect, self.index
        window = float(self.within_hours) * 3600
        to_extraction = d.days_between("i.end_date", f"DATE '{extracted.isoformat()}'")
        died = death_in_window(d, "p.death_date", "i.e", self.within_hours)
        flagged = f"""
            SELECT i.person_no, i.end_date, i.muni_end AS muni, i.sex, i.age_end AS age,
                   max(CASE WHEN {died} THEN 1 ELSE 0 END) AS died,
                   max(CASE WHEN r.person_no IS NULL THEN 0 ELSE 1 END) AS readmitted,
                   max(CASE WHEN {to_extraction} < {int(self.provisional_days)}
                            THEN 1 ELSE 0 END) AS prov
            FROM (SELECT a.* FROM b_admissions a
                  WHERE {admission_filter(idx)} AND NOT a.died
                    AND a.age_end >= {int(idx.age_min or 0)}
                    AND {has_prefix("a.diagnosis", idx.diagnoses)}
                    AND a.discharged_to IN ({text_list(idx.discharged_to)})) i
            JOIN in_persons p ON p.person_no = i.person_no
            LEFT JOIN (SELECT a.person_no, a.s FROM b_admissions a
                       WHERE {admission_filter(self.readmission)}) r
              ON r.person_no = i.person_no AND r.s > i.e AND r.s <= i.e + {window}
            GROUP BY i.person_no, i.sector, i.stay_no, i.end_date, i.muni_end, i.sex, i.age_end"""
        rows = by_event_period(flagged, "end_date", ind)
        parts = [
            f"""SELECT r.period, r.muni, r.sex, r.age, '{stratum}' AS stratum, {num} AS num,
                       1 AS den, r.prov FROM ({rows}) r"""
            for stratum, num in (
                ("", "CASE WHEN r.died + r.readmitted > 0 THEN 1 ELSE 0 END"),
                ("death", "r.died"),
                ("readmission", "r.readmitted"),
            )
        ]
        return flag_cells(ind, " UNION ALL ".join(parts))

    def describe(self, ind: Indicator) -> list[str]:
        i, r = self.index, self.readmission
        return [
            f"- index admissions: priority {', '.join(i.priority)}, sector "
            f"{', '.join(i.sector)}, age ≥ {i.age_min} at the stay's end, stay diagnosis "
            f"{code_list(i.diagnoses)}, ending alive, discharged_to {', '.join(i.discharged_to)}",
            f"- outcome within {self.within_hours} hours: death (by date), or the start of an "
            f"admission of priority {', '.join(r.priority)}, sector {', '.join(r.sector)}",
            f"- provisional: index stays ending less than {self.provisional_days} days before "
            "the extraction date",
        ]
