"""`tvaers indicators compute`: all v1 indicators, every level and period, in one run.

Steps: read the catalogue; open the warehouse read-only (ingest may run meanwhile: we read
the published file); building blocks; each indicator's cells; roll-up, statistics and
disclosure control; publish the result set atomically with the run's provenance.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tvaers.i18n import tr
from tvaers.indicators import blocks, catalogue, results, rollup, structure, suppression, weekly
from tvaers.indicators.engine import ComputeError, DuckDBEngine, parameter_rows
from tvaers.indicators.methods import CELL_COLUMNS
from tvaers.indicators.profile import Stage, StageProfiler
from tvaers.indicators.spark import SparkEngine

Progress = Callable[[str, int, int], None]  # (step just finished, steps done, steps in all)


@dataclass(frozen=True)
class ComputeResult:
    path: Path
    rows: int
    years: list[int]
    structure_dates: dict[str, date]
    seconds: float
    engine: str
    # Where the time went: one entry per step of the progress bar (profile.py).
    stages: tuple[Stage, ...] = ()
    memory_limit: str = ""
    threads: int | None = None


def _warehouse_facts(con) -> tuple[list[dict], date, int | None]:
    deliveries = [
        {"delivery_id": d, "fingerprint": f, "source": s, "extracted_at": e.isoformat()}
        for d, f, s, e in con.execute(
            "SELECT delivery_id, fingerprint, source, extracted_at FROM wh.main.deliveries "
            "ORDER BY delivery_id"
        ).fetchall()
    ]
    if not deliveries:
        raise ComputeError(
            tr("Lageret har ingen leveringer.", "The warehouse holds no deliveries.")
        )
    extracted = max(date.fromisoformat(d["extracted_at"]) for d in deliveries)
    # The first year with substantial hospital data: deliveries carry some history (earlier
    # diagnoses, for chronic disease) that would make nearly empty years.
    first = con.execute(
        # (The year from the instant by the mean year length: a few hours off at New Year,
        # which does not matter for "half the busiest year", and no time-zone work per row.)
        """WITH y AS (SELECT CAST(floor(epoch(start_ts) / 31556952) AS INTEGER) + 1970 AS year,
                         count(*) AS n FROM in_contacts GROUP BY 1)
           SELECT min(year) FROM y WHERE n >= 0.5 * (SELECT max(n) FROM y)"""
    ).fetchone()[0]
    return deliveries, extracted, first


def default_years(first: int | None, extracted: date) -> list[int]:
    """From the first year with substantial hospital data (at least half the contacts of
    the busiest year) to the last whole year before the extraction date."""
    last = extracted.year - 1  # 31 December of it is always before the extraction date
    if first is None or first > last:
        raise ComputeError(
            tr(
                "Lageret dækker ikke et helt kalenderår før udtrækket; angiv --years.",
                "The warehouse covers no whole calendar year before extraction; give --years.",
            )
        )
    return list(range(first, last + 1))


def compute(
    db: Path,
    *,
    structure_date: date | None = None,
    years: list[int] | None = None,
    engine: str = "duckdb",
    progress: Progress | None = None,
    catalogue_dir: Path | None = None,
    threads: int | None = None,
) -> ComputeResult:
    started = time.perf_counter()
    cat = catalogue.load(catalogue_dir)
    if not db.exists():
        raise ComputeError(tr(f"Lageret {db} findes ikke.", f"The warehouse {db} does not exist."))
    steps = stage_names(cat)
    done = [0]

    with (
        tempfile.TemporaryDirectory(prefix="tvaers-compute-", dir=db.parent) as tmp,
        StageProfiler(Path(tmp) / "spill") as profiler,
    ):

        def step(name: str) -> None:
            profiler.mark(name)
            done[0] += 1
            if progress:
                progress(name, done[0], len(steps))

        duck = DuckDBEngine(db, spill=Path(tmp) / "spill", threads=threads)
        settings = (duck.memory_limit, duck.threads)
        try:
            deliveries, extracted, first = _warehouse_facts(duck.con)
            years = sorted(years) if years else default_years(first, extracted)
            profiler.mark("open")  # the engine, the warehouse's facts (not a progress step)
            runner = duck
            if engine == "spark":
                # Spark reads its inputs by file URI, which needs an absolute path.
                runner = SparkEngine.from_duckdb(duck, Path(tmp).resolve() / "inputs")
            elif engine != "duckdb":
                raise ComputeError(f"engine: duckdb | spark, not {engine!r}")
            try:
                count_cells(runner, cat, years, extracted, step)
                weekly.count(runner, extracted)
                runner.cells_into(duck.con, "cells")
                runner.table_into(duck.con, "weekly_cells")
            finally:
                if runner is not duck:
                    runner.close()
            struct = structure.build(extracted, structure_date)
            rollup.roll_up(duck.con, cat, struct)
            weekly.roll_up(duck.con, struct)
            step("rollup")
            # Nothing is published between these steps: both tables go under disclosure
            # control before results.publish sees them.
            suppression.suppress(duck.con, cat, struct, "results")
            suppression.suppress(duck.con, cat, struct, weekly.TABLE)
            step("disclosure_control")
            run = results.Run(
                computed_at=results.now_text(),
                engine=engine,
                years=years,
                structure_dates={k: v.isoformat() for k, v in struct.dates.items()},
                deliveries=deliveries,
                definitions=cat.versions,
                catalogue=str(cat.directory),
            )
            path = results.publish(duck.con, db, cat, run, extra=(weekly.TABLE,))
            rows = duck.con.execute("SELECT count(*) FROM results").fetchone()[0]
            step("publish")
        finally:
            duck.close()
    return ComputeResult(
        path,
        rows,
        years,
        struct.dates,
        time.perf_counter() - started,
        engine,
        stages=tuple(profiler.stages),
        memory_limit=settings[0],
        threads=settings[1],
    )


def stage_names(cat) -> list[str]:
    """The run's steps in order, as the progress callback names them."""
    return (
        ["blocks:" + name for name in blocks.BLOCK_NAMES]
        + [i.id for i in cat.indicators]
        + ["rollup", "disclosure_control", "publish"]
    )


def count_cells(engine, cat, years: list[int], extracted: date, step) -> None:
    """The engine's part: building blocks and every indicator's cells into `cells`."""
    for name, (columns, rows) in parameter_rows(years, extracted).items():
        engine.register(name, columns, rows)
    blocks.build_all(engine, cat, years, extracted, lambda name: step("blocks:" + name))
    first = True
    for ind in cat.indicators:
        sql = ind.method.cells(ind, engine.dialect, extracted)
        select = f"SELECT {', '.join(CELL_COLUMNS)} FROM ({sql}) q"
        if first:
            engine.materialize("cells", select)
            first = False
        else:
            engine.append("cells", select)
        step(ind.id)
