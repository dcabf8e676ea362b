"""Benchmark SPC for every series of a result set: the run chart verdict and the Laney
P′/U′ chart of every indicator × unit × stratum × period type (target: 5 s).

By default a national-shaped synthetic long table is built in memory: the v1 catalogue's
indicators, periods and strata, for 98 municipalities, 22 clusters, 5 regions and the
country, 2019–2024 (about 208,000 result rows, like a whole-country result set), with
numerators drawn around a rate per indicator and cells with a numerator of 1–4 suppressed
(missing points). `--db` reads a real published result set instead, through the same
disclosure-controlled `rows()` the web uses.

    .venv/bin/python benchmarks/spc_benchmark.py
    .venv/bin/python benchmarks/spc_benchmark.py --db demo-output/tvaers.duckdb --label demo

Timings are the best of `--repeat` runs (this machine is shared). Results are printed and
written as JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np

from tvaers.indicators import catalogue
from tvaers.spc.batch import verdicts, verdicts_for_rows

RESULTS = Path(__file__).parent / "results"
UNITS = {"municipality": 98, "cluster": 22, "region": 5, "country": 1}
YEARS = range(2019, 2025)


def _periods(kind: str) -> list[str]:
    if kind == "year":
        return [str(y) for y in YEARS]
    if kind == "quarter":
        return [f"{y}-Q{q}" for y in YEARS for q in range(1, 5)]
    return [f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)]


def synthetic_rows(seed: int = 1) -> list[dict]:
    """A national-shaped result set as `indicators.export.rows()` would give it."""
    rng = np.random.default_rng(seed)
    rows = []
    scale = {"municipality": 1, "cluster": 5, "region": 20, "country": 98}
    for ind in catalogue.load().indicators:
        rate = {100: 0.12, 1000: 0.03, 1: 1.0}[ind.factor]
        for level, count in UNITS.items():
            for unit in range(count):
                size = int(rng.integers(2_000, 60_000)) * scale[level]
                for stratum in ind.strata:
                    share = 1.0 if stratum.id == "" else 0.1
                    for kind in ind.periods:
                        per = {"year": 1, "quarter": 4, "month": 12}[kind]
                        for period in _periods(kind):
                            n = max(int(size * share), 1)
                            x = float(rng.poisson(n * rate / per)) if ind.factor != 1 else n
                            hidden = 1 <= x <= 4
                            rows.append(
                                {
                                    "indicator_id": ind.id,
                                    "period": period,
                                    "period_type": kind,
                                    "level": level,
                                    "unit_code": f"{level[:1]}{unit:03d}",
                                    "stratum": stratum.id,
                                    "numerator": None if hidden else x,
                                    "denominator": None if ind.factor == 1 else n,
                                    "factor": ind.factor,
                                }
                            )
    return rows


def db_rows(db: Path) -> list[dict]:
    from tvaers.indicators.export import Selection, rows
    from tvaers.indicators.results import open_results

    con = open_results(db)
    try:
        factor = dict(con.execute("SELECT indicator_id, factor FROM definitions").fetchall())
    finally:
        con.close()
    data = rows(db, Selection())
    for r in data:
        r["factor"] = factor[r["indicator_id"]]
    return data


def _best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return min(times), out


def measure(rows: list[dict], repeat: int) -> dict:
    # 1. from the rows as the web has them (dicts from rows()): keys, ordering, verdicts
    run_rows_s, run_by_rows = _best(lambda: verdicts_for_rows(rows, chart="run"), repeat)

    # 2. the columns alone (how a caller holding arrays would do it)
    key = np.array(
        [
            f"{r['indicator_id']}|{r['level']}|{r['unit_code']}|{r['stratum']}|{r['period_type']}"
            for r in rows
        ]
    )
    period = np.array([r["period"] for r in rows])
    y = np.array([np.nan if r["numerator"] is None else r["numerator"] for r in rows], float)
    n = np.array([np.nan if r["denominator"] is None else r["denominator"] for r in rows], float)
    factor = np.array([r["factor"] for r in rows])
    run_n = np.where(np.isnan(n), 1.0, n)
    run_s, run = _best(lambda: verdicts(key, y, run_n, period, chart="run"), repeat)

    def laney():
        pct = factor == 100
        rate = (factor > 100) & np.isfinite(n)
        return (
            verdicts(key[pct], y[pct], n[pct], period[pct], chart="pp"),
            verdicts(key[rate], y[rate], n[rate], period[rate], chart="up"),
        )

    laney_s, (pp, up) = _best(laney, repeat)
    return {
        "result_rows": len(rows),
        "series": int(run.keys.size),
        "series_with_run_signal": int(run.runs_signal.sum()),
        "laney_series": int(pp.keys.size + up.keys.size),
        "laney_series_with_signal": int(pp.signal.sum() + up.signal.sum()),
        "run_from_rows_s": round(run_rows_s, 3),
        "run_from_arrays_s": round(run_s, 3),
        "laney_from_arrays_s": round(laney_s, 3),
        "run_and_laney_from_rows_s": round(run_rows_s + laney_s, 3),
        "rows_checked": len(run_by_rows) == run.keys.size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a warehouse whose published results to use")
    parser.add_argument("--label", default=None, help="name in the results file")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from generate_benchmark import machine

    started = time.perf_counter()
    rows = db_rows(args.db) if args.db else synthetic_rows()
    load_s = time.perf_counter() - started
    label = args.label or ("db" if args.db else "synthetic-country")
    result = measure(rows, args.repeat)
    result["load_rows_s"] = round(load_s, 2)
    report = {
        "machine": machine(),
        "run_at": datetime.now().isoformat(timespec="seconds"),
        "data": {
            "source": str(args.db) if args.db else "synthetic national-shaped result set",
            "label": label,
            "units": None if args.db else UNITS,
            "years": None if args.db else [YEARS[0], YEARS[-1]],
        },
        "target_s": 5.0,
        "result": result,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"spc-{label}-{date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
