"""Disclosure control on a computed result set: the information loss and the time it takes.

Reads the result file beside a warehouse (`tvaers indicators compute` writes it), applies
the v1.1 rule (the one `compute` uses) and, for comparison, the old v1 rule to copies of its
results table in memory, and prints the cells suppressed — primary and complementary — per
level and period type, with the time of each rule. The result file is not changed.

    python benchmarks/disclosure_benchmark.py --db benchmarks/data/country.duckdb \
        [--json benchmarks/results/disclosure-country-0.1.json]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import duckdb

from tvaers.indicators import catalogue, structure, suppression
from tvaers.indicators.results import open_results, read_run, results_path
from tvaers.sql import lit

LEVELS = ("country", "region", "cluster", "municipality")
PERIOD_TYPES = ("year", "quarter", "month")


def load(db: Path) -> tuple[duckdb.DuckDBPyConnection, structure.Structure]:
    src = open_results(db)
    run = read_run(src)
    src.close()
    con = duckdb.connect()
    con.execute(f"ATTACH {lit(str(results_path(db)))} AS src (READ_ONLY)")
    con.execute("CREATE TABLE results AS SELECT * FROM src.results")
    con.execute("DETACH src")
    dates = {k: date.fromisoformat(v) for k, v in run.structure_dates.items()}
    return con, structure.on_dates(dates)


def reset(con, name: str) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM results")
    con.execute(
        f"UPDATE {name} SET suppressed = FALSE, suppression = NULL, "
        "denominator = coalesce(denominator, hidden_denominator), hidden_denominator = NULL"
    )


def loss(con, name: str) -> list[dict]:
    rows = con.execute(f"""
        SELECT level, period_type, count(*) AS cells,
               count(*) FILTER (WHERE suppression = 'primary') AS primary_,
               count(*) FILTER (WHERE suppression = 'complementary') AS complementary
        FROM {name} GROUP BY ALL""").fetchall()
    return [
        {"level": lv, "period_type": pt, "cells": n, "primary": p, "complementary": c}
        for lv, pt, n, p, c in sorted(
            rows, key=lambda r: (LEVELS.index(r[0]), PERIOD_TYPES.index(r[1]))
        )
    ]


def table(v11: list[dict], v1: list[dict]) -> str:
    old = {(r["level"], r["period_type"]): r for r in v1}
    lines = [
        "| level | period type | cells | primary | complementary | suppressed | "
        "v1: complementary | v1: suppressed |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    tot = dict.fromkeys(("cells", "primary", "complementary", "v1c", "v1p"), 0)
    for r in v11:
        o = old[(r["level"], r["period_type"])]
        hidden = r["primary"] + r["complementary"]
        lines.append(
            f"| {r['level']} | {r['period_type']} | {r['cells']:,} | {r['primary']:,} | "
            f"{r['complementary']:,} | {hidden:,} ({100 * hidden / r['cells']:.1f} %) | "
            f"{o['complementary']:,} | {o['primary'] + o['complementary']:,} |"
        )
        tot["cells"] += r["cells"]
        tot["primary"] += r["primary"]
        tot["complementary"] += r["complementary"]
        tot["v1c"] += o["complementary"]
        tot["v1p"] += o["primary"] + o["complementary"]
    hidden = tot["primary"] + tot["complementary"]
    lines.append(
        f"| all | all | {tot['cells']:,} | {tot['primary']:,} | {tot['complementary']:,} | "
        f"{hidden:,} ({100 * hidden / tot['cells']:.1f} %) | {tot['v1c']:,} | {tot['v1p']:,} |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="the warehouse")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    con, struct = load(args.db)
    cat = catalogue.load()
    reset(con, "v11")
    t0 = time.perf_counter()
    rounds = suppression.suppress(con, cat, struct, "v11")
    t_v11 = time.perf_counter() - t0
    reset(con, "v1")
    t0 = time.perf_counter()
    suppression.suppress_v1(con, struct, "v1")
    t_v1 = time.perf_counter() - t0
    v11, v1 = loss(con, "v11"), loss(con, "v1")
    print(table(v11, v1))
    print(f"\nv1.1: {t_v11:.1f} s, {rounds} rounds; v1: {t_v1:.1f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "db": str(args.db),
                    "seconds_v1_1": round(t_v11, 2),
                    "rounds_v1_1": rounds,
                    "seconds_v1": round(t_v1, 2),
                    "v1_1": v11,
                    "v1": v1,
                },
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
