"""What the task-transfer tests share: three fora of Region Syddanmark in the governance
registry, the people who act on cases, and a case built through the service."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tvaers.governance.models import Forum
from tvaers.transfers import editing, service
from tvaers.transfers.schemas import CaseCreate, SectionUpdate, StepPost
from tvaers.transfers.terms import DIMENSIONS
from tvaers.web import records
from tvaers.web.scope import Principal, UnitRef

FORUM = "klynge-sydvestjylland"
CLUSTER = "cluster:syddanmark-sydvestjylland"
OTHERS = [
    "cluster:syddanmark-fyn",
    "cluster:syddanmark-lillebaelt",
    "cluster:syddanmark-sonderjylland",
]
CONSULTED = date(2026, 4, 6)  # clusters are in force: four in the region

SECRETARIAT = Principal(
    1,
    "sekr-syd",
    "Sekretariat Sydvest",
    "secretariat",
    (UnitRef("cluster", "syddanmark-sydvestjylland"),),
)
OTHER_SECRETARIAT = Principal(
    2, "sekr-fyn", "Sekretariat Fyn", "secretariat", (UnitRef("cluster", "syddanmark-fyn"),)
)
VIEWER = Principal(3, "laeser", "Læser", "viewer", (UnitRef("region", "1083"),))
ANALYST = Principal(4, "analytiker", "Analytiker", "analyst", (UnitRef("region", "1083"),))


def add_fora(session: Session) -> None:
    for fid, unit in (
        (FORUM, "cluster:syddanmark-sydvestjylland"),
        ("klynge-fyn", "cluster:syddanmark-fyn"),
        ("ssu-syd", "region:1083"),
    ):
        level, _, code = unit.partition(":")
        forum = Forum(
            id=fid,
            name=fid.upper(),
            kind="other",
            unit_level=level,
            unit_code=code,
            parent_id=None,
            valid_from=date(2022, 7, 1),
            valid_to=date(2027, 1, 1),
        )
        records.create(session, forum, "test")
    session.flush()


CASE = {
    "title": "Akutfunktion 2027",
    "kind": "horizontal_agreement",
    "from_sector": "region",
    "from_unit": "region:1083",
    "to_sector": "municipality",
    "to_unit": CLUSTER,
    "covered_units": "municipality:561\nmunicipality:573",
    "service": "acute_nursing",
    "forum": FORUM,
}


def new_case(session: Session, user: Principal = SECRETARIAT, **over):
    return editing.create_case(session, user, CaseCreate(**{**CASE, **over}), {})


def describe(
    session: Session,
    case,
    dimension: str,
    state: str = "described",
    text: str = "Tekst",
    reason: str = "",
    figures: str = "",
    user: Principal = SECRETARIAT,
):
    section = service.sections(session, case)[dimension]
    data = SectionUpdate(
        state=state, text=text, reason=reason, figures=figures, version=section.version
    )
    return editing.update_section(session, user, case.id, dimension, data, {})


def describe_all(session: Session, case) -> None:
    for dim in DIMENSIONS:
        describe(session, case, dim)


def step(
    session: Session, case, name: str, day: date = CONSULTED, user: Principal = SECRETARIAT, **extra
):
    post = StepPost(step=name, version=case.version, **extra)
    return editing.take_step(session, user, case.id, post, {}, today=day)
