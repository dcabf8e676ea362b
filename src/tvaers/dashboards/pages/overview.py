"""The overview (home page): the key indicators of the user's cluster or region, latest
year, trend since the year before, against the country; and the user's access."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tvaers.dashboards.members import with_members
from tvaers.dashboards.pages.units import Descending, Sort, TableIndicator
from tvaers.dashboards.schemas import OverviewRead
from tvaers.dashboards.summary import ViewDep, primary_unit, unit_summary
from tvaers.domains import nav_entries
from tvaers.roles import SEES_UNSUPPRESSED, role_name
from tvaers.web.labels import level_name
from tvaers.web.schemas import LinkRead, UnitRead, UserRead
from tvaers.web.scope import Principal, scopes_on, unit_name
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["dashboards"])

__all__ = ["level_name", "role_name", "router", "user_read"]


def user_read(user: Principal) -> UserRead:
    return UserRead(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        scopes=[UnitRead(level=s.level, code=s.code, name=unit_name(s)) for s in user.scopes],
        sees_unsuppressed=user.role in SEES_UNSUPPRESSED and bool(user.scopes or user.seats),
    )


def links_for(user: Principal, tr: Callable[[str, str], str]) -> list[LinkRead]:
    """The pages this user can open: the menu of the domain registry, and the API."""
    links = [
        LinkRead(href=entry.href, title=entry.title(tr))
        for entry in nav_entries(user.role)
        if entry.on_overview
    ]
    links.append(LinkRead(href="/openapi.json", title=tr("API-beskrivelse", "API description")))
    return links


@page_routes(
    router, "/", name="home", model=OverviewRead, summary="Oversigt", errors=(401, 404, 422, 503)
)
def home(
    request: Request,
    view: ViewDep,
    unit: Annotated[str | None, Query(max_length=100, description="LEVEL:CODE")] = None,
    indicator: TableIndicator = None,
    sort: Sort = "name",
    desc: Descending = False,
) -> Response:
    level, code = view.parse_unit(unit) or primary_unit(view)
    cache = request.app.state.page_cache
    summary = cache.get_or_build(
        view,
        (level, code, indicator, sort, desc),
        lambda: with_members(view, unit_summary(view, level, code), indicator, sort, desc),
    )
    view.record("unsuppressed_viewed", page="overview")
    # The user's units: their scopes and the units of the seats they hold today.
    mine = scopes_on(view.user, date.today())
    choices = [UnitRead(level=s.level, code=s.code, name=unit_name(s)) for s in mine]
    if not any(c.level == "country" for c in choices):
        choices.append(view.unit("country", "DK"))
    if not any((c.level, c.code) == (level, code) for c in choices):
        choices.insert(0, summary.unit)
    data = OverviewRead(
        **summary.model_dump(),
        user=user_read(view.user),
        choices=choices,
        links=links_for(view.user, view.tr),
    )
    return respond(request, "overview.html", data, {"user": view.user, "role_name": role_name})
