"""Input rounds (dialogue before an agreement is written, seed 002): a question set, the
respondents (units or fora), a deadline, one answer per respondent, themes tagged by the
secretariat, summaries per cluster and across, and the round as a Markdown document.

Who sees what: the secretariat of the round's owner unit sees every answer, tags themes and
closes the round; a respondent (a user whose own scope or seat is the respondent's unit)
sees and edits only its own answer while the round is open; once it has closed (closed by
the secretariat, or the deadline passed) every logged-in user reads every answer.

Here: who may do what, and the writes; the page and the document are round_reading.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from tvaers.agreements import service
from tvaers.agreements.models import Agreement, Answer, InputRound
from tvaers.agreements.round_schemas import (
    AnswerSave,
    RoundClose,
    RoundCreate,
    ThemesSave,
)
from tvaers.i18n import tr as default_tr
from tvaers.reference import org
from tvaers.web import records
from tvaers.web.forms import FormInvalid
from tvaers.web.scope import Principal, UnitRef, can_edit, scopes_on

Tr = Callable[[str, str], str]


def round_href(round_id: str) -> str:
    return f"/agreements/rounds/{round_id}"


def require_round(session: Session, round_id: str) -> InputRound:
    return records.require(session, InputRound, round_id)


def is_open(r: InputRound, today: date | None = None) -> bool:
    return not r.closed and (today or date.today()) <= r.deadline


def is_secretariat(session: Session, user: Principal, r: InputRound) -> bool:
    unit = service.owner_unit(session, r.owner)
    return unit is not None and can_edit(user, *unit)


def my_respondents(session: Session, user: Principal, r: InputRound) -> set[str]:
    """The respondents this user answers for: its own scopes and seats, exactly."""
    mine = set(scopes_on(user, date.today()))
    out = set()
    for ref in r.respondents:
        unit = service.owner_unit(session, ref)
        if unit is not None and UnitRef(*unit) in mine:
            out.add(ref)
    return out


def cluster_of(session: Session, ref: str, on: date, tr: Tr) -> str:
    """The cluster a respondent's answer is summarised under."""
    unit = service.owner_unit(session, ref)
    if unit is None:
        return tr("Øvrige", "Others")
    level, code = unit
    if level == "cluster":
        return org.cluster(code).name
    if level == "municipality":
        clusters = org.clusters_of(code, on)
        if clusters:
            return clusters[0].name
        # From 2027 the sundhedsråd take the clusters' place.
        for m in org.memberships("sundhedsraad", on):
            if m.municipality_code == code:
                return org.grouping("sundhedsraad", m.unit_code).name
    return tr("Øvrige", "Others")


def create_round(
    session: Session, user: Principal, data: RoundCreate, values: dict, tr: Tr = default_tr
) -> InputRound:
    errors: dict[str, str] = {}
    owner = service.owner_unit(session, data.owner)
    if owner is None:
        errors["owner"] = tr(
            f"ukendt enhed eller forum {data.owner!r}", f"unknown unit or forum {data.owner!r}"
        )
    elif not can_edit(user, *owner):
        errors["owner"] = tr("uden for dit omfang", "outside your scope")
    bad = [r for r in data.respondents if service.owner_unit(session, r) is None]
    if bad:
        errors["respondents"] = tr(
            f"ukendt enhed eller forum: {', '.join(bad)} (skriv NIVEAU:KODE eller et forum-id)",
            f"unknown unit or forum: {', '.join(bad)} (write LEVEL:CODE or a forum id)",
        )
    if len(set(data.respondents)) != len(data.respondents):
        errors["respondents"] = tr("en respondent står der to gange", "a respondent appears twice")
    if data.agreement and session.get(Agreement, data.agreement) is None:
        errors["agreement"] = tr(
            f"ukendt aftale {data.agreement!r}", f"unknown agreement {data.agreement!r}"
        )
    if session.get(InputRound, data.id) is not None:
        errors["id"] = tr(f"id {data.id!r} er i brug", f"the id {data.id!r} is in use")
    if errors:
        raise FormInvalid(errors, values)
    r = InputRound(
        id=data.id,
        name=data.name,
        owner=data.owner,
        agreement_id=data.agreement or None,
        questions=data.questions,
        respondents=data.respondents,
        deadline=data.deadline,
        closed=False,
    )
    return records.create(session, r, user)


def save_answer(
    session: Session,
    user: Principal,
    round_id: str,
    data: AnswerSave,
    values: dict,
    tr: Tr = default_tr,
) -> Answer:
    r = require_round(session, round_id)
    mine = data.respondent in my_respondents(session, user, r)
    why = tr("Du svarer ikke for denne respondent.", "You do not answer for this respondent.")
    records.require_right(mine, why)
    records.require_right(is_open(r), tr("Runden er lukket.", "The round has closed."))
    if len(data.texts) != len(r.questions):
        raise FormInvalid({"texts": tr("ét svar pr. spørgsmål", "one answer a question")}, values)
    stored = session.get(Answer, (r.id, data.respondent))
    if stored is None:
        if data.version != 0:
            raise records.StaleEdit(
                "agreements.answer", f"{r.id}/{data.respondent}", data.version, None
            )
        answer = Answer(
            round_id=r.id,
            respondent=data.respondent,
            texts=data.texts,
            themes=[],
            answered_by=user.username,
        )
        return records.create(session, answer, user)
    changes = {"texts": data.texts, "answered_by": user.username}
    return records.update(session, stored, changes, user, expected_version=data.version)


def _secretariat_round(session: Session, user: Principal, round_id: str, tr: Tr) -> InputRound:
    """The round, if this user is its secretariat (else 404 or 403)."""
    return records.require_editable(
        session,
        InputRound,
        round_id,
        lambda r: is_secretariat(session, user, r),
        lambda r: tr(
            f"Kun sekretariatet for {r.owner} kan gøre dette.",
            f"Only the secretariat of {r.owner} can do this.",
        ),
    )


def tag_themes(
    session: Session,
    user: Principal,
    round_id: str,
    data: ThemesSave,
    values: dict,
    tr: Tr = default_tr,
) -> Answer:
    r = _secretariat_round(session, user, round_id, tr)
    stored = session.get(Answer, (r.id, data.respondent))
    if stored is None:
        raise FormInvalid({"respondent": tr("har ikke svaret", "has not answered")}, values)
    themes = sorted(set(data.themes), key=data.themes.index)
    return records.update(session, stored, {"themes": themes}, user, expected_version=data.version)


def close_round(
    session: Session, user: Principal, round_id: str, data: RoundClose, tr: Tr = default_tr
) -> InputRound:
    r = _secretariat_round(session, user, round_id, tr)
    return records.update(session, r, {"closed": True}, user, expected_version=data.version)
