"""Admission-based indicators: preventable admissions (groups, age at stay start,
attribution), færdigbehandlingsdage, repeated acute admissions, admissions of people with COPD.

Everybody is a woman born 1950-07-01 (72 on 1 Jan 2023) in Sønderborg 540 unless said
otherwise; admissions are single physical somatic acute contacts of 24 h.
"""

from __future__ import annotations

from .builder import Delivery, run

PREV = "preventable_admissions_65plus"
OLD = "1950-07-01"


def test_preventable_admissions_per_diagnosis_group(tmp_path):
    # Spec: the table "Preventable admissions — diagnosis groups", code entries are prefixes;
    # "acute somatic admissions ... stay diagnosis in the preventable list"; "The indicator can
    # also be shown per group (stratum = group)". One person and one admission per line.
    counted = [
        ("dehydration", "DE869"),
        ("constipation", "DK590"),
        ("lower_respiratory_disease", "DJ189"),
        ("urinary_tract_infection", "DN390"),
        ("urinary_tract_infection", "DN300"),
        ("gastroenteritis", "DA099"),
        ("fracture", "DS720"),
        ("nutritional_anaemia", "DD509"),
        ("social_and_care_conditions", "DZ740"),
        ("pressure_ulcer", "DL899"),
    ]
    not_counted = [
        ("DK591", "acute", "somatic"),  # DK59 but not DK590
        ("DN391", "acute", "somatic"),  # DN39 but not DN390
        ("DJ441", "acute", "somatic"),  # COPD is not on the list
        ("DE869", "planned", "somatic"),  # not acute
        ("DE869", "acute", "psychiatric"),  # not somatic
    ]
    d = Delivery()
    for i, (_group, code) in enumerate(counted):
        d.person(f"g{i}", OLD)
        d.admission(f"g{i}", f"2023-02-{i + 1:02d}T10:00", diagnosis=code)
    for i, (code, priority, sector) in enumerate(not_counted):
        d.person(f"n{i}", OLD)
        d.admission(
            f"n{i}", f"2023-03-{i + 1:02d}T10:00", diagnosis=code, priority=priority, sector=sector
        )
    r = run(tmp_path, d)
    # Total 10 admissions among 15 residents 65+ -> 666.6667 per 1,000; urinary tract 2, the
    # other groups 1 each.
    assert r.numerator(PREV, "540") == 10
    assert r.denominator(PREV, "540") == 15
    assert abs(r.value(PREV, "540") - 666.6667) < 1e-3
    for group in {g for g, _ in counted}:
        expected = 2 if group == "urinary_tract_infection" else 1
        assert r.numerator(PREV, "540", stratum=group) == expected, group
        assert r.denominator(PREV, "540", stratum=group) == 15, group


def test_preventable_admissions_take_age_65_at_stay_start(tmp_path):
    # Spec: "age ≥ 65 at stay start"; the denominator is "residents aged ≥ 65" on 1 Jan.
    d = Delivery()
    d.person("y", "1958-06-15")  # 64 on 1 Jan; turns 65 on the day of the admission -> counts
    d.admission("y", "2023-06-15T10:00", diagnosis="DE869")
    d.person("z", "1958-06-16")  # still 64 at stay start -> does not count
    d.admission("z", "2023-06-15T10:00", diagnosis="DE869")
    d.person("w", OLD)  # 72, no admission: the only resident 65+ on 1 Jan
    r = run(tmp_path, d)
    # numerator 1 (y), denominator 1 (w) -> 1,000.
    assert r.numerator(PREV, "540") == 1
    assert r.denominator(PREV, "540") == 1
    assert r.value(PREV, "540") == 1000


