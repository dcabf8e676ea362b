"""The task-transfer section's pages: the case list per unit and forum, the case page
(assessment, volumes, state, history, documents, decision timeline) and its printout for
the deciding forum's meeting, each with its JSON twin.

Thin: parse, call ``reading``, respond. The forms' targets are in case_forms.py.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tvaers.formatting import number
from tvaers.governance import registry
from tvaers.transfers import reading, service
from tvaers.transfers.evaluation import case_evaluation
from tvaers.transfers.schemas import (
    CasePageRead,
    CasesRead,
    UnitLabel,
)
from tvaers.transfers.terms import KINDS, OPEN_CONDITIONS, OUTCOMES, PARTY_SECTORS, SECTION_STATES
from tvaers.transfers.volumes import case_volumes
from tvaers.warehouse.contract import MUNICIPAL_SERVICES
from tvaers.web import editing
from tvaers.web.access import Access
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid
from tvaers.web.scope import InvalidScope, can_edit, parse_scope
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_tr

router = APIRouter(tags=["transfers"])


def terms_context(request: Request) -> dict[str, Any]:
    """The words and form helpers the case list and case templates use."""
    tr = request_tr(request)
    return {
        "kinds": {k: tr(*v) for k, v in KINDS.items()},
        "sectors": {k: tr(*v) for k, v in PARTY_SECTORS.items()},
        "section_states": {k: tr(*v) for k, v in SECTION_STATES.items() if k != "undescribed"},
        "outcomes": {k: tr(*v) for k, v in OUTCOMES.items()},
        "services": MUNICIPAL_SERVICES,
        "open_conditions": tr(*OPEN_CONDITIONS),
        "figures_text": figures_text,
        "case_form": case_form,
    }


def figures_text(figures: list[Any]) -> str:
    """A section's figures as its form's text area holds them (Danish amounts, which is
    what parsing.amount reads back)."""
    return "\n".join(
        f"{f.label}; {number(f.value, 'da', 0 if f.value == int(f.value) else 2)}; {f.unit}".rstrip(
            "; "
        )
        for f in figures
    )


def case_form(c: Any) -> dict[str, Any]:
    """The stored case as its edit form's fields."""
    return {
        "title": c.title,
        "description": c.description,
        "target_group": c.target_group,
        "kind": c.kind,
        "from_sector": c.from_sector,
        "from_unit": c.from_unit.unit,
        "to_sector": c.to_sector,
        "to_unit": c.to_unit.unit,
        "covered_units": "\n".join(u.unit for u in c.covered_units),
        "agreement_refs": "\n".join(c.agreement_refs),
        "series": "\n".join(f"{s.indicator} {s.unit} {s.stratum}".strip() for s in c.series),
        "documents": "\n".join(f"{d.title} | {d.href}" for d in c.documents),
        "service": c.service or "",
        "decision_year": c.decision_year or "",
        "go_live": c.go_live.isoformat() if c.go_live else "",
    }


def _editable_fora(db: Db, user: Any) -> list[UnitLabel]:
    return [
        UnitLabel(unit=f.id, name=f.name)
        for f in registry.fora(db, date.today())
        if can_edit(user, f.unit_level, f.unit_code)
    ]


def _unit_pattern() -> str:
    """Every unit the reference data knows, as LEVEL:CODE: the schema says which are valid,
    so a wrong one is refused (422, naming the parameter) before the page runs."""
    from tvaers.reference import org
    from tvaers.vocabulary import LEVELS

    names = [f"{level}:{u.code}" for level in LEVELS for u in org.units(level)]
    return "^(" + "|".join(re.escape(n) for n in names) + ")$"


UnitParam = Annotated[
    str | None,
    Query(pattern=_unit_pattern(), description="a unit, LEVEL:CODE (e.g. municipality:561)"),
]


def list_data(
    request: Request, user: Any, db: Db, unit: str | None, forum: str | None
) -> CasesRead:
    tr = request_tr(request)
    if unit:
        try:
            found = service.cases_for_unit(db, parse_scope(unit))
        except InvalidScope as exc:
            raise FormInvalid({"unit": str(exc)}, {"unit": unit}) from None
    elif forum:
        found = service.cases_for_forum(db, forum)
    else:
        found = service.all_cases(db)
    owners = sorted({c.forum_id for c in service.all_cases(db)})
    fora = []
    for forum_id in owners:
        f = registry.forum(db, forum_id)
        fora.append(UnitLabel(unit=forum_id, name=f.name if f else forum_id))
    creatable = _editable_fora(db, user)
    return CasesRead(
        unit=unit,
        forum=forum,
        cases=[reading.summary(db, c, tr) for c in found],
        fora=fora,
        can_create=bool(creatable),
        create_fora=creatable,
    )


@page_routes(
    router,
    "/transfers",
    name="transfers",
    model=CasesRead,
    summary="Opgaveoverdragelser",
    errors=(401, 422),
)
def cases(
    request: Request,
    user: CurrentUser,
    db: Db,
    unit: UnitParam = None,
    forum: Annotated[str | None, Query(max_length=64, description="a forum's id")] = None,
) -> Response:
    """The cases, all or those of a unit (``unit``) or a forum (``forum``)."""
    data = list_data(request, user, db, unit, forum)
    return respond(
        request, "cases.html", data, {"user": user, **editing.NO_FORM, **terms_context(request)}
    )


def page_data(request: Request, user: Any, db: Db, case_id: int):  # type: ignore[no-untyped-def]
    """The case page's data; an analyst's view of unsuppressed series cells is audited."""
    tr = request_tr(request)
    case = service.require_case(db, case_id)
    snapshot = request.app.state.results.snapshot()
    access = Access(user, snapshot) if snapshot is not None else None
    data = reading.case_page(
        db,
        user,
        case,
        case_volumes(request.app.state.settings.warehouse, case, tr),
        case_evaluation(snapshot, access, case, tr),
        tr,
    )
    if access is not None:  # an analyst's unsuppressed series cells are audited
        details = {"path": request.url.path, "case": case_id}
        access.record(request.app.state.audit, "unsuppressed_viewed", details)
    return data


@page_routes(
    router,
    "/transfers/{case_id}",
    name="transfer_case",
    model=CasePageRead,
    summary="Opgaveoverdragelse",
    errors=(401, 404),
)
def case_page(
    request: Request, case_id: int, user: CurrentUser, db: Db, saved: bool = False
) -> Response:
    """One case: its assessment, volumes, state and the steps it may take, who was
    informed, the decision timeline, documents and history."""
    data = page_data(request, user, db, case_id)
    context = {"user": user, **editing.NO_FORM, "saved": saved, **terms_context(request)}
    return respond(request, "case.html", data, context)


@page_routes(
    router,
    "/transfers/{case_id}/print",
    name="transfer_case_print",
    model=CasePageRead,
    summary="Opgaveoverdragelse til udskrift",
    errors=(401, 404),
)
def case_print(request: Request, case_id: int, user: CurrentUser, db: Db) -> Response:
    """The case as the deciding forum's meeting reads it (a print stylesheet, no forms)."""
    data = page_data(request, user, db, case_id)
    return respond(request, "case_print.html", data, {"user": user, **terms_context(request)})
