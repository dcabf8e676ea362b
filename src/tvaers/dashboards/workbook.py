"""A downloaded table as an Excel workbook a person can read: one sheet per indicator, each
with a title, the units and the measure, when and by what it was made, column names and
unit, level and stratum names in the user's language, a frozen header row with filters, and
number formats (Excel shows them with the reader's separators: 1.234,5 in Danish).

The rows are the export format's (after disclosure control, see pages/downloads.py); the
machine-readable files are the CSV download and ``tvaers indicators export``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import xlsxwriter

from tvaers.formatting import local_datetime
from tvaers.web import labels
from tvaers.web.results_store import Definition

Tr = Callable[[str, str], str]
HEADER_ROW = 5  # rows 0-3: title, units, measure, made; row 4 empty
INVALID_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    key: str
    da: str
    en: str
    kind: str  # text, count, value, interval, flag
    standardised_only: bool = False


COLUMNS = (
    Column("period", "Periode", "Period", "text"),
    Column("level", "Niveau", "Level", "text"),
    Column("unit_code", "Enhedskode", "Unit code", "text"),
    Column("unit_name", "Enhed", "Unit", "text"),
    Column("stratum", "Stratum", "Stratum", "text"),
    Column("numerator", "Tæller", "Numerator", "count"),
    Column("denominator", "Nævner", "Denominator", "count"),
    Column("value", "Værdi", "Value", "value"),
    Column("ci_low", "95 % CI, nedre", "95% CI, lower", "interval"),
    Column("ci_high", "95 % CI, øvre", "95% CI, upper", "interval"),
    Column("std_value", "Standardiseret værdi", "Standardised value", "value", True),
    Column("std_ci_low", "Std. 95 % CI, nedre", "Std. 95% CI, lower", "interval", True),
    Column("std_ci_high", "Std. 95 % CI, øvre", "Std. 95% CI, upper", "interval", True),
    Column("suppressed", "Diskretioneret", "Suppressed", "flag"),
    Column("confidential", "Fortrolig (kun for dig)", "Confidential (yours only)", "flag"),
)


@dataclass(frozen=True)
class Sheet:
    definition: Definition
    rows: list[dict[str, Any]]


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = INVALID_IN_SHEET_NAME.sub(" ", name).strip()[:31] or "Ark"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _formats(book: Any, decimals: int) -> dict[str, Any]:
    fraction = "0" * decimals
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
        "text": None,
        "flag": None,
        "count": book.add_format({"num_format": "#,##0"}),
        "value": book.add_format({"num_format": f"#,##0.{fraction}" if decimals else "#,##0"}),
        "interval": book.add_format({"num_format": f"#,##0.{fraction}0"}),
    }


def workbook(
    sheets: Sequence[Sheet],
    *,
    lang: str,
    tr: Tr,
    units: str,
    made: datetime,
) -> bytes:
    """The workbook's bytes. ``units`` names the units chosen, for the sheets' heads; each
    row carries ``stratum_name``, its stratum's name in the language."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    taken: set[str] = set()
    for sheet in sheets:
        name = sheet_name(sheet.definition.name(lang), taken)
        _sheet(book, sheet, name, lang, tr, (units, _made(made, lang, tr)))
    if not sheets:
        book.add_worksheet(tr("Ingen rækker", "No rows")).write(0, 0, tr("Ingen rækker", "No rows"))
    book.close()
    return out.getvalue()


def _made(made: datetime, lang: str, tr: Tr) -> str:
    return tr(
        f"Lavet {local_datetime(made, lang)} (dansk tid) af Tværs. Tomme tal er "
        "diskretionerede (tæller 1–4 eller skjult, så de ikke kan regnes ud).",
        f"Made {local_datetime(made, lang)} (Danish time) by Tværs. Empty figures are "
        "suppressed (a count of 1–4, or hidden so that it cannot be worked out).",
    )


def _sheet(book: Any, sheet: Sheet, name: str, lang: str, tr: Tr, head: tuple[str, str]) -> None:
    units, made = head
    d = sheet.definition
    ws = book.add_worksheet(name)
    formats = _formats(book, labels.decimals_for(d.factor))
    columns = [c for c in COLUMNS if d.standardised or not c.standardised_only]
    ws.write(0, 0, d.name(lang), formats["title"])
    ws.write(1, 0, tr(f"Enheder: {units}", f"Units: {units}"))
    ws.write(2, 0, tr(f"Mål: {d.unit(lang)}", f"Measure: {d.unit(lang)}"))
    ws.write(3, 0, made)
    ws.set_row(HEADER_ROW, 30)
    widths = []
    for n, column in enumerate(columns):
        header = tr(column.da, column.en)
        ws.write(HEADER_ROW, n, header, formats["header"])
        widths.append(max(len(header) // 2 + 2, 8))
    yes, no = tr("ja", "yes"), tr("nej", "no")
    for r, row in enumerate(sheet.rows, start=HEADER_ROW + 1):
        for n, column in enumerate(columns):
            value = row[column.key]
            if column.key == "level":
                value = labels.level_name(value, tr)
            elif column.key == "stratum":
                value = row["stratum_name"]
            elif column.kind == "flag":
                value = yes if value else no
            if value is None:
                continue  # an empty cell: suppressed or not defined, never 0
            if column.kind in ("text", "flag"):
                ws.write_string(r, n, str(value))
                widths[n] = max(widths[n], min(len(str(value)) + 2, 40))
            else:
                ws.write_number(r, n, value, formats[column.kind])
                widths[n] = max(widths[n], 12)
    for n, width in enumerate(widths):
        ws.set_column(n, n, width)
    last = HEADER_ROW + len(sheet.rows)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
