"""30-day readmissions: the 30 × 24 h window, chains, index and readmission exclusions.

Everybody is a woman born 1950-07-01 (72) in Sønderborg 540 unless said otherwise. Stays are
single physical somatic contacts of 24 h with the neutral diagnosis DR074 (chest pain)
unless said otherwise.
"""

from __future__ import annotations

from .builder import Delivery, run

READM = "readmissions_30d_somatic"
READM65 = "readmissions_30d_somatic_65plus"
OLD = "1950-07-01"


def test_readmission_at_exactly_30_times_24_hours_counts_a_minute_later_does_not(tmp_path):
    # Spec: "an acute somatic admission of the same person starting after the index stay end and
    # no more than 30 × 24 hours after it". No daylight-saving change between 1 and 31 May.
    d = Delivery()
    # p1 (540): index 30 Apr 12:00 – 1 May 12:00; acute readmission 31 May 12:00 = 720 h later.
    d.person("p1", OLD, municipality="540")
    d.contact("p1", "2023-04-30T12:00", "2023-05-01T12:00", priority="planned")
    d.contact("p1", "2023-05-31T12:00", "2023-06-01T12:00", priority="acute")
    # p2 (461): the same, readmission at 31 May 12:01 = 720 h 1 min later -> no readmission.
    d.person("p2", OLD, municipality="461")
    d.contact("p2", "2023-04-30T12:00", "2023-05-01T12:00", priority="planned")
    d.contact("p2", "2023-05-31T12:01", "2023-06-01T12:01", priority="acute")
    r = run(tmp_path, d)
    # Each person has 2 index admissions (the readmission is one too, nothing follows it).
    # 540: 1 of 2 -> 50 %; 461: 0 of 2 -> 0 %; DK: 1 of 4 -> 25 %.
    assert (r.numerator(READM, "540"), r.denominator(READM, "540")) == (1, 2)
    assert r.value(READM, "540") == 50
    assert (r.numerator(READM, "461"), r.denominator(READM, "461")) == (0, 2)
    assert (r.numerator(READM, "DK"), r.denominator(READM, "DK")) == (1, 4)
    assert r.value(READM, "DK") == 25


def test_a_readmission_can_itself_be_an_index_admission(tmp_path):
    # Spec: "A readmission can itself be an index admission."; the 65+ variant takes "age ≥ 65
    # at index stay end".
    d = Delivery()
    # p1 (540, 72): A 1–2 Mar (planned) -> B acute 10–11 Mar -> C acute 20–21 Mar.
    # Index admissions A, B, C = 3; followed by a readmission: A (by B), B (by C) = 2.
    d.person("p1", OLD, municipality="540")
    d.admission("p1", "2023-03-01T10:00", 24, priority="planned")
    d.admission("p1", "2023-03-10T10:00", 24, priority="acute")
    d.admission("p1", "2023-03-20T10:00", 24, priority="acute")
    # p2 (461, aged 40): A 1–2 Mar -> B acute 10–11 Mar: 2 index, 1 readmitted; not 65+.
    d.person("p2", "1983-02-02", municipality="461")
    d.admission("p2", "2023-03-01T10:00", 24, priority="planned")
    d.admission("p2", "2023-03-10T10:00", 24, priority="acute")
    r = run(tmp_path, d)
    # 540: 2 / 3 = 66.6667 %. DK: (2 + 1) / (3 + 2) = 60 %. DK 65+: p1 only, 2 / 3.
    assert (r.numerator(READM, "540"), r.denominator(READM, "540")) == (2, 3)
    assert abs(r.value(READM, "540") - 66.6667) < 1e-3
    assert (r.numerator(READM, "DK"), r.denominator(READM, "DK")) == (3, 5)
    assert r.value(READM, "DK") == 60
    assert (r.numerator(READM65, "DK"), r.denominator(READM65, "DK")) == (2, 3)


