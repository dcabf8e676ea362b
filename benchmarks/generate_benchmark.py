"""Benchmark `tvaers generate`: wall time, rows per second per table, peak memory.

Each run is a child process (so its peak RSS is its own, from wait4) that calls
tvaers.synth.generate.generate with a progress callback; the callback fires when a stage
finishes, so the time since the previous callback is that stage's (a table's) time.

    .venv/bin/python benchmarks/generate_benchmark.py --region syddanmark --scale 1.0
    .venv/bin/python benchmarks/generate_benchmark.py --region all --format csv

Results are printed as a markdown table and written as JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

CHILD = r"""
import json, sys, time
from pathlib import Path
from tvaers.synth.generate import generate
args = json.loads(sys.argv[1])
stages, last = [], [time.perf_counter()]
def progress(name, done, total):
    now = time.perf_counter()
    stages.append((name, now - last[0]))
    last[0] = now
r = generate(Path(args["out"]), region=args["region"], scale=args["scale"],
             years=tuple(args["years"]), seed=args["seed"], fmt=args["fmt"],
             person_key=args["person_key"], progress=progress)
print(json.dumps({"seconds": r.seconds, "persons": r.persons, "rows": r.rows,
                  "stages": stages}))
"""


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "git_commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip(),
    }


def run(args: argparse.Namespace, out: Path) -> dict:
    params = {
        "out": str(out),
        "region": args.region,
        "scale": args.scale,
        "years": [int(y) for y in args.years.split("-")],
        "seed": args.seed,
        "fmt": args.format,
        "person_key": args.person_key,
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(params)], stdout=subprocess.PIPE, text=True
    )
    started = time.perf_counter()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    output = proc.stdout.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"generate failed (exit {os.waitstatus_to_exitcode(status)})")
    result = json.loads(output.strip().splitlines()[-1])
    stage_seconds = dict(result["stages"])
    per_table = {
        table: {
            "rows": n,
            "seconds": round(stage_seconds.get(table, 0.0), 2),
            "rows_per_s": round(n / stage_seconds[table]) if stage_seconds.get(table) else None,
        }
        for table, n in result["rows"].items()
    }
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        **params,
        "persons": result["persons"],
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "output_mb": round(size / 1e6),
        "total_rows": sum(result["rows"].values()),
        "rows_per_s": round(sum(result["rows"].values()) / wall),
        "stages_s": {k: round(v, 2) for k, v in stage_seconds.items()},
        "tables": per_table,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="syddanmark")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--years", default="2019-2024")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", default="parquet", choices=("parquet", "csv"))
    parser.add_argument("--person-key", default="cpr", choices=("cpr", "person_id"))
    parser.add_argument("--results-dir", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--data-dir", type=Path, default=Path("benchmarks/data"))
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.data_dir, prefix="generate-") as tmp:
        result = run(args, Path(tmp) / "out")
    print(
        f"\n{args.region} × {args.scale}, {args.years}, {args.format}: "
        f"{result['persons']:,} persons, {result['total_rows']:,} rows in {result['wall_s']} s, "
        f"peak {result['peak_rss_mb']:,} MB RSS, {result['output_mb']:,} MB written\n"
    )
    print("| table | rows | seconds | rows/s |\n|---|---:|---:|---:|")
    for table, t in result["tables"].items():
        print(f"| {table} | {t['rows']:,} | {t['seconds']} | {t['rows_per_s'] or '—':,} |")
    print(
        "| (persons, stays, care work tables) | | "
        + " + ".join(f"{result['stages_s'].get(s, 0)}" for s in ("persons", "stays", "care"))
        + " | |"
    )
    args.results_dir.mkdir(parents=True, exist_ok=True)
    name = f"generate-{args.region}-{args.scale:g}-{args.format}-{date.today()}.json"
    (args.results_dir / name).write_text(
        json.dumps(
            {"machine": machine(), "run_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "result": result},
            indent=2,
        )
        + "\n"
    )
    print(f"\nwritten to {args.results_dir / name}")


if __name__ == "__main__":
    main()