def test_an_admission_is_attributed_to_the_residence_at_stay_start(tmp_path):
    # Spec: "An event is attributed to the municipality where the person lived on the date of
    # the event's reference time (... valid_from ≤ date < valid_to). A person with no residence
    # at that time is counted in the country only." Reference time here: stay start.
    d = Delivery()
    d.person("m1", OLD, municipality=None)  # moves 540 -> 461 on 1 Jun; admitted 31 May -> 540
    d.residence("m1", "540", OLD, "2023-06-01")
    d.residence("m1", "461", "2023-06-01")
    d.admission("m1", "2023-05-31T20:00", diagnosis="DE869")
    d.person("m2", OLD, municipality=None)  # the same move; admitted 1 Jun -> 461
    d.residence("m2", "540", OLD, "2023-06-01")
    d.residence("m2", "461", "2023-06-01")
    d.admission("m2", "2023-06-01T10:00", diagnosis="DE869")
    d.person("m3", OLD, municipality=None)  # left 540 on 1 Mar, no residence after -> DK only
    d.residence("m3", "540", OLD, "2023-03-01")
    d.admission("m3", "2023-05-01T10:00", diagnosis="DE869")
    d.person("m4", OLD, municipality="461")  # a resident 65+ of 461 on 1 Jan, no admission
    r = run(tmp_path, d)
    # 540: m1 = 1 of 3 residents 65+ on 1 Jan (m1, m2, m3); 461: m2 = 1 of 1 (m4);
    # DK: 3 of 4 -> 750.
    assert (r.numerator(PREV, "540"), r.denominator(PREV, "540")) == (1, 3)
    assert (r.numerator(PREV, "461"), r.denominator(PREV, "461")) == (1, 1)
    assert (r.numerator(PREV, "DK"), r.denominator(PREV, "DK")) == (3, 4)
    assert r.value(PREV, "DK") == 750


def test_ready_for_discharge_days(tmp_path):
    # Spec: "the number of days from the day after the ready-for-discharge date up to and
    # including the end date, i.e. `end.date − ready.date` in days (0 when discharged the same
    # day)"; "somatic contacts whose `end` falls in the period". All in 540, all in May 2023.
    rfd = "ready_for_discharge_days_per_1000"
    d = Delivery()
    d.person("f1", OLD)  # ready 3 May 15:00, end 7 May 10:00 -> 4 days
    d.contact("f1", "2023-05-01T08:00", "2023-05-07T10:00", ready="2023-05-03T15:00")
    d.person("f2", OLD)  # ready and discharged on 3 May -> 0 days
    d.contact("f2", "2023-05-02T08:00", "2023-05-03T20:00", ready="2023-05-03T08:00")
    d.person("f3", OLD)  # ready 3 May 23:00, end 4 May 01:00: 2 hours, but 1 day by dates
    d.contact("f3", "2023-05-02T08:00", "2023-05-04T01:00", ready="2023-05-03T23:00")
    d.person("f4", OLD)  # psychiatric -> not counted (would be 7)
    d.contact(
        "f4", "2023-05-01T08:00", "2023-05-11T08:00", ready="2023-05-04T08:00", sector="psychiatric"
    )
    d.person("f5", OLD)  # ends 5 Jan 2024 -> not in 2023 (would be 8)
    d.contact("f5", "2023-12-20T08:00", "2024-01-05T08:00", ready="2023-12-28T08:00")
    r = run(tmp_path, d)
    # 4 + 0 + 1 = 5 days among 5 residents -> 1,000 per 1,000 residents.
    assert r.numerator(rfd, "540") == 5
    assert r.denominator(rfd, "540") == 5
    assert r.value(rfd, "540") == 1000
    assert r.numerator(rfd, "540", period="2023-05") == 5
    assert r.numerator(rfd, "540", period="2023-Q2") == 5


