"""Where a compute run's time and memory go, stage by stage.

A stage is one step of the run as the progress bar names it (a building block, an
indicator's counts, the roll-up, the publication). For each stage the profile keeps its
wall time, the CPU time of the process (DuckDB's worker threads included, so CPU above
wall means the cores were busy together), the peak resident memory while it ran and the
most bytes DuckDB had spilled to its temporary directory while it ran.

Memory and spill are sampled by a background thread every `interval` seconds: DuckDB frees
a spill file as soon as the operator that wrote it is done, so only sampling while the stage
runs sees it. The sampler reads /proc (Linux, where Tværs runs); elsewhere the memory is the
process's peak so far from `resource` and the spill is still the directory's size.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Stage:
    name: str
    wall_seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    spilled_bytes: int

    def as_dict(self) -> dict:
        return asdict(self)


def rss_bytes() -> int:
    """The process's resident memory now (its peak so far where /proc is absent)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: ru_maxrss is in kilobytes on Linux, bytes on macOS
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def directory_bytes(path: Path | None) -> int:
    if path is None:
        return 0
    total = 0
    try:
        entries = list(os.scandir(path))
    except OSError:  # not made yet: DuckDB creates it at the first spill
        return 0
    for entry in entries:
        try:
            total += entry.stat(follow_symlinks=False).st_size
        except OSError:  # freed between the listing and the stat
            continue
    return total


class StageProfiler:
    """Times the stages of a run; `mark(name)` closes the stage that just finished."""

    def __init__(self, spill_dir: Path | None = None, interval: float = 0.1):
        self.spill_dir = spill_dir
        self.interval = interval
        self.stages: list[Stage] = []
        self._lock = threading.Lock()
        self._peak_rss = 0
        self._peak_spill = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="stage-profile", daemon=True)

    def __enter__(self) -> StageProfiler:
        self._reset()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _reset(self) -> None:
        with self._lock:
            self._peak_rss = rss_bytes()
            self._peak_spill = directory_bytes(self.spill_dir)
        self._wall = time.perf_counter()
        self._cpu = time.process_time()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            rss, spill = rss_bytes(), directory_bytes(self.spill_dir)
            with self._lock:
                self._peak_rss = max(self._peak_rss, rss)
                self._peak_spill = max(self._peak_spill, spill)

    def mark(self, name: str) -> Stage:
        rss, spill = rss_bytes(), directory_bytes(self.spill_dir)
        with self._lock:
            stage = Stage(
                name=name,
                wall_seconds=round(time.perf_counter() - self._wall, 3),
                cpu_seconds=round(time.process_time() - self._cpu, 3),
                peak_rss_bytes=max(self._peak_rss, rss),
                spilled_bytes=max(self._peak_spill, spill),
            )
        self.stages.append(stage)
        self._reset()
        return stage


BLOCK_LABELS = {
    "stays": ("ophold", "stays"),
    "admissions": ("indlæggelser", "admissions"),
    "population": ("befolkning 1. januar", "population on 1 January"),
    "chronic": ("kronisk sygdom", "chronic disease"),
    "sector_contacts": ("kontakt med sektorerne", "contact with the sectors"),
}


def stage_label(name: str, indicator_names: dict[str, str]) -> str:
    """A stage as a person reads it on the progress bar: 'Byggeklods: ophold', an
    indicator's Danish name, 'Sammentælling og statistik', 'Diskretionering', 'Udgivelse'."""
    from tvaers.i18n import tr

    if name.startswith("blocks:"):
        da, en = BLOCK_LABELS.get(name[7:], (name[7:], name[7:]))
        return tr(f"Byggeklods: {da}", f"Building block: {en}")
    if name == "rollup":
        return tr("Sammentælling og statistik", "Roll-up and statistics")
    if name == "disclosure_control":
        return tr("Diskretionering", "Disclosure control")
    if name == "publish":
        return tr("Udgivelse", "Publication")
    return indicator_names.get(name, name)


def profile_document(result, machine: dict | None = None) -> dict:
    """The stage profile of a compute run as the JSON `--profile` writes."""
    stages = [s.as_dict() for s in result.stages]
    return {
        "engine": result.engine,
        "years": result.years,
        "rows": result.rows,
        "seconds": round(result.seconds, 3),
        "memory_limit": result.memory_limit,
        "threads": result.threads,
        "peak_rss_bytes": max((s["peak_rss_bytes"] for s in stages), default=0),
        "spilled_bytes": max((s["spilled_bytes"] for s in stages), default=0),
        "machine": machine or {},
        "stages": stages,
    }
