"""Benchmark the data packs (docs/data-packs.md): one pack (target ≤ 10 s) and every pack of
a level, by default every cluster of the country (target ≤ 3 minutes on 2 cores).

Give it a warehouse whose result set has been computed (`tvaers indicators compute`). A
pack's size and work depend on the result set's units and periods, not on how many people
the warehouse holds, so a whole-country result set computed from a small generated
population (`tvaers generate --region all --scale 0.005`) has the shape of the real one.

    .venv/bin/python benchmarks/packs_benchmark.py --db nat.duckdb --label country-0.005

Wall time and CPU time are recorded both: the machine may be shared, and CPU time / cores
says what the run would take on cores of its own. Results are printed and written as JSON
to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from tvaers.reports.batch import make_all, make_pack, open_snapshot

RESULTS = Path(__file__).parent / "results"


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _machine() -> dict:
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {"cpu": model, "cores": os.cpu_count(), "load": os.getloadavg(), "commit": commit}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--level", default="cluster")
    parser.add_argument("--unit", help="LEVEL:CODE of the single pack (default: first unit)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    start, cpu = time.perf_counter(), _cpu_seconds()
    snap = open_snapshot(args.db)
    read_s = time.perf_counter() - start
    rows = sum(len(v) for v in snap.index.values())
    level, _, code = (args.unit or f"{args.level}:{next(iter(snap.units[args.level]))}").partition(
        ":"
    )
    one_start = time.perf_counter()
    made = make_pack(snap, level, code, None, "da", "pdf")
    one_s = time.perf_counter() - one_start
    one_cpu = _cpu_seconds() - cpu
    # Again, warm: what every further pack in the same process costs.
    warm_start = time.perf_counter()
    make_pack(snap, level, code, None, "da", "pdf")
    warm_s = time.perf_counter() - warm_start

    with tempfile.TemporaryDirectory() as out:
        cpu_all = _cpu_seconds()
        done = make_all(args.db, snap, args.level, None, "da", Path(out), args.workers)
        all_cpu = _cpu_seconds() - cpu_all
        sizes = [Path(f).stat().st_size for f in done.files]
    record = {
        "date": date.today().isoformat(),
        "at": datetime.now().isoformat(timespec="seconds"),
        "label": args.label,
        "db": str(args.db),
        "result_rows": rows,
        "units": {lv: len(u) for lv, u in snap.units.items()},
        "read_result_set_s": round(read_s, 2),
        "one_pack": {
            "unit": f"{level}:{code}",
            "cold_s": round(read_s + one_s, 2),
            "cold_cpu_s": round(one_cpu, 2),
            "warm_s": round(warm_s, 2),
            "bytes": len(made.data),
        },
        "all_packs": {
            "level": args.level,
            "packs": len(done.files),
            "workers": args.workers,
            "wall_s": round(done.seconds, 1),
            "cpu_s": round(all_cpu, 1),
            "cpu_s_per_pack": round(all_cpu / max(len(done.files), 1), 2),
            "mean_bytes": round(sum(sizes) / max(len(sizes), 1)),
        },
        "machine": _machine(),
    }
    print(json.dumps(record, indent=2, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    name = f"packs-{args.label or 'run'}-{record['date']}.json"
    (RESULTS / name).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
