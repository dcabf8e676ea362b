"""The indicator catalogue, one page per indicator, and the analysts' page of suppressed
cells in their scope."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from tvaers.dashboards.indicator_page import Choice, build
from tvaers.dashboards.schemas import (
    ChoiceRead,
    IndicatorListRead,
    IndicatorPageRead,
    SuppressedCellsRead,
)
from tvaers.dashboards.summary import View, ViewDep, download_links, primary_unit
from tvaers.roles import SEES_UNSUPPRESSED
from tvaers.web.deps import require_role
from tvaers.web.page_cache import PageCache
from tvaers.web.scope import Principal
from tvaers.web.templating import page_routes, render_fragment, respond

router = APIRouter(tags=["dashboards"])
IndicatorId = Annotated[str, Path(max_length=100, pattern="^[a-z0-9_]+$")]
Param = Annotated[str | None, Query(max_length=100)]


@page_routes(
    router,
    "/indicators",
    name="indicators",
    model=IndicatorListRead,
    summary="Indikatorer",
    errors=(401,),
)
def indicator_list(request: Request, view: ViewDep) -> Response:
    snap = view.snapshot
    data = IndicatorListRead(
        computed_at=snap.computed_at if snap else None,
        indicators=[view.indicator(d) for d in snap.definitions.values()] if snap else [],
        message=None if snap else view.no_results_message(),
    )
    return respond(request, "indicators.html", data, {"user": view.user})


@page_routes(
    router,
    "/indicators/{indicator_id}",
    name="indicator",
    model=IndicatorPageRead,
    summary="Indikator",
    errors=(401, 404, 422, 503),
)
def indicator_page(
    request: Request,
    view: ViewDep,
    indicator_id: IndicatorId,
    level: Param = None,
    period_type: Param = None,
    period: Param = None,
    stratum: Annotated[
        str | None, Query(max_length=100, description='a stratum id; "total" for the total')
    ] = None,
    unit: Annotated[str | None, Query(max_length=100, description="LEVEL:CODE")] = None,
    area: Annotated[str | None, Query(max_length=100, description="LEVEL:CODE")] = None,
    measure: Annotated[str | None, Query(pattern="^(value|std_value)$")] = None,
    chart: Annotated[
        str | None,
        Query(
            pattern="^(run|pp|up)$",
            description="the SPC chart of the series: run (default), or Laney's control "
            "chart, pp for a percentage, up for a rate",
        ),
    ] = None,
) -> Response:
    d = view.definition(indicator_id)
    choice = Choice(level, period_type, period, stratum, unit, area, measure, chart)
    if unit is None:  # the default unit is the user's own: part of the key
        choice = replace(choice, unit=":".join(primary_unit(view)))
    cache: PageCache = request.app.state.page_cache
    html = not request.url.path.endswith(".json")

    def make() -> tuple[IndicatorPageRead, Markup | None]:
        data = build(view, d, choice)
        body = render_fragment(request, "_indicator_body.html", {"data": data}) if html else None
        return data, body

    data, body = cache.get_or_build(view, (choice, html), make)
    view.record(
        "unsuppressed_viewed",
        indicator=d.id,
        level=data.level,
        period=data.period,
        period_type=data.period_type,
        stratum=data.stratum,
    )
    return respond(request, "indicator.html", data, {"user": view.user, "body": body})


def _analyst_view(
    view: ViewDep, user: Annotated[Principal, Depends(require_role(*SEES_UNSUPPRESSED))]
) -> View:
    return view


@page_routes(
    router,
    "/suppressed",
    name="suppressed_cells",
    model=SuppressedCellsRead,
    summary="Skjulte celler i dit omfang (analytikere og administratorer)",
    errors=(401, 403, 404, 422, 503),
)
def suppressed_cells(
    request: Request,
    view: Annotated[View, Depends(_analyst_view)],
    indicator: Param = None,
    period: Param = None,
) -> Response:
    snap = view.snap
    indicator = indicator or next(iter(snap.definitions))
    d = view.definition(indicator)
    periods = [p for t in snap.period_types(d.id) for p in reversed(snap.periods[(d.id, t)])]
    period = period or snap.latest(d.id) or periods[0]
    if period not in periods:
        raise HTTPException(404)
    assert view.access is not None
    # Only the units the user may see: the rest would be empty rows that say nothing.
    units = tuple(
        (level, code)
        for level, found in snap.units.items()
        for code in found
        if view.access.visible(level, code)
    )
    rows = [r for r in snap.cells(d.id, units=units, periods=(period,)) if r["suppressed"]]
    cells = view.cells(rows)
    view.record("unsuppressed_viewed", page="suppressed", indicator=d.id, period=period)
    data = SuppressedCellsRead(
        indicator=view.indicator(d),
        period=period,
        choices={
            "indicator": [
                ChoiceRead(value=k, label=v.name(view.lang)) for k, v in snap.definitions.items()
            ],
            "period": [ChoiceRead(value=p, label=p) for p in periods],
        },
        cells=cells,
        downloads=download_links(view, indicators=[d.id], periods=[period], confidential=True),
    )
    return respond(request, "suppressed.html", data, {"user": view.user})
