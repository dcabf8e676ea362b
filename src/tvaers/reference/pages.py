"""The organisation as it stood on a chosen date: regions, their clusters, municipalities."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tvaers.dashboards.schemas import OrganisationRead, OrgUnitRead
from tvaers.dashboards.summary import unit_href
from tvaers.reference import org
from tvaers.web.dates import Day
from tvaers.web.deps import CurrentUser
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["dashboards"])


def _municipality(code: str) -> OrgUnitRead:
    m = org.municipality(code)
    return OrgUnitRead(
        level="municipality", code=m.code, name=m.name, href=unit_href("municipality", m.code)
    )


def _groupings(level: str, day: date) -> list[OrgUnitRead]:
    return [
        OrgUnitRead(
            level=level,
            code=g.code,
            name=g.name,
            href=unit_href(level, g.code),
            valid_from=g.valid_from,
            valid_to=g.valid_to,
            region_code=g.region_code,
            members=[_municipality(m.code) for m in org.members(level, g.code, day)],  # type: ignore[arg-type]
        )
        for g in org.groupings(level, day)  # type: ignore[arg-type]
    ]


@page_routes(
    router,
    "/organisation",
    name="organisation",
    model=OrganisationRead,
    summary="Organisation",
    errors=(401, 422),
)
def organisation(
    request: Request,
    user: CurrentUser,
    on: Annotated[Day, Query(description="the day; today if not given")] = None,
) -> Response:
    day = on or date.today()
    regions = [
        OrgUnitRead(
            level="region",
            code=r.code,
            name=r.name,
            href=unit_href("region", r.code),
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            members=[_municipality(m.code) for m in org.members("region", r.code, day)],
        )
        for r in org.regions(day)
    ]
    clusters = [
        OrgUnitRead(
            level="cluster",
            code=c.slug,
            name=c.name,
            href=unit_href("cluster", c.slug),
            valid_from=c.valid_from,
            valid_to=c.valid_to,
            region_code=c.region_code,
            members=[_municipality(m.code) for m in org.members("cluster", c.slug, day)],
        )
        for c in org.clusters(day)
    ]
    data = OrganisationRead(
        on=day,
        regions=regions,
        clusters=clusters,
        municipalities=[_municipality(m.code) for m in org.municipalities()],
        sundhedsraad=_groupings("sundhedsraad", day),
        sundhedsraad_missing=[_municipality(m.code) for m in org.missing("sundhedsraad", day)],
        bilateral=_groupings("bilateral", day),
    )
    return respond(request, "organisation.html", data, {"user": user})
