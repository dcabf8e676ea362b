"""Chronic diseases on 1 January 2023 (prevalence per 1,000 residents aged ≥ 18) and the
contacts of chronically ill people by sector.

Everybody lives in Sønderborg 540 and is born 1970-01-01 (53) unless said otherwise.
"""

from __future__ import annotations

from .builder import Delivery, run

PREV = "chronic_prevalence"
ADULT = "1970-01-01"


def diagnosed(d: Delivery, pid: str, code: str, day: str = "2020-03-01", **kw: str) -> None:
    """An outpatient contact (2 h, planned) whose own (A) diagnosis is `code`."""
    d.contact(pid, f"{day}T10:00", f"{day}T12:00", diagnosis=code, priority="planned", **kw)


def test_a_diagnosis_counts_only_before_1_january(tmp_path):
    # Spec: "A person has the disease on 1 January of year Y when, before that day, either
    # criterion holds"; "hospital diagnosis (any contact, A or B, any time before)"; the
    # numerator is "residents aged ≥ 18 with the disease on 1 Jan".
    d = Delivery()
    d.person("a1", ADULT)  # DJ441 in 2022 -> copd
    diagnosed(d, "a1", "DJ441", "2022-06-01")
    d.person("a2", ADULT)  # DJ441 on 1 Jan 2023 itself: not before that day -> no
    diagnosed(d, "a2", "DJ441", "2023-01-01")
    d.person("a3", ADULT)  # a B diagnosis DJ449 on a virtual contact in 2015 -> copd
    cid = d.contact(
        "a3", "2015-03-01T10:00", "2015-03-01T10:30", priority="planned", contact_type="virtual"
    )
    d.diagnosis(cid, "DJ449", kind="B")
    d.person("a4", "2005-06-01")  # 17 on 1 Jan 2023: not in the population aged ≥ 18
    diagnosed(d, "a4", "DJ441", "2022-06-01")
    d.person("a5", ADULT)  # no disease
    r = run(tmp_path, d)
    # copd: a1 + a3 = 2 of 4 adults (a1, a2, a3, a5) -> 500 per 1,000; any: the same.
    assert r.numerator(PREV, "540", stratum="copd") == 2
    assert r.denominator(PREV, "540", stratum="copd") == 4
    assert r.value(PREV, "540", stratum="copd") == 500
    assert r.numerator(PREV, "540", stratum="any") == 2
    assert r.numerator(PREV, "540", stratum="asthma") == 0
    # chronic_prevalence has strata only: no unstratified row.
    assert not r.has(PREV, "540", stratum="")


def test_t2d_by_two_a10b_dispensings(tmp_path):
    # Spec (t2d): "DE11" or "≥ 2 dispensings of A10B within 365 days, age ≥ 30 at the second,
    # in the 5 years before" (1 Jan 2023: from 2018 on).
    d = Delivery()
    d.person("t1", ADULT)  # 10 Jan and 20 Dec 2022: 344 days apart -> t2d
    d.prescription("t1", "2022-01-10", "A10BA02")
    d.prescription("t1", "2022-12-20", "A10BA02")
    d.person("t2", ADULT)  # 10 Jan 2021 and 11 Jan 2022: 366 days apart -> no
    d.prescription("t2", "2021-01-10", "A10BA02")
    d.prescription("t2", "2022-01-11", "A10BA02")
    d.person("t3", "1992-06-01")  # second on 31 May 2022 at age 29 -> no
    d.prescription("t3", "2022-03-01", "A10BA02")
    d.prescription("t3", "2022-05-31", "A10BA02")
    d.person("t4", "1992-06-01")  # second on 1 Jun 2022, the 30th birthday -> t2d
    d.prescription("t4", "2022-03-01", "A10BA02")
    d.prescription("t4", "2022-06-01", "A10BA02")
    d.person("t5", ADULT)  # both in 2017: not in the 5 years before -> no
    d.prescription("t5", "2017-03-01", "A10BA02")
    d.prescription("t5", "2017-06-01", "A10BA02")
    d.person("t6", ADULT)  # one dispensing -> no
    d.prescription("t6", "2022-05-01", "A10BA02")
    d.person("t7", ADULT)  # insulin (A10A), not A10B -> no
    d.prescription("t7", "2022-03-01", "A10AB05")
    d.prescription("t7", "2022-06-01", "A10AB05")
    d.person("t8", ADULT)  # hospital diagnosis DE119 in 2020 -> t2d
    diagnosed(d, "t8", "DE119")
    d.person("t9", ADULT)  # second dispensing on 1 Feb 2023: after 1 Jan -> no (in 2023)
    d.prescription("t9", "2022-01-10", "A10BA02")
    d.prescription("t9", "2023-02-01", "A10BA02")
    r = run(tmp_path, d)
    # t2d: t1, t4, t8 = 3 of 9 adults -> 333.3333.
    assert r.numerator(PREV, "540", stratum="t2d") == 3
    assert r.denominator(PREV, "540", stratum="t2d") == 9
    assert abs(r.value(PREV, "540", stratum="t2d") - 333.3333) < 1e-3


