"""Orchestration: plan the municipalities, build the person-level and stay-level work
tables, then stream every contract table into its file(s).

Memory: only persons (one row each), stays and care periods are materialised, in a work
database on disk beside the output (DuckDB compresses it and may spill); the big tables —
outpatient contacts, GP contacts, prescriptions, visits — are generated inside the COPY
that writes them.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tvaers.reference.org import region as org_region
from tvaers.synth import (
    bundles,
    care,
    chronic,
    gp,
    hospital,
    messages,
    outpatient,
    population,
    write,
)
from tvaers.synth.population import REGIONS, MunicipalityPlan
from tvaers.synth.sql import Ctx, macros
from tvaers.warehouse.contract import TABLES

FORMATS = ("parquet", "csv")
PERSON_KEYS = ("cpr", "person_id")
# Marks a directory this generator wrote, so it may be replaced by the next run.
README = "README.md"
MARKER = "<!-- tvaers synth -->"
MANIFEST = "manifest.json"
# Below this many persons everything stays in memory; above, the work tables live on disk.
IN_MEMORY_PERSONS = 200_000
# DuckDB's memory limit for the run: the work tables spill to disk beyond it, which keeps the
# whole-country run well under 8 GB of RAM.
MEMORY_LIMIT = "3GB"
# Progress callback: (stage just finished, stages done, stages in all).
Progress = Callable[[str, int, int], None]


@dataclass
class GenerationResult:
    out: Path
    region: str
    scale: float
    years: tuple[int, int]
    seed: int
    fmt: str
    person_key: str
    split_by_source: bool
    extracted_at: str
    persons: int
    rows: dict[str, int]
    seconds: float
    # Delivery directories in the order they must be loaded (one unless split by source).
    deliveries: list[Path] = field(default_factory=list)
    # The municipal variation built in (what an analysis should find).
    municipalities: list[dict] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _sources(c: Ctx) -> dict[str, Callable[[], str]]:
    """Internal SELECT per contract table. Each names the person key `person` and carries
    `region_code` (and `municipality_code` where the table has one) for splitting."""
    return {
        "persons": population.persons_sql,
        "residence": population.residence_sql,
        "hospital_contacts": lambda: "\nUNION ALL BY NAME\n".join(
            f"SELECT * FROM ({part})"
            for part in [
                hospital.stay_contacts_sql(c),
                chronic.diagnostic_contacts_sql(c),
                outpatient.outpatient_sql(c),
            ]
        ),
        "hospital_diagnoses": lambda: hospital.diagnoses_sql(c),
        "municipal_services": lambda: care.services_sql(c),
        "municipal_visits": lambda: care.visits_sql(c),
        "gp_contacts": lambda: gp.gp_contacts_sql(c),
        "prescriptions": lambda: gp.prescriptions_sql(c),
        "referrals": lambda: care.referrals_sql(c),
        "messages": lambda: messages.messages_sql(c),
    }


def _municipality_source(code: str, name: str) -> str:
    special = {"101": "Københavns Kommune", "400": "Bornholms Regionskommune"}
    return special.get(code, f"{name} Kommune")


def _check(out: Path, region: str, scale: float, years, fmt: str, person_key: str) -> None:
    if region != "all" and region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; choose {', '.join([*REGIONS, 'all'])}")
    if not 0 < scale <= 20:
        raise ValueError("scale must be above 0 and at most 20")
    y0, y1 = years
    if not 1990 <= y0 <= y1 <= 2035:
        raise ValueError("years must be a range within 1990-2035, first <= last")
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if person_key not in PERSON_KEYS:
        raise ValueError(f"person key must be one of {', '.join(PERSON_KEYS)}")
    if out.exists() and any(out.iterdir()):
        readme = out / README
        ours = readme.exists() and MARKER in readme.read_text(encoding="utf-8", errors="ignore")
        if not ours:
            raise ValueError(f"{out} exists and is not empty (and was not written by generate)")


def generate(
    out: Path,
    *,
    region: str = "syddanmark",
    scale: float = 1.0,
    years: tuple[int, int] = (2019, 2024),
    seed: int = 42,
    fmt: str = "parquet",
    person_key: str = "cpr",
    split_by_source: bool = False,
    medcom_bundles: bool = False,
    progress: Progress | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> GenerationResult:
    """Write a synthetic delivery (or one delivery per source) to `out` and return what was
    written. `out` is replaced if an earlier run of generate wrote it."""
    started = time.perf_counter()
    out = Path(out)
    years = (int(years[0]), int(years[1]))
    _check(out, region, scale, years, fmt, person_key)
    if medcom_bundles and person_key != "cpr":
        raise ValueError("MedCom bundles carry the CPR number: use person key cpr")
    c = Ctx(years, seed)
    munis = population.plan(region, scale, years, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    stage_out = tmp / "out"
    stage_out.mkdir()
    steps = ["persons", "stays", "care", *(t.name for t in TABLES)]
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(name, done, len(steps))

    try:
        n_persons_planned = sum(m.n0 + sum(m.births.values()) for m in munis)
        in_memory = n_persons_planned <= IN_MEMORY_PERSONS
        con = duckdb.connect(":memory:" if in_memory else str(tmp / "work.duckdb"))
        try:
            con.execute(f"SET temp_directory = '{tmp / 'spill'}'")
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            con.execute(f"SET memory_limit = '{memory_limit or MEMORY_LIMIT}'")
            con.execute("SET preserve_insertion_order = true")
            # Our own progress reporting speaks for the run; DuckDB's bar would print raw
            # percentages to the terminal between ours.
            con.execute("SET enable_progress_bar_print = false")
            con.execute(macros(seed))
            population.load_tables(con, munis, c)
            population.build_persons(con, c, person_key)
            n_persons = con.execute("SELECT count(*) FROM persons").fetchone()[0]
            step("persons")
            hospital.build_stays(con, c)
            step("stays")
            care.build_services(con, c)
            step("care")
            rows = _write_all(con, c, munis, stage_out, tmp, fmt, person_key, split_by_source,
                              step, medcom_bundles)  # fmt: skip
        finally:
            con.close()
        extracted_at = f"{c.y1 + 1}-01-01"
        deliveries = _finish(stage_out, munis, region, split_by_source, extracted_at)
        result = GenerationResult(
            out=out,
            region=region,
            scale=scale,
            years=years,
            seed=seed,
            fmt=fmt,
            person_key=person_key,
            split_by_source=split_by_source,
            extracted_at=extracted_at,
            persons=int(n_persons),
            rows=rows,
            seconds=0.0,
            deliveries=[out / d.relative_to(stage_out) for d in deliveries],
            municipalities=_truth(munis),
        )
        _write_readme(stage_out, result)
        shutil.rmtree(out, ignore_errors=True)
        stage_out.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def _write_all(
    con, c, munis, out, scratch, fmt, person_key, split, step, medcom_bundles=False
) -> dict[str, int]:
    sources = _sources(c)
    rows: dict[str, int] = {}
    for t in TABLES:
        source = sources[t.name]()
        if source is None:
            continue
        if t.name == "messages" and medcom_bundles:
            # the hospital notifications as MedCom bundles, the other messages flat
            rows["hospital_notifications"] = bundles.write_ndjson(
                con, source, out, split, lambda code: out / f"region-{code}"
            )
            source = f"SELECT * FROM ({source}) WHERE type <> 'hospital_notification'"
        if not split:
            select = write.export_select(t.name, source, fmt, person_key, None)
            rows[t.name] = write.copy_table(con, select, out / f"{t.name}.{fmt}", fmt)
        elif t.name in write.GP_TABLES:
            (out / write.GP_DIR).mkdir(exist_ok=True)
            select = write.export_select(t.name, source, fmt, person_key, None)
            rows[t.name] = write.copy_table(
                con, select, out / write.GP_DIR / f"{t.name}.{fmt}", fmt
            )
        else:
            part = (
                "'region-' || src.region_code"
                if t.name in write.REGION_TABLES
                else "'municipality-' || src.municipality_code"
            )
            select = write.export_select(t.name, source, fmt, person_key, part)
            rows[t.name] = write.copy_partitioned(con, select, out, t.name, fmt, scratch)
        step(t.name)
    return rows


def _finish(out: Path, munis: list[MunicipalityPlan], region: str, split: bool, extracted_at: str):
    """delivery.json per delivery; returns the delivery directories in load order."""
    if not split:
        if region == "all":
            source = "Syntetisk levering, hele landet"
        else:
            source = f"{org_region(REGIONS[region]).name} (syntetisk)"
        write.write_meta(out, source, extracted_at)
        return [out]
    order = []
    for code in sorted({m.region_code for m in munis}):
        d = out / f"region-{code}"
        write.write_meta(d, org_region(code).name, extracted_at)
        order.append(d)
    for m in munis:
        d = out / f"municipality-{m.code}"
        if d.exists():  # a municipality with no care rows (tiny scale) has no delivery
            write.write_meta(d, _municipality_source(m.code, m.name), extracted_at)
            order.append(d)
    d = out / write.GP_DIR
    write.write_meta(d, write.GP_SOURCE, extracted_at)
    order.append(d)
    return order


def _truth(munis: list[MunicipalityPlan]) -> list[dict]:
    return [
        {
            "code": m.code,
            "name": m.name,
            "persons_first_year": m.n0,
            "preventable_factor": round(m.preventable, 3),
            "worse": m.worse,
            "improving": m.improving,
            "ready_for_discharge_factor": round(m.rfd, 3),
            "home_care_factor": round(m.care, 3),
        }
        for m in munis
    ]


def _write_readme(out: Path, r: GenerationResult) -> None:
    import json

    lines = [
        MARKER,
        "# Syntetiske data (tvaers generate)",
        "",
        "Kunstige personer og hændelser; ingen rigtige personer. "
        f"Region: {r.region}, skala {r.scale}, år {r.years[0]}-{r.years[1]}, seed {r.seed}, "
        f"format {r.fmt}, personnøgle {r.person_key}.",
        "",
        "Indlæs i denne rækkefølge:",
        "",
    ]
    lines += [f"1. `{d.relative_to(r.out) if d != r.out else '.'}`" for d in r.deliveries]
    lines += ["", "Indbygget kommunal variation (forebyggelige indlæggelser m.m.):", ""]
    lines += ["| kommune | faktor | dårligere | forbedres |", "|---|---|---|---|"]
    lines += [
        f"| {m['code']} {m['name']} | {m['preventable_factor']} | "
        f"{'ja' if m['worse'] else ''} | {'ja' if m['improving'] else ''} |"
        for m in r.municipalities
    ]
    (out / README).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if r.split_by_source:
        manifest = {
            "load_order": [str(d.relative_to(r.out)) for d in r.deliveries],
            "extracted_at": r.extracted_at,
            "seed": r.seed,
            "municipalities": r.municipalities,
        }
        (out / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


def fixture(out: Path, fmt: str = "parquet", person_key: str = "cpr", **kwargs) -> GenerationResult:
    """A small delivery for tests: Region Syddanmark at scale 0.002 (about 2,500 people),
    2019-2024. Takes a second or two."""
    kwargs.setdefault("scale", 0.002)
    return generate(out, region="syddanmark", fmt=fmt, person_key=person_key, **kwargs)