def test_repeated_acute_admissions(tmp_path):
    # Spec: "residents aged ≥ 65 on 1 Jan with ≥ 3 acute somatic admissions starting in the
    # year". All in 540.
    ra = "repeated_acute_admissions_65plus"
    d = Delivery()
    d.person("r1", OLD)  # 3 acute admissions -> yes
    for day in ("2023-02-01", "2023-06-01", "2023-09-01"):
        d.admission("r1", f"{day}T10:00")
    d.person("r2", OLD)  # 2 acute + 1 planned -> no
    d.admission("r2", "2023-02-01T10:00")
    d.admission("r2", "2023-06-01T10:00")
    d.admission("r2", "2023-09-01T10:00", priority="planned")
    d.person("r3", OLD)  # 3 acute stays, one of them 11 h -> 2 admissions -> no
    d.admission("r3", "2023-02-01T10:00")
    d.admission("r3", "2023-06-01T10:00")
    d.admission("r3", "2023-09-01T10:00", 11)
    d.person("r4", OLD)  # 3 acute contacts, two of them 2 h apart = one stay -> 2 -> no
    d.contact("r4", "2023-02-01T10:00", "2023-02-02T10:00")
    d.contact("r4", "2023-02-02T12:00", "2023-02-03T12:00")
    d.admission("r4", "2023-06-01T10:00")
    d.person("r5", "1958-06-01")  # 64 on 1 Jan, 3 admissions -> not in the population
    for day in ("2023-02-01", "2023-06-01", "2023-09-01"):
        d.admission("r5", f"{day}T10:00")
    d.person("r6", OLD)  # the third starts 31 Dec 20:00 and ends in 2024 -> 3 -> yes
    d.admission("r6", "2023-02-01T10:00")
    d.admission("r6", "2023-06-01T10:00")
    d.admission("r6", "2023-12-31T20:00")
    d.person("r7", OLD)  # one in December 2022, two in 2023 -> no
    d.admission("r7", "2022-12-20T10:00")
    d.admission("r7", "2023-02-01T10:00")
    d.admission("r7", "2023-06-01T10:00")
    r = run(tmp_path, d)
    # r1 + r6 = 2 of 6 residents 65+ (all but r5) -> 333.3333.
    assert r.numerator(ra, "540") == 2
    assert r.denominator(ra, "540") == 6
    assert abs(r.value(ra, "540") - 333.3333) < 1e-3


def test_acute_admissions_of_people_with_copd(tmp_path):
    # Spec: "acute somatic admissions starting in the period of people who were residents aged
    # ≥ 18 with COPD on 1 Jan of the period's year", per 1,000 "residents aged ≥ 18 with COPD on
    # 1 Jan", attributed to the 1 Jan residence. COPD = a DJ44 diagnosis before 1 Jan, here an
    # outpatient contact (2 h, planned) on 1 Mar 2022.
    copd = "acute_admissions_per_1000_copd"
    d = Delivery()

    def has_copd(pid: str) -> None:
        d.contact(
            pid, "2022-03-01T10:00", "2022-03-01T12:00", diagnosis="DJ441", priority="planned"
        )

    d.person("k1", OLD, municipality=None)  # in 540 on 1 Jan, moves to 461 on 1 Mar
    d.residence("k1", "540", OLD, "2023-03-01")
    d.residence("k1", "461", "2023-03-01")
    has_copd("k1")
    d.admission("k1", "2023-06-01T10:00")  # -> counts in 540 (1 Jan residence)
    d.person("k2", OLD)  # 2 acute admissions -> 2
    has_copd("k2")
    d.admission("k2", "2023-02-01T10:00")
    d.admission("k2", "2023-08-01T10:00")
    d.person("k3", OLD)  # COPD first diagnosed on an acute admission in April -> not in cohort
    d.admission("k3", "2023-04-01T10:00", diagnosis="DJ441")
    d.person("k4", OLD)  # no COPD -> not in cohort
    d.admission("k4", "2023-04-01T10:00")
    d.person("k5", OLD)  # COPD; a planned admission and a 6 h acute contact -> 0
    has_copd("k5")
    d.admission("k5", "2023-04-01T10:00", priority="planned")
    d.admission("k5", "2023-05-01T10:00", 6)
    d.person("k6", OLD, municipality="461")  # COPD in 461, no admissions
    has_copd("k6")
    r = run(tmp_path, d)
    # 540: k1 1 + k2 2 = 3 admissions; cohort k1, k2, k5 = 3 -> 1,000.
    # 461: 0 of k6 = 0. DK: 3 / 4 -> 750.
    assert (r.numerator(copd, "540"), r.denominator(copd, "540")) == (3, 3)
    assert r.value(copd, "540") == 1000
    assert (r.numerator(copd, "461"), r.denominator(copd, "461")) == (0, 1)
    assert (r.numerator(copd, "DK"), r.denominator(copd, "DK")) == (3, 4)
    # by month: June holds k1's admission only.
    assert r.numerator(copd, "540", period="2023-06") == 1
