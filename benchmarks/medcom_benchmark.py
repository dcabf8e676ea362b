"""Benchmark the MedCom HospitalNotification extractor (warehouse/medcom.py): bundles parsed
into `messages` rows per second (target: at least 5,000 on 2 cores). `tvaers ingest` reads
the bundles in one process while DuckDB has the machine's cores for everything else.

Synthetic notifications of every event kind are written as bundles of the shape of
MedCom's published examples (tvaers.synth.bundles), each padded with a generated narrative
(`text.div`, as MedCom's examples carry one per resource) to the size of a real message
(about 11 KB of compact JSON), to an NDJSON file. Measured, best of `--repeat` runs:

- `parse`: `bundle_row` over the lines already in memory, one process;
- `read`: `notifications.read` on the file (read, digest, parse), what `tvaers ingest`
  does before DuckDB sees a row.

    PYTHONPATH=src .venv/bin/python benchmarks/medcom_benchmark.py --bundles 20000

Results are printed and written as JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from tvaers.synth.bundles import CPH, notification_bundle
from tvaers.warehouse import notifications
from tvaers.warehouse.medcom import LPR_SYSTEM, bundle_row

RESULTS = Path(__file__).parent / "results"
EVENTS = (
    "admit-inpatient",
    "admit-emergency",
    "revise-admit-inpatient",
    "start-leave-inpatient",
    "end-leave-inpatient",
    "discharge-inpatient-home",
    "cancel-discharge-inpatient-home",
    "deceased",
)
NARRATIVE = '<div xmlns="http://www.w3.org/1999/xhtml"><p>{}</p></div>'


def _bundle(i: int) -> bytes:
    event = EVENTS[i % len(EVENTS)]
    sent = datetime(2024, 1, 1, tzinfo=CPH) + timedelta(minutes=7 * i)
    row = {
        "message_id": f"msg-{i:08d}",
        # synthetic: day 01-28, month 01-12, year 40-99, sequence 1000-8999 (not a real person)
        "cpr": f"{1 + i % 28:02d}{1 + i % 12:02d}{40 + i % 60:02d}{1000 + i % 8000:04d}",
        "event": event,
        "sent_at": sent,
        "event_at": sent - timedelta(minutes=5),
        "sender": "265161000016000",
        "receiver": "953741000016009",
        "episode_id": f"{LPR_SYSTEM}|{i // 4:08x}-0000-5000-8000-000000000000",
        "replaces_message_id": f"msg-{i - 1:08d}"
        if event.startswith(("revise", "cancel"))
        else None,
    }
    b = notification_bundle(row)
    for entry in b["entry"]:  # MedCom's examples carry a generated narrative per resource
        entry["resource"]["text"] = {"status": "generated", "div": NARRATIVE.format("x" * 1700)}
    return json.dumps(b, separators=(",", ":")).encode()


def _parse(lines: list[bytes]) -> int:
    for line in lines:
        bundle_row(line)
    return len(lines)


def _best(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _machine() -> dict:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next(
        (ln.split(":", 1)[1].strip() for ln in lscpu.splitlines() if ln.startswith("Model name")),
        "",
    )
    cpus = next(
        (ln.split(":", 1)[1].strip() for ln in lscpu.splitlines() if ln.startswith("CPU(s)")), ""
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {"cpu_model": model, "cpus": cpus, "commit": commit}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundles", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = [_bundle(i) for i in range(args.bundles)]
    size = sum(len(line) + 1 for line in lines)
    result: dict = {"date": date.today().isoformat(), **_machine(), "bundles": args.bundles}
    result["mean_bundle_bytes"] = round(size / args.bundles)
    result["parse_seconds"] = _best(args.repeat, lambda: _parse(lines))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / notifications.NDJSON
        path.write_bytes(b"\n".join(lines) + b"\n")

        def read() -> None:
            src = notifications.read(None, path)
            assert len(src.rows) == args.bundles and not src.problems

        result["read_seconds"] = _best(args.repeat, read)
    for key in ("parse", "read"):
        result[f"{key}_bundles_per_second"] = round(args.bundles / result[f"{key}_seconds"])
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"medcom-{result['date']}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
