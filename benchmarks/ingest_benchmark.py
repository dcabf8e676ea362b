"""Benchmark `tvaers ingest` on synthetic deliveries: wall time, rows/s and peak memory.

    .venv/bin/python benchmarks/ingest_benchmark.py            # 1M persons, 10M contacts
    .venv/bin/python benchmarks/ingest_benchmark.py --quick    # 10k persons, 100k contacts
    .venv/bin/python benchmarks/ingest_benchmark.py --formats parquet --stages
    .venv/bin/python benchmarks/ingest_benchmark.py --floor     # and DuckDB's own plain copy
    .venv/bin/python benchmarks/ingest_benchmark.py --delivery benchmarks/data/syd-delivery

Deliveries are made by `make_delivery.py` under benchmarks/data/ (git-ignored) and reused
while their parameters and the generator version are unchanged. Each run is the real CLI,
`python -m tvaers ingest DELIVERY --db FRESH.duckdb`, in a child process; wall time is
measured around it and peak RSS and CPU time come from the child's own rusage (os.wait4).
The files are read once before the run (the fingerprint timing does that), so the run
sees a warm page cache. `--stages` adds a separate in-process run (`stage_profile.py`)
that times every SQL statement of the ingest.

Prints a markdown table and writes benchmarks/results/ingest-<date>[-quick].json with
machine info. Exits non-zero if any ingest did not load every row.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from make_delivery import GENERATOR_VERSION, TABLE_NAMES
from stage_profile import render as render_profile
from tvaers.warehouse.delivery import fingerprint

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BENCHMARK_KEY = "ab" * 32  # a throw-away pseudonymisation key: every run gets a fresh warehouse
# The CLI's closing line (English in the child, numbers with thousands separators).
_LOADED = re.compile(r"([\d,]+) rows loaded \+ ([\d,]+) quarantined = ([\d,]+) delivered")


# --- machine ------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def machine_info() -> dict:
    status = _git("status", "--porcelain", "--untracked-files=no", "--", "src")
    return {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "src_modified": bool(status) if status is not None else None,
    }


# --- deliveries ---------------------------------------------------------------------


def delivery_params(fmt: str, key: str, persons: int, contacts: int, seed: int) -> dict:
    return {
        "generator_version": GENERATOR_VERSION,
        "format": fmt,
        "person_key": key,
        "persons": persons,
        "contacts": contacts,
        "seed": seed,
    }


def ensure_delivery(data_dir: Path, params: dict) -> tuple[Path, bool]:
    """The delivery for these parameters, made unless an identical one is already there."""
    name = "delivery-{format}-{person_key}-p{persons}-c{contacts}-s{seed}".format(**params)
    directory = data_dir / name
    stamp = data_dir / f"{name}.params.json"
    files = [directory / f"{t}.{params['format']}" for t in TABLE_NAMES]
    if stamp.exists() and all(f.exists() for f in files):
        try:
            if json.loads(stamp.read_text()) == params:
                return directory, True
        except json.JSONDecodeError:
            pass
    stamp.unlink(missing_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        str(HERE / "make_delivery.py"),
        "--out",
        str(directory),
        "--persons",
        str(params["persons"]),
        "--contacts",
        str(params["contacts"]),
        "--format",
        params["format"],
        "--person-key",
        params["person_key"],
        "--seed",
        str(params["seed"]),
    ]
    subprocess.run(cmd, check=True)
    stamp.write_text(json.dumps(params) + "\n")
    return directory, False


# --- one run --------------------------------------------------------------------------


def _child_env() -> dict:
    env = dict(os.environ)
    env["TVAERS_SECRET_KEY"] = BENCHMARK_KEY
    env["TVAERS_LANG"] = "en"  # the summary line is parsed
    env.pop("TVAERS_DB", None)
    return env


def _spill_bytes(directory: Path) -> int:
    """Bytes in the ingest's spill directories (`<db>.work-<pid>-spill/`) under `directory`."""
    total = 0
    for spill in directory.glob("*.work-*-spill"):
        for root, _, files in os.walk(spill):
            for name in files:
                with contextlib.suppress(OSError):
                    total += os.stat(os.path.join(root, name)).st_size
    return total


