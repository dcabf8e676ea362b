"""Disclosure control v1.1 (catalogue section "Statistics"): which result cells are hidden.

One implementation for every output path: it marks the results table (`suppressed`,
`suppression`), and export, `indicators show` and the web app read that mark.

*Primary*: a numerator of 1–4; for a percentage also a complement (denominator − numerator)
of 1–4.

*No derivation*: the published cells obey additive relations a viewer can write down —
every relation below is built as a set of (cell, coefficient) rows, one relation id each:

- geography: every unit above the municipality (bilateral collaboration, cluster,
  sundhedsråd, region) is the sum of its municipalities (on its level's structure date), the
  country the sum of all municipalities — so a bilateral collaboration, made of one
  municipality, equals that municipality's cell and is hidden with it. The units of each
  level inside a region or the country cover their parent too, with København (in two
  clusters) counted twice and a municipality in no unit of the level (no sundhedsråd yet)
  added on its own, so region = Σ clusters − København, region = Σ its sundhedsråd + the
  municipalities without one. The country also counts people with no residence, so
  "country = Σ municipalities" may be off by them; it is treated as exact, which only hides
  more.
- time: quarter = Σ its months, year = Σ its quarters = Σ its months, for the indicators
  with quarters and months (their numerators are events in the period, so they add up) —
  where the quarter or year is published (the months up to the extraction have none);
- strata: where the strata partition the total row (a preventable admission has one
  diagnosis group), total = Σ strata, per family where there are two (a referral's service
  and its referring sector); where they partition the denominator (the sector
  combinations), Σ strata = the published denominator;
- shared denominators: some denominators are another indicator's numerator in the same
  unit and year (the residents aged 65+ are `residents_65plus_per_1000`'s numerator and
  `preventable_admissions_65plus`'s denominator in every period of the year). When that
  numerator is hidden, every cell sharing it as denominator is hidden too and its
  denominator is not published: the results table's `denominator` is then NULL, so every
  reader of it (pages, JSON, exports, charts) shows it empty, and `hidden_denominator` keeps
  the number for the operator's unsuppressed export. Otherwise a suppressed cell keeps its
  denominator: with the denominator known, a percentage's complement is hidden exactly when
  its numerator is.

A hidden cell is derivable when a relation holds it as its only hidden cell (chains follow:
a derived cell is then known in its other relations), or when a relation's hidden cells
all stand on one side and add up to 0 (counts are never negative, so each is 0). So,
repeated until no relation is in either state: every such relation proposes one more cell
to hide — the one that is in most such relations (one cell can cover a municipality's
cluster, region and country at once), then the smallest numerator, then the lowest cell —
and a proposal is taken only where it is the best proposal of every relation it is in.
That is "one at a time" for every part of the table that touches, and all parts that do
not touch in the same round, so the rounds stay few on a national result set. Relations
also combine (a quarter's months against their municipalities' totals), so the settled
pattern is then audited by linear algebra (disclosure_audit.py); a cell it finds determined
gets one more cell hidden beside it, and the search settles again, until the audit finds
nothing. The whole country at scale 0.1 (209,331 cells) takes about 30 s, see
docs/indicators-guide.md.
"""

from __future__ import annotations

from collections import defaultdict

from tvaers.indicators import disclosure_audit as audit
from tvaers.indicators.catalogue import Catalogue
from tvaers.indicators.structure import Structure
from tvaers.reference.org import COUNTRY_CODE
from tvaers.vocabulary import AGGREGATE_LEVELS

SUPPRESS_MIN, SUPPRESS_MAX = 1, 4  # a numerator of 1–4 is never shown

