"""The home page. Until the dashboards exist: who you are, your role, your scope, links."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tvaers.web.deps import CurrentUser
from tvaers.web.models import Role
from tvaers.web.schemas import HomeRead, LinkRead, UnitRead, UserRead
from tvaers.web.scope import Principal, unit_name
from tvaers.web.templating import page_routes, respond
from tvaers.web.texts import request_tr

router = APIRouter(tags=["home"])


def role_name(role: str, tr: Callable[[str, str], str]) -> str:
    return {
        Role.admin: tr("Administrator", "Administrator"),
        Role.analyst: tr("Analytiker", "Analyst"),
        Role.viewer: tr("Læser", "Viewer"),
    }.get(role, role)  # type: ignore[call-overload]


def level_name(level: str, tr: Callable[[str, str], str]) -> str:
    return {
        "country": tr("Land", "Country"),
        "region": tr("Region", "Region"),
        "cluster": tr("Sundhedsklynge", "Health cluster"),
        "municipality": tr("Kommune", "Municipality"),
    }.get(level, level)


def user_read(user: Principal) -> UserRead:
    return UserRead(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        scopes=[UnitRead(level=s.level, code=s.code, name=unit_name(s)) for s in user.scopes],
        sees_unsuppressed=user.role != Role.viewer and bool(user.scopes),
    )


def links_for(user: Principal, tr: Callable[[str, str], str]) -> list[LinkRead]:
    """The pages this user can open; the dashboards will add theirs here."""
    links = []
    if user.role == Role.admin:
        links.append(LinkRead(href="/admin/audit", title=tr("Revisionslog", "Audit log")))
    links.append(LinkRead(href="/openapi.json", title=tr("API-beskrivelse", "API description")))
    return links


@page_routes(router, "/", name="home", model=HomeRead, summary="Forside")
def home(request: Request, user: CurrentUser) -> Response:
    tr = request_tr(request)
    data = HomeRead(user=user_read(user), links=links_for(user, tr))
    context = {"user": user, "role_name": role_name, "level_name": level_name}
    return respond(request, "home.html", data, context)