def run_child(cmd: list[str], log_path: Path, watch: Path | None = None) -> dict:
    """Run `cmd`; wall time, exit code, the child's peak RSS and CPU from os.wait4, and
    the peak size of DuckDB's spill files under `watch` (sampled every 0.25 s)."""
    peak_spill = 0
    with log_path.open("wb") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=_child_env())
        next_sample = started
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if watch is not None and now >= next_sample:
                peak_spill = max(peak_spill, _spill_bytes(watch))
                next_sample = now + 0.25
            time.sleep(0.02)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return {
        "exit_code": proc.returncode,
        "wall_s": wall,
        # Linux reports ru_maxrss in KiB
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "cpu_user_s": usage.ru_utime,
        "cpu_sys_s": usage.ru_stime,
        "peak_spill_mb": peak_spill / 1e6,
    }


def _warehouse_counts(db: Path, tables) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def made_rows(params: dict) -> dict[str, int]:
    """Rows per table of a delivery made by make_delivery.py."""
    p, c = params["persons"], params["contacts"]
    return {"persons": p, "residence": p, "hospital_contacts": c}


def file_rows(directory: Path) -> dict[str, int]:
    """Rows per table of any delivery, counted in its files."""
    con = duckdb.connect()
    try:
        counts = {}
        for path in sorted(directory.iterdir()):
            reader = {".parquet": "read_parquet", ".csv": "read_csv"}.get(path.suffix)
            if reader:
                sql = f"SELECT count(*) FROM {reader}(?)"
                counts[path.stem] = con.execute(sql, [str(path)]).fetchone()[0]
        return counts
    finally:
        con.close()


def bench_one(
    directory: Path,
    params: dict,
    work: Path,
    on_error: str,
    rows: dict[str, int],
    keep_db: Path | None = None,
) -> dict:
    fmt = params["format"]
    files = sorted(p for p in directory.iterdir() if p.is_file())
    input_bytes = sum(p.stat().st_size for p in files)
    paths = [p for p in files if p.suffix in (".csv", ".parquet") or p.name == "delivery.json"]
    t = time.perf_counter()
    fingerprint(paths)  # also warms the page cache for the run
    fingerprint_s = time.perf_counter() - t

    run_dir = work / directory.name
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    db = run_dir / "tvaers.duckdb"
    log_path = run_dir / "ingest.log"
    cmd = [sys.executable, "-m", "tvaers", "ingest", str(directory), "--db", str(db)]
    cmd += ["--on-error", on_error]
    print(f"\n$ {' '.join(cmd)}", flush=True)
    usage = run_child(cmd, log_path, watch=run_dir)
    output = log_path.read_text(errors="replace")
    match = _LOADED.search(" ".join(output.split()))
    loaded, quarantined, delivered = (
        (int(x.replace(",", "")) for x in match.groups()) if match else (0, 0, 0)
    )
    expected = sum(rows.values())
    counts = _warehouse_counts(db, rows) if db.exists() else {}
    ok = (
        usage["exit_code"] == 0
        and match is not None
        and quarantined == 0
        and loaded == delivered == expected
        and counts == rows
    )
    warehouse_mb = db.stat().st_size / 1e6 if db.exists() else None
    wall = usage["wall_s"]
    result = {
        **params,
        "ok": ok,
        "rows_total": expected,
        "rows_loaded": loaded,
        "rows_quarantined": quarantined,
        "warehouse_rows": counts,
        "input_mb": round(input_bytes / 1e6, 1),
        "warehouse_mb": round(warehouse_mb, 1) if warehouse_mb is not None else None,
        "wall_s": round(wall, 2),
        "contact_rows_per_s": round(params["contacts"] / wall),
        "all_rows_per_s": round(expected / wall),
        "peak_rss_mb": round(usage["peak_rss_mb"], 1),
        "peak_spill_mb": round(usage["peak_spill_mb"], 1),
        "cpu_user_s": round(usage["cpu_user_s"], 2),
        "cpu_sys_s": round(usage["cpu_sys_s"], 2),
        "cpu_utilisation": round((usage["cpu_user_s"] + usage["cpu_sys_s"]) / wall, 2),
        "fingerprint_s": round(fingerprint_s, 2),
        "exit_code": usage["exit_code"],
    }
    status = "ok" if ok else "FAILED"
    print(
        f"{fmt}/{params['person_key']}: {status}, {wall:.1f} s, "
        f"peak {usage['peak_rss_mb']:.0f} MB RSS + {usage['peak_spill_mb']:.0f} MB spilled, "
        f"{loaded:,} loaded + {quarantined:,} quarantined"
    )
    if not ok:
        print(f"--- ingest output ({log_path}) ---\n{output[-4000:]}")
        result["output_tail"] = output[-4000:]
    if ok and keep_db is not None:
        # A whole country's warehouse takes a quarter of an hour to load: keeping the one the
        # benchmark made lets the indicator benchmark run on it without loading it again.
        keep_db.unlink(missing_ok=True)
        shutil.move(db, keep_db)
        print(f"warehouse kept as {keep_db}")
    shutil.rmtree(run_dir, ignore_errors=True)
    return result


