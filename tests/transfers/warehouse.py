"""A small warehouse built by hand for the volume tests: the service periods and visits of
a few synthetic people in Esbjerg (561) and Varde (573), Region Syddanmark.

Every expected number in the tests is worked out by hand from the rows below (the comments
say how); none is read from the code's output.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from tvaers.warehouse.schema import SCHEMA_VERSION, create_all

EXTRACTED = date(2023, 12, 15)
ESBJERG, VARDE = "561", "573"

# person_no -> death date (None: alive)
PERSONS = {1: None, 2: None, 3: None, 4: None, 5: date(2022, 6, 15), 6: None, 7: date(2023, 3, 20)}
PERSONS |= {100 + i: None for i in range(1, 6)}  # fillers F1..F5

# (person_no, providing municipality, service, start, end (None: open), hours per week)
PERIODS = [
    (1, ESBJERG, "acute_nursing", date(2022, 12, 31), date(2023, 1, 5), 7.0),  # starts 31 Dec
    (2, ESBJERG, "acute_nursing", date(2023, 11, 1), None, 3.5),  # open
    (3, ESBJERG, "acute_nursing", date(2021, 7, 1), date(2023, 6, 30), None),  # three years
    (4, ESBJERG, "acute_nursing", date(2022, 3, 1), date(2022, 3, 10), 14.0),  # two periods
    (4, ESBJERG, "acute_nursing", date(2022, 5, 1), date(2022, 5, 31), None),  # (no hours)
    (5, ESBJERG, "acute_nursing", date(2022, 6, 1), date(2022, 12, 31), 7.0),  # dies 15 June
    (6, ESBJERG, "acute_nursing", date(2022, 1, 1), date(2022, 1, 31), None),  # two
    (6, VARDE, "acute_nursing", date(2022, 2, 1), date(2022, 2, 28), None),  # municipalities
    (7, ESBJERG, "acute_nursing", date(2023, 3, 1), None, None),  # open, dies 20 March
    *[
        (100 + i, VARDE, "acute_nursing", date(2022, 1, 1), date(2022, 1, 10), None)
        for i in range(1, 5)
    ],
    (105, ESBJERG, "acute_nursing", date(2023, 2, 1), date(2023, 2, 10), None),
    (1, ESBJERG, "temporary_bed", date(2022, 1, 1), date(2022, 1, 31), 40.0),  # another service
]

# (person_no, municipality, service, at (ISO, with offset), kind)
VISITS = [
    (1, ESBJERG, "acute_nursing", "2022-05-01 10:00:00+02", "visit"),
    (1, ESBJERG, "acute_nursing", "2022-05-02 10:00:00+02", "phone"),
    (1, ESBJERG, "acute_nursing", "2022-05-03 10:00:00+02", "video"),
    # 23:30 UTC on 31 December is 00:30 on 1 January in Denmark: a 2023 visit.
    (1, ESBJERG, "acute_nursing", "2022-12-31 23:30:00+00", "visit"),
    (1, ESBJERG, "temporary_bed", "2022-05-04 10:00:00+02", "visit"),
]


def build(path: Path, extracted: date = EXTRACTED, periods=PERIODS, visits=VISITS) -> Path:
    con = duckdb.connect(str(path))
    create_all(con, "main")
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
    con.execute(
        "INSERT INTO deliveries VALUES (1, 'f', 'test', ?, now(), NULL, 'person_id', 'strict',"
        " 0, 0, 0)",
        [extracted],
    )
    con.executemany(
        "INSERT INTO persons VALUES (?, DATE '1940-01-01', 'F', ?, ?, 1)",
        [(no, died, f"p{no}") for no, died in PERSONS.items()],
    )
    if periods:
        con.executemany("INSERT INTO municipal_services VALUES (?, ?, ?, ?, ?, ?, 1)", periods)
    if visits:
        con.executemany(
            "INSERT INTO municipal_visits VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ), ?, 1)", visits
        )
    con.close()
    return path
