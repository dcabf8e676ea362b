"""From cells to results: sums per unit of every level, crude and standardised values with
their intervals, and disclosure control (catalogue section "Statistics").

Runs in DuckDB on the cells, whichever engine counted them: the cells are small (a few
million rows for the whole country), and doing this part once keeps both engines' results
identical by construction.

The results table keeps the unsuppressed numbers and marks what disclosure control
(suppression.py) hides; every output path (export, show, the web app) applies the mark
unless an operator asks for the unsuppressed values.
"""

from __future__ import annotations

import numpy as np

from tvaers.indicators import stats, suppression
from tvaers.indicators.catalogue import Catalogue
from tvaers.indicators.structure import Structure, unit_names
from tvaers.reference.org import COUNTRY_CODE

RESULTS_DDL = """
CREATE OR REPLACE TABLE {name} (
    indicator_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    period_type VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    unit_name VARCHAR NOT NULL,
    stratum VARCHAR NOT NULL,      -- '' for the unstratified row
    numerator DOUBLE NOT NULL,     -- a count, or days for day counts
    denominator BIGINT,            -- NULL where the indicator has none (population), or
                                   -- where it is another indicator's hidden numerator
    value DOUBLE,
    ci_low DOUBLE,
    ci_high DOUBLE,
    std_value DOUBLE,
    std_ci_low DOUBLE,
    std_ci_high DOUBLE,
    suppressed BOOLEAN NOT NULL,
    suppression VARCHAR,           -- 'primary' (numerator, or a percentage's complement,
                                   -- 1–4) or 'complementary' (see suppression.py)
    provisional BOOLEAN NOT NULL,  -- holds index stays ending < 30 days before extraction
    hidden_denominator BIGINT      -- the denominator where it is not published (above)
)"""


