"""What a downloaded table is called and how its CSV is written.

A file name says what is in it — indicator, unit and period — so a folder of downloads can
be told apart: ``tvaers-forebyggelige-indlaeggelser-blandt-aeldre-kolding-2024.xlsx``. The
CSV is the export format of the data contract, written exactly as ``tvaers indicators
export`` writes it (``true``/``false``, rounded values), plus the ``confidential`` column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from tvaers.indicators.export import csv_text
from tvaers.web import labels
from tvaers.web.results_store import PERIOD_TYPES

if TYPE_CHECKING:
    from tvaers.dashboards.pages.downloads import Selection
    from tvaers.dashboards.summary import View

# Danish letters as Danes spell them without them (ø -> oe, not o); everything else by its
# Unicode decomposition. Written here, not taken from a slug library, because those spell
# ø and å as o and a.
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
_KIND_WORDS = {
    "year": ("aar", "years"),
    "quarter": ("kvartaler", "quarters"),
    "month": ("maaneder", "months"),
}
MAX_LENGTH = 120


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Forebyggelige indlæggelser (65+)" ->
    "forebyggelige-indlaeggelser-65plus"."""
    text = text.translate(_DANISH).replace("+", "plus")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def file_name(view: View, chosen: Selection, extension: str) -> str:
    """tvaers-INDICATOR-UNIT-PERIOD.EXT from what the selection names (each part left out
    when the selection holds several, or all)."""
    en = view.lang == "en"
    parts = ["tvaers"]
    if len(chosen.indicator) == 1:
        parts.append(view.snap.definitions[chosen.indicator[0]].name(view.lang))
    elif chosen.indicator:
        parts.append(f"{len(chosen.indicator)} {'indicators' if en else 'indikatorer'}")
    else:
        parts.append("indicators" if en else "indikatorer")
    units = [u for u in (view.parse_unit(text) for text in chosen.unit) if u is not None]
    if len(units) == 1:
        parts.append(view.unit(*units[0]).name)
    elif len(chosen.level) == 1:
        parts.append(labels.level_plural(chosen.level[0], view.tr))
    parts.append(_periods(chosen.period, en))
    if chosen.confidential:
        parts.append("confidential" if en else "fortrolig")
    name = "-".join(s for s in (slug(p) for p in parts) if s)
    return f"{name[:MAX_LENGTH].rstrip('-')}.{extension}"


def _periods(periods: Sequence[str], en: bool) -> str:
    exact = sorted(p for p in periods if p not in PERIOD_TYPES)
    kinds = [p for p in periods if p in PERIOD_TYPES]
    if exact:
        return exact[0] if len(exact) == 1 else f"{exact[0]}-til-{exact[-1]}"
    if len(kinds) == 1:
        return _KIND_WORDS[kinds[0]][en]
    return ""


def content_disposition(name: str) -> dict[str, str]:
    # The name is ASCII by construction (slug), so no RFC 5987 filename* is needed.
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def csv_lines(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for n, row in enumerate(rows):
        writer.writerow([csv_text(column, v) for column, v in zip(columns, row, strict=True)])
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
