"""The organisation as it stood on a chosen date: regions, their clusters, municipalities."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tvaers.dashboards.schemas import OrganisationRead, OrgUnitRead
from tvaers.dashboards.summary import unit_href
from tvaers.reference import org
from tvaers.reference.imported import Level, imported_memberships, level_on
from tvaers.web.dates import Day
from tvaers.web.deps import CurrentUser, Db
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["dashboards"])


def _municipality(code: str) -> OrgUnitRead:
    m = org.municipality(code)
    return OrgUnitRead(
        level="municipality", code=m.code, name=m.name, href=unit_href("municipality", m.code)
    )


def _groupings(found: Level) -> list[OrgUnitRead]:
    return [
        OrgUnitRead(
            level=g.level,
            code=g.code,
            name=g.name,
            href=unit_href(g.level, g.code),
            valid_from=g.valid_from,
            valid_to=g.valid_to,
            region_code=g.region_code,
            members=[
                _municipality(code)
                for code in sorted(
                    {m.municipality_code for m in found.memberships if m.unit_code == g.code},
                    key=int,
                )
            ],
        )
        for g in found.units
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
    db: Db,
    on: Annotated[Day, Query(description="the day; today if not given")] = None,
) -> Response:
    day = on or date.today()
    # The shipped memberships and those loaded with `tvaers org import`, together.
    councils, bilateral = (
        level_on(level, day, imported_memberships(db, level, day))
        for level in ("sundhedsraad", "bilateral")
    )
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
        sundhedsraad=_groupings(councils),
        sundhedsraad_missing=[_municipality(code) for code in councils.missing],
        bilateral=_groupings(bilateral),
    )
    return respond(request, "organisation.html", data, {"user": user})
