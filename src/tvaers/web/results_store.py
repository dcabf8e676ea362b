"""The published indicator results as the web application reads them.

`tvaers indicators compute` replaces the result file by a rename, never in place. The store
reads each published file once, read-only, and notices a new one by its identity (device,
inode, modification time, size): the next request after a compute run reads the new results
without a restart, a request that is still using the old snapshot finishes on it, other
requests go on with the old snapshot while the new one is being read, and no lock is shared
with the writer, so a running ingest or compute never blocks a page.

Each request takes a ``Snapshot`` once and uses it throughout, so one page never mixes two
result sets. A snapshot is read whole into memory when the file appears (a few hundred
thousand small rows for the whole country) and the file is closed again: pages look cells
up by indicator, period type and unit instead of running a query each, which keeps them
fast under many users, and nothing holds the file open.
"""

from __future__ import annotations

import json
import os
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from tvaers.indicators.results import Labels, open_results, read_labels, results_path
from tvaers.reference import org
from tvaers.vocabulary import LEVELS_NARROWEST_FIRST, PERIOD_TYPES

# The result set's order: narrowest level first.
LEVELS = LEVELS_NARROWEST_FIRST
VALUE_COLUMNS = ("value", "ci_low", "ci_high", "std_value", "std_ci_low", "std_ci_high")
CELL_COLUMNS = (
    "indicator_id",
    "period",
    "period_type",
    "level",
    "unit_code",
    "unit_name",
    "stratum",
    "numerator",
    "denominator",
    *VALUE_COLUMNS,
    "suppressed",
    "provisional",
)


@dataclass(frozen=True)
class Definition:
    id: str
    version: str
    name_da: str
    name_en: str
    unit_da: str
    unit_en: str
    factor: int
    direction: str
    standardised: bool
    period_types: tuple[str, ...]
    strata: tuple[str, ...]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_da

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_da

    @property
    def has_denominator(self) -> bool:
        return self.factor != 1

    @property
    def is_percentage(self) -> bool:
        return self.factor == 100


