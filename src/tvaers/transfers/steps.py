"""Moving a case along the workflow's state table (a refused step raises workflow.Refused
naming what is missing; the decide step writes the decision into the governance log) and
confirming its evaluation. Every write goes through tvaers.web.records (history, audit,
StaleEdit on a stale save)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tvaers.governance.models import Decision
from tvaers.i18n import tr as default_tr
from tvaers.transfers import workflow
from tvaers.transfers.models import Case, Step
from tvaers.transfers.schemas import EvaluationConfirm, StepPost
from tvaers.transfers.service import Tr, editable_case, facts
from tvaers.web import records
from tvaers.web.forms import FormInvalid
from tvaers.web.scope import Principal


def take_step(
    session: Session,
    user: Principal,
    case_id: int,
    data: StepPost,
    values: dict,
    tr: Tr = default_tr,
    today: date | None = None,
) -> Case:
    """Move the case along the state table, or workflow.Refused saying what is missing."""
    case = editable_case(session, user, case_id, tr)
    records.check_version(case, data.version)
    day = today or date.today()
    asked = (
        {"outcome": data.outcome, "decided_on": data.decided_on} if data.step == "decide" else {}
    )
    move = workflow.check(facts(session, case, day, **asked), data.step, tr)
    changes: dict = {"state": move.target}
    note = data.note.strip()
    if move.step == "consult":
        changes["consultation_on"] = day
    elif move.step == "decide":
        assert data.outcome is not None and data.decided_on is not None  # the guard checked
        text = data.decision_text.strip() or tr(
            f"Sag {case.id} «{case.title}»: {data.outcome}",
            f"Case {case.id} '{case.title}': {data.outcome}",
        )
        decision = records.create(
            session,
            Decision(
                forum_id=case.forum_id,
                day=data.decided_on,
                text=text,
                subject_kind="task_transfer",
                subject_ref=str(case.id),
            ),
            user,
        )
        changes |= {
            "outcome": data.outcome,
            "decided_on": data.decided_on,
            "decision_id": decision.id,
        }
        note = note or text
    elif move.step == "reassess":
        changes["consultation_on"] = None
    records.update(session, case, changes, user, expected_version=data.version)
    step = Step(
        case_id=case.id,
        step=move.step,
        source=move.source,
        target=move.target,
        day=day,
        actor=user.username,
        note=note,
    )
    records.create(session, step, user)
    return case


def confirm_evaluation(
    session: Session,
    user: Principal,
    case_id: int,
    data: EvaluationConfirm,
    values: dict,
    tr: Tr = default_tr,
) -> Case:
    """A user confirms the before/after reading of the linked series (the case page shows
    it); the case can then be closed."""
    case = editable_case(session, user, case_id, tr)
    records.check_version(case, data.version)
    if case.state != "evaluation":
        raise FormInvalid(
            {
                "note": tr(
                    "evalueringen bekræftes i tilstanden Evaluering",
                    "the evaluation is confirmed in the state Evaluation",
                )
            },
            values,
        )
    changes = {
        "evaluation_note": data.note.strip(),
        "evaluation_confirmed_by": user.username,
        "evaluation_confirmed_on": date.today(),
    }
    return records.update(session, case, changes, user, expected_version=data.version)