# Indicators whose strata partition the unstratified total ('' row): every admission has
# one stay diagnosis, so it falls in exactly one diagnosis group.
STRATA_PARTITION_TOTAL = ("preventable_admissions_65plus",)
# Indicators with families of strata that each partition the total: stratum-id prefix ->
# family ("" takes the strata no other prefix does). A referral has one service and one
# referring sector; a followed-up discharge has one band of hours to its first contact.
STRATA_PARTITION_FAMILIES = {
    "referral_uptake_30d": {"from_": "sector", "": "service"},
    "followup_72h_after_discharge_65plus": {"first_": "hours"},
}
# Indicators whose strata partition the denominator (no total row): every person falls in
# exactly one combination of sectors or `none`.
STRATA_PARTITION_DENOMINATOR = ("chronic_contacts_by_sector",)
# (indicator, stratum) whose numerator in a unit and year is the denominator of `shared_by`
# in the same unit, in every period of that year (catalogue: "Population", "Chronic
# diseases"). chronic_prevalence's strata overlap (a person may have several diseases), so
# they give no relation of their own.
SHARED_DENOMINATORS = (
    ("population", "", "residents_65plus_per_1000"),
    ("population", "", "residents_80plus_per_1000"),
    ("population", "", "ready_for_discharge_days_per_1000"),
    ("residents_65plus_per_1000", "", "preventable_admissions_65plus"),
    ("residents_65plus_per_1000", "", "repeated_acute_admissions_65plus"),
    ("chronic_prevalence", "copd", "acute_admissions_per_1000_copd"),
    ("chronic_prevalence", "t2d", "acute_admissions_per_1000_t2d"),
    ("chronic_prevalence", "any", "chronic_contacts_by_sector"),
    ("chronic_prevalence", "copd", "copd_smoking_cessation_referral"),
)

MAX_ROUNDS = 10_000  # a guard only: every round hides at least one more cell


def geography(structure: Structure) -> list[list[tuple[str, str, int]]]:
    """Every geographic relation as [(level, unit_code, coefficient)], Σ coef × x = 0."""
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    for level, code, _name, municipality in structure.members:
        members[(level, code)].add(municipality)
    municipalities = set().union(*(m for (lv, _), m in members.items() if lv == "municipality"))
    aggregates = {k: v for k, v in members.items() if k[0] != "municipality"}
    relations = [
        [(level, code, 1)] + [("municipality", m, -1) for m in sorted(kids)]
        for (level, code), kids in sorted(aggregates.items())
    ]
    country = ("country", COUNTRY_CODE)
    relations.append([(*country, 1)] + [("municipality", m, -1) for m in sorted(municipalities)])
    bigs = [(k, v) for k, v in aggregates.items() if k[0] == "region"] + [(country, municipalities)]
    for big, big_members in sorted(bigs):
        for part_level in AGGREGATE_LEVELS:
            parts = sorted(
                k
                for k, v in aggregates.items()
                if k[0] == part_level and k != big and v <= big_members
            )
            if parts:
                relations.append(_cover(big, big_members, parts, aggregates))
    return relations


def _cover(big, big_members, parts, members) -> list[tuple[str, str, int]]:
    """big − Σ parts + Σ (times counted − 1) × municipality = 0: the parts cover `big` with
    some municipalities counted twice (København) or not at all."""
    times = defaultdict(int)
    for part in parts:
        for m in members[part]:
            times[m] += 1
    rel = [(*big, 1)] + [(*p, -1) for p in parts]
    rel += [("municipality", m, times[m] - 1) for m in sorted(big_members) if times[m] != 1]
    return rel


def _table(con, name: str, columns: str, rows: list[tuple]) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if rows:
        marks = ", ".join("?" for _ in rows[0])
        con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)


def _stages() -> defaultdict[str, int]:
    """Stage of each indicator: 0 unless its denominator is another's numerator, then one
    more than that one's. Stage by stage, an indicator's own hidden cells are settled
    before they hide the cells sharing them as denominator, so no cell is picked to
    protect a cell that the shared denominator then hides anyway."""
    stage: defaultdict[str, int] = defaultdict(int)
    for _ in SHARED_DENOMINATORS:  # longest chain ≤ the number of links
        for a, _s, b in SHARED_DENOMINATORS:
            stage[b] = max(stage[b], stage[a] + 1)
    return stage


