"""The v1.1 rule of `messages`: a revise-/cancel- message names the message it replaces
(contract.Replaces), checked set-based like every rule in `validate.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tvaers.sql import lit, q
from tvaers.warehouse.contract import PERSON, REPLACING_PREFIXES, Replaces
from tvaers.warehouse.rules import REPLACES_RULES
from tvaers.warehouse.schema import PERSON_NO, warehouse_column
from tvaers.warehouse.staging import display_sql

if TYPE_CHECKING:
    from tvaers.warehouse.validate import _Checker


def check_replaces(check: _Checker, rule: Replaces) -> None:
    """A revise-/cancel- message names an earlier message of the same person and
    episode. The named message is the delivered row when it is accepted, else the
    warehouse's; when it was only delivered, and rejected, this row goes too. That
    rejection can cascade along a chain of corrections, so the check runs until no
    row is newly rejected (a chain of n corrections takes n + 1 rounds)."""
    if rule.column not in check.f.header:
        return
    key = q(check.t.key[0])
    c, ev = f"s.{q(rule.column)}", f"s.{q(rule.event)}"
    revising = " OR ".join(f"starts_with({ev}, {lit(p)})" for p in REPLACING_PREFIXES)
    check.add(
        "replaces_without_revision",
        rule.column,
        f"{c} IS NOT NULL AND NOT coalesce({revising}, false)",
    )
    check.add("replaces_itself", rule.column, f"{c} = s.{key}")
    name = lit(check.t.name)
    judged_rules = ", ".join(lit(r) for r in REPLACES_RULES)
    p, ep, at = q(PERSON), q(rule.episode), q(rule.sent_at)
    wh_key = q(warehouse_column(check.t.column(check.t.key[0])))
    while True:
        before = check.con.execute("SELECT count(*) FROM errors").fetchone()[0]
        check.con.execute(
            f"""INSERT INTO errors
            WITH rejected AS (SELECT _row FROM errors WHERE tbl = {name}),
            acc AS (
                SELECT {key} AS id, {p} AS person, {ep} AS episode, {at} AS sent_at
                FROM t_{check.t.name} WHERE _row NOT IN (SELECT _row FROM rejected)),
            named AS (
                SELECT * FROM acc
                UNION ALL
                SELECT w.{wh_key}, w.{q(PERSON_NO)}, w.{ep}, w.{at}
                FROM wh.{check.t.name} w ANTI JOIN acc ON acc.id = w.{wh_key}),
            judged AS (
                SELECT s._row, {display_sql(check.t.column(rule.column))} AS val, CASE
                    WHEN n.id IS NULL AND {c} IN (SELECT {key} FROM t_{check.t.name})
                        THEN 'replaced_message_rejected'
                    WHEN n.id IS NULL THEN 'replaced_message_missing'
                    WHEN n.person <> s.{p} THEN 'replaced_message_other_person'
                    WHEN n.episode IS DISTINCT FROM s.{ep}
                        THEN 'replaced_message_other_episode'
                    WHEN n.sent_at > s.{at} THEN 'replaced_message_later'
                END AS rule
                FROM t_{check.t.name} s LEFT JOIN named n ON n.id = {c}
                WHERE {c} IS NOT NULL AND {c} <> s.{key} AND s._row NOT IN (
                    SELECT _row FROM errors WHERE tbl = {name}
                      AND rule IN ({judged_rules})))
            SELECT {name}, _row, {lit(check.shown(rule.column))}, val, rule, ''
            FROM judged WHERE rule IS NOT NULL"""
        )
        if check.con.execute("SELECT count(*) FROM errors").fetchone()[0] == before:
            return
