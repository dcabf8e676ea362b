"""Building blocks: stays and admissions, seen through the indicators that count them.

Probe: `preventable_admissions_65plus` (acute somatic admissions, age ≥ 65 at stay start,
stay diagnosis DE86 = dehydration) and the denominator of `readmissions_30d_somatic` (index
admissions). Everybody is a woman born 1950-07-01 (72 on 1 Jan 2023) unless said otherwise;
Sønderborg 540, Odense 461, Aarhus 751, Aalborg 851.
"""

from __future__ import annotations

from .builder import Delivery, run

PREV = "preventable_admissions_65plus"
READM = "readmissions_30d_somatic"
OLD = "1950-07-01"


def test_contacts_exactly_4_hours_apart_form_one_stay_4_hours_1_minute_do_not(tmp_path):
    # Spec: "a contact joins the current stay when its start is no later than 4 hours after the
    # latest end so far in that stay (overlap or gap ≤ 4 h)".
    d = Delivery()
    # p1 (540): 08:00–14:00 and 18:00–00:00, gap exactly 4 h -> one stay 08:00–00:00 = 16 h
    # -> an acute admission with DE869 -> 1 preventable admission.
    d.person("p1", OLD, municipality="540")
    d.contact("p1", "2023-05-10T08:00", "2023-05-10T14:00", diagnosis="DE869")
    d.contact("p1", "2023-05-10T18:00", "2023-05-11T00:00", diagnosis="DE869")
    # p2 (461): the same with a gap of 4 h 1 min -> two stays of 6 h, neither an admission -> 0.
    d.person("p2", OLD, municipality="461")
    d.contact("p2", "2023-05-10T08:00", "2023-05-10T14:00", diagnosis="DE869")
    d.contact("p2", "2023-05-10T18:01", "2023-05-11T00:01", diagnosis="DE869")
    r = run(tmp_path, d)
    assert r.numerator(PREV, "540") == 1
    assert r.value(PREV, "540") == 1000  # 1 / 1 resident 65+ × 1,000
    assert r.numerator(PREV, "461") == 0
    assert r.numerator(PREV, "DK") == 1


def test_a_contact_joins_within_4_hours_of_the_latest_end_so_far(tmp_path):
    # Spec: "... no later than 4 hours after the *latest end so far* in that stay".
    d = Delivery()
    # p1 (751): a 10 May 08:00 – 11 May 08:00 (24 h); b 10 May 09:00–10:00 nested inside a;
    # c 11 May 11:00 – 12 May 00:00 (13 h) starts 3 h after a's end (the latest end so far),
    # although 25 h after b's end -> one stay 10 May 08:00 – 12 May 00:00 -> 1 admission.
    # (Chaining on the previous contact's end would give two admissions: 2.)
    d.person("p1", OLD, municipality="751")
    d.contact("p1", "2023-05-10T08:00", "2023-05-11T08:00", diagnosis="DE869")
    d.contact("p1", "2023-05-10T09:00", "2023-05-10T10:00", diagnosis="DE869")
    d.contact("p1", "2023-05-11T11:00", "2023-05-12T00:00", diagnosis="DE869")
    r = run(tmp_path, d)
    assert r.numerator(PREV, "751") == 1