def _register(con, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
    cols = ", ".join(f"{c} {t}" for c, t in columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({cols})")
    if rows:
        con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' for _ in columns)})", rows)


def _sums(con, cat: Catalogue, structure: Structure) -> None:
    """Numerator and denominator per unit of every level (`r_unit`), with the sums of the
    direct age and sex standardisation where the indicator has one."""
    _register(
        con,
        "r_members",
        [
            ("level", "VARCHAR"),
            ("unit_code", "VARCHAR"),
            ("unit_name", "VARCHAR"),
            ("municipality_code", "VARCHAR"),
        ],
        list(structure.members),
    )
    standardised = ", ".join(f"'{i.id}'" for i in cat.indicators if i.standardised) or "''"
    is_standardised = f"indicator_id IN ({standardised})"
    # Sex and age band are kept above the municipality only where the standardisation needs
    # them; the other indicators' cells are summed straight to their units (about half the
    # cells of the whole country, and no sorted sums for them).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE r_band AS
        WITH c AS (
            SELECT indicator_id, period, municipality_code, stratum, sex, band,
                   sum(numerator) AS x, sum(denominator) AS n, sum(n_provisional) AS pv
            FROM cells WHERE {is_standardised} GROUP BY ALL)
        SELECT m.level, m.unit_code, c.indicator_id, c.period, c.stratum, c.sex, c.band,
               sum(c.x) AS x, sum(c.n) AS n, sum(c.pv) AS pv
        FROM c JOIN r_members m USING (municipality_code) GROUP BY ALL
        UNION ALL
        SELECT 'country', '{COUNTRY_CODE}', indicator_id, period, stratum, sex, band,
               sum(x), sum(n), sum(pv)
        FROM c GROUP BY ALL""")
    # The standard population: the indicator's denominator population of the whole
    # warehouse in the same period, so the country's standardised value is its crude one.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE r_weights AS
        SELECT indicator_id, period, stratum, sex, band,
               n / sum(n) OVER (PARTITION BY indicator_id, period, stratum) AS w
        FROM r_band
        WHERE level = 'country' AND n > 0""")
    # y = Σ w x/n and the variance terms of stats.py; a band without denominator in the
    # unit adds nothing. The floating-point sums run in a fixed order (sex, band): a parallel
    # sum adds in whatever order the threads finish, and the last bit of a standardised
    # value would then differ from run to run and from machine to machine.
    ordered = "ORDER BY b.sex, b.band"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE r_unit AS
        SELECT b.level, b.unit_code, b.indicator_id, b.period, b.stratum,
               sum(b.x) AS x, sum(b.n) AS n, sum(b.pv) AS pv,
               sum(CASE WHEN b.n > 0 THEN w.w * b.x / b.n END {ordered}) AS y,
               sum(CASE WHEN b.n > 0 THEN w.w * w.w * b.x / (b.n * b.n) END {ordered})
                   AS v_rate,
               sum(CASE WHEN b.n > 0
                        THEN w.w * w.w * (b.x / b.n) * (1 - b.x / b.n) / b.n END {ordered})
                   AS v_pct,
               max(CASE WHEN b.n > 0 THEN w.w / b.n END) AS wm
        FROM r_band b LEFT JOIN r_weights w USING (indicator_id, period, stratum, sex, band)
        GROUP BY ALL""")
    con.execute(f"""
        INSERT INTO r_unit
        WITH c AS (
            SELECT indicator_id, period, municipality_code, stratum,
                   sum(numerator) AS x, sum(denominator) AS n, sum(n_provisional) AS pv
            FROM cells WHERE NOT {is_standardised} GROUP BY ALL)
        SELECT m.level, m.unit_code, c.indicator_id, c.period, c.stratum,
               sum(c.x), sum(c.n), sum(c.pv), NULL, NULL, NULL, NULL
        FROM c JOIN r_members m USING (municipality_code) GROUP BY ALL
        UNION ALL
        SELECT 'country', '{COUNTRY_CODE}', indicator_id, period, stratum,
               sum(x), sum(n), sum(pv), NULL, NULL, NULL, NULL
        FROM c GROUP BY ALL""")


def _values(con, cat: Catalogue) -> None:
    """Values and intervals, by the catalogue's rules, vectorised per indicator."""
    cols = con.execute(
        "SELECT rowid AS rid, indicator_id, x, n, y, v_rate, v_pct, wm FROM r_unit"
    ).fetchnumpy()
    ids = cols["indicator_id"]
    out = {k: np.full(len(ids), np.nan) for k in ("value", "lo", "hi", "sv", "slo", "shi")}
    for ind in cat.indicators:
        sel = ids == ind.id
        if not sel.any():
            continue
        x = np.asarray(cols["x"][sel], dtype=float)
        n = np.asarray(cols["n"][sel], dtype=float)
        if not ind.has_denominator:
            out["value"][sel] = x
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            out["value"][sel] = np.where(n > 0, x / np.where(n > 0, n, 1) * ind.factor, np.nan)
        ci = stats.wilson_ci if ind.interval == "wilson" else stats.poisson_ci
        out["lo"][sel], out["hi"][sel] = ci(x, n, ind.factor)
        if ind.standardised:
            y = np.asarray(cols["y"][sel], dtype=float)
            out["sv"][sel] = y * ind.factor
            if ind.is_percentage:
                v = np.asarray(cols["v_pct"][sel], dtype=float)
                out["slo"][sel], out["shi"][sel] = stats.normal_ci(y, v, ind.factor)
            else:
                v = np.asarray(cols["v_rate"][sel], dtype=float)
                wm = np.asarray(cols["wm"][sel], dtype=float)
                out["slo"][sel], out["shi"][sel] = stats.fay_feuer_ci(y, v, wm, ind.factor)
    con.register("r_values_np", {"rid": cols["rid"], **out})
    con.execute("CREATE OR REPLACE TEMP TABLE r_values AS SELECT * FROM r_values_np")
    con.unregister("r_values_np")


def _null(col: str) -> str:
    return f"CASE WHEN isnan({col}) THEN NULL ELSE {col} END"


def build_results(con, cat: Catalogue, structure: Structure, name: str = "results") -> None:
    """Create the results table `name` in `con` from its `cells` table, under disclosure
    control."""
    roll_up(con, cat, structure, name)
    suppression.suppress(con, cat, structure, name)


def roll_up(con, cat: Catalogue, structure: Structure, name: str = "results") -> None:
    """The results table `name` with nothing marked hidden yet: only for a caller that puts
    it under disclosure control next (`suppression.suppress`), as build_results does."""
    _sums(con, cat, structure)
    _values(con, cat)
    _register(
        con,
        "r_names",
        [("level", "VARCHAR"), ("unit_code", "VARCHAR"), ("unit_name", "VARCHAR")],
        [(lvl, code, nm) for (lvl, code), nm in unit_names().items()],
    )
    _register(
        con,
        "r_ind",
        [("indicator_id", "VARCHAR"), ("has_den", "BOOLEAN")],
        [(i.id, i.has_denominator) for i in cat.indicators],
    )
    con.execute(RESULTS_DDL.format(name=name))
    con.execute(f"""
        INSERT INTO {name}
        SELECT u.indicator_id, u.period,
               CASE WHEN u.period LIKE '%-Q%' THEN 'quarter'
                    WHEN u.period LIKE '%-%' THEN 'month' ELSE 'year' END,
               u.level, u.unit_code, coalesce(nm.unit_name, u.unit_code), u.stratum,
               u.x, CASE WHEN i.has_den THEN u.n END,
               {_null("v.value")}, {_null("v.lo")}, {_null("v.hi")},
               {_null("v.sv")}, {_null("v.slo")}, {_null("v.shi")},
               FALSE, NULL, u.pv > 0, NULL
        FROM r_unit u JOIN r_values v ON v.rid = u.rowid
        JOIN r_ind i USING (indicator_id)
        LEFT JOIN r_names nm USING (level, unit_code)""")
