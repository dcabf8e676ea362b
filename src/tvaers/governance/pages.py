"""The organisation section's pages: fora, a forum's seats and decisions on any date (all
logged-in users), and the secretariat's forms for a forum and its seats.

Thin: parse, call ``service``, respond. A form with a wrong value comes back with the
user's input and a message beside the field (422); a save made from a stale copy comes back
the same way (409) with the stored version shown, so neither person's work is lost.

The form targets (POST) are left out of the OpenAPI description: they answer the pages'
forms (CSRF-bound, redirecting), while the JSON API of the section is its read-only twin
``/organisation/fora.json``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from tvaers.governance import chart as org_chart
from tvaers.governance import registry, service
from tvaers.governance.schemas import (
    ChartForumRead,
    ChartRead,
    ForaRead,
    ForumUpdate,
    RegionChoiceRead,
    SeatCreate,
    SeatRemove,
    SeatUpdate,
)
from tvaers.governance.terms import FORUM_KINDS, SEAT_ROLES, SIDES
from tvaers.reference import org
from tvaers.web import editing
from tvaers.web.dates import Day
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.forms import FormInvalid, parse_form
from tvaers.web.records import StaleEdit
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_tr

router = APIRouter(tags=["organisation"])

# The one day type of every date parameter (tvaers.web.dates): YYYY-MM-DD, 1900-2999.
OnDate = Annotated[Day, Query(description="the day; today if not given")]


# The forum page shows no posted form unless a save was refused (see _refused).
_NO_FORM: dict[str, Any] = {**editing.NO_FORM, "seat_id": None}


def _terms(request: Request) -> dict[str, Any]:
    tr = request_tr(request)
    return {
        "kinds": {k: tr(*v) for k, v in FORUM_KINDS.items()},
        "sides": {k: tr(*v) for k, v in SIDES.items()},
        "roles": {k: tr(*v) for k, v in SEAT_ROLES.items()},
    }


@page_routes(
    router,
    "/organisation/fora",
    name="fora",
    model=ForaRead,
    summary="Fora",
    errors=(401, 404, 422),
)
def fora(
    request: Request,
    user: CurrentUser,
    db: Db,
    on: OnDate = None,
    forum: Annotated[str | None, Query(max_length=64, description="a forum's id")] = None,
    saved: bool = False,
) -> Response:
    """The fora in force on the date; with ``forum``, that forum's seats, decisions and rule
    check too (one page, so every page of the section is reachable without a stored id)."""
    day, tr = on or date.today(), request_tr(request)
    chosen = service.forum_page(db, user, forum, day, tr) if forum else None
    data = ForaRead(
        on=day,
        fora=[service.read_forum(db, f, day, tr) for f in registry.fora(db, day)],
        forum=chosen,
    )
    template = "forum.html" if chosen else "fora.html"
    context = {"user": user, **_NO_FORM, "saved": saved, **_terms(request)}
    return respond(request, template, data, context)


# The codes of every region the reference data knows: the schema says which are valid, so a
# wrong one is refused (422, naming the parameter) before the page runs.
RegionCode = Annotated[
    str | None,
    Query(
        pattern="^(" + "|".join(r.code for r in org.regions()) + ")$",
        description="a region's code; default the region with most fora on the date",
    ),
]


def _chart(db: Any, region: str | None, day: date, tr: Any) -> org_chart.Chart:
    try:
        return org_chart.org_chart(db, region or org_chart.default_region(db, day), day, tr)
    except org_chart.UnknownRegion as exc:
        # The documented 422 body, naming the parameter, in the user's language.
        raise RequestValidationError(
            [{"loc": ("query", "region"), "msg": str(exc), "type": "unknown_region"}]
        ) from None


@page_routes(
    router,
    "/organisation/chart",
    name="fora_chart",
    model=ChartRead,
    summary="Organisationsdiagram",
    errors=(401, 422),
)
def fora_chart(
    request: Request, user: CurrentUser, db: Db, region: RegionCode = None, on: OnDate = None
) -> Response:
    """The organisation chart of a region on the date: its fora, the fora above them, and
    their seats by side, as a picture (also as SVG: ``/organisation/chart.svg``)."""
    day, tr = on or date.today(), request_tr(request)
    drawn = _chart(db, region, day, tr)
    names = {f.id: f.name for f in drawn.fora}
    data = ChartRead(
        on=day,
        region=drawn.region,
        region_name=drawn.region_name,
        fora=[
            ChartForumRead(
                id=f.id,
                name=f.name,
                kind=f.kind,
                kind_label=tr(*FORUM_KINDS[f.kind]),
                unit=f.unit,
                unit_name=org_chart.unit_label(f.unit),
                parent=f.parent,
                parent_name=names.get(f.parent or ""),
                depth=f.depth,
                seats=f.seats,
                in_region=f.in_region,
                href=service.forum_href(f.id),
            )
            for f in drawn.fora
        ],
        regions=[RegionChoiceRead(code=r.code, name=r.name) for r in org.regions(day)],
        svg_href=f"/organisation/chart.svg?region={drawn.region}&on={day.isoformat()}",
    )
    # ElementTree escaped every name in the SVG, so the page can carry it as it is.
    context = {"user": user, "svg": org_chart.render_svg(drawn, tr), **_terms(request)}
    return respond(request, "chart.html", data, context)


@router.get(
    "/organisation/chart.svg",
    summary="Organisationsdiagram (SVG)",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def fora_chart_svg(
    request: Request, user: CurrentUser, db: Db, region: RegionCode = None, on: OnDate = None
) -> Response:
    """The organisation chart as an SVG file to download."""
    day, tr = on or date.today(), request_tr(request)
    drawn = _chart(db, region, day, tr)
    name = f"tvaers-organisation-{drawn.region}-{day.isoformat()}.svg"
    return Response(
        org_chart.svg_document(drawn, tr),
        media_type="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _refused(request, user, db, forum_id, form, values, exc, seat_id=None) -> Response:  # type: ignore[no-untyped-def]
    """The forum page again with the posted form as the user filled it in."""
    status, context = editing.refused_form(request, db, exc, form, values)
    day, tr = date.today(), request_tr(request)
    chosen = service.forum_page(db, user, forum_id, day, tr)
    data = ForaRead(on=day, fora=[], forum=chosen)
    context |= {"user": user, "seat_id": seat_id, **_terms(request)}
    return editing.show_again(request, "forum.html", data, context, status)


def _after_save(forum_id: str) -> Response:
    # The forum page shows the rule check of the forum; "saved" says the save went through.
    return editing.saved(service.forum_href(forum_id))


@router.post("/organisation/fora/{forum_id}", summary="Ret et forum", include_in_schema=False)
async def update_forum(request: Request, forum_id: str, user: CurrentUser, db: Db) -> Response:
    values = await editing.form_values(request)
    try:
        data = parse_form(ForumUpdate, values, request_tr(request))
        service.update_forum(db, user, forum_id, data, values, request_tr(request))
        db.commit()
    except (FormInvalid, StaleEdit) as exc:
        return _refused(request, user, db, forum_id, "forum", values, exc)
    return _after_save(forum_id)


@router.post(
    "/organisation/fora/{forum_id}/seats", summary="Tilføj et sæde", include_in_schema=False
)
async def add_seat(request: Request, forum_id: str, user: CurrentUser, db: Db) -> Response:
    values = await editing.form_values(request)
    try:
        data = parse_form(SeatCreate, values, request_tr(request))
        service.add_seat(db, user, forum_id, data, values, request_tr(request))
        db.commit()
    except FormInvalid as exc:
        return _refused(request, user, db, forum_id, "new-seat", values, exc)
    return _after_save(forum_id)


@router.post(
    "/organisation/fora/{forum_id}/seats/{seat_id}", summary="Ret et sæde", include_in_schema=False
)
async def update_seat(
    request: Request, forum_id: str, seat_id: int, user: CurrentUser, db: Db
) -> Response:
    values = await editing.form_values(request)
    try:
        data = parse_form(SeatUpdate, values, request_tr(request))
        service.update_seat(db, user, forum_id, seat_id, data, values, request_tr(request))
        db.commit()
    except (FormInvalid, StaleEdit) as exc:
        return _refused(request, user, db, forum_id, "seat", values, exc, seat_id)
    return _after_save(forum_id)


@router.post(
    "/organisation/fora/{forum_id}/seats/{seat_id}/delete",
    summary="Fjern et sæde",
    include_in_schema=False,
)
async def remove_seat(
    request: Request, forum_id: str, seat_id: int, user: CurrentUser, db: Db
) -> Response:
    values = await editing.form_values(request)
    try:
        data = parse_form(SeatRemove, values, request_tr(request))
        service.remove_seat(db, user, forum_id, seat_id, data.version, request_tr(request))
        db.commit()
    except (FormInvalid, StaleEdit) as exc:
        return _refused(request, user, db, forum_id, "seat", values, exc, seat_id)
    return _after_save(forum_id)