def test_only_physical_contacts_of_one_sector_form_a_stay(tmp_path):
    # Spec: "Take `physical` hospital contacts that have an `end`. Per person and per sector
    # (somatic, psychiatric) ..."
    d = Delivery()
    # p1 (540): psychiatric 08:00–16:00, somatic 16:00–00:00 -> the somatic stay is 8 h alone
    # -> not an admission -> 0 (joined across sectors it would be 16 h).
    d.person("p1", OLD, municipality="540")
    d.contact("p1", "2023-05-10T08:00", "2023-05-10T16:00", diagnosis="DE869", sector="psychiatric")
    d.contact("p1", "2023-05-10T16:00", "2023-05-11T00:00", diagnosis="DE869")
    # p2 (461): physical 08:00–14:00, virtual 14:00–20:00, physical 20:00–02:00 -> the virtual
    # contact is no part of a stay, the physical ones are 6 h apart -> two 6 h stays -> 0.
    d.person("p2", OLD, municipality="461")
    d.contact("p2", "2023-05-10T08:00", "2023-05-10T14:00", diagnosis="DE869")
    d.contact(
        "p2", "2023-05-10T14:00", "2023-05-10T20:00", diagnosis="DE869", contact_type="virtual"
    )
    d.contact("p2", "2023-05-10T20:00", "2023-05-11T02:00", diagnosis="DE869")
    # p3 (751): a plain 24 h acute DE869 admission, so the indicator has something to count -> 1.
    d.person("p3", OLD, municipality="751")
    d.admission("p3", "2023-05-10T08:00", 24, diagnosis="DE869")
    r = run(tmp_path, d)
    assert r.numerator(PREV, "540") == 0
    assert r.numerator(PREV, "461") == 0
    assert r.numerator(PREV, "751") == 1
    assert r.numerator(PREV, "DK") == 1


def test_an_admission_is_a_stay_of_at_least_12_hours(tmp_path):
    # Spec: "Admission (indlæggelse). A stay lasting ≥ 12 hours."
    d = Delivery()
    # p1 (540): 08:00–20:00 = exactly 12 h -> admission -> 1.
    d.person("p1", OLD, municipality="540")
    d.contact("p1", "2023-05-10T08:00", "2023-05-10T20:00", diagnosis="DE869")
    # p2 (461): 08:00–19:59 = 11 h 59 min -> not an admission -> 0.
    d.person("p2", OLD, municipality="461")
    d.contact("p2", "2023-05-10T08:00", "2023-05-10T19:59", diagnosis="DE869")
    r = run(tmp_path, d)
    assert r.numerator(PREV, "540") == 1
    assert r.numerator(PREV, "461") == 0
    assert r.numerator(PREV, "DK") == 1


def test_transfer_priority_from_the_earliest_contact_diagnosis_from_the_longest(tmp_path):
    # Spec: "priority of the stay = priority of its earliest contact; diagnosis of the stay =
    # the diagnosis of its longest contact (ties: the earliest)".
    d = Delivery()
    # p1 (540): acute 08:00–10:00 DR074, then (transfer, no gap) planned 10:00 – next day 10:00
    # DE869 -> one stay, priority acute (earliest), diagnosis DE869 (24 h > 2 h) -> counts: 1.
    d.person("p1", OLD, municipality="540")
    d.contact("p1", "2023-05-10T08:00", "2023-05-10T10:00", priority="acute")
    d.contact("p1", "2023-05-10T10:00", "2023-05-11T10:00", priority="planned", diagnosis="DE869")
    # p2 (461): planned 08:00–10:00 then acute 10:00 – next day 10:00, both DE869 -> the stay is
    # planned (earliest contact) -> not acute -> 0.
    d.person("p2", OLD, municipality="461")
    d.contact("p2", "2023-05-10T08:00", "2023-05-10T10:00", priority="planned", diagnosis="DE869")
    d.contact("p2", "2023-05-10T10:00", "2023-05-11T10:00", priority="acute", diagnosis="DE869")
    # p3 (751): acute 08:00–20:00 DE869 (12 h) then acute 20:00 – next day 08:00 DK590 (12 h):
    # a tie in length -> the earliest contact's DE869 -> dehydration 1, constipation 0.
    d.person("p3", OLD, municipality="751")
    d.contact("p3", "2023-05-10T08:00", "2023-05-10T20:00", diagnosis="DE869")
    d.contact("p3", "2023-05-10T20:00", "2023-05-11T08:00", diagnosis="DK590")
    r = run(tmp_path, d)
    assert r.numerator(PREV, "540") == 1
    assert r.numerator(PREV, "540", stratum="dehydration") == 1
    assert r.numerator(PREV, "461") == 0
    assert r.numerator(PREV, "751", stratum="dehydration") == 1
    assert r.numerator(PREV, "751", stratum="constipation") == 0
    assert r.numerator(PREV, "DK") == 2


