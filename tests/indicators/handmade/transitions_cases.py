"""One hand-made delivery with a case for every rule of the transitions spec
(transitions.md), and what each case must give, worked out by hand from the spec.

Every case lives in a municipality of its own (or is born 1990, too young for the 65+
indicators, when only the notified stays matter), so each expected cell is one case's
arithmetic. The same delivery and the same expectations serve both engines
(test_transitions.py on DuckDB, test_transitions_spark.py on Spark).

Extraction 2024-03-01; computed years 2023, so the message-based indicator also has the
complete months 2024-01 and 2024-02. Times are Danish local time, none near a clock change.
"""

from __future__ import annotations

from tests.indicators.handmade.builder import Delivery

OLD = "1940-01-01"  # aged 83 in 2023: in every 65+ denominator
YOUNG = "1990-01-01"  # in no 65+ denominator: a case for the notified stays alone
FU = "followup_72h_after_discharge_65plus"
COV = "discharge_notification_coverage"
RBF = "readmissions_30d_somatic_65plus_by_followup"
HIP = "hip_fracture_nursing_home_30d"
REF = "referral_uptake_30d"
COPD = "copd_smoking_cessation_referral"


def stay(
    d: Delivery,
    pid: str,
    admit: str,
    end: str | None,
    *,
    episode: str = "E1",
    kind: str = "inpatient",
) -> None:
    """A notified episode: admission, and (unless None) a discharge home."""
    d.notification(pid, f"admit-{kind}", admit, episode=episode)
    if end:
        d.notification(pid, f"discharge-{kind}-home", end, episode=episode)


