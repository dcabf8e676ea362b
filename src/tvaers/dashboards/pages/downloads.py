"""Downloads of any table as CSV or Excel, through the same disclosure control as the pages.

The selection is the export's (`tvaers indicators export`): repeatable ``indicator``,
``level``, ``period`` (exact, or a kind: year, quarter, month), ``unit`` (LEVEL:CODE) and
``stratum`` ("total" for the total). The columns are the export format's, plus
``confidential``: true where a value is shown only because of the user's access (a cell that
disclosure control hides from others); ``confidential=true`` keeps only those rows (what the
page of suppressed cells lists). The rows pass through the same ``Access.apply`` as
the pages, and what they reveal is audited before the file is sent.

The CSV is written as ``tvaers indicators export`` writes it; the Excel file is for reading
(workbook.py). Both are named for what they hold (download_files.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response, StreamingResponse

from tvaers.dashboards import download_files, workbook
from tvaers.dashboards.summary import View, ViewDep
from tvaers.formatting import names_listed
from tvaers.indicators.export import EXPORT_COLUMNS
from tvaers.web import labels
from tvaers.web.api_responses import errors
from tvaers.web.models import utcnow
from tvaers.web.results_store import LEVELS, PERIOD_TYPES

router = APIRouter(tags=["downloads"])
COLUMNS = (*EXPORT_COLUMNS, "confidential")
ListParam = Annotated[list[str], Query(max_length=200)]
CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Selection:
    indicator: list[str]
    level: list[str]
    period: list[str]
    unit: list[str]
    stratum: list[str]
    confidential: bool


def selection(
    indicator: ListParam = [],  # noqa: B006 - FastAPI copies the default
    level: ListParam = [],  # noqa: B006
    period: ListParam = [],  # noqa: B006
    unit: ListParam = [],  # noqa: B006
    stratum: ListParam = [],  # noqa: B006
    confidential: Annotated[
        bool, Query(description="only the cells shown because of your access")
    ] = False,
) -> Selection:
    return Selection(indicator, level, period, unit, stratum, confidential)


SelectionDep = Annotated[Selection, Depends(selection)]


def _rows(view: View, chosen: Selection) -> list[tuple]:
    """The selection's rows in the export format, masked for the user; what they reveal is
    audited before the file is made. 404 for anything the results do not hold."""
    snap = view.snap
    known_periods = {p for ps in snap.periods.values() for p in ps}
    if any(i not in snap.definitions for i in chosen.indicator) or any(
        lv not in LEVELS for lv in chosen.level
    ):
        raise HTTPException(404)
    if any(p not in PERIOD_TYPES and p not in known_periods for p in chosen.period):
        raise HTTPException(404)
    units = tuple(u for u in (view.parse_unit(text) for text in chosen.unit) if u is not None)
    assert view.access is not None
    cells = view.access.apply(
        snap.select(
            indicators=tuple(chosen.indicator),
            levels=tuple(chosen.level),
            periods=tuple(chosen.period),
            units=units,
            strata=tuple("" if s == "total" else s for s in chosen.stratum),
        )
    )
    view.record("unsuppressed_downloaded", query=str(view.request.url.query)[:2000])
    rows = [
        (
            *(c[k] for k in EXPORT_COLUMNS[:-1]),
            # In the export format a suppressed cell is one whose numbers are withheld.
            c["hidden"],
            c["suppressed"] and not c["hidden"],
        )
        for c in cells
    ]
    return [r for r in rows if r[-1]] if chosen.confidential else rows


@router.get(
    "/download.csv",
    summary="Hent en tabel som CSV (med diskretionering)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}, **errors(303, 401, 404, 422, 503)},
)
def download_csv(view: ViewDep, chosen: SelectionDep) -> Response:
    rows = _rows(view, chosen)
    return StreamingResponse(
        download_files.csv_lines(COLUMNS, rows),
        media_type=CSV_MEDIA,
        headers=download_files.content_disposition(download_files.file_name(view, chosen, "csv")),
    )


@router.get(
    "/download.xlsx",
    summary="Hent en tabel som Excel (med diskretionering)",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA: {}}}, **errors(303, 401, 404, 422, 503)},
)
def download_xlsx(view: ViewDep, chosen: SelectionDep) -> Response:
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in _rows(view, chosen)]
    names = labels.stratum_names(view.snapshot)
    # The sheets in the order the indicators were chosen.
    by_indicator: dict[str, list[dict]] = {i: [] for i in chosen.indicator}
    for row in rows:
        row["stratum_name"] = names.name(row["indicator_id"], row["stratum"], view.tr)
        by_indicator.setdefault(row["indicator_id"], []).append(row)
    sheets = [
        workbook.Sheet(view.snap.definitions[indicator], indicator_rows)
        for indicator, indicator_rows in by_indicator.items()
        if indicator_rows
    ]
    content = workbook.workbook(
        sheets, lang=view.lang, tr=view.tr, units=_units_text(view, chosen, rows), made=utcnow()
    )
    return Response(
        content,
        media_type=XLSX_MEDIA,
        headers=download_files.content_disposition(download_files.file_name(view, chosen, "xlsx")),
    )


def _units_text(view: View, chosen: Selection, rows: list[dict]) -> str:
    """The units in the file, for the sheets' heads: the ones chosen by name, else the
    levels, else all."""
    named = [u for u in (view.parse_unit(text) for text in chosen.unit) if u is not None]
    if named:
        return names_listed([view.unit(*u).name for u in named], view.lang)
    levels = chosen.level or sorted({r["level"] for r in rows})
    return ", ".join(labels.level_plural(level, view.tr) for level in levels) or view.tr(
        "alle", "all"
    )
