"""The secretariat's edits of a case: create and change it, describe its assessment,
record who was informed; moving it along the workflow and confirming its evaluation are in
steps.py (imported here, so this stays the module of every write). Every write goes through
tvaers.web.records (history, audit, StaleEdit on a stale save)."""

from __future__ import annotations

from datetime import date

from fastapi import HTTPException
from sqlalchemy.orm import Session

from tvaers.governance import registry
from tvaers.i18n import tr as default_tr
from tvaers.transfers import parsing, workflow
from tvaers.transfers.models import Case, Informed, Section
from tvaers.transfers.schemas import (
    CaseCreate,
    CaseFields,
    CaseUpdate,
    InformedCreate,
    SectionUpdate,
)
from tvaers.transfers.service import Tr, editable_case, informed, required_informed, sections
from tvaers.transfers.steps import confirm_evaluation, take_step  # every write is found here
from tvaers.transfers.terms import DIMENSIONS, NEEDS_REASON, STATES
from tvaers.web import records
from tvaers.web.forms import FormInvalid
from tvaers.web.scope import Principal, can_edit


def _fields(data: CaseFields, values: dict, tr: Tr) -> dict:
    """The posted case fields as the table keeps them (lists parsed, units checked)."""
    return {
        "title": data.title,
        "description": data.description,
        "target_group": data.target_group,
        "kind": data.kind,
        "from_sector": data.from_sector,
        "from_unit": str(parsing.unit(data.from_unit, "from_unit", values, tr)),
        "to_sector": data.to_sector,
        "to_unit": str(parsing.unit(data.to_unit, "to_unit", values, tr)),
        "covered_units": parsing.units(data.covered_units, "covered_units", values, tr),
        "agreement_refs": parsing.lines(data.agreement_refs),
        "series": parsing.series(data.series, values, tr),
        "documents": parsing.documents(data.documents, values, tr),
        "service": data.service,
        "decision_year": data.decision_year,
        "go_live": data.go_live,
    }


def create_case(
    session: Session,
    user: Principal,
    data: CaseCreate,
    values: dict,
    tr: Tr = default_tr,
    *,
    example: bool = False,
) -> Case:
    forum = registry.forum(session, data.forum)
    if forum is None:
        raise FormInvalid(
            {"forum": tr(f"ukendt forum {data.forum!r}", f"unknown forum {data.forum!r}")}, values
        )
    if not can_edit(user, forum.unit_level, forum.unit_code):
        raise FormInvalid(
            {
                "forum": tr(
                    f"{forum.name} ligger uden for dit omfang",
                    f"{forum.name} is outside your scope",
                )
            },
            values,
        )
    case = records.create(
        session,
        Case(forum_id=forum.id, state="draft", example=example, **_fields(data, values, tr)),
        user,
    )
    for dimension in DIMENSIONS:
        records.create(
            session,
            Section(
                case_id=case.id,
                dimension=dimension,
                state="undescribed",
                reason="",
                text="",
                figures=[],
            ),
            user,
        )
    return case


def update_case(
    session: Session,
    user: Principal,
    case_id: int,
    data: CaseUpdate,
    values: dict,
    tr: Tr = default_tr,
) -> Case:
    case = editable_case(session, user, case_id, tr)
    records.check_version(case, data.version)  # before anything else: a stale form says so
    _require_open(case, tr)
    return records.update(
        session, case, _fields(data, values, tr), user, expected_version=data.version
    )


def _require_open(case: Case, tr: Tr) -> None:
    if case.state in workflow.FINAL_STATES:
        da, en = STATES[case.state]
        raise FormInvalid(
            {
                "": tr(
                    f"sagen er {da.lower()} og kan ikke ændres",
                    f"the case is {en.lower()} and cannot be changed",
                )
            },
            {},
        )


def update_section(
    session: Session,
    user: Principal,
    case_id: int,
    dimension: str,
    data: SectionUpdate,
    values: dict,
    tr: Tr = default_tr,
) -> Section:
    case = editable_case(session, user, case_id, tr)
    section = sections(session, case).get(dimension)
    if section is None:
        raise HTTPException(404)
    records.check_version(section, data.version)
    _require_open(case, tr)
    if data.state in NEEDS_REASON and not data.reason.strip():
        raise FormInvalid(
            {"reason": tr("en begrundelse skal udfyldes", "a reason is required")}, values
        )
    if data.state == "described" and not data.text.strip():
        raise FormInvalid(
            {
                "text": tr(
                    "en beskrevet dimension skal have en tekst",
                    "a described dimension needs a text",
                )
            },
            values,
        )
    changes = {
        "state": data.state,
        "reason": data.reason.strip(),
        "text": data.text,
        "figures": parsing.figures(data.figures, values, tr),
    }
    return records.update(session, section, changes, user, expected_version=data.version)


def record_informed(
    session: Session,
    user: Principal,
    case_id: int,
    data: InformedCreate,
    values: dict,
    tr: Tr = default_tr,
) -> Informed:
    case = editable_case(session, user, case_id, tr)
    if case.state != "consultation":
        raise FormInvalid(
            {
                "unit": tr(
                    "orientering registreres kun under høringen",
                    "informing is recorded during consultation only",
                )
            },
            values,
        )
    unit = parsing.unit(data.unit, "unit", values, tr)
    wanted = {(lv, code) for lv, code, _ in required_informed(session, case)}
    if (unit.level, unit.code) not in wanted:
        shown = ", ".join(f"{lv}:{c}" for lv, c in sorted(wanted)) or "–"
        raise FormInvalid(
            {
                "unit": tr(
                    f"{unit} skal ikke orienteres (skal: {shown})",
                    f"{unit} need not be informed (must: {shown})",
                )
            },
            values,
        )
    if any((i.unit_level, i.unit_code) == (unit.level, unit.code) for i in informed(session, case)):
        raise FormInvalid(
            {"unit": tr(f"{unit} er allerede registreret", f"{unit} is already recorded")}, values
        )
    if registry.forum(session, data.forum) is None:
        raise FormInvalid(
            {"forum": tr(f"ukendt forum {data.forum!r}", f"unknown forum {data.forum!r}")}, values
        )
    if data.day < (case.consultation_on or data.day) or data.day > date.today():
        raise FormInvalid(
            {
                "day": tr(
                    "datoen skal ligge mellem høringens start og i dag",
                    "the date must lie between the start of consultation and today",
                )
            },
            values,
        )
    row = Informed(
        case_id=case.id,
        unit_level=unit.level,
        unit_code=unit.code,
        day=data.day,
        forum_id=data.forum,
    )
    return records.create(session, row, user)


__all__ = [
    "confirm_evaluation",
    "create_case",
    "record_informed",
    "take_step",
    "update_case",
    "update_section",
]