def test_t1d_wins_over_t2d(tmp_path):
    # Spec: "`t1d` wins over `t2d` when a person has DE10."
    d = Delivery()
    d.person("u1", ADULT)  # DE109 and DE119 -> t1d only
    diagnosed(d, "u1", "DE109", "2020-03-01")
    diagnosed(d, "u1", "DE119", "2021-03-01")
    d.person("u2", ADULT)  # DE109 and two A10B dispensings -> t1d only
    diagnosed(d, "u2", "DE109", "2020-03-01")
    d.prescription("u2", "2022-03-01", "A10BA02")
    d.prescription("u2", "2022-06-01", "A10BA02")
    d.person("u3", ADULT)  # DE119 only -> t2d
    diagnosed(d, "u3", "DE119")
    r = run(tmp_path, d)
    # t1d: u1, u2 = 2; t2d: u3 = 1; any: 3 people; 3 adults.
    assert r.numerator(PREV, "540", stratum="t1d") == 2
    assert r.numerator(PREV, "540", stratum="t2d") == 1
    assert r.numerator(PREV, "540", stratum="any") == 3
    assert r.denominator(PREV, "540", stratum="any") == 3


def test_osteoporosis_and_dementia_by_a_dispensing_in_the_5_years_before(tmp_path):
    # Spec: osteoporosis "DM80, DM81" or "≥ 1 dispensing of M05BA or M05BB in the 5 years
    # before"; dementia "DF00, DF01, DF02, DF03, DG30" or "≥ 1 dispensing of N06D in the 5 years
    # before". ATC entries are prefixes too.
    d = Delivery()
    d.person("o1", ADULT)  # M05BA04 in 2020 -> osteoporosis
    d.prescription("o1", "2020-05-01", "M05BA04")
    d.person("o2", ADULT)  # M05BB03 in June 2017: more than 5 years before -> no
    d.prescription("o2", "2017-06-01", "M05BB03")
    d.person("o3", ADULT)  # DM819 in 2010 (any time before) -> osteoporosis
    diagnosed(d, "o3", "DM819", "2010-03-01")
    d.person("o4", ADULT)  # M05BX04 (denosumab) is not M05BA/M05BB -> no
    d.prescription("o4", "2022-05-01", "M05BX04")
    d.person("o5", ADULT)  # N06DA02 in Oct 2022 -> dementia
    d.prescription("o5", "2022-10-01", "N06DA02")
    d.person("o6", ADULT)  # N06DX01 (memantine, N06D) -> dementia
    d.prescription("o6", "2022-10-01", "N06DX01")
    d.person("o7", ADULT)  # DG309 in 2012 -> dementia
    diagnosed(d, "o7", "DG309", "2012-03-01")
    d.person("o8", ADULT)  # N06AB04 (an antidepressant, not N06D) -> no
    d.prescription("o8", "2022-10-01", "N06AB04")
    r = run(tmp_path, d)
    # osteoporosis: o1, o3 = 2; dementia: o5, o6, o7 = 3; any: 5; 8 adults -> 625.
    assert r.numerator(PREV, "540", stratum="osteoporosis") == 2
    assert r.numerator(PREV, "540", stratum="dementia") == 3
    assert r.numerator(PREV, "540", stratum="any") == 5
    assert r.value(PREV, "540", stratum="any") == 625