def build() -> Delivery:
    d = Delivery()
    # --- follow-up within 72 h (discharges in May 2023 unless said) -----------------
    # 101: a visit exactly 72 h after the discharge is within the window: 1/1.
    d.person("P01", OLD, municipality="101")
    stay(d, "P01", "2023-05-07T10:00", "2023-05-10T10:00")
    d.visit("P01", "2023-05-13T10:00")
    # 147: one minute later it is not; a phone visit and a GP e-mail are no follow-up: 0/1.
    d.person("P02", OLD, municipality="147")
    stay(d, "P02", "2023-05-07T10:00", "2023-05-10T10:00")
    d.visit("P02", "2023-05-13T10:01")
    d.visit("P02", "2023-05-11T10:00", kind="phone")
    d.gp("P02", "2023-05-11T10:00", kind="email")
    # 151: a cancelled discharge reopens the stay (P03 open: not counted, though a visit
    # follows the cancelled discharge); P04 is discharged without follow-up: 0/1.
    d.person("P03", OLD, municipality="151")
    d.notification("P03", "admit-inpatient", "2023-05-01T10:00")
    gone = d.notification("P03", "discharge-inpatient-home", "2023-05-05T10:00")
    d.notification("P03", "cancel-discharge-inpatient-home", "2023-05-05T16:00", replaces=gone)
    d.visit("P03", "2023-05-06T10:00")
    d.person("P04", OLD, municipality="151")
    stay(d, "P04", "2023-05-01T10:00", "2023-05-05T10:00")
    # 153: a transfer without a discharge: an inpatient episode never ended, then an
    # emergency episode elsewhere, discharged. Chained: one inpatient stay, and the GP
    # consultation 45 h after its discharge follows it up: 1/1 (gp 1, municipal 0).
    d.person("P06", OLD, municipality="153")
    stay(d, "P06", "2023-05-01T08:00", None)
    stay(d, "P06", "2023-05-03T09:00", "2023-05-04T12:00", episode="E2", kind="emergency")
    d.gp("P06", "2023-05-06T09:00")
    # 155: P07 dies two days after the discharge with no follow-up: left out. P08 is
    # visited the next morning and dies the day after: counted, followed up: 1/1.
    d.person("P07", OLD, municipality="155", died="2023-05-12")
    stay(d, "P07", "2023-05-07T10:00", "2023-05-10T10:00")
    d.person("P08", OLD, municipality="155", died="2023-05-12")
    stay(d, "P08", "2023-05-07T10:00", "2023-05-10T10:00")
    d.visit("P08", "2023-05-11T09:00")
    # 157: P09 is readmitted (a new notified admission) before any follow-up: left out.
    # P10 sees the GP before the readmission: counted, followed up: 1/1 (gp).
    d.person("P09", OLD, municipality="157")
    stay(d, "P09", "2023-05-07T10:00", "2023-05-10T10:00")
    stay(d, "P09", "2023-05-11T08:00", "2023-05-11T20:00", episode="E2", kind="emergency")
    d.visit("P09", "2023-05-12T10:00")
    d.person("P10", OLD, municipality="157")
    stay(d, "P10", "2023-05-07T10:00", "2023-05-10T10:00")
    d.gp("P10", "2023-05-11T09:00")
    stay(d, "P10", "2023-05-11T15:00", "2023-05-11T23:00", episode="E2", kind="emergency")
    # 159: near the extraction (00:00 on 2024-03-01). P11's discharge on 27 February at
    # 12:00 has its 72 h end after it: left out, the month provisional. P12's (26 February
    # 20:00) ends on 29 February at 20:00: counted, visited: 2024-02 is 1/1, provisional.
    # P13 in January, no follow-up: 2024-01 is 0/1, not provisional.
    d.person("P11", OLD, municipality="159")
    stay(d, "P11", "2024-02-24T10:00", "2024-02-27T12:00")
    d.visit("P11", "2024-02-28T10:00")
    d.person("P12", OLD, municipality="159")
    stay(d, "P12", "2024-02-24T10:00", "2024-02-26T20:00")
    d.visit("P12", "2024-02-27T10:00")
    d.person("P13", OLD, municipality="159")
    stay(d, "P13", "2024-01-07T10:00", "2024-01-10T10:00")
    # 161: age on the discharge date 10 May 2023: P14 (born 11 May 1958) is 64, left out
    # though visited; P15 (born 10 May 1958) is 65, not followed up: 0/1.
    d.person("P14", "1958-05-11", municipality="161")
    stay(d, "P14", "2023-05-07T10:00", "2023-05-10T10:00")
    d.visit("P14", "2023-05-11T10:00")
    d.person("P15", "1958-05-10", municipality="161")
    stay(d, "P15", "2023-05-07T10:00", "2023-05-10T10:00")
    # 163 → 165: P16 moves on 11 May, the day after the discharge: the discharge counts
    # where P16 lived on 10 May, 163: 1/1; nothing in 165.
    d.person("P16", OLD, municipality=None)
    d.residence("P16", "163", OLD, "2023-05-11")
    d.residence("P16", "165", "2023-05-11")
    stay(d, "P16", "2023-05-07T10:00", "2023-05-10T15:00")
    d.visit("P16", "2023-05-12T10:00")
    # 167: a service starting (date only) on the window's last date, 13 May: 1/1 municipal.
    d.person("P17", OLD, municipality="167")
    stay(d, "P17", "2023-05-07T10:00", "2023-05-10T15:00")
    d.service("P17", "home_nursing", "2023-05-13")
    # 169: a service starting the day after that, and a GP contact dated the day before
    # the discharge: neither is in the window: 0/1.
    d.person("P18", OLD, municipality="169")
    stay(d, "P18", "2023-05-07T10:00", "2023-05-10T15:00")
    d.service("P18", "home_nursing", "2023-05-14")
    d.gp("P18", "2023-05-09")
    # 173: a revised discharge (5 May 10:00 → 6 May 10:00): the visit on 8 May at 12:00 is
    # 74 h after the first time but 50 h after the revised one: 1/1.
    d.person("P19", OLD, municipality="173")
    d.notification("P19", "admit-inpatient", "2023-05-01T10:00")
    first = d.notification("P19", "discharge-inpatient-home", "2023-05-05T10:00")
    d.notification(
        "P19",
        "revise-discharge-inpatient-home",
        "2023-05-06T10:00",
        sent_at="2023-05-06T11:00",
        replaces=first,
    )
    d.visit("P19", "2023-05-08T12:00")
    # 175: a GP contact known by its date only, on the discharge date (discharge at
    # 15:00): its date is the window's first date, so it is in: 1/1 gp.
    d.person("P20", OLD, municipality="175")
    stay(d, "P20", "2023-05-07T10:00", "2023-05-10T15:00")
    d.gp("P20", "2023-05-10")

    # --- notified stays alone (born 1990) -------------------------------------------
    # P21: discharged on 2 May, admitted again the next morning (within 72 h) and on leave
    # for 36 h from 3 May 10:00: the visit and the service start during the leave lie in
    # the first discharge's window but are no follow-up; the visit after the leave is.
    d.person("P21", YOUNG, municipality="183")
    stay(d, "P21", "2023-05-01T10:00", "2023-05-02T10:00")
    d.notification("P21", "admit-inpatient", "2023-05-03T08:00", episode="E2")
    d.notification("P21", "start-leave-inpatient", "2023-05-03T10:00", episode="E2")
    d.notification("P21", "end-leave-inpatient", "2023-05-04T22:00", episode="E2")
    d.notification("P21", "discharge-inpatient-home", "2023-05-06T10:00", episode="E2")
    d.visit("P21", "2023-05-03T14:00")
    d.service("P21", "home_nursing", "2023-05-04")
    d.visit("P21", "2023-05-05T09:00")
    # P22: the only admission cancelled: the episode is void, its discharge too.
    d.person("P22", YOUNG, municipality="183")
    admit = d.notification("P22", "admit-inpatient", "2023-05-01T10:00")
    d.notification("P22", "cancel-admit-inpatient", "2023-05-01T12:00", replaces=admit)
    d.notification("P22", "discharge-inpatient-home", "2023-05-03T10:00")
    # P23: of two admissions the inpatient one is cancelled: an emergency stay remains.
    d.person("P23", YOUNG, municipality="183")
    d.notification("P23", "admit-emergency", "2023-05-01T08:00")
    admit = d.notification("P23", "admit-inpatient", "2023-05-01T12:00")
    d.notification("P23", "cancel-admit-inpatient", "2023-05-01T13:00", replaces=admit)
    d.notification("P23", "discharge-emergency-home", "2023-05-02T10:00")
    # P24: two discharges, then a cancellation naming none: it cancels the later one.
    d.person("P24", YOUNG, municipality="183")
    d.notification("P24", "admit-inpatient", "2023-05-01T10:00")
    d.notification("P24", "discharge-inpatient-home", "2023-05-02T10:00")
    d.notification("P24", "discharge-inpatient-home", "2023-05-03T10:00")
    d.notification("P24", "cancel-discharge-inpatient-home", "2023-05-03T12:00")
    # P25: the admission revised twice, the second revision naming the original message:
    # it corrects the chain's current time (09:00) to 08:30.
    d.person("P25", YOUNG, municipality="183")
    admit = d.notification("P25", "admit-inpatient", "2023-05-01T10:00")
    d.notification(
        "P25",
        "revise-admit-inpatient",
        "2023-05-01T09:00",
        sent_at="2023-05-01T11:00",
        replaces=admit,
    )
    d.notification(
        "P25",
        "revise-admit-inpatient",
        "2023-05-01T08:30",
        sent_at="2023-05-01T12:00",
        replaces=admit,
    )
    d.notification("P25", "discharge-inpatient-home", "2023-05-02T10:00")
    # P26: the stay ends in death. P27: the death message is cancelled: open again.
    d.person("P26", YOUNG, municipality="183", died="2023-05-03")
    d.notification("P26", "admit-inpatient", "2023-05-01T10:00")
    d.notification("P26", "deceased", "2023-05-03T04:00")
    d.person("P27", YOUNG, municipality="183")
    d.notification("P27", "admit-inpatient", "2023-05-01T10:00")
    death = d.notification("P27", "deceased", "2023-05-03T04:00")
    d.notification("P27", "cancel-deceased", "2023-05-03T09:00", replaces=death)

    # --- notification coverage: 187 (LPR stays 1 → 3 June, 08:00) ---------------------
    # P28 notified exactly 24 h after the end: covered. P29 one minute later: not. P30
    # (nursing home) notified 24 h before: covered. P31 (hospice) is not in the
    # denominator. 2/3.
    for pid, notified_at, to in (
        ("P28", "2023-06-04T08:00", "home"),
        ("P29", "2023-06-04T08:01", "home"),
        ("P30", "2023-06-02T08:00", "nursing_home"),
        ("P31", "2023-06-03T08:00", "hospice"),
    ):
        d.person(pid, YOUNG, municipality="187")
        d.contact(pid, "2023-06-01T08:00", "2023-06-03T08:00", discharged_to=to)
        stay(d, pid, "2023-06-01T08:00", notified_at)

    # --- readmissions by follow-up (LPR index stays 1 → 2 June) ----------------------
    # 190: GP 23 h after the index end, readmitted 10 June: followed_up 1/1; the
    # readmission is an index stay too, not followed up, not readmitted: not_followed_up 0/1.
    d.person("P32", OLD, municipality="190")
    d.contact("P32", "2023-06-01T08:00", "2023-06-02T10:00")
    d.gp("P32", "2023-06-03T09:00")
    d.contact("P32", "2023-06-10T08:00", "2023-06-11T10:00")
    # 201: readmitted on 3 June at 08:00, the GP contact at 12:00 is after it: the index is
    # not followed up and readmitted; the readmission (its GP contact lies before its end)
    # neither: not_followed_up 1/2.
    d.person("P33", OLD, municipality="201")
    d.contact("P33", "2023-06-01T08:00", "2023-06-02T10:00")
    d.contact("P33", "2023-06-03T08:00", "2023-06-04T10:00")
    d.gp("P33", "2023-06-03T12:00")
    # 210: a GP contact dated 4 June, the date the next admission starts (10:00): a
    # date-only contact is the earlier, so followed_up 1/1; the readmission is
    # not_followed_up 0/1. P35's stay ends with discharged_to other: not an index stay.
    d.person("P34", OLD, municipality="210")
    d.contact("P34", "2023-06-01T08:00", "2023-06-02T10:00")
    d.contact("P34", "2023-06-04T10:00", "2023-06-05T12:00")
    d.gp("P34", "2023-06-04")
    d.person("P35", OLD, municipality="210")
    d.contact("P35", "2023-07-01T08:00", "2023-07-02T10:00", discharged_to="other")
    d.gp("P35", "2023-07-03T09:00")

    # --- Kom trygt hjem: hip fracture, nursing home (stays 1 → 5 July, 10:00) ------------
    # The window ends on 4 August at 10:00. 217: P36 dies on 4 August (in the window's
    # dates); P37 is readmitted at 10:01 (too late): total 1/2, death 1/2, readmission 0/2.
    d.person("P36", OLD, municipality="217", died="2023-08-04")
    d.contact(
        "P36",
        "2023-07-01T10:00",
        "2023-07-05T10:00",
        diagnosis="DS721",
        discharged_to="nursing_home",
    )
    d.person("P37", OLD, municipality="217")
    d.contact(
        "P37",
        "2023-07-01T10:00",
        "2023-07-05T10:00",
        diagnosis="DS721",
        discharged_to="nursing_home",
    )
    d.contact("P37", "2023-08-04T10:01", "2023-08-05T12:00")
    # 219: P38 readmitted exactly 720 h after: 1/1 (readmission 1/1, death 0/1). P39 went
    # home and P40 was 64: not in the denominator.
    d.person("P38", OLD, municipality="219")
    d.contact(
        "P38",
        "2023-07-01T10:00",
        "2023-07-05T10:00",
        diagnosis="DS720",
        discharged_to="nursing_home",
    )
    d.contact("P38", "2023-08-04T10:00", "2023-08-05T12:00")
    d.person("P39", OLD, municipality="219")
    d.contact("P39", "2023-07-01T10:00", "2023-07-05T10:00", diagnosis="DS722")
    d.person("P40", "1959-07-06", municipality="219")
    d.contact(
        "P40",
        "2023-07-01T10:00",
        "2023-07-05T10:00",
        diagnosis="DS721",
        discharged_to="nursing_home",
    )

    # --- referral uptake: referrals to 223 of someone living in 230 --------------------
    # Started after 30 days (taken up), after 31 days (not), never (not): 1/3.
    d.person("P41", "1960-01-01", municipality="230")
    d.referral(
        "P41", "smoking_cessation", "2023-03-01", "2023-03-31", from_sector="gp", municipality="223"
    )
    d.referral(
        "P41",
        "rehabilitation",
        "2023-03-01",
        "2023-04-01",
        from_sector="hospital",
        municipality="223",
    )
    d.referral(
        "P41", "patient_education", "2023-05-01", from_sector="municipality", municipality="223"
    )

    # --- COPD and smoking cessation: 240 ---------------------------------------------
    # COPD since 2022 (P42-P44, aged 73; P45 aged 13, not ≥ 18). P42 referred in 2023,
    # P44 in 2022 only: 1/3.
    for pid, born in (
        ("P42", "1950-01-01"),
        ("P43", "1950-01-01"),
        ("P44", "1950-01-01"),
        ("P45", "2010-01-01"),
    ):
        d.person(pid, born, municipality="240")
        d.contact(
            pid, "2022-05-01T10:00", "2022-05-01T12:00", diagnosis="DJ449", priority="planned"
        )
    d.referral("P42", "smoking_cessation", "2023-04-01", municipality="240")
    d.referral("P44", "smoking_cessation", "2022-06-01", municipality="240")
    return d


