"""Every contract rule as a set-based check over the typed staging tables.

Each check is one INSERT … SELECT into `errors(tbl, _row, col, val, rule, other)`; nothing
loops over rows in Python. Tables are checked in reference order, so a row whose person or
contact was rejected is rejected too (`person_rejected`), and the rows that survive are
the `acc_<table>` views that `load.py` inserts from.

The warehouse is attached as `wh` (an empty in-memory one on the first load).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import duckdb

from tvaers.sql import lit, q
from tvaers.warehouse.contract import (
    PERSON,
    Column,
    CprBirthDate,
    NoOverlap,
    NotBefore,
    References,
    Replaces,
    Table,
    Within,
    WithinLifetime,
    load_order,
    table,
)
from tvaers.warehouse.delivery import Delivery, DeliveryFile
from tvaers.warehouse.localtime import local_instant_sql
from tvaers.warehouse.replaces import check_replaces
from tvaers.warehouse.rules import INVALID_RULE, REFERENCE_RULES
from tvaers.warehouse.schema import warehouse_column
from tvaers.warehouse.staging import ANY_OFFSET_DATETIME_RE, display_sql, is_cpr_sql

ERRORS_DDL = (
    "CREATE OR REPLACE TABLE errors (tbl VARCHAR, _row BIGINT, col VARCHAR, val VARCHAR, "
    "rule VARCHAR, other VARCHAR)"
)


class _Checker:
    def __init__(self, con: duckdb.DuckDBPyConnection, f: DeliveryFile, delivery: Delivery):
        self.con = con
        self.f = f
        self.t: Table = f.table
        self.delivery = delivery

    def shown(self, column: str) -> str:
        """The column's name as delivered (the person key is cpr or person_id)."""
        return self.f.source_column(column)

    def add(
        self,
        rule: str,
        column: str,
        where: str,
        *,
        value: str | None = None,
        other: str = "",
        source: str | None = None,
    ) -> None:
        value = value or display_sql(self.t.column(column))
        self.con.execute(
            f"INSERT INTO errors SELECT {lit(self.t.name)}, s._row, "
            f"{lit(self.shown(column))}, {value}, {lit(rule)}, {lit(other)} "
            f"FROM {source or f't_{self.t.name} s'} WHERE {where}"
        )

    # --- column rules -------------------------------------------------------------

    def columns(self) -> None:
        limit = self.delivery.extracted_at + timedelta(days=1)
        for col in self.t.columns:
            v = f"s.{q(col.name)}"
            if col.name == PERSON:
                shown = f"s.{q(PERSON + '__shown')}"
                self.add("required_value", col.name, f"{shown} IS NULL")
                if self.f.person_column == "cpr":
                    self.add("invalid_cpr", col.name, f"{shown} IS NOT NULL AND {v} IS NULL")
                else:
                    looks_like_cpr = "s._cpr_birth IS NOT NULL"
                    self.add("person_id_is_cpr", col.name, looks_like_cpr)
                    self.add(
                        "invalid_person_id",
                        col.name,
                        f"{shown} IS NOT NULL AND {v} IS NULL AND NOT {looks_like_cpr}",
                    )
                continue
            if col.name not in self.f.header:
                continue
            bad = f"s.{q(col.name + '__bad')}"
            if col.required:
                self.add("required_value", col.name, f"{v} IS NULL AND {bad} IS NULL")
            if col.kind in ("datetime", "datetime_or_date"):
                unreal_offset = f"regexp_full_match({bad}, '{ANY_OFFSET_DATETIME_RE}')"
                self.add("invalid_offset", col.name, f"{bad} IS NOT NULL AND {unreal_offset}")
                self.add(
                    INVALID_RULE[col.kind],
                    col.name,
                    f"{bad} IS NOT NULL AND NOT {unreal_offset}",
                )
            elif col.kind in INVALID_RULE:
                self.add(INVALID_RULE[col.kind], col.name, f"{bad} IS NOT NULL")
            if col.kind == "text":
                self.add("cpr_outside_person_key", col.name, is_cpr_sql(v))
            if col.min_value is not None:
                self.add(
                    "below_minimum", col.name, f"{v} < {col.min_value}", other=f"{col.min_value:g}"
                )
            if col.max_value is not None:
                self.add(
                    "above_maximum", col.name, f"{v} > {col.max_value}", other=f"{col.max_value:g}"
                )
            if col.is_temporal:
                self.add(
                    "year_out_of_range",
                    col.name,
                    outside_years(col, v),
                    other=f"{col.years[0]}–{col.years[1]}",
                )
                self.add(
                    "after_extraction",
                    col.name,
                    after_day(col, v, limit),
                    other=self.delivery.extracted_at.isoformat(),
                )

    def duplicate_keys(self) -> None:
        keys = [q(k) for k in self.t.key]
        shown = ", ".join(self.shown(k) for k in self.t.key)
        value = " || ', ' || ".join(
            f"coalesce({display_sql(self.t.column(k))}, '')" for k in self.t.key
        )
        dupes = (
            f"SELECT {', '.join(keys)} FROM t_{self.t.name} "
            f"WHERE {' AND '.join(f'{k} IS NOT NULL' for k in keys)} "
            f"GROUP BY ALL HAVING count(*) > 1"
        )
        self.con.execute(
            f"INSERT INTO errors SELECT {lit(self.t.name)}, s._row, {lit(shown)}, {value}, "
            f"'duplicate_key', '' FROM t_{self.t.name} s SEMI JOIN ({dupes}) d "
            f"USING ({', '.join(keys)})"
        )

    # --- table rules ----------------------------------------------------------------

    def not_before(self, rule: NotBefore) -> None:
        c, o = f"s.{q(rule.column)}", f"s.{q(rule.other)}"
        op, name = ("<=", "not_after_start") if rule.strict else ("<", "end_before_start")
        self.add(name, rule.column, f"{c} {op} {o}", other=rule.other)

    def within(self, rule: Within) -> None:
        c, lo, hi = (f"s.{q(x)}" for x in (rule.column, rule.low, rule.high))
        self.add(
            "outside_contact",
            rule.column,
            f"{c} IS NOT NULL AND ({c} < {lo} OR ({hi} IS NOT NULL AND {c} > {hi}))",
        )

    def cpr_birth_date(self, rule: CprBirthDate) -> None:
        if self.f.person_column != "cpr":
            return
        c = f"s.{q(rule.column)}"
        self.add("cpr_birth_date_mismatch", rule.column, f"{c} <> s._cpr_birth")

    def references(self, rule: References) -> None:
        missing, rejected = REFERENCE_RULES[rule.table]
        col = f"s.{q(rule.column)}"
        target = q(rule.target)
        known = [f"SELECT {q(warehouse_column_of(rule.table, rule.target))} FROM wh.{rule.table}"]
        rejected_sql = f"SELECT {col} FROM t_{self.t.name} s WHERE false"
        if rule.table in self.delivery.files:
            known.append(f"SELECT {target} FROM acc_{rule.table}")
            rejected_sql = (
                f"SELECT {target} FROM t_{rule.table} SEMI JOIN "
                f"(SELECT _row FROM errors WHERE tbl = {lit(rule.table)}) e USING (_row)"
            )
        not_known = " AND ".join(f"{col} NOT IN ({k})" for k in known)
        self.con.execute(
            f"INSERT INTO errors SELECT {lit(self.t.name)}, s._row, "
            f"{lit(self.shown(rule.column))}, {display_sql(self.t.column(rule.column))}, "
            f"CASE WHEN {col} IN ({rejected_sql}) THEN {lit(rejected)} ELSE {lit(missing)} END, "
            f"'' FROM t_{self.t.name} s WHERE {col} IS NOT NULL AND {not_known}"
        )

    def within_lifetime(self, rule: WithinLifetime) -> None:
        """Before the day of birth, or after the day after death (Danish local days)."""
        c = f"s.{q(rule.column)}"
        source = f"t_{self.t.name} s JOIN lives l ON s.{q(PERSON)} = l.person"
        if self.t.column(rule.column).warehouse_type == "DATE":
            before, after = f"{c} < l.birth_date", f"{c} > l.death_date + 1"
        else:
            before, after = f"{c} < l.born_at", f"{c} >= l.gone_at"
        self.add("before_birth", rule.column, before, source=source)
        self.add("after_death", rule.column, f"l.death_date IS NOT NULL AND {after}", source=source)

    def no_overlap(self, rule: NoOverlap) -> None:
        p, start, end = q(PERSON), q(rule.start), q(rule.end)
        key = [q(warehouse_column(self.t.column(k))) for k in self.t.key]
        staged_key = ", ".join(f"{q(k)} AS {kk}" for k, kk in zip(self.t.key, key, strict=True))
        open_end = "DATE '9999-12-31'"
        self.con.execute(
            f"""INSERT INTO errors
            WITH staged AS (
                SELECT _row, {p} AS person_no, {start} AS vf, {end} AS vt
                FROM t_{self.t.name} s
                WHERE {p} IS NOT NULL AND {start} IS NOT NULL
                  AND _row NOT IN (SELECT _row FROM errors WHERE tbl = {lit(self.t.name)})),
            kept AS (
                SELECT NULL::BIGINT AS _row, w.person_no, w.{start} AS vf, w.{end} AS vt
                FROM wh.{self.t.name} w
                SEMI JOIN staged USING (person_no)
                ANTI JOIN (SELECT {staged_key} FROM t_{self.t.name}) r USING ({", ".join(key)})),
            periods AS (
                SELECT _row, person_no, vf, coalesce(vt, {open_end}) AS vt FROM staged
                UNION ALL SELECT _row, person_no, vf, coalesce(vt, {open_end}) FROM kept),
            o AS (
                SELECT _row, vf, vt,
                    max(vt) OVER (PARTITION BY person_no ORDER BY vf, _row NULLS FIRST
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end,
                    lead(vf) OVER (PARTITION BY person_no ORDER BY vf, _row NULLS FIRST)
                        AS next_start
                FROM periods)
            SELECT {lit(self.t.name)}, o._row, {lit(rule.start)},
                   {display_sql(self.t.column(rule.start))},
                   'overlapping_residence', ''
            FROM o JOIN t_{self.t.name} s USING (_row)
            WHERE o._row IS NOT NULL AND (o.vf < o.prev_end OR o.next_start < o.vt)"""
        )

    def replaces(self, rule: Replaces) -> None:
        check_replaces(self, rule)

    def warehouse_conflicts(self) -> None:
        if self.con.execute(f"SELECT count(*) FROM wh.{self.t.name}").fetchone()[0] == 0:
            return
        stored = warehouse_columns(self.con, self.t.name)
        on = " AND ".join(
            f"w.{q(warehouse_column(self.t.column(k)))} = s.{q(k)}" for k in self.t.key
        )
        source = f"t_{self.t.name} s JOIN wh.{self.t.name} w ON {on}"
        for col in self.t.columns:
            if col.name in self.t.key or col.name in self.t.updatable:
                continue
            new, old = f"s.{q(col.name)}", f"w.{q(warehouse_column(col))}"
            if warehouse_column(col) not in stored:
                # a column added to the contract later (v1.1): a warehouse written before
                # it has no value there
                old = f"NULL::{col.warehouse_type}"
            if col.name in self.t.fill_only:
                where = f"{new} IS NOT NULL AND {old} IS NOT NULL AND {new} <> {old}"
            else:
                unparsable = f"s.{q(col.name + '__bad')} IS NOT NULL"
                if col.name == PERSON:
                    unparsable = f"s.{q(PERSON + '__shown')} IS NOT NULL AND {new} IS NULL"
                where = f"{new} IS DISTINCT FROM {old} AND NOT ({unparsable})"
            self.add("conflicts_with_warehouse", col.name, where, source=source)