@dataclass
class Snapshot:
    """One published result set, open read-only."""

    key: tuple[int, ...]
    definitions: dict[str, Definition]
    run: dict[str, Any]
    # (indicator, period type) -> periods, oldest first
    periods: dict[tuple[str, str], list[str]]
    # level -> {code: name} of the units that have results
    units: dict[str, dict[str, str]]
    # (indicator, period type, level, unit) -> rows (CELL_COLUMNS), by period and stratum
    index: dict[tuple[str, str, str, str], list[tuple]] = field(repr=False)
    # (role, scopes, seats) -> units whose suppressed cells they may see (Access.signature)
    visibility: dict[Any, frozenset[tuple[str, str]]] = field(default_factory=dict, repr=False)
    # the published stratum names and descriptions (labels.StratumNames reads them)
    labels: Labels = field(default_factory=lambda: Labels({}, {}), repr=False)
    # (level, unit) -> notified admissions and discharges per week (indicators/weekly.py),
    # rows of the results table's shape; empty for a result set computed before them
    weekly: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, warehouse: Path, key: tuple[int, ...]) -> Snapshot:
        con = open_results(warehouse)
        try:
            return cls._read(con, key)
        finally:
            # Closed at once: DuckDB shares one instance per path within a process, so a
            # connection kept open would hand the next open() the replaced file again.
            con.close()

    @classmethod
    def _read(cls, con: duckdb.DuckDBPyConnection, key: tuple[int, ...]) -> Snapshot:
        definitions = {}
        for row in con.execute(
            "SELECT indicator_id, version, name_da, name_en, unit_da, unit_en, factor, "
            "direction, standardised, periods, strata FROM definitions ORDER BY indicator_id"
        ).fetchall():
            definitions[row[0]] = Definition(
                *row[:9], period_types=tuple(row[9].split(",")), strata=tuple(json.loads(row[10]))
            )
        run = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM run").fetchall()}
        periods: dict[tuple[str, str], list[str]] = defaultdict(list)
        for indicator, period_type, period in con.execute(
            "SELECT DISTINCT indicator_id, period_type, period FROM results ORDER BY 1, 2, 3"
        ).fetchall():
            periods[(indicator, period_type)].append(period)
        units: dict[str, dict[str, str]] = {level: {} for level in LEVELS}
        for level, code, name in con.execute(
            "SELECT DISTINCT level, unit_code, unit_name FROM results"
        ).fetchall():
            units[level][code] = name
        for level, found in units.items():
            units[level] = dict(sorted(found.items(), key=lambda kv: _unit_order(level, kv[0])))
        # Only results this build knows how to show: a definition without rows is skipped.
        definitions = {
            k: d for k, d in definitions.items() if any((k, t) in periods for t in PERIOD_TYPES)
        }
        index = _index(con)
        return cls(
            key,
            definitions,
            run,
            dict(periods),
            units,
            index,
            labels=read_labels(con),
            weekly=_weekly(con),
        )

    # --- what the result set holds ------------------------------------------------------

    @property
    def computed_at(self) -> str:
        return str(self.run.get("computed_at", ""))

    def structure_date(self, level: str) -> date:
        """The organisation the level's rows are laid out in; access is decided on it."""
        dates = {k: date.fromisoformat(v) for k, v in self.run.get("structure_dates", {}).items()}
        if level in dates:
            return dates[level]
        # Municipalities and the country are the same on any date; a cluster or region scope
        # covering them is read on the latest structure date of the run.
        return max(dates.values()) if dates else date.today()

    def period_types(self, indicator: str) -> list[str]:
        return [t for t in PERIOD_TYPES if (indicator, t) in self.periods]

    def latest(self, indicator: str, period_type: str = "year") -> str | None:
        found = self.periods.get((indicator, period_type))
        return found[-1] if found else None

    def unit_name(self, level: str, code: str) -> str | None:
        return self.units.get(level, {}).get(code)

    def cells(
        self,
        indicator: str,
        *,
        units: tuple[tuple[str, str], ...],
        periods: tuple[str, ...] = (),
        period_type: str | None = None,
        strata: tuple[str, ...] | None = None,
    ) -> list[dict[str, Any]]:
        """Raw rows (unsuppressed numbers with the disclosure mark) of the units: never
        hand these to a user without ``Access.apply``. Looked up in the in-memory index,
        since a page asks for a few hundred cells in several small queries."""
        kinds = (period_type,) if period_type else PERIOD_TYPES
        wanted_periods = set(periods)
        wanted_strata = None if strata is None else set(strata)
        out = []
        for level, code in units:
            for kind in kinds:
                for row in self.index.get((indicator, kind, level, code), ()):
                    if wanted_periods and row[1] not in wanted_periods:
                        continue
                    if wanted_strata is not None and row[6] not in wanted_strata:
                        continue
                    out.append(dict(zip(CELL_COLUMNS, row, strict=True)))
        return out

    def select(
        self,
        *,
        indicators: tuple[str, ...] = (),
        levels: tuple[str, ...] = (),
        periods: tuple[str, ...] = (),
        units: tuple[tuple[str, str], ...] = (),
        strata: tuple[str, ...] = (),
    ) -> list[dict[str, Any]]:
        """Raw rows of a selection as the export takes it (``periods`` exact or a kind),
        in the export's order. For downloads; mask with ``Access.apply``."""
        kinds = {p for p in periods if p in PERIOD_TYPES}
        exact = {p for p in periods if p not in PERIOD_TYPES}
        wanted_units = set(units)
        keys = [
            k
            for k in self.index
            if (not indicators or k[0] in indicators)
            and (not levels or k[2] in levels)
            and (not wanted_units or (k[2], k[3]) in wanted_units)
            and (not periods or k[1] in kinds or exact)
        ]
        out = [
            dict(zip(CELL_COLUMNS, row, strict=True))
            for k in keys
            for row in self.index[k]
            if (not periods or row[2] in kinds or row[1] in exact)
            and (not strata or row[6] in strata)
        ]
        level_rank = {lv: i for i, lv in enumerate(LEVELS)}
        type_rank = {t: i for i, t in enumerate(PERIOD_TYPES)}
        out.sort(
            key=lambda r: (
                r["indicator_id"],
                type_rank[r["period_type"]],
                r["period"],
                level_rank[r["level"]],
                r["unit_code"],
                r["stratum"],
            )
        )
        return out