# (indicator, period, municipality, stratum) -> (numerator, denominator, provisional)
CELLS = {
    (FU, "2023", "101", ""): (1, 1, False),
    (FU, "2023", "101", "municipality"): (1, 1, False),
    (FU, "2023", "101", "gp"): (0, 1, False),
    (FU, "2023-05", "101", ""): (1, 1, False),
    # hours to the first contact: exactly 72 h is in the last band, 60–72 h
    (FU, "2023", "101", "first_60_72h"): (1, 1, False),
    (FU, "2023", "101", "first_0_12h"): (0, 1, False),
    (FU, "2023", "147", ""): (0, 1, False),
    (FU, "2023", "147", "first_60_72h"): (0, 1, False),
    (FU, "2023", "151", ""): (0, 1, False),
    (FU, "2023", "153", ""): (1, 1, False),
    (FU, "2023", "153", "gp"): (1, 1, False),
    (FU, "2023", "153", "municipality"): (0, 1, False),
    (FU, "2023", "153", "first_36_48h"): (1, 1, False),  # 45 h
    (FU, "2023", "155", ""): (1, 1, False),
    (FU, "2023", "157", ""): (1, 1, False),
    (FU, "2023", "157", "gp"): (1, 1, False),
    (FU, "2023", "157", "first_12_24h"): (1, 1, False),  # 23 h
    (FU, "2024-02", "159", ""): (1, 1, True),
    (FU, "2024-01", "159", ""): (0, 1, False),
    (FU, "2023", "161", ""): (0, 1, False),
    (FU, "2023", "163", ""): (1, 1, False),
    (FU, "2023", "167", "municipality"): (1, 1, False),
    (FU, "2023", "169", ""): (0, 1, False),
    (FU, "2023", "173", ""): (1, 1, False),
    (FU, "2023", "175", "gp"): (1, 1, False),
    (FU, "2023", "175", "first_0_12h"): (1, 1, False),  # the date before the discharge time
    (COV, "2023", "187", ""): (2, 3, False),
    (RBF, "2023", "190", "followed_up"): (1, 1, False),
    (RBF, "2023", "190", "not_followed_up"): (0, 1, False),
    (RBF, "2023", "201", "not_followed_up"): (1, 2, False),
    (RBF, "2023", "210", "followed_up"): (1, 1, False),
    (RBF, "2023", "210", "not_followed_up"): (0, 1, False),
    (HIP, "2023", "217", ""): (1, 2, False),
    (HIP, "2023", "217", "death"): (1, 2, False),
    (HIP, "2023", "217", "readmission"): (0, 2, False),
    (HIP, "2023", "219", ""): (1, 1, False),
    (HIP, "2023", "219", "readmission"): (1, 1, False),
    (HIP, "2023", "219", "death"): (0, 1, False),
    (REF, "2023", "223", ""): (1, 3, False),
    (REF, "2023", "223", "smoking_cessation"): (1, 1, False),
    (REF, "2023", "223", "rehabilitation"): (0, 1, False),
    (REF, "2023", "223", "patient_education"): (0, 1, False),
    (REF, "2023", "223", "from_gp"): (1, 1, False),
    (REF, "2023", "223", "from_hospital"): (0, 1, False),
    (REF, "2023", "223", "from_municipality"): (0, 1, False),
    (REF, "2023-Q1", "223", ""): (1, 2, False),
    (REF, "2023-Q2", "223", ""): (0, 1, False),
    (COPD, "2023", "240", ""): (1, 3, False),
}

