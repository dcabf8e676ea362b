"""The unit page: a municipality, cluster, region or the country with all its key
indicators, the units it belongs to and its members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response

from tvaers.dashboards.schemas import UnitSummaryRead
from tvaers.dashboards.summary import ViewDep, unit_summary
from tvaers.web.scope import InvalidScope, validate_unit
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["dashboards"])
Level = Annotated[str, Path(pattern="^(municipality|cluster|region|country)$")]


@page_routes(
    router,
    "/units/{level}/{code}",
    name="unit",
    model=UnitSummaryRead,
    summary="Enhed",
    errors=(401, 404, 422, 503),
)
def unit_page(
    request: Request, view: ViewDep, level: Level, code: Annotated[str, Path(max_length=64)]
) -> Response:
    try:
        ref = validate_unit(level, code)
    except InvalidScope:
        raise HTTPException(404) from None
    cache = request.app.state.page_cache
    data = cache.get_or_build(
        view, (ref.level, ref.code), lambda: unit_summary(view, ref.level, ref.code)
    )
    view.record("unsuppressed_viewed", page="unit")
    return respond(request, "unit.html", data, {"user": view.user})
