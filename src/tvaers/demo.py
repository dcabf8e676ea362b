"""`make demo`: the whole pipeline that exists, on the embedded example delivery.

Everything is written under ./demo-output (warehouse, key, reports), so the demo never
touches a real installation's key or warehouse.
"""

from __future__ import annotations

import os
import shutil
from importlib.resources import as_file, files
from pathlib import Path

from tvaers.cli import app

OUTPUT = Path("demo-output")


def run(output: Path = OUTPUT) -> None:
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    os.environ["TVAERS_KEY_FILE"] = str(output / "pseudonym.key")
    os.environ.pop("TVAERS_SECRET_KEY", None)
    db = str(output / "tvaers.duckdb")
    with as_file(files("tvaers") / "demo_data" / "example-delivery") as delivery:
        steps = [
            ["keys", "init"],
            ["org", "list", "--level", "cluster", "--on", "2024-01-01"],
            ["ingest", str(delivery), "--db", db],
            ["ingest", str(delivery), "--db", db],  # the same delivery again: nothing changes
            ["db", "info", "--db", db],
        ]
        for args in steps:
            print(f"\n$ tvaers {' '.join(args)}", flush=True)
            app(args, standalone_mode=False)


if __name__ == "__main__":
    run()