def after_day(col: Column, v: str, day: date) -> str:
    """SQL: the value `v` of `col` falls on a (Danish local) day after `day`. A date-time is
    compared with the instant that day ends rather than turned into a date: one constant
    instead of a time-zone conversion per value."""
    if col.warehouse_type == "DATE":
        return f"{v} > DATE {lit(day.isoformat())}"
    return f"{v} >= CAST(DATE {lit((day + timedelta(days=1)).isoformat())} AS TIMESTAMPTZ)"


def outside_years(col: Column, v: str) -> str:
    """SQL: the value `v` of `col` lies outside the column's years (Danish local time)."""
    first, after = f"DATE '{col.years[0]}-01-01'", f"DATE '{col.years[1] + 1}-01-01'"
    if col.warehouse_type != "DATE":
        first, after = (f"CAST({d} AS TIMESTAMPTZ)" for d in (first, after))
    return f"({v} < {first} OR {v} >= {after})"


def warehouse_columns(con: duckdb.DuckDBPyConnection, table_name: str) -> set[str]:
    """The columns the attached warehouse's table has (an older warehouse may lack columns
    the contract has added since; writing adds them, see schema.create_all)."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'wh' "
        "AND schema_name = 'main' AND table_name = ?",
        [table_name],
    ).fetchall()
    return {r[0] for r in rows}


def warehouse_column_of(table_name: str, column: str) -> str:
    return warehouse_column(table(table_name).column(column))


def _lives(con: duckdb.DuckDBPyConnection, has_persons_file: bool) -> None:
    """Birth and death of every known person, the delivery's values taking precedence
    (a delivery may add a death date); with the instants at which the day of birth begins
    (`born_at`) and the day after death ends (`gone_at`), for date-time comparisons."""
    if has_persons_file:
        known = """SELECT a.person, a.birth_date,
                          coalesce(a.death_date, w.death_date) AS death_date
            FROM acc_persons a LEFT JOIN wh.persons w ON w.person_no = a.person
            UNION ALL
            SELECT w.person_no, w.birth_date, w.death_date FROM wh.persons w
            ANTI JOIN acc_persons a ON a.person = w.person_no"""
    else:
        known = "SELECT person_no AS person, birth_date, death_date FROM wh.persons"
    con.execute(
        f"""CREATE OR REPLACE TABLE lives AS
        SELECT person, birth_date, death_date,
               {local_instant_sql("CAST(birth_date AS TIMESTAMP)")} AS born_at,
               {local_instant_sql("CAST(death_date + 2 AS TIMESTAMP)")} AS gone_at
        FROM ({known})"""
    )


_TABLE_RULES: dict[type, Callable[[_Checker, object], None]] = {
    NotBefore: _Checker.not_before,
    Within: _Checker.within,
    CprBirthDate: _Checker.cpr_birth_date,
    References: _Checker.references,
    WithinLifetime: _Checker.within_lifetime,
}


def validate(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    step: Callable[[str], None] = lambda _: None,
) -> None:
    """Fill `errors` and create the `acc_<table>` views of rows that pass every rule."""
    con.execute(ERRORS_DDL)
    lives_ready = False
    for t in load_order():
        f = delivery.files.get(t.name)
        if f is None:
            continue
        step(f.path.name)
        check = _Checker(con, f, delivery)
        check.columns()
        check.duplicate_keys()
        if any(isinstance(r, WithinLifetime) for r in t.rules) and not lives_ready:
            _lives(con, "persons" in delivery.files)
            lives_ready = True
        for rule in t.rules:
            if type(rule) in _TABLE_RULES:
                _TABLE_RULES[type(rule)](check, rule)
        check.warehouse_conflicts()
        # A correction is judged after every other rule of its table: a message it names
        # that another rule rejects takes the correction along.
        for rule in t.rules:
            if isinstance(rule, Replaces):
                check.replaces(rule)
        # Overlaps are judged among the rows that survive every other rule: a period
        # rejected for another reason will not load, so it cannot overlap anything.
        for rule in t.rules:
            if isinstance(rule, NoOverlap):
                check.no_overlap(rule)
        con.execute(
            f"CREATE OR REPLACE VIEW acc_{t.name} AS SELECT * FROM t_{t.name} "
            f"WHERE _row NOT IN (SELECT _row FROM errors WHERE tbl = {lit(t.name)})"
        )
