"""A result cell written for the pack: the value with its decimals, the interval, and the
marks — "—" for a cell withheld by disclosure control (never 0), "*" for a provisional one.
Numbers go through tvaers.formatting (Danish "1.234" and "57,7", or English)."""

from __future__ import annotations

from dataclasses import dataclass

from tvaers.dashboards.schemas import CellRead
from tvaers.formatting import integer, number
from tvaers.web.labels import decimals_for

HIDDEN = "—"


@dataclass(frozen=True)
class Shown:
    value: str
    interval: str
    std_value: str
    numerator: str
    denominator: str
    hidden: bool


def show(cell: CellRead | None, factor: int, lang: str) -> Shown:
    """The cell as the pack prints it; an absent cell is blank, a hidden one "—"."""
    if cell is None:
        return Shown("", "", "", "", "", False)
    digits = decimals_for(factor)
    denominator = integer(cell.denominator, lang)
    if cell.hidden or cell.value is None:
        mark = HIDDEN if cell.hidden else ""
        return Shown(mark, mark, mark, mark, denominator, cell.hidden)
    star = "*" if cell.provisional else ""
    interval = ""
    if cell.ci_low is not None and cell.ci_high is not None:
        interval = f"{number(cell.ci_low, lang, digits)}–{number(cell.ci_high, lang, digits)}"
    std = ""
    if cell.std_value is not None:
        std = number(cell.std_value, lang, digits)
    return Shown(
        value=number(cell.value, lang, digits) + star,
        interval=interval,
        std_value=std,
        numerator=integer(cell.numerator, lang),
        denominator=denominator,
        hidden=False,
    )
