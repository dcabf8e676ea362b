"""The registry records every walk over the published routes visits: the walks of the
authorisation tests (test_authorisation, test_seat_access_web) and of the security headers
(test_security_headers), and the JSON twins of test_pages. Loaded by one function, so a
page that takes a record from the application database answers 200 in each of them, with
the values of tests.web.helpers.PATH_VALUES:

- the sample agreement sa-test with its target t-met, initiative i1 and input round r-test
  (tests.web.agreement_world.load_sample);
- the leak agreement and its input round leak-round, whose targets the sentinel walk of
  test_authorisation reads (LEAK_AGREEMENT);
- task-transfer case 1, the first example case, with the fora it is decided in;
- kept data pack 1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tests.web.agreement_world import load_sample
from tests.web.transfers_world import add_fora
from tvaers.agreements import loading
from tvaers.agreements.models import InputRound
from tvaers.reports.models import ReportPack
from tvaers.transfers import examples
from tvaers.web import records
from tvaers.web.db import session_scope

# Target values of 10,000: a distance to the target (value − target) then never looks like
# another unit's sentinel (9,317,0xx − 10,000 = 9,307,0xx).
LEAK_AGREEMENT = """\
id: leak
name: Aftale til lækagetesten
kind: sundhedsaftale
parties: ["region:1083"]
valid_from: 2024-01-01
status: in_force
visions:
  - id: v1
    text: Vision
    focus_areas:
      - id: f1
        name: Fokus
        goals:
          - id: g1
            text: Mål
            initiatives:
              - {id: i1, name: Initiativ, owner: "municipality:561", go_live: 2022-01-01,
                 series: [{indicator: ready_for_discharge_days_per_1000,
                           unit: "municipality:561", period: quarter}]}
            targets:
              - {id: t-level, indicator: ready_for_discharge_days_per_1000,
                 level: municipality, region: "1083", period: quarter,
                 baseline: "2023-Q4", value: 10000.0, by: "2027-Q4"}
              - {id: t-esbjerg, indicator: readmissions_30d_somatic, unit: "municipality:561",
                 period: quarter, baseline: "2023-Q4", value: 10000.0, by: "2027-Q4"}
"""


def load_walk_data(sessions: sessionmaker[Session], directory: Path) -> None:
    """Every record above into the application database; the agreement files are written
    to ``directory``."""
    load_sample(sessions, directory)
    load_leak_agreement(sessions, directory)
    with session_scope(sessions) as db:
        add_fora(db)
        examples.load(db)
        # Kept pack 1, confidential: it shows Esbjerg's suppressed cells, so only a user who
        # may see those downloads it (its bytes stand in for a PDF; making one takes seconds).
        pack = ReportPack(
            unit_level="municipality",
            unit_code="561",
            unit_name="Esbjerg",
            period="2024",
            lang="da",
            format="pdf",
            fingerprint="0" * 64,
            revealed="municipality:561",
            confidential=True,
            made_by_id=0,
            made_by="test",
            size=9,
            content=b"%PDF-test",
        )
        records.create(db, pack, "test")


def load_leak_agreement(sessions: sessionmaker[Session], directory: Path) -> None:
    path = directory / "leak.yaml"
    path.write_text(LEAK_AGREEMENT, encoding="utf-8")
    with session_scope(sessions) as db:
        loading.load(db, str(path), "test")
        one = InputRound(id="leak-round", name="Runde", owner="region:1083", agreement_id="leak",
                         questions=["Hvad?"], respondents=["municipality:561"],
                         deadline=date(2099, 1, 1), closed=False)  # fmt: skip
        records.create(db, one, "test")