def _cells(con, cat: Catalogue, name: str) -> None:
    stages = _stages()
    _table(
        con,
        "sc_ind",
        "indicator_id VARCHAR, pct BOOLEAN, quarters BOOLEAN, months BOOLEAN, stage INTEGER",
        [
            (i.id, i.is_percentage, "quarter" in i.periods, "month" in i.periods, stages[i.id])
            for i in cat.indicators
        ],
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sc_cell AS
        SELECT row_number() OVER (ORDER BY indicator_id, period, level, unit_code, stratum)
                   AS cid,
               r.indicator_id, r.period, r.period_type, r.level, r.unit_code, r.stratum,
               r.numerator AS x, left(r.period, 4) AS year,
               CASE WHEN r.period_type = 'month'
                    THEN left(r.period, 4) || '-Q'
                         || CAST((CAST(substr(r.period, 6, 2) AS INTEGER) + 2) // 3 AS VARCHAR)
               END AS quarter,
               coalesce(i.quarters, FALSE) AS quarters, coalesce(i.months, FALSE) AS months,
               coalesce(i.stage, 0) AS stage,
               (r.numerator BETWEEN {SUPPRESS_MIN} AND {SUPPRESS_MAX})
                 OR coalesce(i.pct AND r.denominator - r.numerator
                                       BETWEEN {SUPPRESS_MIN} AND {SUPPRESS_MAX}, FALSE)
                   AS hidden,
               FALSE AS shared_hidden
        FROM {name} r LEFT JOIN sc_ind i USING (indicator_id)""")
    con.execute("ALTER TABLE sc_cell ADD COLUMN why VARCHAR")
    con.execute("ALTER TABLE sc_cell ADD COLUMN audited BOOLEAN DEFAULT FALSE")
    con.execute("ALTER TABLE sc_cell ADD COLUMN counted BOOLEAN")
    con.execute("UPDATE sc_cell SET why = 'primary' WHERE hidden")


def _families(cat: Catalogue) -> list[tuple[str, str, str]]:
    """(indicator, stratum, family) of the strata partitions: the total row in every
    family of its indicator, each stratum in its own (if any)."""
    rows = []
    for ind in cat.indicators:
        families = dict(STRATA_PARTITION_FAMILIES.get(ind.id, {}))
        if ind.id in STRATA_PARTITION_TOTAL:
            families[""] = "all"
        if not families:
            continue
        rows += [(ind.id, "", f) for f in sorted(set(families.values()))]
        for s in ind.strata:
            prefix = next((p for p in families if p and s.id.startswith(p)), "")
            if s.id and prefix in families:
                rows.append((ind.id, s.id, families[prefix]))
    return rows


def _relations(con, cat: Catalogue, structure: Structure) -> None:
    rows = [
        (g, lv, code, coef) for g, rel in enumerate(geography(structure)) for lv, code, coef in rel
    ]
    _table(con, "sc_geo", "gid INTEGER, level VARCHAR, unit_code VARCHAR, coef INTEGER", rows)
    _table(con, "sc_fam", "indicator_id VARCHAR, stratum VARCHAR, family VARCHAR", _families(cat))
    partition_den = ", ".join(f"'{i}'" for i in STRATA_PARTITION_DENOMINATOR)
    unit = "indicator_id || '|' || level || '|' || unit_code || '|' || stratum"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sc_rel AS
        WITH raw AS (
            SELECT 'g|' || g.gid || '|' || c.indicator_id || '|' || c.period || '|'
                       || c.stratum AS rk, c.cid, g.coef
            FROM sc_cell c JOIN sc_geo g USING (level, unit_code)
            UNION ALL  -- quarter = Σ months
            SELECT 'q|' || {unit} || '|' || coalesce(quarter, period), cid,
                   CASE WHEN period_type = 'quarter' THEN 1 ELSE -1 END
            FROM sc_cell WHERE months AND period_type IN ('quarter', 'month')
            UNION ALL  -- year = Σ quarters
            SELECT 'y|' || {unit} || '|' || year, cid,
                   CASE WHEN period_type = 'year' THEN 1 ELSE -1 END
            FROM sc_cell WHERE quarters AND period_type IN ('year', 'quarter')
            UNION ALL  -- year = Σ months
            SELECT 'm|' || {unit} || '|' || year, cid,
                   CASE WHEN period_type = 'year' THEN 1 ELSE -1 END
            FROM sc_cell WHERE months AND period_type IN ('year', 'month')
            UNION ALL  -- total = Σ strata (of each family)
            SELECT 's|' || indicator_id || '|' || f.family || '|' || period || '|' || level
                       || '|' || unit_code,
                   cid, CASE WHEN stratum = '' THEN 1 ELSE -1 END
            FROM sc_cell JOIN sc_fam f USING (indicator_id, stratum)
            UNION ALL  -- Σ strata = the published denominator
            SELECT 'd|' || indicator_id || '|' || period || '|' || level || '|' || unit_code,
                   cid, -1
            FROM sc_cell WHERE indicator_id IN ({partition_den or "''"})),
        sized AS (SELECT *, count(*) OVER (PARTITION BY rk) AS size,
                         max(coef) OVER (PARTITION BY rk) AS top FROM raw)
        SELECT dense_rank() OVER (ORDER BY rk) AS rid, cid, coef
        FROM sized
        -- a time relation holds only where its quarter or year is published
        WHERE size >= 2 AND (left(rk, 1) NOT IN ('q', 'y', 'm') OR top = 1)""")
    _table(
        con,
        "sc_link",
        "a_indicator VARCHAR, a_stratum VARCHAR, b_indicator VARCHAR",
        list(SHARED_DENOMINATORS),
    )


def _hide_shared_denominators(con) -> int:
    return con.execute("""
        UPDATE sc_cell SET hidden = TRUE, shared_hidden = TRUE,
                           why = coalesce(sc_cell.why, 'complementary')
        FROM (SELECT DISTINCT l.b_indicator, a.level, a.unit_code, a.period AS year
              FROM sc_cell a JOIN sc_link l
                ON a.indicator_id = l.a_indicator AND a.stratum = l.a_stratum
              WHERE a.hidden AND a.period_type = 'year') s
        WHERE sc_cell.indicator_id = s.b_indicator AND sc_cell.level = s.level
          AND sc_cell.unit_code = s.unit_code AND sc_cell.year = s.year
          AND NOT sc_cell.shared_hidden""").fetchone()[0]


# Per relation, over its cells of the stages so far: how many are hidden and shown, the
# hidden cells' sum and the signs of their coefficients. Kept in `sc_per` and brought up to
# date after each change for only the relations holding a changed cell: a round then reads
# the relations that give a cell away, not every relation of the table again (162 rounds on
# the whole country).
_PER = """
SELECT r.rid,
       count(*) FILTER (WHERE c.hidden) AS n_hidden,
       count(*) FILTER (WHERE NOT c.hidden) AS n_shown,
       sum(c.x) FILTER (WHERE c.hidden) AS x_hidden,
       min(sign(r.coef)) FILTER (WHERE c.hidden) AS s_min,
       max(sign(r.coef)) FILTER (WHERE c.hidden) AS s_max
FROM sc_rel r JOIN sc_cell c USING (cid)
WHERE c.stage <= {stage} {only}
GROUP BY r.rid"""


def _count_relations(con, stage: int) -> None:
    """`sc_per` afresh for `stage`, and every cell's state as counted (`counted`)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE sc_per AS {_PER.format(stage=stage, only='')}")
    con.execute("UPDATE sc_cell SET counted = hidden WHERE counted IS DISTINCT FROM hidden")


def _recount_changed(con, stage: int) -> None:
    """`sc_per` again for the relations holding a cell hidden since it was last counted."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE sc_dirty AS
        SELECT DISTINCT r.rid FROM sc_rel r
        SEMI JOIN (SELECT cid FROM sc_cell WHERE counted IS DISTINCT FROM hidden) c
          USING (cid)""")
    if not con.execute("SELECT count(*) FROM sc_dirty").fetchone()[0]:
        return
    con.execute("DELETE FROM sc_per WHERE rid IN (SELECT rid FROM sc_dirty)")
    only = "AND r.rid IN (SELECT rid FROM sc_dirty)"
    con.execute(f"INSERT INTO sc_per {_PER.format(stage=stage, only=only)}")
    con.execute("UPDATE sc_cell SET counted = hidden WHERE counted IS DISTINCT FROM hidden")


# One round: the relations that give a hidden cell away, each one's proposal, and the
# proposals that are the best of every such relation they are in.
_ROUND = """
WITH open AS (
    SELECT rid, n_hidden = 1 AS lonely, s_min FROM sc_per
    WHERE n_shown > 0
      AND (n_hidden = 1 OR (n_hidden > 1 AND s_min = s_max AND x_hidden = 0))),
cand AS (
    SELECT o.rid, c.cid, c.x
    FROM open o JOIN sc_rel r USING (rid) JOIN sc_cell c USING (cid)
    WHERE c.stage <= {stage} AND NOT c.hidden
      AND (o.lonely OR c.x > 0 OR sign(r.coef) <> o.s_min)),
cover AS (SELECT cid, count(*) AS k FROM cand GROUP BY cid),
ranked AS (
    SELECT c.rid, c.cid,
           row_number() OVER (PARTITION BY c.rid ORDER BY v.k DESC, c.x = 0, c.x, c.cid)
               AS rn
    FROM cand c JOIN cover v USING (cid)),
proposal AS (
    SELECT p.cid, row_number() OVER (ORDER BY v.k DESC, c.x = 0, c.x, p.cid) AS pr
    FROM (SELECT DISTINCT cid FROM ranked WHERE rn = 1) p
    JOIN cover v USING (cid) JOIN sc_cell c USING (cid)),
best AS (
    SELECT c.rid, min(p.pr) AS pr FROM cand c JOIN proposal p USING (cid) GROUP BY c.rid),
taken AS (
    SELECT p.cid FROM proposal p JOIN cand c USING (cid) JOIN best b USING (rid)
    GROUP BY p.cid, p.pr HAVING max(b.pr) = p.pr AND min(b.pr) = p.pr)
UPDATE sc_cell SET hidden = TRUE, why = 'complementary'
FROM taken WHERE sc_cell.cid = taken.cid"""


# For a cell the audit finds determined: one more cell to hide in the relation holding it
# with the fewest hidden cells and at least one shown cell (the cheapest place to add an
# unknown), positive numerators first, then the smallest. Where every relation holding it
# is hidden whole, the relations one step further out (through its hidden neighbours).
_WIDEN = """
WITH d AS (SELECT cid FROM sc_determined),
near AS (
    SELECT d.cid AS det, r.rid, 0 AS step FROM d JOIN sc_rel r USING (cid)
    UNION
    SELECT d.cid, r2.rid, 1 FROM d JOIN sc_rel r USING (cid)
    JOIN sc_rel r1 ON r1.rid = r.rid JOIN sc_cell c ON c.cid = r1.cid AND c.hidden
    JOIN sc_rel r2 ON r2.cid = r1.cid),
counted AS (
    SELECT n.det, n.rid, min(n.step) AS step,
           count(*) FILTER (WHERE c.hidden) AS n_hidden,
           count(*) FILTER (WHERE NOT c.hidden) AS n_shown
    FROM (SELECT det, rid, min(step) AS step FROM near GROUP BY ALL) n
    JOIN sc_rel r USING (rid) JOIN sc_cell c ON c.cid = r.cid GROUP BY n.det, n.rid),
first AS (
    SELECT det, arg_min(rid, (step, n_hidden, rid)) AS rid FROM counted
    WHERE n_shown > 0 GROUP BY det),
pick AS (
    SELECT f.det, arg_min(c.cid, (c.x = 0, c.x, c.cid)) AS cid
    FROM first f JOIN sc_rel r USING (rid) JOIN sc_cell c ON c.cid = r.cid
    WHERE NOT c.hidden GROUP BY f.det)
UPDATE sc_cell SET hidden = TRUE, why = 'complementary'
FROM (SELECT DISTINCT cid FROM pick) p WHERE sc_cell.cid = p.cid"""


def _settle(con) -> int:
    """Hide cells until no relation gives one away, stage by stage; returns the rounds."""
    rounds = 0
    last = con.execute("SELECT max(stage) FROM sc_cell").fetchone()[0] or 0
    for stage in range(last + 1):
        _count_relations(con, stage)
        while rounds < MAX_ROUNDS:
            forced = _hide_shared_denominators(con)
            _recount_changed(con, stage)
            taken = con.execute(_ROUND.format(stage=stage)).fetchone()[0]
            rounds += 1
            if not forced and not taken:
                break
    return rounds


def suppress(con, cat: Catalogue, structure: Structure, name: str = "results") -> int:
    """Mark the cells of results table `name` that disclosure control hides; returns the
    number of rounds the complementary search took."""
    _cells(con, cat, name)
    _relations(con, cat, structure)
    rounds = _settle(con)
    while determined := audit.determined(con):
        _table(con, "sc_determined", "cid BIGINT", [(c,) for c in determined])
        if not con.execute(_WIDEN).fetchone()[0]:
            # Nothing left to hide near them: the relations fix these cells whatever is
            # published (a month forced to equal a hidden year that equals another hidden
            # month), which hiding more numerators cannot change.
            break
        rounds += _settle(con)
    con.execute(f"""
        UPDATE {name} SET suppressed = c.hidden, suppression = c.why,
               denominator = CASE WHEN c.shared_hidden THEN NULL ELSE {name}.denominator END,
               hidden_denominator = CASE WHEN c.shared_hidden THEN {name}.denominator END
        FROM sc_cell c
        WHERE {name}.indicator_id = c.indicator_id AND {name}.period = c.period
          AND {name}.level = c.level AND {name}.unit_code = c.unit_code
          AND {name}.stratum = c.stratum""")
    for table in (
        "sc_rel",
        "sc_cell",
        "sc_geo",
        "sc_ind",
        "sc_link",
        "sc_determined",
        "sc_per",
        "sc_dirty",
    ):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return rounds


def suppress_v1(con, structure: Structure, name: str = "results") -> None:
    """The v1 rule, kept for reference and comparison only (the catalogue: not enough).
    A numerator of 1–4 is suppressed; then within each parent (the cluster or region a
    municipality belongs to, for the same indicator, period and stratum) with exactly one
    suppressed municipality, the municipality with the next smallest numerator is
    suppressed too (ties: the lower code), all lonely parents at once, repeated."""
    _table(
        con,
        "sc_members",
        "level VARCHAR, unit_code VARCHAR, unit_name VARCHAR, municipality_code VARCHAR",
        list(structure.members),
    )
    con.execute(f"""
        UPDATE {name} SET suppressed = numerator BETWEEN {SUPPRESS_MIN} AND {SUPPRESS_MAX},
               suppression = CASE WHEN numerator BETWEEN {SUPPRESS_MIN} AND {SUPPRESS_MAX}
                                  THEN 'primary' END""")
    while True:
        changed = con.execute(f"""
            WITH kids AS (
                SELECT m.level AS parent_level, m.unit_code AS parent_code, r.indicator_id,
                       r.period, r.stratum, r.unit_code, r.numerator, r.suppressed
                FROM {name} r JOIN sc_members m
                  ON m.municipality_code = r.unit_code AND m.level <> 'municipality'
                WHERE r.level = 'municipality'),
            lonely AS (
                SELECT parent_level, parent_code, indicator_id, period, stratum
                FROM kids GROUP BY ALL HAVING sum(CASE WHEN suppressed THEN 1 ELSE 0 END) = 1),
            pick AS (
                SELECT k.indicator_id, k.period, k.stratum, k.unit_code,
                       row_number() OVER (PARTITION BY k.parent_level, k.parent_code,
                                          k.indicator_id, k.period, k.stratum
                                          ORDER BY k.numerator, k.unit_code) AS rn
                FROM kids k JOIN lonely USING (parent_level, parent_code, indicator_id,
                                               period, stratum)
                WHERE NOT k.suppressed)
            UPDATE {name} SET suppressed = TRUE, suppression = 'complementary'
            FROM (SELECT DISTINCT indicator_id, period, stratum, unit_code
                  FROM pick WHERE rn = 1) p
            WHERE {name}.level = 'municipality' AND {name}.unit_code = p.unit_code
              AND {name}.indicator_id = p.indicator_id AND {name}.period = p.period
              AND {name}.stratum = p.stratum AND NOT {name}.suppressed""").fetchone()[0]
        if not changed:
            break