def test_other_diseases_and_any_counts_each_person_once(tmp_path):
    # Spec: the disease table (heart_failure DI50, DI110, DI130, DI132, DI420; asthma DJ45,
    # DJ46; rheumatoid_arthritis DM05, DM06; schizophrenia DF20); "`any` | any of the above".
    d = Delivery()
    d.person("h1", ADULT)  # DI110 as a B diagnosis and DJ441 -> heart_failure and copd
    cid = d.contact(
        "h1", "2020-03-01T10:00", "2020-03-01T12:00", diagnosis="DJ441", priority="planned"
    )
    d.diagnosis(cid, "DI110", kind="B")
    d.person("h2", ADULT)  # DI119: DI11 but not DI110 -> nothing
    diagnosed(d, "h2", "DI119")
    d.person("h3", ADULT)  # DM059 -> rheumatoid_arthritis
    diagnosed(d, "h3", "DM059")
    d.person("h4", ADULT)  # DF209 on a psychiatric contact -> schizophrenia
    diagnosed(d, "h4", "DF209", sector="psychiatric")
    d.person("h5", ADULT)  # DJ459 -> asthma
    diagnosed(d, "h5", "DJ459")
    d.person("h6", ADULT)  # DJ46 -> asthma
    diagnosed(d, "h6", "DJ46")
    d.person("h7", ADULT)  # DI500 -> heart_failure
    diagnosed(d, "h7", "DI500")
    d.person("h8", ADULT)  # nothing
    r = run(tmp_path, d)
    # heart_failure h1, h7 = 2; copd h1 = 1; rheumatoid h3 = 1; schizophrenia h4 = 1;
    # asthma h5, h6 = 2; any: h1, h3, h4, h5, h6, h7 = 6 of 8 -> 750.
    expected = {
        "heart_failure": 2,
        "copd": 1,
        "rheumatoid_arthritis": 1,
        "schizophrenia": 1,
        "asthma": 2,
        "t1d": 0,
        "t2d": 0,
        "osteoporosis": 0,
        "dementia": 0,
        "any": 6,
    }
    for stratum, n in expected.items():
        assert r.numerator(PREV, "540", stratum=stratum) == n, stratum
        assert r.denominator(PREV, "540", stratum=stratum) == 8, stratum
    assert r.value(PREV, "540", stratum="any") == 750


def test_contacts_by_sector(tmp_path):
    # Spec: "`hospital` = any hospital contact starting in the year; `gp` = any GP contact in the
    # year; `municipality` = any municipal service period overlapping the year or any municipal
    # visit in the year"; strata "the sorted names joined by `+` ... and `none`"; denominator
    # "residents ≥ 18 with ≥ 1 chronic disease on 1 Jan". Chronic here: dementia by one N06D
    # dispensing on 1 Jun 2022.
    cs = "chronic_contacts_by_sector"
    d = Delivery()

    def chronic(pid: str) -> str:
        d.person(pid, ADULT)
        d.prescription(pid, "2022-06-01", "N06DA02")
        return pid

    chronic("s_none")  # nothing in 2023 -> none
    d.gp(chronic("s_gp"), "2023-03-01")  # -> gp
    d.contact(chronic("s_h"), "2023-03-01T10:00", "2023-03-01T10:30", contact_type="virtual")
    # ^ a virtual hospital contact is a hospital contact -> hospital
    d.admission(chronic("s_hm"), "2023-04-01T10:00")
    d.visit("s_hm", "2023-05-01T09:00")  # -> hospital+municipality
    d.gp(chronic("s_ghm"), "2023-02-01")
    d.admission("s_ghm", "2023-04-01T10:00")
    # an open service period since 2022 overlaps 2023 -> gp+hospital+municipality
    d.service("s_ghm", "home_care_personal", "2022-06-01")
    d.gp(chronic("s_gm"), "2023-06-01T09:00")
    d.service("s_gm", "home_nursing", "2023-12-31", "2024-01-31")  # -> gp+municipality
    d.service(chronic("s_m"), "home_nursing", "2022-01-01", "2023-01-01")
    # ^ the inclusive end 1 Jan 2023 overlaps the year -> municipality
    d.gp(chronic("s_gh"), "2023-02-01")
    d.admission("s_gh", "2023-09-01T10:00")  # -> gp+hospital
    chronic("s_edge")  # all just outside 2023 -> none
    d.contact("s_edge", "2022-12-31T20:00", "2023-01-02T10:00")  # starts in 2022
    d.service("s_edge", "home_nursing", "2022-01-01", "2022-12-31")  # ends 31 Dec 2022
    d.gp("s_edge", "2024-01-02")
    d.person("n1", ADULT)  # not chronically ill: not counted at all
    d.gp("n1", "2023-03-01")
    r = run(tmp_path, d)
    # 9 chronically ill adults: none 2 (22.2222 %), each of the other 7 strata 1 (11.1111 %).
    expected = {
        "none": 2,
        "gp": 1,
        "hospital": 1,
        "municipality": 1,
        "gp+hospital": 1,
        "gp+municipality": 1,
        "hospital+municipality": 1,
        "gp+hospital+municipality": 1,
    }
    for stratum, n in expected.items():
        assert r.numerator(cs, "540", stratum=stratum) == n, stratum
        assert r.denominator(cs, "540", stratum=stratum) == 9, stratum
    assert abs(r.value(cs, "540", stratum="none") - 22.2222) < 1e-3
    assert abs(r.value(cs, "540", stratum="gp") - 11.1111) < 1e-3
