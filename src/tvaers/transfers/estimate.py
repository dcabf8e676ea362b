"""Volumes of a municipal service from the warehouse (spec: task-transfer.md, "Volumes from
the data"): persons, periods started, service days, hours and visits per year and unit,
attributed to the providing municipality and summed to every level above it on the
structure date, with disclosure control on the person counts.

Computed in DuckDB SQL over the warehouse, read-only (a load may run meanwhile). The
definitions, in SQL below:

- a period covers the days of a year from the later of its start and 1 January to the
  earliest of its last day (an open period: 31 December and the extraction date), 31
  December and the person's death date — both ends included, no day after a death;
- ``persons``: distinct persons with a covered day in the year, counted distinctly at every
  level (a person served by two municipalities of a region is one person in the region);
- ``hours``: Σ hours_per_week × covered days / 7 over the periods with hours;
- ``visits``: every visit row of the service (visit, phone, video) in the year, Danish time.

Disclosure control is the catalogue's (indicators.md v1.1, tvaers/indicators/suppression.py):
a person count of 1–4 is hidden, then the complementary cells the geography relations need;
a hidden row shows no measure at all. Person counts above the municipality are distinct,
so "region = Σ its municipalities" is only an upper bound here; the rule treats it as exact,
which can only hide more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb

from tvaers.i18n import tr
from tvaers.indicators import structure as org_structure
from tvaers.indicators import suppression
from tvaers.reference.org import COUNTRY_CODE
from tvaers.sql import lit
from tvaers.warehouse.contract import MUNICIPAL_SERVICES
from tvaers.warehouse.schema import SchemaMismatch, check_version
from tvaers.warehouse.storage import TIMEZONE, configure
from tvaers.web.scope import UnitRef

MEASURES = (
    "persons",
    "periods_started",
    "service_days",
    "hours",
    "hours_covered_periods",
    "visits",
)
# The keys of a row, in the spec's order (JSON, CSV and the text table use them).
KEYS = ("service", "year", "level", "unit_code", "unit_name", *MEASURES, "suppressed")


class EstimateError(Exception):
    """The estimate cannot be made (user-facing message, in the current language)."""


@dataclass(frozen=True)
class Volumes:
    service: str
    years: list[int]
    extracted: date
    rows: list[dict[str, Any]]  # every level, every year, disclosure control applied

    def select(self, units: list[UnitRef] | None = None) -> list[dict[str, Any]]:
        """The rows of ``units`` (every year; a unit without data has rows of zeros), or of
        every municipality with data when None."""
        if units is None:
            return [r for r in self.rows if r["level"] == "municipality"]
        names = org_structure.unit_names()
        out = []
        for u in units:
            mine = {
                r["year"]: r for r in self.rows if (r["level"], r["unit_code"]) == (u.level, u.code)
            }
            for year in self.years:
                out.append(mine.get(year) or _zero(self.service, year, u, names))
        return out


def _zero(service: str, year: int, unit: UnitRef, names: dict) -> dict[str, Any]:
    row = dict.fromkeys(KEYS, 0)
    row.update(
        service=service,
        year=year,
        level=unit.level,
        unit_code=unit.code,
        unit_name=names.get((unit.level, unit.code), unit.code),
        hours=0.0,
        suppressed=False,
    )
    return row


def check_service(service: str) -> str:
    if service not in MUNICIPAL_SERVICES:
        raise EstimateError(
            tr(
                f"--service {service!r}: ukendt ydelse; vælg {', '.join(MUNICIPAL_SERVICES)}",
                f"--service {service!r}: unknown service; choose {', '.join(MUNICIPAL_SERVICES)}",
            )
        )
    return service


def _open(db: Path) -> duckdb.DuckDBPyConnection:
    if not db.is_file():
        raise EstimateError(tr(f"Lageret {db} findes ikke.", f"The warehouse {db} does not exist."))
    con = duckdb.connect(":memory:")
    configure(con)
    try:
        con.execute(f"ATTACH {lit(str(db))} AS wh (READ_ONLY)")
        check_version(con, "wh")
        con.execute("SELECT 1 FROM wh.main.municipal_services LIMIT 0")
    except SchemaMismatch as exc:
        con.close()
        raise EstimateError(str(exc)) from None
    except duckdb.Error:
        con.close()
        raise EstimateError(
            tr(f"{db} er ikke et Tværs-lager.", f"{db} is not a Tværs warehouse.")
        ) from None
    return con


def _extracted(con) -> date:
    found = con.execute("SELECT max(extracted_at) FROM wh.main.deliveries").fetchone()[0]
    if found is None:
        raise EstimateError(
            tr("Lageret har ingen leveringer.", "The warehouse holds no deliveries.")
        )
    return found


def _default_years(con, service: str, extracted: date) -> list[int]:
    """From the first year a period of the service starts to the last whole year before
    the extraction date (as `indicators compute` chooses its years)."""
    first = con.execute(
        'SELECT min(year("start")) FROM wh.main.municipal_services WHERE service = ?', [service]
    ).fetchone()[0]
    last = extracted.year - 1
    if first is None:
        raise EstimateError(
            tr(
                f"Lageret har ingen perioder med ydelsen {service}.",
                f"The warehouse holds no periods of the service {service}.",
            )
        )
    if first > last:
        raise EstimateError(
            tr(
                "Lageret dækker ikke et helt kalenderår før udtrækket; angiv --years.",
                "The warehouse covers no whole calendar year before extraction; give --years.",
            )
        )
    return list(range(first, last + 1))


# Each period's covered days per year (the spec's counting rules, see the module's text).
_DAYS = """
CREATE OR REPLACE TEMP TABLE e_days AS
WITH p AS (
    SELECT s.person_no, s.municipality_code, s."start" AS s0, s."end" AS e0,
           s.hours_per_week AS h, pr.death_date AS died
    FROM wh.main.municipal_services s
    LEFT JOIN wh.main.persons pr USING (person_no)
    WHERE s.service = $service),
