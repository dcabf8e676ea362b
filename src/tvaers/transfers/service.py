"""Reading cases, as plain functions taking a session: one case and its parts, the cases of
a unit or a forum, who may edit, who must be informed, and the facts the workflow's guards
check. The secretariat's writes are in editing.py.

Public for other packages: ``cases_for_unit(session, unit)`` and ``cases_for_forum``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.governance import registry
from tvaers.governance.models import Forum
from tvaers.i18n import tr as default_tr
from tvaers.transfers import workflow
from tvaers.transfers.consultation import units_to_inform
from tvaers.transfers.models import Case, Informed, Section, Step
from tvaers.web import records
from tvaers.web.scope import Principal, UnitRef, can_edit

Tr = Callable[[str, str], str]


def case_href(case_id: int) -> str:
    return f"/transfers/{case_id}"


# --- reading ----------------------------------------------------------------------------


def require_case(session: Session, case_id: int) -> Case:
    return records.require(session, Case, case_id)


def sections(session: Session, case: Case) -> dict[str, Section]:
    rows = session.scalars(select(Section).where(Section.case_id == case.id))
    return {s.dimension: s for s in rows}


def informed(session: Session, case: Case) -> list[Informed]:
    query = select(Informed).where(Informed.case_id == case.id).order_by(Informed.day, Informed.id)
    return list(session.scalars(query))


def steps(session: Session, case: Case) -> list[Step]:
    query = select(Step).where(Step.case_id == case.id).order_by(Step.day, Step.id)
    return list(session.scalars(query))


def all_cases(session: Session) -> list[Case]:
    return list(session.scalars(select(Case).order_by(Case.id)))


def cases_for_forum(session: Session, forum_id: str) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.forum_id == forum_id).order_by(Case.id)))


def cases_for_unit(session: Session, unit: UnitRef, on: date | None = None) -> list[Case]:
    """The cases that concern ``unit``: it is a party or a covered unit, or it shares a
    municipality on ``on`` (default today) with a covered unit (the receiving party where
    none is named) — so a municipality sees its cluster's cases, a region every case
    inside it, and a region handing a task over does not make every municipality a party."""
    day = on or date.today()
    everything = unit.level == "country"
    mine = set() if everything else set(registry.members(session, unit.level, unit.code, day))
    found = []
    for case in all_cases(session):
        covered = case.covered_units or [case.to_unit]
        if everything or str(unit) in {*covered, case.from_unit, case.to_unit}:
            found.append(case)
            continue
        for text in covered:
            level, _, code = text.partition(":")
            if level == "country" or mine & set(registry.members(session, level, code, day)):
                found.append(case)
                break
    return found


def forum_of(session: Session, case: Case) -> Forum:
    found = registry.forum(session, case.forum_id)
    if found is None:  # the governance registry lost the forum: nobody may edit the case
        raise HTTPException(
            409, default_tr("Sagens forum findes ikke.", "The case's forum is missing.")
        )
    return found


def may_edit(session: Session, user: Principal, case: Case) -> bool:
    """Only the secretariat (or an admin) whose own scope covers the owning forum's unit."""
    f = registry.forum(session, case.forum_id)
    return f is not None and can_edit(user, f.unit_level, f.unit_code)


def editable_case(session: Session, user: Principal, case_id: int, tr: Tr) -> Case:
    """The case, if this user may edit it (else 404 or 403)."""
    return records.require_editable(
        session,
        Case,
        case_id,
        lambda case: may_edit(session, user, case),
        lambda case: tr(
            f"Du kan ikke redigere sagen: den ejes af forummet {case.forum_id}, uden for dit "
            "omfang.",
            f"You cannot edit the case: it belongs to the forum {case.forum_id}, outside your "
            "scope.",
        ),
    )


def required_informed(session: Session, case: Case) -> list[tuple[str, str, str]]:
    """The units that must be told, on the day consultation began (or today, before)."""
    return units_to_inform(session, forum_of(session, case), case.consultation_on or date.today())


def facts(session: Session, case: Case, today: date | None = None, **asked) -> workflow.Facts:
    return workflow.Facts(
        state=case.state,
        sections={d: (s.state, s.reason) for d, s in sections(session, case).items()},
        to_inform=tuple((lv, code) for lv, code, _ in required_informed(session, case)),
        informed=tuple((i.unit_level, i.unit_code) for i in informed(session, case)),
        outcome=asked.get("outcome", case.outcome),
        forum_id=case.forum_id,
        decided_on=asked.get("decided_on", case.decided_on),
        go_live=case.go_live,
        series=len(case.series),
        confirmed_by=case.evaluation_confirmed_by,
        today=today or date.today(),
    )
