"""Every calibration constant of the synthetic generator, each with its source or assumption.

Targets (national, per year, for about 5.9 million people) and the knobs that drive them:

| target | published level | knobs |
|---|---|---|
| population by region | verified 1 Jan 2019 totals (reference README) | REGION_POPULATION_2019 |
| 65+ / 80+ share | 65+ 1,195,216, 80+ 291,488 (1 Jan 2022) | AGE_PYRAMID_2019, AGE_TILT |
| deaths | about 54,000 a year (9.3 per 1,000) | MORTALITY_* |
| admissions (stays >= 12 h) | about 790,000 a year | ADMISSIONS_PER_1000, ADMISSION_SCALE |
| outpatient contacts | about 11.9 million a year | OUTPATIENT_PER_PERSON, ED_PER_PERSON |
| preventable admissions 65+ | about 72,000 a year, ~60 per 1,000 aged 65+ | PREVENTABLE_SHARE |
| 30-day readmissions 65+ | 15-20 % of index admissions | READMISSION_PROB |
| ready-for-discharge days | about 20 per 1,000 residents a year (assumption) | RFD_* |
| chronic prevalence (adults) | T2D ~5 %, COPD ~4-5 %, asthma ~8 % | DISEASES |

"Published" figures are the ones in the brief (eSundhed / Danmarks Statistik orders of
magnitude); where no figure was at hand the constant says "assumption". The generator is
meant to land *near* these levels, with variation, not to reproduce statistics.

Ages are "age reached during the year"; rates are per person-year.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

# --- population ----------------------------------------------------------------------

# Verified regional populations on 1 January 2019 (shared/reference/README.md). The
# municipal figures in data/municipality_population.csv (approximate FOLK1A, 1 Jan 2019)
# are scaled so that each region sums to exactly these.
REGION_POPULATION_2019 = {
    "1084": 1_835_562,  # Hovedstaden
    "1082": 1_320_678,  # Midtjylland
    "1083": 1_223_348,  # Syddanmark
    "1085": 836_738,  # Sjælland
    "1081": 589_755,  # Nordjylland
}
POPULATION_YEAR = 2019

# Age pyramid of Denmark on 1 January 2019, thousands per 5-year band (0-4, 5-9, ...,
# 95-99, 100+). Approximate FOLK1A figures; gives 65+ ≈ 19.9 % and 80+ ≈ 4.6 %.
AGE_PYRAMID_2019 = (
    305, 310, 340, 345, 390, 385, 335, 330, 380, 405,
    410, 375, 340, 330, 330, 225, 140, 82, 36, 9, 1,
)  # fmt: skip
MAX_AGE = 104

# Municipalities differ in age structure: cities are younger, small and island
# municipalities older. Weight of age a is multiplied by exp(tilt * (a - 40) / 40).
# Assumption, chosen so København has ~11 % aged 65+ and Ærø/Læsø ~30 %.
AGE_TILT_CITY = -0.45  # København, Frederiksberg, Aarhus, Odense, Aalborg
AGE_TILT_SMALL = 0.35  # fewer than 30,000 inhabitants (islands and rural municipalities)
AGE_TILT_NOISE = 0.12  # everyone else: seeded noise of this size around 0
CITY_MUNICIPALITIES = ("101", "147", "751", "461", "851")


def male_share(age: int) -> float:
    """Share of men by age (DST: ~51 % boys; women outnumber men from about 60)."""
    if age < 60:
        return 0.507
    return max(0.25, 0.505 - 0.0055 * (age - 60))


BIRTHS_PER_1000 = 10.7  # about 61,000 live births a year (DST FOD) for 5.8 M people

# Moves between municipalities (within the region): about 3.5 % of the population a year
# (DST FLY66 order of magnitude), most among young adults.
MOVE_RATE_KNOTS = {0: 0.03, 18: 0.05, 22: 0.09, 30: 0.06, 40: 0.03, 65: 0.015, 100: 0.015}

# Annual death probability: Gompertz fitted to Danish life tables (q ≈ 0.7 % at 60,
# 1.7 % at 70, 5 % at 80, 17 % at 90), plus an infant value.
MORTALITY_Q60 = 0.0070
MORTALITY_SLOPE = 0.106  # per year of age
MORTALITY_FLOOR = 0.0001
MORTALITY_INFANT = 0.0035
MORTALITY_MAX = 0.55
MORTALITY_SEX = {"M": 1.18, "F": 0.86}
MORTALITY_SCALE = 0.72  # overall level; brings crude deaths to ~9.3 per 1,000 with the extras
# Excess hazard (additive to the multiplier 1) of people with a disease or in a nursing home.
# Kept moderate: the first generated year starts from the full cross-sectional prevalence,
# so large extras make deaths fall visibly after the first year (~+5 % in year one now).
MORTALITY_EXTRA = {
    "copd": 0.5,
    "heart_failure": 0.6,
    "dementia": 0.5,
    "t2d": 0.2,
    "nursing_home": 0.8,
}

# --- health-care use -------------------------------------------------------------------

# Use of all services varies between people far more than age explains: a lognormal
# "frailty" with mean 1 multiplies every person's rates (gives repeated admissions and
# heavy users).
FRAILTY_SIGMA = 0.9

# Somatic admissions (stays >= 12 h) per 1,000 by age, both sexes, before chronic extras.
# Shape: eSundhed age profile of admissions (high in infants, rising steeply from 65).
ADMISSIONS_PER_1000 = {
    0: 210, 1: 65, 5: 30, 15: 40, 25: 55, 45: 75, 55: 100, 65: 150, 75: 230, 85: 330, 95: 360,
}  # fmt: skip
ADMISSIONS_MALE_FACTOR_50PLUS = 1.15
# Births: women 18-45 get extra (mostly planned-looking, O-chapter) admissions.
BIRTH_ADMISSIONS_PER_1000_WOMEN = {17: 0, 22: 45, 30: 100, 38: 40, 45: 0}
ADMISSION_SCALE = 0.78  # overall level (all somatic streams)
ACUTE_SHARE = {0: 0.75, 18: 0.6, 45: 0.6, 65: 0.72, 80: 0.82, 100: 0.85}
PSYCH_ADMISSIONS_PER_1000 = {0: 0, 12: 4, 18: 9, 30: 8, 50: 5, 65: 3, 80: 3, 100: 3}
# Extra rate per chronic disease a person has (multiplier 1 + this * number of diseases).
CHRONIC_EXTRA_ADMISSIONS = 0.45
CHRONIC_EXTRA_OUTPATIENT = 0.35
CHRONIC_EXTRA_GP = 0.30
CHRONIC_EXTRA_CARE = 0.5  # acute nursing (the municipal sector)
# Share of acute admissions of people with COPD / heart failure / T2D that are for that
# disease (exacerbations, decompensation).
DISEASE_ADMISSION_SHARE = {"copd": 0.25, "heart_failure": 0.2, "t2d": 0.05}

# Preventable admissions: share of acute somatic admissions whose diagnosis is on the
# preventable list, by age. ~24 % at 65+ gives ~60 per 1,000 aged 65+ (the published
# level, ~72,000 a year nationally).
PREVENTABLE_SHARE = {0: 0.12, 18: 0.06, 50: 0.10, 65: 0.225, 80: 0.265, 100: 0.28}

# Readmissions: probability that a somatic admission is followed by an extra acute
# admission within 30 days, on top of the clustering the frailty already gives.
READMISSION_PROB = {0: 0.05, 50: 0.09, 65: 0.19, 80: 0.21, 100: 0.21}
READMISSION_CHRONIC_EXTRA = 0.015  # per chronic disease
READMISSION_MEAN_DAYS = 9.0  # exponential delay after discharge, truncated at 30 days
READMISSION_SAME_DIAGNOSIS = 0.4

# Deaths in hospital: share of deaths preceded by a terminal admission ending in death
# (about half of Danes die in hospital; fewer from nursing homes).
TERMINAL_ADMISSION = {"default": 0.48, "nursing_home": 0.12}

# Length of stay (hours beyond the 13-hour minimum): lognormal with a long tail.
LOS_MEDIAN_HOURS = {"acute": 38.0, "planned": 30.0, "psychiatric": 170.0, "terminal": 100.0}
LOS_SIGMA = 1.05
LOS_AGE_FACTOR_65PLUS = 1.45
LOS_MAX_HOURS = 24 * 200

# Transfers: acute admissions start in the emergency department (a contact of 2-8 h) and
# continue on a ward after a gap of -15..60 minutes; a quarter of stays over 4 days have a
# third contact (another department). All contiguous, so stay building joins them.
ED_FIRST_SHARE = 0.9
THIRD_CONTACT_SHARE = 0.25

SEASONAL_AMPLITUDE = 0.14  # winter peak of acute contacts (+15 % in January, -12 % in July)

# Outpatient contacts (ambulante besøg) per person-year by age: about 1.9 on average,
# plus short ED visits and chronic control visits, ~11.9 million a year nationally.
OUTPATIENT_PER_PERSON = {
    0: 0.65,
    5: 0.65,
    15: 0.9,
    25: 1.1,
    45: 1.4,
    65: 2.2,
    75: 2.55,
    85: 2.1,
    100: 1.5,
}
OUTPATIENT_WOMEN_FACTOR_18_45 = 1.4  # pregnancy care
OUTPATIENT_TYPE = {"physical": 0.72, "virtual": 0.23, "home": 0.05}
OUTPATIENT_PSYCH_SHARE = {0: 0.03, 15: 0.10, 30: 0.08, 50: 0.04, 65: 0.02, 100: 0.01}
ED_PER_PERSON = {0: 0.25, 5: 0.12, 15: 0.14, 30: 0.09, 65: 0.12, 80: 0.2, 100: 0.25}
CHRONIC_CONTROL_VISITS = 1.0  # extra outpatient visits a year per chronic disease (its code)
ONGOING_OUTPATIENT_SHARE = 0.0  # outpatient contacts are closed the same day

# Ready for discharge (færdigbehandlet): share of somatic admissions of people aged 65+
# with a ready time, and the days waited. About 20 days per 1,000 residents a year
# (assumption; the national level varies 15-30 over the years), large municipal variation.
RFD_SHARE_65PLUS = 0.19
RFD_ZERO_DAYS = 0.35  # share discharged on the day they are ready
RFD_MEAN_DAYS = 2.6  # mean of the remaining (1 + exponential)

# discharged_to of somatic admissions (65+ / under 65); nursing-home residents always go
# back to the nursing home.
DISCHARGED_TO_65PLUS = {
    "home": 0.87, "temporary_bed": 0.045, "other_hospital": 0.02, "other": 0.05, "hospice": 0.015,
}  # fmt: skip
DISCHARGED_TO_UNDER65 = {"home": 0.95, "other_hospital": 0.015, "other": 0.035}

# --- municipal variation (the "truth" an analysis should find) --------------------------

MUNI_PREVENTABLE_SIGMA = 0.10  # lognormal noise on the preventable rate of every municipality
MUNI_WORSE_SHARE = 0.15  # share of municipalities systematically worse ...
MUNI_WORSE_FACTOR = 1.40  # ... by this factor on preventable admissions
MUNI_IMPROVING_SHARE = 0.15  # share of municipalities improving over the years ...
MUNI_IMPROVING_PER_YEAR = 0.08  # ... by this fraction a year (multiplicative)
MUNI_RFD_SIGMA = 0.6  # ready-for-discharge days vary a lot between municipalities
MUNI_CARE_SIGMA = 0.2  # home care uptake

# --- chronic disease -----------------------------------------------------------------


@dataclass(frozen=True)
class Disease:
    """Cumulative prevalence by age is logistic: pmax / (1 + exp(-(age - a50) / s)). A person
    has a latent uniform u; if u < pmax the onset age is where the curve crosses u.

    route: shares detected only by hospital diagnosis / only by prescriptions / by both
    (matching the catalogue's rules in indicators.md). `dx` is the SKS code written,
    `atc` the drug dispensed (every `dispense_days`) by those treated."""

    key: str
    dx: str
    pmax_f: float
    pmax_m: float
    a50: float
    s: float
    min_age: float
    dx_only: float
    rx_only: float
    atc: str | None = None
    psychiatric: bool = False


# Prevalence targets among adults (18+): t2d ~5 %, COPD ~4-5 %, asthma ~8 % (brief);
# osteoporosis and dementia rising steeply with age; the rest order-of-magnitude
# (RUKS: RA ~1 %, schizophrenia ~0.5 %, heart failure ~1.5 %, T1D ~0.5 %).
DISEASES = (
    Disease("t1d", "DE109", 0.0055, 0.0065, 14, 6, 1, 1.0, 0.0, "A10AB05"),
    Disease("t2d", "DE119", 0.18, 0.23, 67, 9.5, 30, 0.2, 0.45, "A10BA02"),
    Disease("copd", "DJ449", 0.25, 0.24, 70, 8, 35, 1.0, 0.0, "R03BB04"),
    Disease("asthma", "DJ459", 0.09, 0.08, 12, 9, 2, 1.0, 0.0, "R03AK06"),
    Disease("osteoporosis", "DM819", 0.42, 0.12, 79, 7, 45, 0.3, 0.4, "M05BA04"),
    Disease("rheumatoid_arthritis", "DM059", 0.028, 0.014, 55, 10, 18, 1.0, 0.0, "L04AX03"),
    Disease("dementia", "DF039", 0.55, 0.5, 88, 5.5, 55, 0.4, 0.25, "N06DA02"),
    Disease("schizophrenia", "DF209", 0.006, 0.008, 26, 4, 15, 1.0, 0.0, "N05AH03", True),
    Disease("heart_failure", "DI500", 0.2, 0.26, 84, 7, 40, 1.0, 0.0, "C03CA01"),
)
# Share of those with a disease who are treated (dispensings), where the catalogue does
# not detect by prescription (drugs still make the data look real).
TREATED_SHARE_NO_RX_ROUTE = 0.5
DISPENSE_DAYS = 90  # chronic medication is dispensed about every 3 months
# Diagnoses and dispensings before the first year (the catalogue looks back 5 years for
# prescriptions and "any time before" for diagnoses): history is written from this many
# years before the first year, so prevalence is right from 1 January of the first year.
HISTORY_YEARS = 15
RX_HISTORY_DAYS = 400

# --- municipal care ------------------------------------------------------------------

# Home care (SEL §83), nursing home and their uptake by age: logistic like the diseases.
# About 10 % of 65+ get home care, ~3.5 % live in a nursing home (DST RES/AED order of
# magnitude).
HOME_CARE = {"pmax_f": 0.75, "pmax_m": 0.65, "a50": 86.0, "s": 5.5, "min_age": 50.0}
HOME_CARE_PERSONAL_SHARE = 0.6
NURSING_HOME = {"pmax_f": 0.55, "pmax_m": 0.42, "a50": 90.0, "s": 4.5, "min_age": 60.0}
NURSING_HOME_DEMENTIA_YEARS = 5.0  # dementia brings nursing-home entry this much earlier
REABLEMENT_BEFORE_HOME_CARE = 0.5
# After a somatic admission of someone aged 65+ (uptake rising after discharge):
AFTER_DISCHARGE = {
    "home_nursing": 0.28,
    "rehabilitation": 0.18,  # fractures: FRACTURE_REHABILITATION
    "outreach_team": 0.03,
}
FRACTURE_REHABILITATION = 0.75
HOME_NURSING_EXTRA_WITH_RFD = 0.25
# Yearly probabilities of short offers (per person-year, 65+ unless stated).
ACUTE_NURSING = {65: 0.03, 80: 0.08, 100: 0.12}
PREVENTION_75PLUS = 0.3  # forebyggende hjemmebesøg
SMOKING_CESSATION = {"adult": 0.004, "copd": 0.05}
PATIENT_EDUCATION = {"chronic": 0.05}
# Visits per week during a service period, and the cap per period.
VISITS_PER_WEEK = {
    "home_nursing": 2.0,
    "acute_nursing": 7.0,
    "rehabilitation": 2.0,
    "reablement": 3.0,
    "prevention": 1.0,
    "outreach_team": 3.0,
    "smoking_cessation": 1.0,
    "patient_education": 1.0,
}
MAX_VISITS_PER_PERIOD = 60
VISIT_KIND = {"visit": 0.85, "phone": 0.12, "video": 0.03}

# --- general practice and prescriptions ----------------------------------------------

# GP contacts per person-year (consultations, phone, e-mail, video; about 7 a year on
# average, Danish Regions/PLO order of magnitude).
GP_PER_PERSON = {0: 5.0, 5: 2.5, 15: 3.8, 25: 4.6, 45: 5.5, 65: 7.6, 80: 9.3, 100: 8.5}
GP_WOMEN_FACTOR = 1.25
GP_KIND = {"consultation": 0.48, "phone": 0.25, "email": 0.23, "video": 0.04}
GP_HOME_VISIT_80PLUS = 0.06
PERSONS_PER_CLINIC = 3500  # about 1,700 practices for 5.9 M people

# Dispensings per person-year outside the chronic drugs (national total is ~11; this
# keeps the file a manageable size).
PRESCRIPTIONS_PER_PERSON = {0: 1.2, 15: 1.8, 45: 3.0, 65: 5.5, 80: 7.0, 100: 7.0}
GENERAL_ATC = (
    ("J01CE02", 10), ("J01CA04", 6), ("N02BE01", 8), ("M01AE01", 6), ("A02BC01", 6),
    ("C09AA05", 6), ("C10AA05", 8), ("C07AB02", 4), ("B01AC06", 5), ("N06AB10", 4),
    ("H03AA01", 3), ("N05CF01", 3), ("R03AC02", 4), ("D07AC01", 3), ("G03AA07", 3),
    ("R06AE07", 4), ("S01AA01", 3),
)  # fmt: skip

# --- MedCom messages -----------------------------------------------------------------

MESSAGE_REVISED = 0.05
MESSAGE_CANCELLED = 0.02
MESSAGE_LEAVE = 0.02  # long stays with a leave (orlov)
# Share of alive discharges without a discharge notification: a hospital level drawn in
# this range, times municipal noise 0.6-1.4 (assumption: "a few percent missing").
NOTIFICATION_MISSING_RANGE = (0.01, 0.07)

# --- transitions: follow-up after discharge, referral uptake (transitions.py) ---------------
# No national figure exists for a 72-hour follow-up; all levels here are assumptions,
# shaped by the seeds' aim ("a clear majority of home-nursing recipients seen within 72 h")
# and by the spread municipal quality work reports.
#
# The municipal follow-up of a citizen aged 65+ discharged alive (not to a temporary bed)
# happens with probability `level` for home-nursing recipients and nursing-home residents,
# and `level * FOLLOWUP_WITHOUT_HOME_NURSING` for everyone else, where a municipality's
# level is drawn in FOLLOWUP_LEVEL_RANGE for FOLLOWUP_BASE_YEAR and gains
# FOLLOWUP_GAIN_RANGE a year (none in FOLLOWUP_FLAT_SHARE of the municipalities), capped at
# FOLLOWUP_MAX. GP contacts (about 10 % within 72 h) come on top, unplanned.
FOLLOWUP_LEVEL_RANGE = (0.50, 0.86)
FOLLOWUP_GAIN_RANGE = (0.01, 0.03)  # 1-3 percentage points a year
FOLLOWUP_FLAT_SHARE = 0.25
FOLLOWUP_BASE_YEAR = 2019
FOLLOWUP_MAX = 0.95
FOLLOWUP_WITHOUT_HOME_NURSING = 0.35
# When is the first visit: the evening of the discharge day when discharged before 16:00
# (this share), else the next evening (FOLLOWUP_NEXT_DAY of the rest) or the one after.
FOLLOWUP_SAME_DAY = 0.45
FOLLOWUP_NEXT_DAY = 0.7

# Referral uptake: share started within 30 days of the referral, by service, in
# FOLLOWUP_BASE_YEAR for an average municipality (assumptions; rehabilitation reflects the
# right to start within 7 days of discharge, SUL § 140, that most but not all municipalities
# meet; smoking cessation and patient education are offers many referred citizens decline).
UPTAKE_30D = {
    "rehabilitation": 0.88,
    "reablement": 0.90,
    "home_nursing": 0.97,
    "acute_nursing": 0.96,
    "outreach_team": 0.97,
    "smoking_cessation": 0.55,
    "patient_education": 0.62,
    "temporary_bed": 1.0,  # begins on the day of discharge
}
# Of those not started within 30 days, the share that start later (31-90 days); the rest
# never start.
UPTAKE_LATE = {"rehabilitation": 0.6, "reablement": 0.5, "smoking_cessation": 0.2,
               "patient_education": 0.3}  # fmt: skip
UPTAKE_LATE_DEFAULT = 0.5
# Logit shifts: who referred (a hospital's referral is acted on a little more often than a
# GP's), the municipality (seeded, normal), and its yearly gain (UPTAKE_FLAT_SHARE none).
UPTAKE_FROM_SECTOR = {"hospital": 0.15, "gp": -0.25, "municipality": 0.0}
UPTAKE_MUNI_SIGMA = 0.45
UPTAKE_GAIN_RANGE = (0.05, 0.15)  # logit a year
UPTAKE_FLAT_SHARE = 0.4
# Smoking-cessation referrals of COPD patients vary between municipalities (lognormal
# factor on SMOKING_CESSATION["copd"]).
SMOKING_REFERRAL_SIGMA = 0.35

# Hip fractures (DS720-DS722) of nursing-home residents: about 2.2 a year per 100 residents
# (assumption in line with the threefold risk of residents), giving about 1,500 a year
# discharged back to a nursing home nationally ("Kom trygt hjem"'s population).
HIP_FRACTURE_NURSING_HOME = 0.022


def interp(knots: dict[int, float], age: float) -> float:
    """Piecewise-linear interpolation over age knots (constant beyond the ends)."""
    xs = sorted(knots)
    if age <= xs[0]:
        return knots[xs[0]]
    for a, b in itertools.pairwise(xs):
        if age <= b:
            return knots[a] + (knots[b] - knots[a]) * (age - a) / (b - a)
    return knots[xs[-1]]
