"""Reading an initiative's own measurements from CSV (`tvaers spc chart INPUT.csv`).

The file has a header row and the columns `x` (a label or date, kept in file order), `y`
(a number; empty = missing), optionally `n` (a denominator) and `note`. A file separated by
semicolons (as Danish Excel writes it) may use a decimal comma. Every problem is one line
naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from tvaers.i18n import tr
from tvaers.spc.chart import NEEDS_N, SpcInputError


@dataclass(frozen=True)
class Series:
    x: list[str]
    y: list[float | None]
    n: list[float | None] | None
    notes: list[str] | None


def _where(path: Path, row: int, column: str) -> str:
    # row = position of the data row (1 = first point); the line adds the header
    return tr(
        f"{path.name}, række {row} (linje {row + 1}), kolonne '{column}'",
        f"{path.name}, row {row} (line {row + 1}), column '{column}'",
    )


def _number(text: str, decimal_comma: bool, where: str) -> float | None:
    text = text.strip()
    if text == "":
        return None
    candidate = text.replace(",", ".") if decimal_comma else text
    try:
        value = float(candidate)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise SpcInputError(
            tr(f"{where}: '{text}' er ikke et tal.", f"{where}: '{text}' is not a number.")
        )
    return value


def read_series(path: Path, chart: str) -> Series:
    """Read and check the file for the chart `chart` (whose needs decide what is an error)."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpcInputError(tr(f"{path}: filen findes ikke.", f"{path}: no such file.")) from None
    except UnicodeDecodeError:
        raise SpcInputError(
            tr(f"{path}: filen er ikke UTF-8-tekst.", f"{path}: the file is not UTF-8 text.")
        ) from None
    lines = raw.splitlines()
    if not lines or not lines[0].strip():
        raise SpcInputError(
            tr(
                f"{path.name}: filen er tom (mangler kolonneoverskrifter).",
                f"{path.name}: the file is empty (no header row).",
            )
        )
    semicolon = ";" in lines[0] and "," not in lines[0]
    reader = csv.reader(lines, delimiter=";" if semicolon else ",")
    header = [h.strip().lower() for h in next(reader)]
    for column in ("x", "y"):
        if column not in header:
            raise SpcInputError(
                tr(
                    f"{path.name}, linje 1: kolonnen '{column}' mangler "
                    f"(fundet: {', '.join(header)}).",
                    f"{path.name}, line 1: the column '{column}' is missing "
                    f"(found: {', '.join(header)}).",
                )
            )
    has_n = "n" in header
    if chart in NEEDS_N and not has_n:
        raise SpcInputError(
            tr(
                f"{path.name}, linje 1: --chart {chart} kræver kolonnen 'n' (nævneren).",
                f"{path.name}, line 1: --chart {chart} needs the column 'n' (the denominator).",
            )
        )
    col = {name: i for i, name in enumerate(header)}
    xs, ys, ns, notes = [], [], [], []
    counts = chart in ("p", "u", "c", "pp", "up")
    for row, fields in enumerate(reader, start=1):
        if not any(f.strip() for f in fields):
            continue  # a blank line at the end of a file is not a point
        if len(fields) > len(header):
            raise SpcInputError(
                tr(
                    f"{path.name}, række {row} (linje {row + 1}): {len(fields)} felter, men "
                    f"overskriften har {len(header)}.",
                    f"{path.name}, row {row} (line {row + 1}): {len(fields)} fields, but the "
                    f"header has {len(header)}.",
                )
            )

        def get(name: str, fields=fields) -> str:
            i = col.get(name)
            return fields[i] if i is not None and i < len(fields) else ""

        y = _number(get("y"), semicolon, _where(path, row, "y"))
        n = _number(get("n"), semicolon, _where(path, row, "n")) if has_n else None
        if y is not None and counts and y < 0:
            raise SpcInputError(
                tr(
                    f"{_where(path, row, 'y')}: et antal kan ikke være negativt ({get('y')}).",
                    f"{_where(path, row, 'y')}: a count cannot be negative ({get('y')}).",
                )
            )
        if n is not None and n <= 0:
            raise SpcInputError(
                tr(
                    f"{_where(path, row, 'n')}: nævneren skal være over 0 (fik {get('n')}).",
                    f"{_where(path, row, 'n')}: the denominator must be above 0 (got {get('n')}).",
                )
            )
        if has_n and y is not None and n is None and chart != "c":
            raise SpcInputError(
                tr(
                    f"{_where(path, row, 'n')}: nævneren mangler, men y er udfyldt.",
                    f"{_where(path, row, 'n')}: the denominator is missing but y is given.",
                )
            )
        if chart in ("p", "pp") and y is not None and n is not None and y > n:
            raise SpcInputError(
                tr(
                    f"{_where(path, row, 'y')}: tælleren ({get('y')}) er større end "
                    f"nævneren ({get('n')}).",
                    f"{_where(path, row, 'y')}: the numerator ({get('y')}) is larger than "
                    f"the denominator ({get('n')}).",
                )
            )
        xs.append(get("x").strip())
        ys.append(y)
        ns.append(n)
        notes.append(get("note").strip())
    if not xs:
        raise SpcInputError(
            tr(
                f"{path.name}: filen har ingen datarækker.",
                f"{path.name}: the file has no data rows.",
            )
        )
    return Series(xs, ys, ns if has_n else None, notes if "note" in header else None)