def test_index_admission_exclusions(tmp_path):
    # Spec: "Index admission: a somatic admission ending in the period, not ending in death,
    # with `discharged_to` not `hospice` and not `other_hospital`, whose stay diagnosis is not
    # cancer (DC, DD0), not pregnancy/birth (DO), and not psychiatric (DF)." One stay each, all
    # in 540, 10–11 May unless said otherwise, nobody readmitted.
    d = Delivery()
    cases = {
        "hospice": {"discharged_to": "hospice"},  # excluded
        "other_hospital": {"discharged_to": "other_hospital"},  # excluded
        "cancer_dc": {"diagnosis": "DC509"},  # excluded
        "cancer_dd0": {"diagnosis": "DD059"},  # excluded (DD0)
        "anaemia_dd5": {"diagnosis": "DD509"},  # DD5 is not DD0 -> index
        "pregnancy": {"diagnosis": "DO800"},  # excluded
        "psychiatric_dx": {"diagnosis": "DF329"},  # a somatic stay with DF -> excluded
        "psychiatric_sector": {"sector": "psychiatric"},  # not somatic -> excluded
        "plain": {},  # -> index
    }
    for pid, kw in cases.items():
        d.person(pid, OLD)
        d.admission(pid, "2023-05-10T08:00", 24, **kw)
    d.person("short", OLD)  # 11 h: not an admission -> excluded
    d.admission("short", "2023-05-10T08:00", 11)
    d.person("new_year", OLD)  # ends 1 Jan 2024: not in period 2023 -> excluded
    d.admission("new_year", "2023-12-31T10:00", 24)
    r = run(tmp_path, d)
    # index admissions: anaemia_dd5 + plain = 2.
    assert r.denominator(READM, "540") == 2
    assert r.numerator(READM, "540") == 0


def test_readmission_exclusions(tmp_path):
    # Spec: "Qualifying readmission: an acute somatic admission ... whose stay diagnosis is not
    # cancer (DC, DD0), not pregnancy/birth (DO), not injury or external cause (DS, DT, DX, DY),
    # and not DZ763." Every person (540) has index A: planned DR074, 1 May 10:00 – 2 May 10:00,
    # and a second stay R from 10 May 10:00 (8 days later) as below. R is itself an index
    # admission unless its diagnosis is DC/DD0/DO/DF or it is no admission.
    #   person  R                      R qualifies  index admissions  readmitted
    cases = {
        "x_ds": ("DS720", "acute", 24),  # no           2               0
        "x_dt": ("DT141", "acute", 24),  # no           2               0
        "x_dx": ("DX590", "acute", 24),  # no           2               0
        "x_dy": ("DY830", "acute", 24),  # no           2               0
        "x_dz763": ("DZ763", "acute", 24),  # no        2               0
        "x_dc": ("DC189", "acute", 24),  # no           1 (R is cancer) 0
        "x_dd0": ("DD019", "acute", 24),  # no          1               0
        "x_do": ("DO990", "acute", 24),  # no           1               0
        "x_dz760": ("DZ760", "acute", 24),  # yes (only DZ763 is out)  2  1
        "x_df": ("DF100", "acute", 24),  # yes (DF is not a readmission exclusion)  1  1
        "x_planned": ("DR074", "planned", 24),  # no (not acute)  2    0
        "x_short": ("DR074", "acute", 11),  # no (11 h: no admission)  1   0
        "x_plain": ("DR074", "acute", 24),  # yes       2               1
    }
    d = Delivery()
    for pid, (diagnosis, priority, hours) in cases.items():
        d.person(pid, OLD)
        d.admission(pid, "2023-05-01T10:00", 24, priority="planned")
        d.admission(pid, "2023-05-10T10:00", hours, diagnosis=diagnosis, priority=priority)
    r = run(tmp_path, d)
    # index admissions: 2×5 + 1×3 + 2 + 1 + 2 + 1 + 2 = 21; readmitted: 3 -> 14.2857 %.
    assert r.denominator(READM, "540") == 21
    assert r.numerator(READM, "540") == 3
    assert abs(r.value(READM, "540") - 14.2857) < 1e-3
