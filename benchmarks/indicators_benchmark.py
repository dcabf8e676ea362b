"""Benchmark `tvaers indicators compute`: all v1 indicators, all levels and periods.

Each run is a child process; a sampler sums the resident memory of the child and all its
descendants (Spark's JVM included) every 0.2 s, so the peak is the whole run's. Steps are
timed through the progress callback.

    .venv/bin/python benchmarks/indicators_benchmark.py --db benchmarks/data/syd.duckdb
    .venv/bin/python benchmarks/indicators_benchmark.py --db … --engine spark
    .venv/bin/python benchmarks/indicators_benchmark.py --db … --engine pandas

`--engine pandas` is the baseline: one indicator (preventable admissions 65+, per year and
municipality, crude) written the straightforward way in pandas (benchmarks/pandas_baseline.py),
checked against the engine's published numbers for the same cells.

The warehouse is made with `tvaers generate` + `tvaers ingest` (see docs/performance.md).
Results are printed and written as JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parent))
from generate_benchmark import machine

CHILD = r"""
import json, sys, time
from pathlib import Path
args = json.loads(sys.argv[1])
steps, last = [], [time.perf_counter()]
def progress(name, done, total):
    now = time.perf_counter()
    steps.append((name, round(now - last[0], 2)))
    last[0] = now
if args["engine"] == "pandas":
    sys.path.insert(0, args["bench_dir"])
    from pandas_baseline import preventable_by_municipality
    started = time.perf_counter()
    table = preventable_by_municipality(Path(args["db"]))
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(table),
                      "cells": table, "steps": []}))
else:
    from tvaers.indicators.compute import compute
    from tvaers.indicators.profile import profile_document
    r = compute(Path(args["db"]), engine=args["engine"], progress=progress)
    print(json.dumps({"seconds": r.seconds, "rows": r.rows, "years": r.years, "steps": steps,
                      "profile": profile_document(r)}))
"""

# The floor: what reading the data the engine reads most of costs on this machine, in this
# run — every column the indicators use of the hospital contacts and the GP contacts, read
# once by DuckDB with the engine's settings. Compute time over this is a ratio that survives
# a change of machine (issue: a figure recorded on one processor said little of another).
FLOOR = r"""
import json, sys, time
import duckdb
from tvaers.indicators.engine import DuckDBEngine
args = json.loads(sys.argv[1])
engine = DuckDBEngine(__import__("pathlib").Path(args["db"]))
passes = []
for _ in range(2):
    started = time.perf_counter()
    engine.con.execute(
        "SELECT max(contact_id), max(person_no), max(epoch(start_ts)), max(epoch(end_ts)),"
        " max(contact_type), max(priority), max(sector), max(diagnosis), max(ready_ts),"
        " max(discharged_to) FROM in_contacts").fetchall()
    engine.con.execute("SELECT max(person_no), max(epoch(at_ts)) FROM in_gp").fetchall()
    passes.append(time.perf_counter() - started)
print(json.dumps({"passes": passes}))
"""
# Two passes, and the second counts: the first also reads from disk whatever the page cache
# no longer holds (the whole-country run uses 11 GB of 24, and a first pass after it took
# 52.5 s against 5.8 s warm), which measures the cache, not the machine.


# Two operations that any engine on DuckDB must do for this catalogue, each timed warm (the
# second of two passes) like the floor: the stays' ordering of every physical contact per
# person and sector by time (one window pass, no attributes carried), and the GP contacts
# counted per person and year (one hash aggregate over every GP contact). Their sum over the
# floor is a lower bound of compute / floor for an engine of the kind Tværs has.
LOWER_BOUND = r"""
import json, sys, time
from tvaers.indicators import catalogue
from tvaers.indicators.engine import DuckDBEngine
from tvaers.sql import text_list
args = json.loads(sys.argv[1])
engine = DuckDBEngine(__import__("pathlib").Path(args["db"]))
types = text_list(catalogue.load().blocks.stay_contact_types)
queries = {
    "stays_window_pass": "SELECT max(rn) FROM (SELECT row_number() OVER (PARTITION BY "
    "person_no, sector ORDER BY epoch(start_ts), epoch(end_ts), contact_id) AS rn "
    f"FROM in_contacts WHERE contact_type IN ({types}) AND end_ts IS NOT NULL)",
    "gp_per_person_and_year": "SELECT count(*) FROM (SELECT person_no, "
    "CAST(floor(epoch(at_ts) / 31556952) AS INT) AS y, count(*) FROM in_gp GROUP BY ALL)",
}
out = {}
for name, sql in queries.items():
    for _ in range(2):
        started = time.perf_counter()
        engine.con.execute(sql).fetchall()
        out[name] = time.perf_counter() - started
