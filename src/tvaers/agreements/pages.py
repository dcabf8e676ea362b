"""The agreement section's pages: the agreements, an agreement as a tree with each target's
status icon, its YAML export, the secretariat's status form and a goal's new-target form
(agreements.targets). A target's page is in
target_pages.py, an initiative's in initiative_pages.py, the input rounds' in
round_pages.py. Every page has its JSON twin; every status is computed from the published
results as the user may see them (suppressed cells stay hidden; what an analyst's access
reveals is audited like on the dashboards).

Thin: parse, call ``service``, respond. A refused form comes back with the input and the
message beside the field (422), a stale save the same way (409).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from tvaers.agreements import exporting, service, targets, tree
from tvaers.agreements.schemas import (
    AgreementPageRead,
    AgreementsRead,
    StatusChange,
    TargetCreate,
)
from tvaers.agreements.status import target_statuses
from tvaers.agreements.terms import AGREEMENT_STATUSES, ASSURANCE_ICONS, INITIATIVE_STATUSES
from tvaers.dashboards.summary import View, get_view
from tvaers.reference import org
from tvaers.roles import EDITS_REGISTRIES
from tvaers.spc import CHARTS
from tvaers.vocabulary import LEVELS, PERIOD_TYPES
from tvaers.web import api_responses, editing
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid, Tr, parse_form
from tvaers.web.labels import level_name, period_type_name
from tvaers.web.records import StaleEdit
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_tr

router = APIRouter(tags=["agreements"])
# A target covers one unit, or every unit of a level within a region (importfile).
TOP_LEVELS = ("country", "region")
Viewing = Annotated[View, Depends(get_view)]


def terms_context(request: Request) -> dict[str, Any]:
    """The words and icons the agreement and initiative templates show."""
    tr = request_tr(request)
    return {
        "statuses": {k: tr(*v) for k, v in AGREEMENT_STATUSES.items()},
        "initiative_statuses": {k: tr(*v) for k, v in INITIATIVE_STATUSES.items()},
        "icons": ASSURANCE_ICONS,
        "charts": CHARTS,
    }


def target_choices(request: Request) -> dict[str, Any]:
    """What a target form offers: the catalogue's indicators, the period types, the levels
    a target may cover every unit of, and the regions."""
    tr = request_tr(request)
    return {
        "target_indicators": {k: tr(*v) for k, v in service.indicator_names().items()},
        "period_types": {p: period_type_name(p, tr) for p in PERIOD_TYPES},
        "target_levels": {lv: level_name(lv, tr) for lv in LEVELS if lv not in TOP_LEVELS},
        "regions": {r.code: r.name for r in org.regions()},
    }


def agreements_data(db: Db, user: Any, tr: Tr) -> AgreementsRead:
    """The agreements page's data: every agreement and every input round."""
    return AgreementsRead(
        agreements=[service.read_agreement(a, tr) for a in service.agreements(db)],
        input_rounds=service.input_rounds_of(db, None),
        can_create_round=user.role in EDITS_REGISTRIES,
    )


@page_routes(
    router, "/agreements", name="agreements", model=AgreementsRead, summary="Aftaler", errors=(401,)
)
def agreements_page(request: Request, user: CurrentUser, db: Db) -> Response:
    """Every agreement in the registry and the input rounds."""
    data = agreements_data(db, user, request_tr(request))
    return respond(request, "agreements.html", data, {"user": user, **editing.NO_FORM})


def _agreement_data(db: Db, view: View, user: Any, agreement_id: str) -> AgreementPageRead:
    a = service.require_agreement(db, agreement_id)
    rows = []
    if view.snapshot is not None:
        found = target_statuses(db, view.snapshot, a.id, access=view.access)
        rows = [tree.row_read(s, view.lang, view.tr) for s in found]
    data = AgreementPageRead(
        agreement=service.read_agreement(a, view.tr),
        parties=service.parties(db, a),
        steps=service.steps(db, a, view.tr),
        visions=tree.tree(db, a, rows, view.lang, view.tr),
        results=view.snapshot is not None,
        computed_at=view.snapshot.computed_at if view.snapshot else None,
        can_edit=service.may_edit(db, user, a),
        decisions=service.decisions_about(db, a),
        input_rounds=service.input_rounds_of(db, a.id),
        history=service.history(db, a),
    )
    # Audited wherever the page is shown: as asked for, and again beside a refused form.
    view.record("unsuppressed_viewed", page="agreement", agreement=agreement_id)
    return data


@page_routes(
    router,
    "/agreements/{agreement_id}",
    name="agreement",
    model=AgreementPageRead,
    summary="En aftale med målenes status",
    errors=(401, 404),
)
def agreement_page(
    request: Request,
    agreement_id: str,
    user: CurrentUser,
    db: Db,
    view: Viewing,
    saved: bool = False,
) -> Response:
    """The agreement as a tree: visions, focus areas, goals with their initiatives and
    targets, each target with its computed status."""
    data = _agreement_data(db, view, user, agreement_id)
    context = {"user": user, **editing.NO_FORM, "saved": saved, **terms_context(request)}
    return respond(request, "agreement.html", data, context | target_choices(request))


@router.get(
    "/agreements/{agreement_id}/export.yaml",
    summary="Aftalen som YAML",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}}, **api_responses.errors(401, 404)},
)
def export_yaml(agreement_id: str, user: CurrentUser, db: Db) -> Response:
    """The agreement in the import format (agreement.md), to download."""
    service.require_agreement(db, agreement_id)
    return Response(
        exporting.export_yaml(db, agreement_id),
        media_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{agreement_id}.yaml"'},
    )


@router.post("/agreements/{agreement_id}/status", include_in_schema=False)
async def change_status(
    request: Request, agreement_id: str, user: CurrentUser, db: Db, view: Viewing
) -> Response:
    values = await editing.form_values(request)
    tr = request_tr(request)
    try:
        service.change_status(
            db, user, agreement_id, parse_form(StatusChange, values, tr), values, tr
        )
        db.commit()
    except (FormInvalid, StaleEdit) as exc:
        return _refused(request, user, db, view, exc, "status", values, agreement_id)
    return editing.saved(service.agreement_href(agreement_id))


def _refused(request, user, db, view, exc, form, values, agreement_id) -> Response:  # type: ignore[no-untyped-def]
    """The agreement page again with the posted form as filled in, and why it was refused."""
    status, context = editing.refused_form(request, db, exc, form, values)
    data = _agreement_data(db, view, user, agreement_id)
    context |= {"user": user, **terms_context(request), **target_choices(request)}
    return editing.show_again(request, "agreement.html", data, context, status)


@router.post("/agreements/{agreement_id}/targets", include_in_schema=False)
async def add_target(
    request: Request, agreement_id: str, user: CurrentUser, db: Db, view: Viewing
) -> Response:
    """A new target under a goal (the form under the goal on the agreement page)."""
    values = await editing.form_values(request)
    tr = request_tr(request)
    try:
        data = parse_form(TargetCreate, values, tr)
        targets.add_target(db, user, agreement_id, data, values, tr)
        db.commit()
    except FormInvalid as exc:
        # The form belongs to its goal: the page opens that goal's form again.
        form = f"TargetCreate:{values.get('goal', '')}"
        return _refused(request, user, db, view, exc, form, values, agreement_id)
    return editing.saved(service.target_href(agreement_id, data.id))
