"""`make demo`: the whole pipeline on embedded defaults.

A synthetic demo region (Region Syddanmark at a small scale, 2019–2024, seed 42) is
generated as one delivery per source and ingested source by source (linking on the person
key); then the v1 indicators are computed for every level and period, one is shown, and all
are exported in the contract's format (with disclosure control).

Everything is written under ./demo-output (warehouse, key, deliveries, reports, export), so
the demo never touches a real installation's key or warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tvaers.cli import app

OUTPUT = Path("demo-output")
DEMO_SCALE = "0.02"  # about 26,000 people: a minute end to end on a laptop


def _run(args: list[str]) -> None:
    print(f"\n$ tvaers {' '.join(args)}", flush=True)
    app(args, standalone_mode=False)


def run(output: Path = OUTPUT) -> None:
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    os.environ["TVAERS_KEY_FILE"] = str(output / "pseudonym.key")
    os.environ.pop("TVAERS_SECRET_KEY", None)
    db = str(output / "tvaers.duckdb")
    deliveries = output / "deliveries"
    _run(["keys", "init"])
    _run(["org", "list", "--level", "cluster", "--on", "2024-01-01"])
    _run(
        [
            "generate",
            "--out",
            str(deliveries),
            "--region",
            "syddanmark",
            "--scale",
            DEMO_SCALE,
            "--years",
            "2019-2024",
            "--seed",
            "42",
            "--format",
            "parquet",
            "--split-by-source",
        ]
    )
    manifest = json.loads((deliveries / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["load_order"]:
        _run(["ingest", str(deliveries / entry), "--db", db])
    _run(["db", "info", "--db", db])
    _run(["indicators", "compute", "--db", db])
    _run(
        [
            "indicators",
            "show",
            "preventable_admissions_65plus",
            "--db",
            db,
            "--level",
            "cluster",
            "--level",
            "region",
        ]
    )
    _run(["indicators", "export", "--db", db, "--out", str(output / "indicators.csv")])
    print(
        f"\nFærdig. Lageret: {db}; indikatorerne: {output / 'indicators.csv'} "
        "(diskretioneret: tal 1–4 er skjult).",
        flush=True,
    )


if __name__ == "__main__":
    run()
