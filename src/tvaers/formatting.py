"""Numbers, dates and durations written for people, in Danish (default) or English — one
formatter for the CLI, the pages, the exports' human-readable parts and the PDF packs.

Danish: 1.053.071 · 26.039,5 · 4,2 s · 6.12.2026 kl. 05.07 (Danish time).
English: 1,053,071 · 26,039.5 · 4.2 s · 6 Dec 2026 05:07 (Danish time).

Machine-readable outputs (CSV, JSON, Parquet) keep `.` decimals and ISO times: those are
formats other programs read, not texts.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tvaers.i18n import current_language

DANISH_TIME = ZoneInfo("Europe/Copenhagen")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _lang(lang: str | None) -> str:
    return lang or current_language()


def number(value: float | int | None, lang: str | None = None, decimals: int = 1) -> str:
    """``value`` with ``decimals`` decimals and thousands separators; "" for none/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    if _lang(lang) == "en":
        return text
    # Swap the separators: 1,234.5 -> 1.234,5.
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def integer(value: int | None, lang: str | None = None) -> str:
    return number(value, lang, 0)


def duration(seconds: float, lang: str | None = None) -> str:
    """4,2 s · 3 min 05 s · 1 t 02 min (English: 4.2 s · 3 min 05 s · 1 h 02 min)."""
    if seconds < 60:
        return f"{number(seconds, lang, 1)} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} {'h' if _lang(lang) == 'en' else 't'} {minutes:02d} min"


def local_date(day: date, lang: str | None = None) -> str:
    if _lang(lang) == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


def local_datetime(moment: datetime, lang: str | None = None) -> str:
    """A point in time in Danish time (a naive value is taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    here = aware.astimezone(DANISH_TIME)
    if _lang(lang) == "en":
        return f"{local_date(here.date(), 'en')} {here:%H:%M}"
    return f"{local_date(here.date(), 'da')} kl. {here:%H.%M}"


def names_listed(names: list[str], lang: str | None = None, at_most: int = 6) -> str:
    """Names joined by commas; of a longer list the first few and how many more
    ("Esbjerg, Fanø, … og 17 andre")."""
    if len(names) <= at_most:
        return ", ".join(names)
    rest = len(names) - at_most + 1
    more = f" and {rest} more" if _lang(lang) == "en" else f" og {rest} andre"
    return ", ".join(names[: at_most - 1]) + more
