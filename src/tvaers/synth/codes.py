"""Diagnosis code lists the generator draws from, with integer weights.

None of the general lists contains a code of the chronic-disease catalogue (DE10, DE11,
DJ44, DJ45, DJ46, DM80, DM81, DM05, DM06, DF00-DF03, DG30, DF20, DI50, DI110, DI130, DI132,
DI420): those codes are written only for people who have the disease (chronic.py), or the
prevalence would drift with the contact volume. `test_generate` checks this.

The preventable list follows the groups of indicators.md; weights give the usual mix
(pneumonia and urinary tract infection dominate, then fractures and dehydration).
"""

from __future__ import annotations

PREVENTABLE = [
    # lower respiratory disease
    ("DJ189", 22), ("DJ159", 4), ("DJ209", 5), ("DJ22", 4), ("DJ129", 1), ("DJ181", 2),
    # cystitis / urinary tract infection
    ("DN390", 13), ("DN300", 3),
    ("DE869", 9),  # dehydration
    ("DA099", 4), ("DK529", 2),  # gastroenteritis
    ("DK590", 5),  # constipation
    # fractures
    ("DS720", 8), ("DS420", 3), ("DS525", 4), ("DS822", 2), ("DS320", 3),
    ("DD509", 3),  # nutritional anaemia
    ("DZ599", 1), ("DZ741", 1),  # social and care conditions
    ("DL899", 1),  # pressure ulcer
]  # fmt: skip
FRACTURE_PREFIX = "DS"

ACUTE_ELDERLY = [
    ("DI219", 5), ("DI639", 5), ("DI489", 6), ("DR074", 8), ("DR109", 5), ("DK802", 3),
    ("DK359", 1), ("DR559", 4), ("DR539", 3), ("DI269", 2), ("DA419", 4), ("DJ960", 2),
    ("DK922", 3), ("DR296", 3), ("DS063", 2), ("DN179", 2), ("DE871", 2), ("DC349", 3),
    ("DC189", 2), ("DZ038", 6), ("DI64", 1), ("DR060", 2),
]  # fmt: skip
ACUTE_ADULT = [
    ("DR074", 8), ("DR109", 8), ("DK359", 4), ("DK802", 3), ("DS060", 3), ("DS420", 2),
    ("DS934", 2), ("DZ038", 8), ("DI489", 2), ("DA419", 2), ("DK859", 2), ("DN23", 2),
    ("DI219", 2), ("DG409", 1), ("DR55", 1), ("DT659", 1), ("DJ189", 3), ("DN390", 1),
]  # fmt: skip
ACUTE_CHILD = [
    ("DJ219", 6), ("DA099", 5), ("DR509", 8), ("DJ069", 6), ("DS060", 3), ("DS525", 2),
    ("DZ038", 8), ("DJ189", 3), ("DK359", 2), ("DR104", 2), ("DP599", 4), ("DP229", 2),
]  # fmt: skip
PLANNED = [
    ("DC509", 3), ("DC619", 3), ("DC189", 3), ("DM161", 5), ("DM171", 5), ("DK409", 3),
    ("DI251", 3), ("DI209", 2), ("DN409", 2), ("DM511", 2), ("DK802", 2), ("DZ511", 3),
    ("DD259", 2), ("DN832", 1), ("DH251", 1), ("DM751", 1),
]  # fmt: skip
PSYCHIATRIC = [
    ("DF329", 6), ("DF319", 2), ("DF100", 3), ("DF431", 2), ("DF603", 2), ("DF411", 1),
    ("DF840", 1), ("DF900", 1), ("DF500", 1), ("DF332", 2),
]  # fmt: skip
# Hip fractures (for nursing-home residents, hospital.py): femoral neck, pertrochanteric,
# subtrochanteric, in about the proportions of the Danish hip-fracture register.
HIP_FRACTURE = [("DS720", 5), ("DS721", 4), ("DS722", 1)]
BIRTH = [("DO800", 6), ("DO829", 2), ("DO479", 1), ("DO249", 1), ("DO420", 1)]
OUTPATIENT = [
    ("DZ038", 10), ("DZ098", 5), ("DR109", 3), ("DM545", 4), ("DM179", 3), ("DH251", 2),
    ("DI109", 3), ("DK210", 2), ("DL400", 2), ("DR074", 2), ("DS620", 1), ("DC509", 2),
    ("DZ511", 2), ("DR319", 1), ("DG439", 1), ("DJ343", 1), ("DE039", 2), ("DZ348", 2),
    ("DN390", 1), ("DD649", 1), ("DM791", 2), ("DH269", 1),
]  # fmt: skip
EMERGENCY = [
    ("DS934", 5), ("DS610", 4), ("DS520", 2), ("DS009", 3), ("DR074", 5), ("DR109", 5),
    ("DZ038", 6), ("DT141", 3), ("DR509", 3), ("DJ069", 2), ("DS060", 2), ("DR519", 2),
]  # fmt: skip
TERMINAL = [
    ("DC349", 4), ("DC189", 2), ("DC259", 2), ("DJ189", 4), ("DI219", 2), ("DI639", 3),
    ("DA419", 3), ("DJ960", 3), ("DR54", 2), ("DC619", 1), ("DN179", 1),
]  # fmt: skip
# Extra B diagnoses on admissions (comorbidity that is not in the chronic catalogue).
SECONDARY = [("DI109", 6), ("DE039", 2), ("DE669", 2), ("DZ921", 2), ("DF171", 2), ("DK219", 1)]

# Disease-specific acute admissions of people who have the disease.
DISEASE_ADMISSION_CODE = {"copd": "DJ441", "heart_failure": "DI500", "t2d": "DE111"}

ALL_GENERAL = (
    PREVENTABLE + HIP_FRACTURE + ACUTE_ELDERLY + ACUTE_ADULT + ACUTE_CHILD + PLANNED
    + PSYCHIATRIC + BIRTH + OUTPATIENT + EMERGENCY + TERMINAL + SECONDARY
)  # fmt: skip
