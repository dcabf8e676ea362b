"""Building block: follow-up contacts, and the time rules of the windows after a discharge
(transitions.md, "Time rules"). One definition, used by every transitions indicator.

A follow-up contact is a municipal visit of a follow-up kind (`visit`; phone and video are
not), the start of a municipal service period, or a GP contact of any kind but the excluded
ones (`email`) — never one during a notified leave.

Times are seconds since 1970. An event known only by its date (a service start, a GP
contact delivered as a date, which the warehouse holds as 00:00 Danish time) is taken at
00:00 of its date: set against a timed event on the same date it is the earlier, as the
spec asks. (A GP contact delivered as exactly 00:00:00 is read as date-only too: the
warehouse cannot tell them apart, and a consultation at midnight is not a real case.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tvaers.indicators.dialect import Dialect, local_date
from tvaers.sql import text_list

if TYPE_CHECKING:
    from tvaers.indicators.catalogue import Catalogue


def window_hours(cat: Catalogue) -> float:
    """The longest window after a discharge any indicator of the catalogue looks in."""
    return max((i.method.followup_hours() or 0 for i in cat.indicators), default=0)


def build(engine, cat: Catalogue) -> None:
    """`b_followup` (person_no, t, date_only, kind): the follow-up contacts that lie in a
    window after the end of a notified stay (discharged) or of an admission (alive), of the
    longest length the indicators use, outside every notified leave; kind is
    `municipality` or `gp`. Cutting the contacts to the windows first keeps the block
    small: it reads every GP contact once but keeps only those near a discharge."""
    d = engine.dialect
    rules = cat.blocks.followup
    hours = window_hours(cat)
    ends = """
        SELECT person_no, end_t AS e FROM b_notified_stays WHERE end_kind = 'discharge'
        UNION ALL
        SELECT person_no, e FROM b_admissions WHERE NOT died"""
    engine.materialize(
        "b_fu_windows",
        f"""
        SELECT DISTINCT person_no, {d.midnight(local_date(d.timestamp("e")))} AS lo,
               e + {float(hours) * 3600} AS hi
        FROM ({ends}) x"""
        if hours
        else "SELECT person_no, 0.0 AS lo, 0.0 AS hi FROM b_notified_stays WHERE FALSE",
    )

    # Each source cut to the windows first (a cheap join on the instant), and only then the
    # per-row work (which kinds count, whether a GP contact is known by its date only: a
    # time-zone conversion per row, costly on every GP contact of the country).
    def near(table: str, t: str) -> str:
        return f"""
            SELECT DISTINCT x.* FROM (SELECT s.*, {t} AS t FROM {table} s) x
            JOIN b_fu_windows w ON w.person_no = x.person_no AND x.t >= w.lo AND x.t <= w.hi"""

    gp_date_only = f"g.t = {d.midnight(local_date('g.at_ts'))}"
    engine.materialize(
        "b_followup",
        f"""
        WITH c AS (
            SELECT v.person_no, v.t, FALSE AS date_only, 'municipality' AS kind
            FROM ({near("in_visits", d.epoch("s.at_ts"))}) v
            WHERE v.kind IN ({text_list(rules.visit_kinds)})
            UNION ALL
            SELECT v.person_no, v.t, TRUE, 'municipality'
            FROM ({near("in_services", d.midnight("s.start_date"))}) v
            UNION ALL
            SELECT g.person_no, g.t, {gp_date_only}, 'gp'
            FROM ({near("in_gp", d.epoch("s.at_ts"))}) g
            WHERE g.kind NOT IN ({text_list(rules.gp_excluded_kinds)}))
        SELECT DISTINCT c.person_no, c.t, c.date_only, c.kind
        FROM c
        LEFT JOIN b_notified_leaves l ON l.person_no = c.person_no
                                     AND l.leave_s <= c.t AND c.t < l.leave_e
        WHERE l.person_no IS NULL""",
    )
    engine.drop("b_fu_windows")


def in_window(d: Dialect, contact: str, start: str, hours: float) -> str:
    """SQL: the follow-up contact `contact` (alias) lies in the window of `hours` after the
    instant `start`: a timed contact after `start` and at most `hours` later; a date-only
    one when its date lies from the date of `start` through the date of the window's end."""
    end = f"{start} + {float(hours) * 3600}"
    first_day = d.midnight(local_date(d.timestamp(start)))
    return (
        f"({contact}.t <= {end} AND (({contact}.date_only AND {contact}.t >= {first_day}) "
        f"OR (NOT {contact}.date_only AND {contact}.t > {start})))"
    )


def death_in_window(d: Dialect, death_date: str, start: str, hours: float) -> str:
    """SQL: the date of death `death_date` lies in the window's dates (a death is known by
    its date only)."""
    end = f"{start} + {float(hours) * 3600}"
    return (
        f"({death_date} >= {local_date(d.timestamp(start))} "
        f"AND {death_date} <= {local_date(d.timestamp(end))})"
    )