FLOOR_SCRIPT = """
import sys, duckdb
db, files = sys.argv[1], sys.argv[2:]
con = duckdb.connect(db)
for path in files:
    name = path.rsplit('/', 1)[-1].split('.')[0]
    reader = 'read_parquet' if path.endswith('.parquet') else 'read_csv'
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM {reader}('{path}')")
con.close()
"""


def floor(directory: Path, params: dict, work: Path, rows: dict[str, int]) -> dict:
    """The same files copied into a new DuckDB file by DuckDB alone — no validation, no
    pseudonyms, CSV types guessed by DuckDB — in a child process: what writing the rows
    costs on this machine, the floor under any validated load."""
    files = sorted(str(p) for p in directory.iterdir() if p.suffix in (".csv", ".parquet"))
    run_dir = work / (directory.name + "-floor")
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    db = run_dir / "copy.duckdb"
    cmd = [sys.executable, "-c", FLOOR_SCRIPT, str(db), *files]
    usage = run_child(cmd, run_dir / "floor.log")
    result = {
        "wall_s": round(usage["wall_s"], 2),
        "all_rows_per_s": round(sum(rows.values()) / usage["wall_s"]),
        "peak_rss_mb": round(usage["peak_rss_mb"], 1),
        "cpu_s": round(usage["cpu_user_s"] + usage["cpu_sys_s"], 2),
        "file_mb": round(db.stat().st_size / 1e6, 1) if db.exists() else None,
        "exit_code": usage["exit_code"],
    }
    print(
        f"floor ({params['format']}): DuckDB's plain copy of the files, {result['wall_s']} s "
        f"= {result['all_rows_per_s']:,} rows/s, CPU {result['cpu_s']} s"
    )
    shutil.rmtree(run_dir, ignore_errors=True)
    return result


def stage_profile(
    directory: Path, work: Path, on_error: str, memory_limit: str | None = None
) -> dict:
    run_dir = work / (directory.name + "-stages")
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    out = run_dir / "profile.json"
    cmd = [sys.executable, str(HERE / "stage_profile.py"), str(directory)]
    cmd += ["--db", str(run_dir / "tvaers.duckdb"), "--on-error", on_error, "--json", str(out)]
    if memory_limit:
        cmd += ["--memory-limit", memory_limit]
    print(f"\n$ {' '.join(cmd)}", flush=True)
    usage = run_child(cmd, run_dir / "profile.log", watch=run_dir)
    print((run_dir / "profile.log").read_text(errors="replace"))
    profile = json.loads(out.read_text()) if out.exists() else {"error": "no profile written"}
    profile["wall_s"] = round(usage["wall_s"], 2)
    profile["peak_rss_mb"] = round(usage["peak_rss_mb"], 1)
    profile["peak_spill_mb"] = round(usage["peak_spill_mb"], 1)
    profile["staging_memory_limit"] = memory_limit or "default"
    shutil.rmtree(run_dir, ignore_errors=True)
    return profile


# --- report -------------------------------------------------------------------------


def markdown(results: list[dict]) -> str:
    head = (
        "| format | key | persons | contacts | rows | wall s | contacts/s | rows/s "
        "| peak RSS MB | spill MB | CPU s (util.) | sha256 s | input MB | warehouse MB | ok |"
    )
    lines = [head, "|" + "---|" * 2 + "---:|" * 12 + "---|"]
    for r in results:
        cpu = r["cpu_user_s"] + r["cpu_sys_s"]
        lines.append(
            f"| {r['format']} | {r['person_key']} | {r['persons']:,} | {r['contacts']:,} "
            f"| {r['rows_total']:,} | {r['wall_s']:.1f} | {r['contact_rows_per_s']:,} "
            f"| {r['all_rows_per_s']:,} | {r['peak_rss_mb']:,.0f} | {r['peak_spill_mb']:,.0f} "
            f"| {cpu:.1f} "
            f"({r['cpu_utilisation']:.2f}) | {r['fingerprint_s']:.2f} | {r['input_mb']:,.1f} "
            f"| {r['warehouse_mb'] or 0:,.1f} | {'yes' if r['ok'] else 'NO'} |"
        )
    return "\n".join(lines)


