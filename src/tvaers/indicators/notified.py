"""Building block: notified stays from MedCom hospital notifications (transitions.md,
"Notified stays"), on both engines through the shared SQL.

1. The hospital notifications (`in_messages`), each with its event time (`event_at`, else
   `sent_at`) and its order in the episode (`sent_at`, then `message_id`).
2. Corrections: in an episode, revise-/cancel- messages are applied one at a time in that
   order. A correction hits the still-effective message of the chain it names
   (`replaces_message_id`: the named message, or what has since replaced it), or, when it
   names none, the still-effective message of the same event with the latest order before
   it. A revision takes the place of what it hits (with its own event time); a cancellation
   removes it. A correction that finds nothing effective changes nothing. Episodes without
   corrections (nearly all) skip this step; the others are settled in as many rounds as
   the most corrected episode has corrections (each round settles one per episode).
3. Episodes: admission (earliest effective admission time; inpatient when any effective
   admission is inpatient), end (latest effective discharge or death), leaves (each
   effective leave start paired with the next effective leave end, else lasting to the
   episode's end or the extraction). An episode without an effective admission is void and
   has no effect at all.
4. Stays: per person, an episode without an end is chained with the episode admitted next
   (MedCom sends nothing on a transfer).

Tables made: `b_notified_episodes`, `b_notified_leaves`, `b_notified_stays` (times as
seconds since 1970; see each SELECT).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

NOTIFICATION = "hospital_notification"
CORRECTIONS = ("revise", "cancel")
_PREFIX_LEN = len("revise-")  # = len("cancel-")


def extraction_epoch(extracted: date) -> int:
    """00:00 Danish time on the extraction date, as seconds since 1970 ("before
    extraction", transitions.md "Time rules")."""
    tz = ZoneInfo("Europe/Copenhagen")
    return int(datetime(extracted.year, extracted.month, extracted.day, tzinfo=tz).timestamp())


def build(engine, extracted: date) -> None:
    _messages(engine)
    _corrections(engine)
    _episodes(engine, extraction_epoch(extracted))
    _stays(engine)
    for name in ("b_ns_msgs", "b_ns_effective"):
        engine.drop(name)


def _messages(engine) -> None:
    d = engine.dialect
    action = (
        "CASE WHEN event LIKE 'revise-%' THEN 'revise' "
        "WHEN event LIKE 'cancel-%' THEN 'cancel' ELSE 'plain' END"
    )
    base = (
        f"CASE WHEN event LIKE 'revise-%' OR event LIKE 'cancel-%' "
        f"THEN substr(event, {_PREFIX_LEN + 1}) ELSE event END"
    )
    engine.materialize(
        "b_ns_msgs",
        f"""
        SELECT m.*, row_number() OVER (PARTITION BY person_no, episode
                                      ORDER BY sent, message_id) AS ord,
               CAST(max(CASE WHEN action <> 'plain' THEN 1 ELSE 0 END)
                    OVER (PARTITION BY person_no, episode) AS INT) AS corrected
        FROM (SELECT message_id, person_no, coalesce(episode_id, '') AS episode,
                     {action} AS action, {base} AS base, {d.epoch("sent_at")} AS sent,
                     {d.epoch("coalesce(event_at, sent_at)")} AS t,
                     replaces_message_id AS ref
              FROM in_messages
              WHERE msg_type = '{NOTIFICATION}' AND event IS NOT NULL) m""",
    )


def _corrections(engine) -> None:
    """`b_ns_effective`: the effective messages (person_no, episode, base, message_id, t,
    ord); see the module docstring, step 2."""
    engine.materialize(
        "b_ns_fix",
        """
        SELECT person_no, episode, message_id, action, base, t, ord, ref,
               row_number() OVER (PARTITION BY person_no, episode ORDER BY ord) AS k
        FROM b_ns_msgs WHERE corrected = 1 AND action <> 'plain'""",
    )
    cols = "person_no, episode, base, message_id, t, ord"
    engine.materialize(
        "b_ns_state",
        f"SELECT {cols}, message_id AS root FROM b_ns_msgs "
        "WHERE corrected = 1 AND action = 'plain'",
    )
    engine.materialize(
        "b_ns_roots",
        "SELECT person_no, episode, message_id, message_id AS root FROM b_ns_state",
    )
    rounds = int(engine.scalar("SELECT coalesce(max(k), 0) FROM b_ns_fix"))
    state, roots = "b_ns_state", "b_ns_roots"
    for k in range(1, rounds + 1):
        # The hit of each episode's k-th correction: by reference, the chain's effective
        # message; without one, the latest earlier effective message of the same event.
        engine.materialize("b_ns_hit", _hit(k, state, roots))
        engine.materialize(
            f"b_ns_state{k}",
            f"""
            SELECT s.{cols.replace(", ", ", s.")}, s.root FROM {state} s
            LEFT JOIN b_ns_hit h ON h.person_no = s.person_no AND h.episode = s.episode
                                AND h.target = s.message_id
            WHERE h.target IS NULL
            UNION ALL
            SELECT {cols}, root FROM b_ns_hit WHERE action = 'revise'""",
        )
        # (A new table rather than an append: Spark plans a join on a table of appended
        # parts wrongly.)
        engine.materialize(
            f"b_ns_roots{k}",
            f"SELECT * FROM {roots} UNION ALL "
            "SELECT person_no, episode, message_id, root FROM b_ns_hit",
        )
        engine.drop(state)
        engine.drop(roots)
        state, roots = f"b_ns_state{k}", f"b_ns_roots{k}"
    engine.materialize(
        "b_ns_effective",
        f"""
        SELECT {cols} FROM b_ns_msgs WHERE corrected = 0
        UNION ALL
        SELECT {cols} FROM {state}""",
    )
    for name in ("b_ns_fix", state, roots, "b_ns_hit"):
        engine.drop(name)


def _hit(k: int, state: str, roots: str) -> str:
    """The hit of each episode's k-th correction: by reference, the chain's effective
    message; without one, the latest earlier effective message of the same event. (Two
    equi-joins rather than one join on an OR: Spark plans the OR form wrongly.)"""
    corrections = f"""
        SELECT c.person_no, c.episode, c.message_id, c.action, c.base, c.t, c.ord, c.ref,
               r.root AS want
        FROM (SELECT * FROM b_ns_fix WHERE k = {k}) c
        LEFT JOIN {roots} r ON r.person_no = c.person_no AND r.episode = c.episode
                              AND r.message_id = c.ref"""
    pick = "c.person_no, c.episode, c.message_id, c.action, c.base, c.t, c.ord"
    return f"""
        SELECT person_no, episode, message_id, action, base, t, ord, target, root FROM (
            SELECT m.*, row_number() OVER (PARTITION BY m.person_no, m.episode
                                           ORDER BY m.target_ord DESC) AS pick
            FROM (SELECT {pick}, s.message_id AS target, s.root, s.ord AS target_ord
                  FROM ({corrections}) c
                  JOIN {state} s ON s.person_no = c.person_no AND s.episode = c.episode
                                AND s.root = c.want
                  WHERE c.ref IS NOT NULL AND s.ord < c.ord
                  UNION ALL
                  SELECT {pick}, s.message_id AS target, s.root, s.ord AS target_ord
                  FROM ({corrections}) c
                  JOIN {state} s ON s.person_no = c.person_no AND s.episode = c.episode
                                AND s.base = c.base
                  WHERE c.ref IS NULL AND s.ord < c.ord) m) x
        WHERE pick = 1"""


def _episodes(engine, extraction: int) -> None:
    d = engine.dialect
    end_kind = (
        "CASE WHEN base LIKE 'discharge-%' THEN 'discharge' WHEN base = 'deceased' THEN 'death' END"
    )
    latest_end = d.ordered(f"CASE WHEN {end_kind} IS NULL THEN 0 ELSE 1 END", "t", "ord")
    engine.materialize(
        "b_notified_episodes",
        f"""
        SELECT person_no, episode, admit_t, inpatient, end_t, end_kind FROM (
            SELECT person_no, episode,
                   min(CASE WHEN base LIKE 'admit-%' THEN t END) AS admit_t,
                   max(CASE WHEN base = 'admit-inpatient' THEN 1 ELSE 0 END) AS inpatient,
                   max(CASE WHEN {end_kind} IS NOT NULL THEN t END) AS end_t,
                   max_by({end_kind}, {latest_end}) AS end_kind
            FROM b_ns_effective GROUP BY person_no, episode) e
        WHERE admit_t IS NOT NULL""",
    )
    # Leave events of live episodes in time order; a start pairs with an end right after it.
    by_time = "PARTITION BY l.person_no, l.episode ORDER BY l.t, l.ord"
    engine.materialize(
        "b_notified_leaves",
        f"""
        SELECT person_no, episode, leave_s,
               coalesce(paired_end, episode_end, {extraction}) AS leave_e
        FROM (SELECT l.person_no, l.episode, l.t AS leave_s, l.base, e.end_t AS episode_end,
                     CASE WHEN lead(l.base) OVER ({by_time}) = 'end-leave-inpatient'
                          THEN lead(l.t) OVER ({by_time}) END AS paired_end
              FROM b_ns_effective l
              JOIN b_notified_episodes e ON e.person_no = l.person_no AND e.episode = l.episode
              WHERE l.base IN ('start-leave-inpatient', 'end-leave-inpatient')) x
        WHERE base = 'start-leave-inpatient'""",
    )


def _stays(engine) -> None:
    """Episodes chained per person: a new stay begins unless the episode admitted just
    before has no end."""
    d = engine.dialect
    by_admission = "PARTITION BY e.person_no ORDER BY e.admit_t, e.episode"
    by_row = "PARTITION BY person_no ORDER BY admit_t, episode"
    engine.materialize(
        "b_notified_chain",
        f"""
        SELECT c.*, CAST(sum(c.new_stay) OVER ({by_row} ROWS UNBOUNDED PRECEDING)
                         AS BIGINT) AS stay_no,
               CASE WHEN c.new_stay = 1 AND coalesce(lead(c.new_stay) OVER ({by_row}), 1) = 1
                    THEN 1 ELSE 0 END AS alone
        FROM (SELECT e.person_no, e.episode, e.admit_t, e.inpatient, e.end_t, e.end_kind,
                     coalesce(l.leave_seconds, 0) AS leave_seconds,
                     CASE WHEN lag(e.episode) OVER ({by_admission}) IS NOT NULL
                               AND lag(e.end_t) OVER ({by_admission}) IS NULL
                          THEN 0 ELSE 1 END AS new_stay
              FROM b_notified_episodes e
              LEFT JOIN (SELECT person_no, episode, sum(leave_e - leave_s) AS leave_seconds
                         FROM b_notified_leaves GROUP BY person_no, episode) l
                ON l.person_no = e.person_no AND l.episode = e.episode) c""",
    )
    # Most stays are one episode: those are taken as they are, only chains are aggregated.
    last = d.ordered("c.admit_t", "c.episode")
    inpatient = "CASE WHEN {} = 1 THEN 'inpatient' ELSE 'emergency' END"
    engine.materialize(
        "b_notified_stays",
        f"""
        SELECT c.person_no, c.stay_no, c.episode AS episodes, 1 AS n_episodes, c.admit_t,
               c.end_t, c.end_kind, {inpatient.format("c.inpatient")} AS class,
               c.leave_seconds
        FROM b_notified_chain c WHERE c.alone = 1
        UNION ALL
        SELECT c.person_no, c.stay_no, {d.joined("c.episode", last)}, count(*),
               min(c.admit_t),
               -- only the last episode of a chain can have an end
               max(c.end_t), max(c.end_kind), {inpatient.format("max(c.inpatient)")},
               sum(c.leave_seconds)
        FROM b_notified_chain c WHERE c.alone = 0
        GROUP BY c.person_no, c.stay_no""",
    )
    engine.drop("b_notified_chain")
