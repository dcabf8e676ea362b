"""A target changed or added on the web, as the agreement file would change or add it.

The agreement's secretariat (the right of the status change: service.editable_agreement)
edits a target's value, ``by``, baseline, stratum, period type, standardisation, unit or
level with region, and indicator, or adds a target under a goal. The form is a file entry
(schemas.TargetUpdate / TargetCreate derive from file_entries) and is checked by the
import's own check (importfile.target_problems), so a form and a file never disagree;
every write goes through tvaers.web.records (history, audit, a stale save refused).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tvaers.agreements import service
from tvaers.agreements.file_entries import TargetFields
from tvaers.agreements.importfile import Known, target_problems
from tvaers.agreements.loading import target_columns
from tvaers.agreements.models import Agreement, Initiative, Item, Target
from tvaers.agreements.schemas import TargetCreate, TargetUpdate
from tvaers.i18n import tr as default_tr
from tvaers.indicators.catalogue import load as load_catalogue
from tvaers.web import records
from tvaers.web.forms import FormInvalid
from tvaers.web.scope import Principal

Tr = Callable[[str, str], str]


@cache
def _known() -> Known:
    # A target is checked against the catalogue only (fora and decisions are the file's
    # parties and status steps, which no target form touches).
    return Known(load_catalogue(), frozenset(), {})


def _checked(t: TargetFields, values: dict, tr: Tr) -> None:
    """FormInvalid naming each field the import would refuse (its first problem)."""
    errors: dict[str, str] = {}
    for field, problem in target_problems(t, _known(), tr):
        errors.setdefault(field, problem)
    if errors:
        raise FormInvalid(errors, values)


def _why(a: Agreement, tr: Tr) -> str:
    return tr(
        f"Du kan ikke redigere målene i {a.name}: ingen af parterne er i dit omfang.",
        f"You cannot edit the targets of {a.name}: none of its parties is in your scope.",
    )


def update_target(
    session: Session,
    user: Principal,
    agreement_id: str,
    key: str,
    data: TargetUpdate,
    values: dict,
    tr: Tr = default_tr,
) -> Target:
    """The target with the form's fields, if the user may edit the agreement (else 404 or
    403) and the target is still at the version the form was read from (else StaleEdit)."""
    a = service.require_agreement(session, agreement_id)
    t = records.require_editable(
        session,
        Target,
        (agreement_id, key),
        lambda _t: service.may_edit(session, user, a),
        lambda _t: _why(a, tr),
    )
    records.check_version(t, data.version)
    _checked(data, values, tr)
    return records.update(session, t, target_columns(data), user, expected_version=data.version)


def add_target(
    session: Session,
    user: Principal,
    agreement_id: str,
    data: TargetCreate,
    values: dict,
    tr: Tr = default_tr,
) -> Target:
    """A new target, last under the goal ``data.goal``; its id must be new in the agreement
    (an id names one part of an agreement, as in the file)."""
    a = service.require_agreement(session, agreement_id)
    records.require_right(service.may_edit(session, user, a), _why(a, tr))
    goal = session.get(Item, (a.id, data.goal))
    if goal is None or goal.kind != "goal":
        raise FormInvalid(
            {"goal": tr(f"aftalen har intet mål {data.goal!r}", f"no goal {data.goal!r}")},
            values,
        )
    if any(session.get(model, (a.id, data.id)) for model in (Item, Initiative, Target)):
        raise FormInvalid(
            {
                "id": tr(
                    f"id {data.id!r} er allerede brugt i aftalen",
                    f"the id {data.id!r} is already used in the agreement",
                )
            },
            values,
        )
    _checked(data, values, tr)
    last = session.scalar(
        select(func.max(Target.position)).where(
            Target.agreement_id == a.id, Target.goal_key == data.goal
        )
    )
    target = Target(
        agreement_id=a.id,
        key=data.id,
        goal_key=data.goal,
        position=0 if last is None else last + 1,
        **target_columns(data),
    )
    return records.create(session, target, user)


def history(session: Session, t: Target) -> list[str]:
    entries = records.history(session, Target.__entity__, f"{t.agreement_id}/{t.key}")
    return [records.describe(e) for e in entries]
