"""The unit page: a municipality, cluster, region or the country with all its key
indicators, the units it belongs to and its members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from tvaers.dashboards.members import with_members
from tvaers.dashboards.schemas import UnitSummaryRead
from tvaers.dashboards.summary import ViewDep, unit_summary
from tvaers.web.scope import InvalidScope, validate_unit
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["dashboards"])
Level = Annotated[str, Path(pattern="^(municipality|cluster|region|country)$")]
# The table of a region's or the country's municipalities: which indicator, sorted how.
TableIndicator = Annotated[
    str | None, Query(max_length=100, pattern="^[a-z0-9_]+$", description="the table's indicator")
]
Sort = Annotated[str, Query(pattern="^(name|value|verdict)$", description="the table's order")]
Descending = Annotated[bool, Query(description="the table in falling order")]


@page_routes(
    router,
    "/units/{level}/{code}",
    name="unit",
    model=UnitSummaryRead,
    summary="Enhed",
    errors=(401, 404, 422, 503),
)
def unit_page(
    request: Request,
    view: ViewDep,
    level: Level,
    code: Annotated[str, Path(max_length=64)],
    indicator: TableIndicator = None,
    sort: Sort = "name",
    desc: Descending = False,
) -> Response:
    try:
        ref = validate_unit(level, code)
    except InvalidScope:
        raise HTTPException(404) from None
    cache = request.app.state.page_cache
    data = cache.get_or_build(
        view,
        (ref.level, ref.code, indicator, sort, desc),
        lambda: with_members(view, unit_summary(view, ref.level, ref.code), indicator, sort, desc),
    )
    view.record("unsuppressed_viewed", page="unit")
    return respond(request, "unit.html", data, {"user": view.user})