q AS (
    SELECT p.*, y.year,
           greatest(p.s0, y.jan1) AS first_day,
           least(coalesce(p.e0, least(y.dec31, $extracted)), y.dec31,
                 coalesce(p.died, y.dec31)) AS last_day
    FROM p JOIN e_years y ON p.s0 <= y.dec31 AND (p.e0 IS NULL OR p.e0 >= y.jan1))
SELECT person_no, municipality_code, year, h,
       year(s0) = year AS started,
       greatest(date_diff('day', first_day, last_day) + 1, 0) AS days
FROM q"""

_VISITS = f"""
CREATE OR REPLACE TEMP TABLE e_visits AS
SELECT municipality_code, year(timezone('{TIMEZONE}', "at")) AS year, count(*) AS visits
FROM wh.main.municipal_visits
WHERE service = $service
GROUP BY ALL"""

# Sums per unit of every level (the members include each municipality as itself), the
# country on its own; persons are distinct within the unit.
_UNITS = f"""
CREATE OR REPLACE TEMP TABLE e_units AS
WITH d AS (
    SELECT m.level, m.unit_code, d.year,
           count(DISTINCT d.person_no) FILTER (WHERE d.days > 0) AS persons,
           count(*) FILTER (WHERE d.started) AS periods_started,
           sum(d.days) AS service_days,
           sum(d.h * d.days / 7.0) FILTER (WHERE d.h IS NOT NULL AND d.days > 0) AS hours,
           count(*) FILTER (WHERE d.h IS NOT NULL AND d.days > 0) AS hours_covered_periods
    FROM e_days d JOIN e_members m USING (municipality_code) GROUP BY ALL
    UNION ALL
    SELECT 'country', '{COUNTRY_CODE}', year,
           count(DISTINCT person_no) FILTER (WHERE days > 0),
           count(*) FILTER (WHERE started), sum(days),
           sum(h * days / 7.0) FILTER (WHERE h IS NOT NULL AND days > 0),
           count(*) FILTER (WHERE h IS NOT NULL AND days > 0)
    FROM e_days GROUP BY ALL),
