"""Disclosure control for one request: which cells the user may see unsuppressed, the cells
with the rest hidden, and the audit entries for what was revealed.

The result file stores unsuppressed numbers with the disclosure mark. Every number that
leaves the server — pages, JSON twins, downloads — passes through ``Access.apply``: a
suppressed cell keeps its denominator and loses its numerator, value and intervals unless
``can_see_unsuppressed`` admits the user for that unit, on the structure date of the level
(the organisation the numbers are laid out in). Whatever was revealed is written to the
audit log by ``record`` before the response is sent: one entry for the request, naming the
indicators, units and periods whose hidden figures it showed and how many cells.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tvaers.roles import SEES_UNSUPPRESSED
from tvaers.web.audit import entry_values
from tvaers.web.audit_writer import AuditWriter
from tvaers.web.models import utcnow
from tvaers.web.results_store import VALUE_COLUMNS, Snapshot
from tvaers.web.scope import Principal, UnitRef, can_see_unsuppressed

HIDDEN_COLUMNS = ("numerator", *VALUE_COLUMNS)


class Access:
    def __init__(self, user: Principal | None, snapshot: Snapshot) -> None:
        self.user = user
        self.snapshot = snapshot
        self._visible: dict[tuple[str, str], bool] = {}
        # Cells revealed, by (level, unit code, indicator, period): what the entry names.
        self.revealed: Counter[tuple[str, str, str, str]] = Counter()
        # A viewer, or a user without a scope or a seat, can never see anything: skip the
        # checks. A viewer's seats grant no unsuppressed figures (see scope.py).
        self.nothing = (
            user is None or user.role not in SEES_UNSUPPRESSED or not (user.scopes or user.seats)
        )

    def visible(self, level: str, code: str) -> bool:
        """May the user see this unit's suppressed cells?"""
        if self.nothing:
            return False
        key = (level, code)
        if key not in self._visible:
            on = self.snapshot.structure_date(level)
            self._visible[key] = can_see_unsuppressed(self.user, level, code, on)
        return self._visible[key]

    def signature(self) -> frozenset[tuple[str, str]]:
        """The units whose suppressed cells the user may see: what a page built for this
        user depends on (see page_cache). Kept on the snapshot per role, scope and seats."""
        if self.nothing:
            return frozenset()
        assert self.user is not None
        key = (self.user.role, self.user.scopes, self.user.seats)
        cache = self.snapshot.visibility
        if key not in cache:
            cache[key] = frozenset(
                (level, code)
                for level, units in self.snapshot.units.items()
                for code in units
                if self.visible(level, code)
            )
        return cache[key]

    def apply(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows as this user may see them, with ``hidden`` (values withheld) and
        ``suppressed`` (the disclosure mark) on each. Counts what is revealed."""
        out = []
        for row in rows:
            cell = dict(row)
            hidden = False
            if cell["suppressed"]:
                if self.visible(cell["level"], cell["unit_code"]):
                    key = (cell["level"], cell["unit_code"], cell["indicator_id"], cell["period"])
                    self.revealed[key] += 1
                else:
                    hidden = True
                    for column in HIDDEN_COLUMNS:
                        cell[column] = None
            cell["hidden"] = hidden
            out.append(cell)
        return out

    def record(self, writer: AuditWriter, action: str, details: dict[str, Any]) -> None:
        """Write what this request revealed to the audit log — one entry for the request, so
        the log reads as a list of views — and return once it is committed. Nothing
        revealed, nothing written."""
        if not self.revealed or self.user is None:
            return
        units = sorted({(level, code) for level, code, _, _ in self.revealed})
        seen = {
            "indicators": sorted({indicator for _, _, indicator, _ in self.revealed}),
            "units": [f"{level}:{code}" for level, code in units],
            "periods": sorted({period for _, _, _, period in self.revealed}),
            "cells": sum(self.revealed.values()),
        }
        # The unit columns name the unit when there is one; with several, the filter of the
        # log finds them in ``units`` (audit/filters.py).
        unit = UnitRef(*units[0]) if len(units) == 1 else None
        writer.write([entry_values(self.user, action, unit, {**details, **seen}, at=utcnow())])
        self.revealed.clear()
