"""Readmissions: index admissions and whether an acute readmission followed."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar

from tvaers.indicators.definitions import DISCHARGE_KINDS, Blocks, Stratum, Texts
from tvaers.indicators.dialect import Dialect, band, has_prefix
from tvaers.indicators.fields import Number, Params, one_of
from tvaers.indicators.followup import in_window
from tvaers.indicators.methods.base import (
    Admission,
    DiagnosisCodes,
    Method,
    Sectors,
    code_list,
)
from tvaers.indicators.methods.cells import admission_filter, by_event_period
from tvaers.sql import text_list

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Indicator


class IndexAdmission(Params):
    sector: Sectors
    age_min: Number | None = None  # at the index stay's end
    excluded_diagnoses: DiagnosisCodes
    excluded_discharged_to: Annotated[tuple[str, ...], one_of(DISCHARGE_KINDS, empty=True)] = ()
    # When given, only index stays discharged to one of these.
    discharged_to: Annotated[tuple[str, ...], one_of(DISCHARGE_KINDS, empty=True)] = ()


class Readmission(Admission):
    within_hours: Number
    excluded_diagnoses: DiagnosisCodes


class Readmissions(Method):
    """Index admissions ending in the period (attributed to the residence at their end) and
    whether a qualifying acute readmission started within the window after the end. Index
    stays ending less than `provisional_days` before the extraction date are provisional."""

    name: ClassVar[str] = "readmissions"
    index: IndexAdmission
    readmission: Readmission
    provisional_days: Number

    def flagged(self, dialect: Dialect, extracted: date) -> str:
        """One row per index stay (person_no, e, end_date, muni, sex, age), whether a
        qualifying readmission followed (`readmitted`) and whether it is provisional."""
        idx, re = self.index, self.readmission
        where = [
            f"a.sector IN ({text_list(idx.sector)})",
            "NOT a.died",
            f"NOT {has_prefix('a.diagnosis', idx.excluded_diagnoses)}",
        ]
        if idx.excluded_discharged_to:
            where.append(
                "(a.discharged_to IS NULL OR a.discharged_to NOT IN "
                f"({text_list(idx.excluded_discharged_to)}))"
            )
        if idx.discharged_to:
            where.append(f"a.discharged_to IN ({text_list(idx.discharged_to)})")
        if idx.age_min is not None:
            where.append(f"a.age_end >= {int(idx.age_min)}")
        window = float(re.within_hours) * 3600
        to_extraction = dialect.days_between("i.end_date", f"DATE '{extracted.isoformat()}'")
        provisional = f"CASE WHEN {to_extraction} < {int(self.provisional_days)} THEN 1 ELSE 0 END"
        return f"""
            SELECT i.person_no, i.sector, i.stay_no, i.e, i.end_date, i.muni_end AS muni, i.sex,
                   i.age_end AS age,
                   max(CASE WHEN r.person_no IS NULL THEN 0 ELSE 1 END) AS readmitted,
                   max({provisional}) AS provisional
            FROM (SELECT a.* FROM b_admissions a WHERE {" AND ".join(where)}) i
            LEFT JOIN (SELECT a.person_no, a.s FROM b_admissions a
                       WHERE {admission_filter(re)}
                         AND NOT {has_prefix("a.diagnosis", re.excluded_diagnoses)}) r
              ON r.person_no = i.person_no AND r.s > i.e AND r.s <= i.e + {window}
            GROUP BY i.person_no, i.sector, i.stay_no, i.e, i.end_date, i.muni_end, i.sex,
                     i.age_end"""

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        rows = by_event_period(self.flagged(dialect, extracted), "end_date", ind)
        return f"""
            SELECT '{ind.id}' AS indicator_id, r.period, r.muni AS municipality_code,
                   '' AS stratum, r.sex, {band("r.age")} AS band,
                   sum(r.readmitted) AS numerator, count(*) AS denominator,
                   sum(r.provisional) AS n_provisional
            FROM ({rows}) r
            GROUP BY r.period, r.muni, r.sex, {band("r.age")}"""

    def describe(self, ind: Indicator) -> list[str]:
        i, r = self.index, self.readmission
        age = f"; age ≥ {i.age_min} at the index stay's end" if i.age_min else ""
        return [
            f"- index admission: sector {', '.join(i.sector)}, not ending in death, "
            + (f"discharged_to {', '.join(i.discharged_to)}, " if i.discharged_to else "")
            + f"discharged_to not {', '.join(i.excluded_discharged_to or ['-'])}, "
            f"stay diagnosis not {code_list(i.excluded_diagnoses)}{age}",
            f"- qualifying readmission: priority {', '.join(r.priority)}, sector "
            f"{', '.join(r.sector)}, starting after the index end and within "
            f"{r.within_hours} hours, stay diagnosis not {code_list(r.excluded_diagnoses)}",
            f"- provisional: index stays ending less than {self.provisional_days} days before "
            "the extraction date",
        ]


class FollowupWindow(Params):
    within_hours: Number


class ReadmissionsByFollowup(Readmissions):
    """The readmission method's index stays split by follow-up: `followed_up` when a
    follow-up contact (building blocks) lies within the window after the stay's end and
    before the start of the person's next admission (any sector and priority)."""

    name: ClassVar[str] = "readmissions_by_followup"
    followup: FollowupWindow

    def followup_hours(self) -> float | None:
        return float(self.followup.within_hours)

    def strata(self, blocks: Blocks) -> tuple[Stratum, ...]:
        return (
            Stratum("followed_up", Texts("med opfølgning", "followed up")),
            Stratum("not_followed_up", Texts("uden opfølgning", "not followed up")),
        )

    def cells(self, ind: Indicator, dialect: Dialect, extracted: date) -> str:
        hours = self.followup.within_hours
        index = self.flagged(dialect, extracted)
        following = f"""
            SELECT i.person_no, i.sector, i.stay_no, min(b.s) AS next_s
            FROM ({index}) i JOIN b_admissions b ON b.person_no = i.person_no AND b.s > i.e
            GROUP BY i.person_no, i.sector, i.stay_no"""
        seen = f"""
            SELECT i.person_no, i.sector, i.stay_no
            FROM ({index}) i
            LEFT JOIN ({following}) n ON n.person_no = i.person_no AND n.sector = i.sector
                                    AND n.stay_no = i.stay_no
            JOIN b_followup f ON f.person_no = i.person_no
                             AND {in_window(dialect, "f", "i.e", hours)}
                             AND (n.next_s IS NULL OR f.t < n.next_s)
            GROUP BY i.person_no, i.sector, i.stay_no"""
        split = f"""
            SELECT i.*, CASE WHEN v.person_no IS NULL THEN 'not_followed_up'
                             ELSE 'followed_up' END AS stratum
            FROM ({index}) i
            LEFT JOIN ({seen}) v ON v.person_no = i.person_no AND v.sector = i.sector
                                AND v.stay_no = i.stay_no"""
        rows = by_event_period(split, "end_date", ind)
        return f"""
            SELECT '{ind.id}' AS indicator_id, r.period, r.muni AS municipality_code,
                   r.stratum, r.sex, {band("r.age")} AS band,
                   sum(r.readmitted) AS numerator, count(*) AS denominator,
                   sum(r.provisional) AS n_provisional
            FROM ({rows}) r
            GROUP BY r.period, r.muni, r.stratum, r.sex, {band("r.age")}"""

    def describe(self, ind: Indicator) -> list[str]:
        return [
            *super().describe(ind),
            f"- `followed_up`: a follow-up contact (building blocks) within "
            f"{self.followup.within_hours} hours after the index stay's end and before the "
            "person's next admission; else `not_followed_up`",
        ]