# Cells that must not exist: nothing counted there.
ABSENT = [
    (FU, "2023", "165", ""),  # P16 moved after the discharge
    (REF, "2023", "230", ""),  # referrals count where the service is offered
    (RBF, "2023", "201", "followed_up"),
    # the hours to the first contact are a distribution over the year only
    (FU, "2024-02", "159", "first_12_24h"),
    (FU, "2023-05", "101", "first_60_72h"),
]

# person -> [(admission, end, end kind, class, episodes, leave hours)], local times
STAYS = {
    "P03": [("2023-05-01 10:00", None, None, "inpatient", 1, 0)],
    "P06": [("2023-05-01 08:00", "2023-05-04 12:00", "discharge", "inpatient", 2, 0)],
    "P19": [("2023-05-01 10:00", "2023-05-06 10:00", "discharge", "inpatient", 1, 0)],
    "P21": [
        ("2023-05-01 10:00", "2023-05-02 10:00", "discharge", "inpatient", 1, 0),
        ("2023-05-03 08:00", "2023-05-06 10:00", "discharge", "inpatient", 1, 36),
    ],
    "P22": [],
    "P23": [("2023-05-01 08:00", "2023-05-02 10:00", "discharge", "emergency", 1, 0)],
    "P24": [("2023-05-01 10:00", "2023-05-02 10:00", "discharge", "inpatient", 1, 0)],
    "P25": [("2023-05-01 08:30", "2023-05-02 10:00", "discharge", "inpatient", 1, 0)],
    "P26": [("2023-05-01 10:00", "2023-05-03 04:00", "death", "inpatient", 1, 0)],
    "P27": [("2023-05-01 10:00", None, None, "inpatient", 1, 0)],
    "P09": [
        ("2023-05-07 10:00", "2023-05-10 10:00", "discharge", "inpatient", 1, 0),
        ("2023-05-11 08:00", "2023-05-11 20:00", "discharge", "emergency", 1, 0),
    ],
}

# person -> the follow-up contacts the block keeps (local times; only those near a
# discharge): P21's visit and service start during the leave are gone, the visit after it
# stays; of P02's, the phone call and the e-mail are no follow-up contacts and the visit
# lies a minute past the window, while P01's visit at exactly 72 h is kept.
FOLLOWUP = {"P21": ["2023-05-05 09:00"], "P02": [], "P01": ["2023-05-13 10:00"]}

# Notified admissions and discharges per whole week before the extraction (Friday
# 2024-03-01, so the last whole week ends on Monday 26 February): in 159, P11's and P12's
# admissions on Saturday 24 February (2024-W08), P13's on Sunday 7 January (W01) and its
# discharge on 10 January (W02); P11's and P12's discharges fall after the last whole week.
# Every other case lies before the 26 weeks. Counts of 1–4: all suppressed.
WEEKLY = {
    ("notified_admissions", "2024-W08", "159"): (2, True),
    ("notified_admissions", "2024-W01", "159"): (1, True),
    ("notified_discharges", "2024-W02", "159"): (1, True),
}
