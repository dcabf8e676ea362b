"""The lists a case form carries in text areas, one item a line, parsed into what the
tables keep — or FormInvalid naming the field and the line."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from tvaers.web.forms import FormInvalid
from tvaers.web.scope import InvalidScope, UnitRef, parse_scope

Tr = Callable[[str, str], str]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _bad(field: str, number: int, message: str, values: dict, tr: Tr) -> FormInvalid:
    return FormInvalid(
        {field: tr(f"linje {number}: {message}", f"line {number}: {message}")}, values
    )


def unit(text: str, field: str, values: dict, tr: Tr) -> UnitRef:
    try:
        return parse_scope(text)
    except InvalidScope as exc:
        raise FormInvalid({field: str(exc)}, values) from None


def units(text: str, field: str, values: dict, tr: Tr) -> list[str]:
    found = []
    for number, line in enumerate(lines(text.replace(",", "\n")), 1):
        try:
            found.append(str(parse_scope(line)))
        except InvalidScope as exc:
            raise _bad(field, number, str(exc), values, tr) from None
    return list(dict.fromkeys(found))


@cache
def _catalogue_strata() -> dict[str, tuple[str, ...]]:
    from tvaers.indicators import catalogue

    return {i.id: tuple(s.id for s in i.strata) for i in catalogue.load().indicators}


def series(text: str, values: dict, tr: Tr) -> list[dict[str, Any]]:
    """``INDICATOR LEVEL:CODE [STRATUM]`` a line; the indicator must be in the catalogue."""
    known = _catalogue_strata()
    found = []
    for number, line in enumerate(lines(text), 1):
        parts = line.split()
        if len(parts) not in (2, 3):
            raise _bad(
                "series",
                number,
                tr("skriv INDIKATOR NIVEAU:KODE [STRATUM]", "write INDICATOR LEVEL:CODE [STRATUM]"),
                values,
                tr,
            )
        indicator, where = parts[0], parts[1]
        stratum = parts[2] if len(parts) == 3 else ""
        if indicator not in known:
            raise _bad(
                "series",
                number,
                tr(
                    f"ukendt indikator {indicator!r} (se `tvaers indicators list`)",
                    f"unknown indicator {indicator!r} (see `tvaers indicators list`)",
                ),
                values,
                tr,
            )
        if stratum and stratum not in known[indicator]:
            shown = ", ".join(s for s in known[indicator] if s) or "–"
            raise _bad(
                "series",
                number,
                tr(
                    f"{indicator} har ikke stratum {stratum!r} (har: {shown})",
                    f"{indicator} has no stratum {stratum!r} (has: {shown})",
                ),
                values,
                tr,
            )
        try:
            place = str(parse_scope(where))
        except InvalidScope as exc:
            raise _bad("series", number, str(exc), values, tr) from None
        found.append({"indicator": indicator, "unit": place, "stratum": stratum})
    return found


_LINK = re.compile(r"^(https?://\S+|/\S*)$")


def documents(text: str, values: dict, tr: Tr) -> list[dict[str, str]]:
    """``TITLE | LINK`` a line; a link is http(s) or a path on this site."""
    found = []
    for number, line in enumerate(lines(text), 1):
        title, sep, href = (part.strip() for part in line.rpartition("|"))
        if not sep or not title or not _LINK.match(href):
            raise _bad(
                "documents",
                number,
                tr(
                    "skriv TITEL | LINK (https://… eller /sti)",
                    "write TITLE | LINK (https://… or /path)",
                ),
                values,
                tr,
            )
        found.append({"title": title, "href": href})
    return found


def amount(text: str) -> float:
    """A Danish amount: '.' groups thousands, ',' is the decimal comma (4.200.000 / 2,5)."""
    return float(text.replace(" ", "").replace(".", "").replace(",", "."))


def figures(text: str, values: dict, tr: Tr) -> list[dict[str, Any]]:
    """``LABEL; AMOUNT; UNIT`` a line (the unit may be left out)."""
    found = []
    for number, line in enumerate(lines(text), 1):
        parts = [p.strip() for p in line.split(";")]
        try:
            if len(parts) not in (2, 3) or not parts[0]:
                raise ValueError
            value = amount(parts[1])
        except ValueError:
            raise _bad(
                "figures",
                number,
                tr(
                    "skriv BETEGNELSE; BELØB; ENHED, fx Årlig drift; 4.200.000; kr.",
                    "write LABEL; AMOUNT; UNIT, e.g. Annual cost; 4.200.000; DKK",
                ),
                values,
                tr,
            ) from None
        found.append(
            {"label": parts[0], "value": value, "unit": parts[2] if len(parts) == 3 else ""}
        )
    return found