def _index(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str, str], list[tuple]]:
    """All cells, grouped by indicator, period type and unit. Rounded as the export rounds
    them, so page, JSON and download show the same numbers. Strings are interned: the
    same few names repeat on every row."""
    values = ", ".join(f"round({c}, 4)" for c in VALUE_COLUMNS)
    cur = con.cursor()
    cur.execute(
        "SELECT indicator_id, period, period_type, level, unit_code, unit_name, stratum, "
        f"CAST(round(numerator) AS BIGINT), denominator, {values}, suppressed, provisional "
        "FROM results ORDER BY indicator_id, level, unit_code, period, stratum"
    )
    index: dict[tuple[str, str, str, str], list[tuple]] = defaultdict(list)
    intern: dict[str, str] = {}
    while batch := cur.fetchmany(10_000):
        for row in batch:
            texts = tuple(intern.setdefault(t, t) for t in row[:7])
            index[(texts[0], texts[2], texts[3], texts[4])].append(texts + row[7:])
    cur.close()
    return dict(index)


def _weekly(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[dict[str, Any]]]:
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    out: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    if "notified_weekly" not in tables:
        return {}
    columns = ("indicator_id", "period", "level", "unit_code", "numerator", "suppressed")
    for row in con.execute(
        f"SELECT {', '.join(columns)} FROM notified_weekly ORDER BY period, indicator_id"
    ).fetchall():
        cell = dict(zip(columns, row, strict=True))
        out[(cell["level"], cell["unit_code"])].append(cell)
    return dict(out)


def _unit_order(level: str, code: str) -> tuple[int, str]:
    return (int(code), code) if level == "municipality" and code.isdigit() else (0, code)


class ResultStore:
    """Hands out the current snapshot; reopens when a new result file has been published."""

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = warehouse
        self.path = results_path(warehouse)
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def _identity(self) -> tuple[int, ...] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)

    def snapshot(self) -> Snapshot | None:
        """The current result set, or None before the first compute run.

        A newly published file is read by one request; the requests that come meanwhile
        go on with the previous result set instead of waiting for it (reading the whole
        country's results takes seconds), and switch once it is read. Only before the
        first result set has been read is there nothing to go on with, so they wait."""
        key = self._identity()
        if key is None:
            return None
        current = self._snapshot
        if current is not None and current.key == key:
            return current
        if not self._lock.acquire(blocking=current is None):
            return current
        try:
            if self._snapshot is None or self._snapshot.key != key:
                # The previous snapshot is freed once the last request using it has finished.
                self._snapshot = Snapshot.open(self.warehouse, key)
            return self._snapshot
        finally:
            self._lock.release()


def parents(level: str, code: str, on: date) -> list[tuple[str, str]]:
    """The units a unit belongs to on ``on``, narrowest first: a municipality's bilateral
    collaboration, cluster(s), sundhedsråd and region; a cluster's, sundhedsråd's or
    bilateral collaboration's region; the country for all but the country."""
    found: list[tuple[str, str]] = []
    if level == "municipality":
        groups = {
            lv: sorted(m.unit_code for m in org.memberships(lv, on) if m.municipality_code == code)
            for lv in org.GROUPING_LEVELS
        }
        found += [("bilateral", c) for c in groups["bilateral"]]
        found += [("cluster", c.slug) for c in org.clusters_of(code, on)]
        found += [("sundhedsraad", c) for c in groups["sundhedsraad"]]
        region = org.region_of(code, on)
        if region is not None:
            found.append(("region", region.code))
    elif level == "cluster":
        found.append(("region", org.cluster(code).region_code))
    elif level in org.GROUPING_LEVELS:
        region_code = org.grouping(level, code).region_code  # type: ignore[arg-type]
        if region_code is not None:
            found.append(("region", region_code))
    if level != "country":
        found.append(("country", org.COUNTRY_CODE))
    return found
