"""Downloads of any table as CSV or Excel, through the same disclosure control as the pages.

The selection is the export's (`tvaers indicators export`): repeatable ``indicator``,
``level``, ``period`` (exact, or a kind: year, quarter, month), ``unit`` (LEVEL:CODE) and
``stratum`` ("total" for the total). The columns are the export format's, plus
``confidential``: true where a value is shown only because of the user's access (a cell that
disclosure control hides from others). Masking happens in SQL with the list of units the
user may see, and what is revealed is audited before the file is sent.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response, StreamingResponse

from tvaers.indicators.export import EXPORT_COLUMNS
from tvaers.web.dashboard import View, ViewDep
from tvaers.web.results_store import LEVELS, PERIOD_TYPES, VALUE_COLUMNS

router = APIRouter(tags=["downloads"])
COLUMNS = (*EXPORT_COLUMNS, "confidential")
ListParam = Annotated[list[str], Query(max_length=200)]
CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _selection(
    view: View,
    indicator: list[str],
    level: list[str],
    period: list[str],
    unit: list[str],
    stratum: list[str],
) -> tuple[str, list[Any]]:
    """SQL condition and parameters; 404 for anything the results do not hold."""
    snap = view.snap
    known_periods = {p for ps in snap.periods.values() for p in ps}
    if any(i not in snap.definitions for i in indicator) or any(lv not in LEVELS for lv in level):
        raise HTTPException(404)
    if any(p not in PERIOD_TYPES and p not in known_periods for p in period):
        raise HTTPException(404)
    units = [view.parse_unit(u) for u in unit]
    where, params = ["TRUE"], []

    def any_of(column: str, values: list[str]) -> None:
        if values:
            where.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)

    any_of("indicator_id", indicator)
    any_of("level", level)
    if period:
        kinds = [p for p in period if p in PERIOD_TYPES]
        exact = [p for p in period if p not in PERIOD_TYPES]
        ors = []
        if kinds:
            ors.append(f"period_type IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
        if exact:
            ors.append(f"period IN ({', '.join('?' * len(exact))})")
            params.extend(exact)
        where.append("(" + " OR ".join(ors) + ")")
    if units:
        where.append("(" + " OR ".join("(level = ? AND unit_code = ?)" for _ in units) + ")")
        for u in units:
            params.extend(u)  # type: ignore[arg-type]
    any_of("stratum", ["" if s == "total" else s for s in stratum])
    return " AND ".join(where), params


def _query(where: str) -> str:
    """The export format's rows; the first parameter is the list of visible units."""

    def shown(expr: str) -> str:
        return f"CASE WHEN hide THEN NULL ELSE {expr} END"

    values = ", ".join(f"{shown(f'round({c}, 4)')} AS {c}" for c in VALUE_COLUMNS)
    level_order = "CASE level " + " ".join(f"WHEN '{lv}' THEN {n}" for n, lv in enumerate(LEVELS))
    return f"""
        WITH sel AS (
            SELECT *, (suppressed AND NOT list_contains(?::VARCHAR[], level || ':' || unit_code))
                      AS hide
            FROM results WHERE {where})
        SELECT indicator_id, period, level, unit_code, unit_name, stratum,
               {shown("CAST(round(numerator) AS BIGINT)")} AS numerator, denominator,
               {values}, hide AS suppressed, (suppressed AND NOT hide) AS confidential
        FROM sel
        ORDER BY indicator_id, period_type, period, {level_order} END, unit_code, stratum"""


def _rows(view: View, where: str, params: list[Any], action: str) -> Iterator[tuple]:
    """Audit what the download reveals, then yield its rows (export format)."""
    snap = view.snap
    assert view.access is not None
    visible = view.access.visible_units()
    if visible:
        revealed = snap.query(
            f"SELECT level, unit_code, count(*) AS n FROM results WHERE {where} "
            "AND suppressed AND list_contains(?::VARCHAR[], level || ':' || unit_code) "
            "GROUP BY ALL",
            [*params, visible],
        )
        for r in revealed:
            view.access.revealed[(r["level"], r["unit_code"])] += r["n"]
        view.record(action, query=str(view.request.url.query)[:2000])
    cur = snap.cursor()
    cur.execute(_query(where), [visible, *params])

    def rows() -> Iterator[tuple]:
        try:
            while batch := cur.fetchmany(5000):
                yield from batch
        finally:
            cur.close()

    return rows()


def _csv(rows: Iterator[tuple]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n, row in enumerate(rows):
        writer.writerow(["" if v is None else v for v in row])
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@router.get(
    "/download.csv",
    summary="Hent en tabel som CSV (med diskretionering)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def download_csv(
    view: ViewDep,
    indicator: ListParam = [],  # noqa: B006 - FastAPI copies the default
    level: ListParam = [],  # noqa: B006
    period: ListParam = [],  # noqa: B006
    unit: ListParam = [],  # noqa: B006
    stratum: ListParam = [],  # noqa: B006
) -> Response:
    where, params = _selection(view, indicator, level, period, unit, stratum)
    rows = _rows(view, where, params, "unsuppressed_downloaded")
    return StreamingResponse(
        _csv(rows),
        media_type=CSV_MEDIA,
        headers={"Content-Disposition": 'attachment; filename="tvaers-indikatorer.csv"'},
    )


@router.get(
    "/download.xlsx",
    summary="Hent en tabel som Excel (med diskretionering)",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA: {}}}},
)
def download_xlsx(
    view: ViewDep,
    indicator: ListParam = [],  # noqa: B006
    level: ListParam = [],  # noqa: B006
    period: ListParam = [],  # noqa: B006
    unit: ListParam = [],  # noqa: B006
    stratum: ListParam = [],  # noqa: B006
) -> Response:
    import xlsxwriter

    where, params = _selection(view, indicator, level, period, unit, stratum)
    rows = _rows(view, where, params, "unsuppressed_downloaded")
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("indikatorer")
    sheet.write_row(0, 0, COLUMNS)
    for n, row in enumerate(rows, start=1):
        sheet.write_row(n, 0, ["" if v is None else v for v in row])
    book.close()
    return Response(
        out.getvalue(),
        media_type=XLSX_MEDIA,
        headers={"Content-Disposition": 'attachment; filename="tvaers-indikatorer.xlsx"'},
    )