v AS (
    SELECT m.level, m.unit_code, v.year, sum(v.visits) AS visits
    FROM e_visits v JOIN e_members m USING (municipality_code) GROUP BY ALL
    UNION ALL
    SELECT 'country', '{COUNTRY_CODE}', year, sum(visits) FROM e_visits GROUP BY ALL)
SELECT level, unit_code, year,
       coalesce(d.persons, 0) AS persons, coalesce(d.periods_started, 0) AS periods_started,
       coalesce(d.service_days, 0) AS service_days, coalesce(d.hours, 0) AS hours,
       coalesce(d.hours_covered_periods, 0) AS hours_covered_periods,
       coalesce(v.visits, 0) AS visits
FROM d FULL JOIN v USING (level, unit_code, year)
WHERE year IN (SELECT year FROM e_years)"""

# The shape suppression.suppress marks (the results table's columns it reads and writes).
_CELLS = """
CREATE OR REPLACE TEMP TABLE e_cells AS
SELECT $indicator AS indicator_id, CAST(year AS VARCHAR) AS period, 'year' AS period_type,
       level, unit_code, '' AS stratum, CAST(persons AS DOUBLE) AS numerator,
       CAST(NULL AS BIGINT) AS denominator, FALSE AS suppressed,
       CAST(NULL AS VARCHAR) AS suppression, CAST(NULL AS BIGINT) AS hidden_denominator
FROM e_units"""


def compute(db: Path, service: str, years: list[int] | None = None) -> Volumes:
    """Every level's volumes of ``service`` in ``years`` (default: see _default_years)."""
    check_service(service)
    con = _open(db)
    try:
        extracted = _extracted(con)
        years = years or _default_years(con, service, extracted)
        con.execute("CREATE TEMP TABLE e_years (year INTEGER, jan1 DATE, dec31 DATE)")
        con.executemany(
            "INSERT INTO e_years VALUES (?, ?, ?)",
            [(y, date(y, 1, 1), date(y, 12, 31)) for y in years],
        )
        structure = org_structure.build(extracted)
        con.execute(
            "CREATE TEMP TABLE e_members (level VARCHAR, unit_code VARCHAR, unit_name VARCHAR, "
            "municipality_code VARCHAR)"
        )
        con.executemany("INSERT INTO e_members VALUES (?, ?, ?, ?)", list(structure.members))
        con.execute(_DAYS, {"service": service, "extracted": extracted})
        con.execute(_VISITS, {"service": service})
        con.execute(_UNITS)
        con.execute(_CELLS, {"indicator": f"transfers_{service}"})
        # No catalogue indicator is involved: no percentages, periods or shared denominators,
        # only the geography relations of the structure.
        suppression.suppress(con, SimpleNamespace(indicators=()), structure, "e_cells")
        found = con.execute("""
            SELECT u.*, c.suppressed FROM e_units u
            JOIN e_cells c ON c.level = u.level AND c.unit_code = u.unit_code
                          AND c.period = CAST(u.year AS VARCHAR)""").fetchall()
        columns = [d[0] for d in con.description]
    finally:
        con.close()
    names = org_structure.unit_names()
    rows = [_row(service, dict(zip(columns, values, strict=True)), names) for values in found]
    rows.sort(key=_order)
    return Volumes(service, list(years), extracted, rows)


_LEVEL_ORDER = ("municipality", "bilateral", "cluster", "sundhedsraad", "region", "country")


def _order(row: dict[str, Any]) -> tuple:
    code = row["unit_code"]
    return (row["year"], _LEVEL_ORDER.index(row["level"]), int(code) if code.isdigit() else 0, code)


def _row(service: str, r: dict[str, Any], names: dict) -> dict[str, Any]:
    hidden = bool(r["suppressed"])
    row: dict[str, Any] = {
        "service": service,
        "year": int(r["year"]),
        "level": r["level"],
        "unit_code": r["unit_code"],
        "unit_name": names.get((r["level"], r["unit_code"]), r["unit_code"]),
    }
    for key in MEASURES:
        value = r[key]
        if hidden:
            row[key] = None  # a hidden row shows no measure at all
        elif key == "hours":
            row[key] = round(float(value), 1)
        else:
            row[key] = int(value)
    row["suppressed"] = hidden
    return row
