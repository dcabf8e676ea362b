"""Choosing entries of the audit log — by user, action, unit and Danish dates — for the
administrators' page, its JSON twin and the CSV export.

An administrator checking access asks "who saw Esbjerg's hidden numbers in March?"; with one
entry for every analyst's page view, the log is too long to read from the newest entry down.
A unit is named by LEVEL:CODE or by its name ("Esbjerg"); it finds the entries about it
alone and the views that showed it among others (their ``units`` detail).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Query
from sqlalchemy import ColumnElement, Text, and_, cast, func, or_

from tvaers.audit.labels import unit_by_name
from tvaers.web.dates import FormDay
from tvaers.web.models import AuditEntry
from tvaers.web.scope import InvalidScope, validate_unit

try:  # days are Danish days; the log keeps UTC
    LOCAL = ZoneInfo("Europe/Copenhagen")
except ZoneInfoNotFoundError:  # pragma: no cover - a system without time zone data
    LOCAL = UTC  # type: ignore[assignment]


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    unit: str = ""  # LEVEL:CODE
    since: date | None = None  # the first day, inclusive
    until: date | None = None  # the last day, inclusive

    def conditions(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.actor:
            out.append(func.lower(AuditEntry.actor) == self.actor.lower())
        if self.action:
            out.append(AuditEntry.action == self.action)
        if self.unit:
            level, _, code = self.unit.partition(":")
            # A view of several units lists them in its details as "LEVEL:CODE" strings:
            # the quoted string is found in the JSON text on SQLite and PostgreSQL alike.
            listed = cast(AuditEntry.details, Text).contains(f'"{self.unit}"', autoescape=True)
            alone = and_(AuditEntry.unit_level == level, AuditEntry.unit_code == code)
            out.append(or_(alone, listed))
        if self.since:
            out.append(AuditEntry.at >= _midnight(self.since))
        if self.until:
            out.append(AuditEntry.at < _midnight(self.until + timedelta(days=1)))
        return out

    def chosen(self) -> dict[str, str]:
        """The filters set, as query parameters (for links, the JSON twin and the log)."""
        return {k: str(v) for k, v in asdict(self).items() if v}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL).astimezone(UTC)


def audit_filter(
    actor: Annotated[str, Query(max_length=128, description="user name")] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    unit: Annotated[str, Query(max_length=100, description="LEVEL:CODE")] = "",
    since: Annotated[FormDay, Query(description="the first day, Danish time")] = None,
    until: Annotated[FormDay, Query(description="the last day, Danish time")] = None,
) -> AuditFilter:
    """The filter of a request (a FastAPI dependency); a unit in its canonical spelling
    ("municipality:0561" and "Esbjerg" find municipality 561)."""
    unit = unit.strip()
    if unit and ":" not in unit:
        unit = unit_by_name(unit) or unit
    if unit:
        level, _, code = unit.partition(":")
        # A unit the reference data does not know is matched as written.
        with suppress(InvalidScope):
            unit = str(validate_unit(level.strip(), code.strip()))
    return AuditFilter(actor.strip(), action.strip(), unit, since, until)
