"""What the agreement pages do, as plain functions taking a session: an agreement, its
parties, status steps and decisions, who may edit it, and the secretariat's change of its
status (which must rest on a decision of the governance decision log); the tree with each
target's computed status is tree.py. Rules and guards live here; every
write goes through tvaers.web.records (history, audit, a stale save refused)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.agreements.models import Agreement, InputRound, StatusStep
from tvaers.agreements.schemas import (
    AgreementRead,
    DecisionChoiceRead,
    InputRoundLinkRead,
    PartyRead,
    StatusChange,
    StatusStepRead,
)
from tvaers.agreements.terms import (
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    DECISION_SUBJECT,
)
from tvaers.governance.models import Decision, Forum
from tvaers.governance.service import forum_href
from tvaers.i18n import tr as default_tr
from tvaers.web import records
from tvaers.web.forms import FormInvalid
from tvaers.web.scope import InvalidScope, Principal, can_edit, parse_scope, unit_name

Tr = Callable[[str, str], str]


def agreement_href(agreement_id: str) -> str:
    return f"/agreements/{agreement_id}"


def target_href(agreement_id: str, key: str) -> str:
    return f"/agreements/{agreement_id}/targets/{key}"


def initiative_href(agreement_id: str, key: str) -> str:
    return f"/agreements/{agreement_id}/initiatives/{key}"


@cache
def indicator_names() -> dict[str, tuple[str, str]]:
    from tvaers.indicators.catalogue import load

    return {i.id: (i.name.da, i.name.en) for i in load().indicators}


def require_agreement(session: Session, agreement_id: str) -> Agreement:
    return records.require(session, Agreement, agreement_id)


def owner_unit(session: Session, ref: str) -> tuple[str, str] | None:
    """The unit a party or owner stands for: the unit itself, or a forum's unit."""
    if ":" in ref:
        try:
            unit = parse_scope(ref)
        except InvalidScope:
            return None
        return unit.level, unit.code
    forum = session.get(Forum, ref)
    return (forum.unit_level, forum.unit_code) if forum else None


def owner_name(session: Session, ref: str) -> str:
    if ":" not in ref:
        forum = session.get(Forum, ref)
        return forum.name if forum else ref
    try:
        return unit_name(parse_scope(ref))
    except (InvalidScope, ValueError):
        return ref


def may_edit(session: Session, user: Principal, a: Agreement) -> bool:
    """The secretariat of any party's unit edits the agreement."""
    units = [owner_unit(session, p) for p in a.parties]
    return any(u is not None and can_edit(user, *u) for u in units)


def editable_agreement(session: Session, user: Principal, agreement_id: str, tr: Tr) -> Agreement:
    """The agreement, if this user may edit it (else 404 or 403)."""
    return records.require_editable(
        session,
        Agreement,
        agreement_id,
        lambda a: may_edit(session, user, a),
        lambda a: tr(
            f"Du kan ikke redigere {a.name}: ingen af parterne er i dit omfang.",
            f"You cannot edit {a.name}: none of its parties is in your scope.",
        ),
    )


def read_agreement(a: Agreement, tr: Tr = default_tr) -> AgreementRead:
    return AgreementRead(
        id=a.id,
        name=a.name,
        kind=a.kind,
        kind_label=tr(*AGREEMENT_KINDS[a.kind]),
        status=a.status,
        status_label=tr(*AGREEMENT_STATUSES[a.status]),
        valid_from=a.valid_from,
        valid_to=a.valid_to,
        example=a.example,
        href=agreement_href(a.id),
        version=a.version,
    )


def agreements(session: Session) -> list[Agreement]:
    return list(session.scalars(select(Agreement).order_by(Agreement.valid_from.desc())))


def parties(session: Session, a: Agreement) -> list[PartyRead]:
    return [
        PartyRead(ref=p, name=owner_name(session, p), href=None if ":" in p else forum_href(p))
        for p in a.parties
    ]


def steps(session: Session, a: Agreement, tr: Tr) -> list[StatusStepRead]:
    out = []
    query = select(StatusStep).where(StatusStep.agreement_id == a.id).order_by(StatusStep.id)
    for s in session.scalars(query):
        d = session.get(Decision, s.decision_id) if s.decision_id else None
        out.append(
            StatusStepRead(
                status=s.status,
                status_label=tr(*AGREEMENT_STATUSES[s.status]),
                day=s.day,
                decision=s.decision_id,
                decision_text=d.text if d else None,
                forum=d.forum_id if d else None,
            )
        )
    return out


def decisions_about(session: Session, a: Agreement) -> list[DecisionChoiceRead]:
    """The decisions of the log recorded as about this agreement, newest first."""
    query = (
        select(Decision)
        .where(Decision.subject_kind == DECISION_SUBJECT, Decision.subject_ref == a.id)
        .order_by(Decision.day.desc(), Decision.id.desc())
    )
    return [
        DecisionChoiceRead(id=d.id, forum=d.forum_id, day=d.day, text=d.text)
        for d in session.scalars(query)
    ]


def input_rounds_of(session: Session, agreement_id: str | None) -> list[InputRoundLinkRead]:
    query = select(InputRound).order_by(InputRound.deadline.desc())
    if agreement_id is not None:
        query = query.where(InputRound.agreement_id == agreement_id)
    return [
        InputRoundLinkRead(
            id=r.id, name=r.name, deadline=r.deadline, href=f"/agreements/rounds/{r.id}"
        )
        for r in session.scalars(query)
    ]


def history(session: Session, a: Agreement) -> list[str]:
    return [records.describe(e) for e in records.history(session, "agreements.agreement", a.id)]


def change_status(
    session: Session,
    user: Principal,
    agreement_id: str,
    data: StatusChange,
    values: dict,
    tr: Tr = default_tr,
) -> Agreement:
    """A new status, resting on a decision of the log that is about this agreement."""
    a = editable_agreement(session, user, agreement_id, tr)
    records.check_version(a, data.version)
    decision = session.get(Decision, data.decision)
    if decision is None or (decision.subject_kind, decision.subject_ref) != (
        DECISION_SUBJECT,
        a.id,
    ):
        raise FormInvalid(
            {
                "decision": tr(
                    f"beslutning {data.decision} findes ikke i beslutningsloggen som en "
                    "beslutning om denne aftale",
                    f"decision {data.decision} is not in the decision log as a decision "
                    "about this agreement",
                )
            },
            values,
        )
    records.update(session, a, {"status": data.status}, user, expected_version=data.version)
    step = StatusStep(
        agreement_id=a.id, status=data.status, day=decision.day, decision_id=decision.id
    )
    records.create(session, step, user)
    return a