def test_transfer_discharged_to_from_the_contact_with_the_latest_end(tmp_path):
    # Spec: "`discharged_to` of the stay = that of the contact with the latest end"; index
    # admissions exclude `hospice` and `other_hospital`. Everybody in 540, no readmissions.
    d = Delivery()
    # p1: a 10 May 08:00 – 12 May 08:00 home; b 10 May 10:00–12:00 hospice, nested (starts later,
    # ends earlier) -> the stay's discharged_to is a's: home -> an index admission.
    d.person("p1", OLD)
    d.contact("p1", "2023-05-10T08:00", "2023-05-12T08:00", priority="planned")
    d.contact("p1", "2023-05-10T10:00", "2023-05-10T12:00", discharged_to="hospice")
    # p2: a ends 11 May 08:00 other_hospital, b 1 h later until 12 May 09:00 home (a transfer)
    # -> one stay discharged home -> an index admission.
    d.person("p2", OLD)
    d.contact("p2", "2023-05-10T08:00", "2023-05-11T08:00", discharged_to="other_hospital")
    d.contact("p2", "2023-05-11T09:00", "2023-05-12T09:00", discharged_to="home")
    # p3: a home, b 30 min later hospice -> the stay goes to hospice -> not an index admission.
    d.person("p3", OLD)
    d.contact("p3", "2023-05-10T08:00", "2023-05-11T08:00", discharged_to="home")
    d.contact("p3", "2023-05-11T08:30", "2023-05-12T08:00", discharged_to="hospice")
    r = run(tmp_path, d)
    # index admissions in 540: p1 + p2 = 2; nobody is readmitted -> 0 / 2.
    assert r.denominator(READM, "540") == 2
    assert r.numerator(READM, "540") == 0


def test_an_empty_discharged_to_on_the_latest_contact_is_the_stays(tmp_path):
    # Spec: "`discharged_to` of the stay = that of the contact with the latest end" — also
    # when that contact has none. p1: a 10 May 08:00 – 11 May 08:00 other_hospital, then an
    # outpatient visit 2 h later (joins the stay) with no discharged_to -> the stay's
    # discharged_to is empty, not other_hospital -> an index admission. (Found on generated
    # data: an aggregate that skips empty values took a's.)
    d = Delivery()
    d.person("p1", OLD)
    d.contact("p1", "2023-05-10T08:00", "2023-05-11T08:00", discharged_to="other_hospital")
    d.contact("p1", "2023-05-11T10:00", "2023-05-11T10:30", priority="planned", discharged_to="")
    r = run(tmp_path, d)
    assert r.denominator(READM, "540") == 1


def test_a_death_on_the_stay_end_date_makes_no_index_admission(tmp_path):
    # Spec: "the stay ends in death when `discharged_to = died` or the person's death_date is on
    # the stay end's date"; an index admission is "not ending in death". All in 540; every stay
    # is 10 May 08:00 – 11 May 08:00.
    d = Delivery()
    d.person("p1", OLD, died="2023-05-11")  # died on the end date, discharged home -> not index
    d.admission("p1", "2023-05-10T08:00", 24, discharged_to="home")
    d.person("p2", OLD, died="2023-05-12")  # died the day after -> index
    d.admission("p2", "2023-05-10T08:00", 24, discharged_to="home")
    d.person("p3", OLD, died="2023-05-11")  # discharged_to = died -> not index
    d.admission("p3", "2023-05-10T08:00", 24, discharged_to="died")
    d.person("p4", OLD)  # alive -> index
    d.admission("p4", "2023-05-10T08:00", 24, discharged_to="home")
    r = run(tmp_path, d)
    # index admissions: p2 + p4 = 2.
    assert r.denominator(READM, "540") == 2