def _results_path(results_dir: Path, quick: bool, label: str = "") -> Path:
    stem = f"ingest-{datetime.now():%Y-%m-%d}" + ("-quick" if quick else "")
    stem += f"-{label}" if label else ""
    path = results_dir / f"{stem}.json"
    n = 2
    while path.exists():
        path = results_dir / f"{stem}-{n}.json"
        n += 1
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=10_000_000)
    parser.add_argument("--formats", default="csv,parquet", help="comma-separated: csv,parquet")
    parser.add_argument("--person-keys", default="cpr", help="comma-separated: cpr,person_id")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="10k persons, 100k contacts")
    parser.add_argument(
        "--delivery",
        type=Path,
        help="benchmark this delivery (e.g. one made by `tvaers generate`) instead of making one",
    )
    parser.add_argument("--label", default="", help="added to the results file's name")
    parser.add_argument("--repeat", type=int, default=1, help="CLI runs per delivery")
    parser.add_argument("--stages", action="store_true", help="also profile every SQL stage")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time DuckDB's plain copy of the same files (no validation, no pseudonyms)",
    )
    parser.add_argument(
        "--staging-memory-limit",
        help="with --stages: override the ingest's staging memory limit in the profiled run "
        "(an experiment; the CLI runs always use the ingest's own limit)",
    )
    parser.add_argument("--on-error", default="strict", choices=("strict", "quarantine"))
    parser.add_argument(
        "--keep-db",
        type=Path,
        help="keep the last run's warehouse at this path (when every row loaded), e.g. for "
        "indicators_benchmark.py",
    )
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    parser.add_argument("--results-dir", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    if args.quick:
        args.persons, args.contacts = 10_000, 100_000
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    keys = [k.strip() for k in args.person_keys.split(",") if k.strip()]
    if not set(formats) <= {"csv", "parquet"} or not set(keys) <= {"cpr", "person_id"}:
        parser.error("formats are csv/parquet, person keys cpr/person_id")

    machine = machine_info()
    print(
        f"Machine: {machine['cpu_model']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM; "
        f"Python {machine['python']}, DuckDB {machine['duckdb']}"
    )
    results = []
    args.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="runs-", dir=args.data_dir) as tmp:
        work = Path(tmp)
        deliveries = []
        if args.delivery:
            rows = file_rows(args.delivery)
            fmt = "parquet" if any(args.delivery.glob("*.parquet")) else "csv"
            params = {
                "delivery": str(args.delivery),
                "format": fmt,
                "person_key": "as delivered",
                "persons": rows.get("persons", 0),
                "contacts": rows.get("hospital_contacts", 0),
            }
            deliveries.append((args.delivery, params, rows))
        for fmt in formats if not args.delivery else ():
            for key in keys:
                params = delivery_params(fmt, key, args.persons, args.contacts, args.seed)
                t = time.perf_counter()
                directory, reused = ensure_delivery(args.data_dir, params)
                made = "reused" if reused else f"made in {time.perf_counter() - t:.1f} s"
                print(f"Delivery {directory} ({made})")
                deliveries.append((directory, params, made_rows(params)))
        for directory, params, rows in deliveries:
            runs = [
                bench_one(
                    directory,
                    params,
                    work,
                    args.on_error,
                    rows,
                    keep_db=args.keep_db if i == args.repeat - 1 else None,
                )
                for i in range(args.repeat)
            ]
            for i, r in enumerate(runs, 1):
                r["run"] = i
                r["table_rows"] = rows
            if args.floor:
                runs[-1]["floor"] = floor(directory, params, work, rows)
            if args.stages:
                runs[-1]["stages"] = stage_profile(
                    directory, work, args.on_error, args.staging_memory_limit
                )
            results += runs

    print("\n" + markdown(results))
    for r in results:
        if "stages" in r and "by_label" in r["stages"]:
            limit = r["stages"].get("staging_memory_limit")
            print(
                f"\nWhere the time goes: {r['format']}/{r['person_key']} "
                f"(in-process run, staging memory limit {limit}, "
                f"peak spill {r['stages'].get('peak_spill_mb', 0):,.0f} MB)"
            )
            print(render_profile(r["stages"], top=20))
    args.results_dir.mkdir(parents=True, exist_ok=True)
    path = _results_path(args.results_dir, args.quick, args.label)
    payload = {
        "benchmark": "ingest",
        "run_at": datetime.now().isoformat(timespec="seconds"),
        "machine": machine,
        "on_error": args.on_error,
        "repeat": args.repeat,
        "results": results,
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults written to {path}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
