"""A small hand-made world for the agreement tests: a published result set written by hand
(one indicator, a few municipalities, quarters) and an agreement file with targets on it.

The series are chosen so that the Laney P′ limits can be worked out on paper:

- ALTERNATING: numerators 100, 140, 100, … over denominators of 1,000 (10 % and 14 %),
  12 quarters. CL = Σy/Σn = 1,440/12,000 = 12 %. Every z_i = ±d/σ with d = 2 points and
  σ = √(CL(1−CL)/n), so every moving range is 2d/σ, AMR = 2d/σ (nothing screened) and
  σ_z = AMR/1.128; σ′ = σ·σ_z = 2d/1.128 = 3.5461 points. LCL = 12 − 10.638 = 1.362 %,
  UCL = 12 + 10.638 = 22.638 %. Signs alternate: 11 crossings, longest run 1: no signal.
- STEP: 138, 142, … for 8 quarters, then 98, 102, … for 8 (about 14 % then 10 %): the last
  8 points all lie below the centre line (12 %), a run of 8 > round(log2 16) + 3 = 7, so
  the runs rule signals, on the low side: for a lower-is-better indicator an improvement.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tvaers.indicators.results import results_path
from tvaers.indicators.rollup import RESULTS_DDL

INDICATOR = "readmissions_30d_somatic_65plus"
QUARTERS = [f"{y}-Q{q}" for y in (2022, 2023, 2024, 2025) for q in (1, 2, 3, 4)]
ALTERNATING = [100 if i % 2 == 0 else 140 for i in range(12)]
STEP = [138 if i % 2 == 0 else 142 for i in range(8)] + [
    98 if i % 2 == 0 else 102 for i in range(8)
]


def _row(code: str, name: str, period: str, x: int, suppressed: bool = False) -> tuple:
    return (INDICATOR, period, "quarter", "municipality", code, name, "", float(x), 1000,
            x / 1000 * 100, None, None, None, None, None, suppressed, None, False, None)  # fmt: skip


def write_results(warehouse: Path) -> Path:
    """Sønderborg (540): ALTERNATING, its latest cell suppressed; Aabenraa (580):
    ALTERNATING; Esbjerg (561): STEP; Tønder (550): 6 quarters only; København (101,
    another region): ALTERNATING."""
    rows = []
    for i, x in enumerate(ALTERNATING):
        rows.append(_row("540", "Sønderborg", QUARTERS[i], x, suppressed=i == 11))
        rows.append(_row("580", "Aabenraa", QUARTERS[i], x))
        rows.append(_row("101", "København", QUARTERS[i], x))
    rows += [_row("561", "Esbjerg", QUARTERS[i], x) for i, x in enumerate(STEP)]
    rows += [_row("550", "Tønder", QUARTERS[i], x) for i, x in enumerate(ALTERNATING[:6])]
    con = duckdb.connect(str(results_path(warehouse)))
    con.execute(RESULTS_DDL.format(name="results"))
    con.executemany(f"INSERT INTO results VALUES ({', '.join('?' * 19)})", rows)
    con.execute("CREATE TABLE run (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.executemany(
        "INSERT INTO run VALUES (?, ?)",
        [
            ("computed_at", json.dumps("2025-12-31T12:00:00+00:00")),
            ("structure_dates", json.dumps({"municipality": "2024-01-01"})),
        ],
    )
    con.execute(
        """CREATE TABLE definitions (indicator_id VARCHAR PRIMARY KEY, version VARCHAR,
           name_da VARCHAR, name_en VARCHAR, unit_da VARCHAR, unit_en VARCHAR, factor INTEGER,
           direction VARCHAR, standardised BOOLEAN, periods VARCHAR, strata VARCHAR)"""
    )
    con.execute(
        "INSERT INTO definitions VALUES (?, '1.0', 'Genindlæggelser 65+', 'Readmissions 65+', "
        "'procent', 'per cent', 100, 'lower_is_better', FALSE, 'year,quarter,month', '[]')",
        [INDICATOR],
    )
    con.close()
    return results_path(warehouse)


AGREEMENT = """\
id: sa-test
name: Testaftale
kind: sundhedsaftale
parties: ["region:1083"]
valid_from: 2024-01-01
valid_to: 2028-01-01
status: in_force
visions:
  - id: v1
    text: Sammen om ældre
    focus_areas:
      - id: f1
        name: Ældre medicinske patienter
        goals:
          - id: g1
            text: Færre genindlæggelser
            national_goal: 2
            initiatives:
              - {id: i1, name: Ældre i risiko for genindlæggelse,
                 owner: "cluster:syddanmark-sonderjylland", go_live: 2023-01-01,
                 series: [{indicator: readmissions_30d_somatic_65plus,
                           unit: "municipality:580", period: quarter}]}
            targets:
              - {id: t-met, indicator: readmissions_30d_somatic_65plus,
                 unit: "municipality:580", period: quarter, baseline: "2022-Q1",
                 value: 25.0, by: "2027-Q4"}
              - {id: t-missed, indicator: readmissions_30d_somatic_65plus,
                 unit: "municipality:580", period: quarter, baseline: "2022-Q2",
                 value: 1.0, by: "2027-Q4"}
              - {id: t-hit, indicator: readmissions_30d_somatic_65plus,
                 unit: "municipality:580", period: quarter, baseline: "2022-Q1",
                 value: 12.0, by: "2027-Q4"}
              - {id: t-short, indicator: readmissions_30d_somatic_65plus,
                 unit: "municipality:550", period: quarter, baseline: "2022-Q1",
                 value: 12.0, by: "2027-Q4"}
              - {id: t-level, indicator: readmissions_30d_somatic_65plus,
                 level: municipality, region: "1083", period: quarter,
                 baseline: "2022-Q1", value: 12.0, by: "2027-Q4"}
"""


def agreement_file(directory: Path, text: str = AGREEMENT, name: str = "aftale.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def load_sample(sessions, directory: Path) -> None:
    """The test agreement and an input round in the application database (the pages that
    every-route tests visit by tests.web.helpers.PATH_VALUES)."""
    from datetime import date

    from tvaers.agreements import loading
    from tvaers.agreements.models import InputRound
    from tvaers.web import records
    from tvaers.web.db import session_scope

    with session_scope(sessions) as db:
        loading.load(db, str(agreement_file(directory)), "test")
        one = InputRound(id="r-test", name="Runde", owner="region:1083", agreement_id="sa-test",
                         questions=["Hvad?"], respondents=["municipality:561"],
                         deadline=date(2099, 1, 1), closed=False)  # fmt: skip
        records.create(db, one, "test")