print(json.dumps(out))
"""


def _measure(script: str, db: Path) -> dict:
    """Run a measuring script in a fresh process (its own DuckDB, nothing cached in it) and
    read the JSON it prints last."""
    out = subprocess.run(
        [sys.executable, "-c", script, json.dumps({"db": str(db)})],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def lower_bound(db: Path) -> dict[str, float]:
    return _measure(LOWER_BOUND, db)


def floor(db: Path) -> tuple[float, float]:
    """(first pass, second pass) seconds of the scan floor; the second is the floor."""
    first, second = _measure(FLOOR, db)["passes"]
    return first, second


def _tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and every descendant, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry.name)] = int(line.split()[1])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run(db: Path, engine: str) -> dict:
    params = {"db": str(db), "engine": engine, "bench_dir": str(Path(__file__).parent)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(params)], stdout=subprocess.PIPE, text=True
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    output, _ = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{engine} run failed (exit {proc.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    return {
        "engine": engine,
        "wall_s": round(wall, 1),
        "compute_s": round(result["seconds"], 1),
        "peak_rss_mb": round(peak[0] / 1024),
        "result_rows": result["rows"],
        "steps_s": dict(result["steps"]),
        **({"profile": result["profile"]} if "profile" in result else {}),
        **({"cells": result["cells"]} if "cells" in result else {}),
    }


def check_baseline(db: Path, cells: list) -> dict:
    """The baseline's cells must equal the engine's published unsuppressed numbers, in the
    years the engine computed (the baseline counts every year the data touches)."""
    from tvaers.indicators.results import results_path

    con = duckdb.connect(str(results_path(db)), read_only=True)
    engine = {
        (y, m): (n, d)
        for y, m, n, d in con.execute(
            "SELECT period, unit_code, numerator, denominator FROM results "
            "WHERE indicator_id = 'preventable_admissions_65plus' AND stratum = '' "
            "AND level = 'municipality' AND period_type = 'year'"
        ).fetchall()
    }
    years = {y for y, _ in engine}
    compared = [c for c in cells if str(c[0]) in years]
    differing = [c for c in compared if engine.get((str(c[0]), c[1])) != (c[2], c[3])]
    return {
        "compared": len(compared),
        "differing": len(differing),
        "examples": [[*c, engine.get((str(c[0]), c[1]))] for c in differing[:5]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--engine", default="duckdb", choices=("duckdb", "spark", "pandas"))
    parser.add_argument("--label", default=None, help="Name of the data, e.g. syddanmark")
    parser.add_argument("--results-dir", type=Path, default=Path("benchmarks/results"))
    parser.add_argument(
        "--lower-bound",
        action="store_true",
        help="also time two operations every engine on DuckDB needs (see LOWER_BOUND)",
    )
    args = parser.parse_args()
    wh = duckdb.connect(str(args.db), read_only=True)
    sizes = {
        t: wh.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        for t in ("persons", "hospital_contacts", "gp_contacts", "prescriptions")
    }
    wh.close()
    first_before, floor_before = floor(args.db)
    result = run(args.db, args.engine)
    first_after, floor_after = floor(args.db)
    # The floor before and after the run: their spread says how steady the machine was.
    result["floor_s"] = [round(floor_before, 2), round(floor_after, 2)]
    result["floor_first_pass_s"] = [round(first_before, 2), round(first_after, 2)]
    result["compute_over_floor"] = round(result["compute_s"] / min(floor_before, floor_after), 1)
    if args.lower_bound:
        bound = lower_bound(args.db)
        result["lower_bound_s"] = {k: round(v, 2) for k, v in bound.items()}
        result["lower_bound_over_floor"] = round(
            sum(bound.values()) / min(floor_before, floor_after), 1
        )
    if args.engine == "pandas":
        result["check"] = check_baseline(args.db, result.pop("cells"))
    label = args.label or args.db.stem
    record = {
        "machine": machine(),
        "run_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "data": {"warehouse": str(args.db), "label": label, "rows": sizes},
        "result": result,
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    path = args.results_dir / f"indicators-{label}-{args.engine}-{date.today().isoformat()}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(
        f"{label} ({sizes['persons']:,} persons, {sizes['hospital_contacts']:,} contacts), "
        f"{args.engine}: {result['wall_s']} s wall, {result['compute_s']} s compute, "
        f"peak {result['peak_rss_mb']:,} MB, {result['result_rows']:,} result rows; "
        f"scan floor {result['floor_s']} s, compute = {result['compute_over_floor']} × floor"
    )
    if "lower_bound_s" in result:
        print(
            f"  lower bound {result['lower_bound_s']} s = "
            f"{result['lower_bound_over_floor']} × floor"
        )
    for step, seconds in result["steps_s"].items():
        print(f"  {step:45s} {seconds:8.2f} s")
    if "check" in result:
        check = result["check"]
        print(
            f"  cells compared with the engine: {check['compared']}, differing: "
            f"{check['differing']} {check['examples']}"
        )
    print(f"written to {path}")


if __name__ == "__main__":
    main()
