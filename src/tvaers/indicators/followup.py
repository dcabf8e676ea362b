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


def build(engine, cat: Catalogue) -> None:
    """`b_followup` (person_no, t, date_only, kind): the follow-up contacts of people with
    a notified stay or an admission, outside every notified leave; kind is `municipality`
    or `gp`."""
    d = engine.dialect
    rules = cat.blocks.followup
    gp_date_only = f"{d.epoch('at_ts')} = {d.midnight(local_date('at_ts'))}"
    engine.materialize(
        "b_followup",
        f"""
        WITH people AS (SELECT DISTINCT person_no FROM b_notified_stays
                        UNION SELECT DISTINCT person_no FROM b_admissions),
        c AS (
            SELECT person_no, {d.epoch("at_ts")} AS t, FALSE AS date_only,
                   'municipality' AS kind
            FROM in_visits WHERE kind IN ({text_list(rules.visit_kinds)})
            UNION ALL
            SELECT person_no, {d.midnight("start_date")}, TRUE, 'municipality'
            FROM in_services
            UNION ALL
            SELECT person_no, {d.epoch("at_ts")}, {gp_date_only}, 'gp'
            FROM in_gp WHERE kind NOT IN ({text_list(rules.gp_excluded_kinds)}))
        SELECT c.person_no, c.t, c.date_only, c.kind
        FROM c JOIN people p ON p.person_no = c.person_no
        LEFT JOIN b_notified_leaves l ON l.person_no = c.person_no
                                     AND l.leave_s <= c.t AND c.t < l.leave_e
        WHERE l.person_no IS NULL""",
    )


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
