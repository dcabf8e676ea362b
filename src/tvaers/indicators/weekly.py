"""Notified admissions and discharges per week: the near-real-time view of the transitions
page (transitions.md, "Where it shows"), from the hospital notifications alone.

Counted with the indicators (on the run's engine, from the notified stays), rolled up to
every level like them and put under the same disclosure control (suppression.py, v1.1): a
count of 1–4 is hidden, and so is what would give a hidden count away through the
geography (a region's count minus its other municipalities). The published table
`notified_weekly` has the results table's columns: `indicator_id` is the measure
(`notified_admissions`, `notified_discharges`), `period` the ISO week (`2024-W05`),
`period_type` `week`, and there is no denominator.

The weeks are the `WEEKS` whole weeks (Monday 00:00 to Monday 00:00, Danish time) before
the extraction date's 00:00. An admission counts in the week its notified stay begins, a
discharge in the week it ends with a discharge (alive); both where the person lived on
that date. A transfer is one stay, so it is one admission.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tvaers.indicators import suppression
from tvaers.indicators.blocks import residence_at
from tvaers.indicators.catalogue import Catalogue
from tvaers.indicators.dialect import local_date
from tvaers.indicators.rollup import RESULTS_DDL
from tvaers.indicators.structure import Structure, unit_names
from tvaers.reference.org import COUNTRY_CODE

WEEKS = 26
TABLE = "notified_weekly"
MEASURES = ("notified_admissions", "notified_discharges")
_TZ = ZoneInfo("Europe/Copenhagen")


def weeks(extracted: date, n: int = WEEKS) -> list[tuple[str, int, int]]:
    """(ISO week, start, end) of the `n` whole weeks before the extraction date, the
    bounds as seconds since 1970 of Monday 00:00 Danish time."""
    last_monday = extracted - timedelta(days=extracted.weekday())  # a whole week ends here
    out = []
    for k in range(n, 0, -1):
        start = last_monday - timedelta(weeks=k)
        end = start + timedelta(weeks=1)
        year, week, _ = start.isocalendar()
        out.append((f"{year}-W{week:02d}", _midnight(start), _midnight(end)))
    return out


def _midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=_TZ).timestamp())


def count(engine, extracted: date) -> None:
    """`weekly_cells` (indicator_id, period, municipality_code, n) on the engine."""
    d = engine.dialect
    engine.register(
        "p_weeks",
        [("week", "VARCHAR"), ("start_t", "BIGINT"), ("end_t", "BIGINT")],
        weeks(extracted),
    )
    events = """
        SELECT person_no, admit_t AS t, 'notified_admissions' AS measure FROM b_notified_stays
        UNION ALL
        SELECT person_no, end_t, 'notified_discharges' FROM b_notified_stays
        WHERE end_kind = 'discharge'"""
    engine.materialize(
        "weekly_cells",
        f"""
        SELECT e.measure AS indicator_id, e.week AS period,
               r.municipality_code, count(*) AS n
        FROM (SELECT v.person_no, v.measure, w.week, {local_date(d.timestamp("v.t"))} AS day
              FROM ({events}) v JOIN p_weeks w ON v.t >= w.start_t AND v.t < w.end_t) e
        {residence_at("r", "e.person_no", "e.day")}
        GROUP BY e.measure, e.week, r.municipality_code""",
    )


def build_results(con, cat: Catalogue, structure: Structure) -> None:
    """`notified_weekly` in `con` from its `weekly_cells`: every level, disclosure control."""
    roll_up(con, structure)
    suppression.suppress(con, cat, structure, TABLE)


def roll_up(con, structure: Structure) -> None:
    """`notified_weekly` with nothing marked hidden yet: only for a caller that puts it
    under disclosure control next, as build_results does."""
    con.execute(RESULTS_DDL.format(name=TABLE))
    members = ", ".join(
        f"('{level}', '{code}', '{m}')" for level, code, _name, m in structure.members
    )
    names = ", ".join(
        f"('{level}', '{code}', '{name.replace(chr(39), chr(39) * 2)}')"
        for (level, code), name in unit_names().items()
    )
    con.execute(f"""
        INSERT INTO {TABLE}
        WITH u AS (
            SELECT m.level, m.unit_code, c.indicator_id, c.period, sum(c.n) AS n
            FROM weekly_cells c
            JOIN (VALUES {members}) m(level, unit_code, municipality_code) USING (municipality_code)
            GROUP BY ALL
            UNION ALL
            SELECT 'country', '{COUNTRY_CODE}', indicator_id, period, sum(n)
            FROM weekly_cells GROUP BY ALL)
        SELECT u.indicator_id, u.period, 'week', u.level, u.unit_code,
               coalesce(nm.unit_name, u.unit_code), '', u.n, NULL,
               u.n, NULL, NULL, NULL, NULL, NULL, FALSE, NULL, FALSE, NULL
        FROM u LEFT JOIN (VALUES {names}) nm(level, unit_code, unit_name)
          USING (level, unit_code)""")
