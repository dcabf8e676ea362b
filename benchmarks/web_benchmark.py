"""Load benchmark of the dashboards: 50 concurrent users on loopback.

The application runs as `tvaers serve` does (uvicorn, one process) in a child process on a
free 127.0.0.1 port; the load comes from this process (asyncio + httpx). Each simulated
user logs in with an account of their own and then goes round the overview, an indicator
page and the same indicator's quarters (with its SPC run chart). Two phases per role (a
viewer, and an analyst whose views are audited):

- ``users``: 50 users, each reading a page for a random 1-3 s before the next (think time,
  as people use a dashboard) — the latency a person would see;
- ``saturation``: 50 users with no think time — the most requests per second.

Bounded in time (``--seconds`` per phase) and to loopback; it stops by itself.
Prints p50/p95/max latency and requests/s per page and phase, and writes them as JSON.

    .venv/bin/python benchmarks/web_benchmark.py                 # builds the test fixture
    .venv/bin/python benchmarks/web_benchmark.py --db demo-output/tvaers.duckdb
    .venv/bin/python benchmarks/web_benchmark.py --postgresql postgres@127.0.0.1:5432
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

import httpx2 as httpx  # the HTTP client the dev dependencies bring (FastAPI's test client uses it)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "web"
RESULTS = ROOT / "benchmarks" / "results"
PASSWORD = "benchmark password 1"
PAGES = {
    "overview": "/",
    "indicator": "/indicators/preventable_admissions_65plus",
    # quarters: with the SPC run chart of the user's own unit and the verdicts of its parents
    "indicator_spc": "/indicators/preventable_admissions_65plus?period_type=quarter",
}
ROLES = {
    "viewer": ("viewer", "region:1083"),
    "analyst": ("analyst", "cluster:syddanmark-sydvestjylland"),
}

SERVER = """
import sys
from pathlib import Path
import uvicorn
from tvaers.web.app import create_app
from tvaers.web.db import session_scope
from tvaers.web.scope import parse_scope
from tvaers.web.settings import WebSettings
from tvaers.users.service import add_user

warehouse, app_db, port, users, password = sys.argv[1:6]
settings = WebSettings(warehouse=Path(warehouse), app_db_url=app_db, secret="x" * 48)
app = create_app(settings)
with session_scope(app.state.sessions) as db:
    for spec in users.split(","):
        name, role, scope = spec.split("/")
        add_user(db, name, role=role, password=password, scopes=[parse_scope(scope)])
uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning", access_log=False)
"""


def build_fixture() -> Path:
    """The web tests' data set: Region Syddanmark at scale 0.002 (about 2,500 people)."""
    from typer.testing import CliRunner

    from tvaers.cli import app
    from tvaers.indicators.compute import compute
    from tvaers.indicators.results import results_path
    from tvaers.synth.generate import fixture

    db = DATA / "tvaers.duckdb"
    if results_path(db).exists():
        return db
    DATA.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TVAERS_SECRET_KEY", "5e" * 32)  # synthetic data, synthetic key
    os.environ.setdefault("TVAERS_KEY_FILE", str(DATA / "key"))
    fixture(DATA / "delivery", person_key="person_id")
    result = CliRunner().invoke(app, ["ingest", str(DATA / "delivery"), "--db", str(db)])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    compute(db)
    return db


@contextmanager
def temporary_postgresql(server: str) -> Iterator[str]:
    """A database of this run on `server` (user@host:port), dropped afterwards."""
    import psycopg

    user, hostport = server.split("@")
    host, port = hostport.split(":")
    name = f"tvaers_web_bench_{os.getpid()}"
    with psycopg.connect(host=host, port=port, user=user, dbname="test", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{user}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(host=host, port=port, user=user, dbname="test", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def log_in(client: httpx.AsyncClient, name: str) -> None:
    token = (await client.get("/login.json")).json()["csrf_token"]
    r = await client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf_token": token}
    )
    if r.status_code != 303:
        raise RuntimeError(f"login of {name} failed: {r.status_code}")


async def user(
    client: httpx.AsyncClient,
    name: str,
    until: float,
    think: bool,
    samples: dict[str, list[float]],
) -> None:
    rng = random.Random(name)
    pages = list(PAGES.items())
    i = rng.randrange(len(pages))
    if think:  # users arrive spread over the first seconds, not all at once
        await asyncio.sleep(rng.uniform(0, 2.0))
    while time.monotonic() < until:
        page, path = pages[i % len(pages)]
        i += 1
        start = time.perf_counter()
        r = await client.get(path)
        elapsed = time.perf_counter() - start
        if r.status_code != 200:
            raise RuntimeError(f"{path}: {r.status_code}")
        samples[page].append(elapsed)
        if think:
            await asyncio.sleep(rng.uniform(1.0, 3.0))


def summary(samples: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "requests_per_s": round(len(ordered) / seconds, 1),
    }


async def phase(base: str, names: list[str], seconds: float, think: bool) -> dict:
    samples: dict[str, list[float]] = {page: [] for page in PAGES}
    limits = httpx.Limits(max_connections=1)  # one connection per user, as a browser tab
    clients = [httpx.AsyncClient(base_url=base, timeout=60, limits=limits) for _ in names]
    try:
        # Everybody logs in before the clock starts (logins, Argon2, are not page load)
        for batch in range(0, len(names), 5):
            await asyncio.gather(
                *(
                    log_in(c, n)
                    for c, n in zip(
                        clients[batch : batch + 5], names[batch : batch + 5], strict=True
                    )
                )
            )
        # and opens each page once: the measurement is of a server that has been running
        # (its first request reads the result file, and built pages are kept).
        for c in clients:
            for path in PAGES.values():
                await c.get(path)
        until = time.monotonic() + seconds
        await asyncio.gather(
            *(user(c, n, until, think, samples) for c, n in zip(clients, names, strict=True))
        )
    finally:
        for c in clients:
            await c.aclose()
    out = {page: summary(values, seconds) for page, values in samples.items()}
    out["all"] = summary([v for values in samples.values() for v in values], seconds)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a warehouse with computed indicators")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20, help="per phase")
    parser.add_argument(
        "--postgresql",
        metavar="USER@HOST:PORT",
        help="application database in PostgreSQL (a temporary database on that server, "
        "e.g. postgres@127.0.0.1:5432) instead of a new SQLite file",
    )
    parser.add_argument("--label", default="", help="added to the JSON file's name")
    args = parser.parse_args()
    db = args.db or build_fixture()

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        port = free_port()
        app_db = f"sqlite:///{tmp}/app.sqlite"
        if args.postgresql:
            app_db = stack.enter_context(temporary_postgresql(args.postgresql))
        names = {role: [f"{role}{i:02d}" for i in range(args.users)] for role in ROLES}
        users = ",".join(
            f"{n}/{ROLES[role][0]}/{ROLES[role][1]}" for role in ROLES for n in names[role]
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVER,
                str(db),
                app_db,
                str(port),
                users,
                PASSWORD,
            ],
            env={**os.environ, "TVAERS_SECRET_FILE": f"{tmp}/secret"},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    httpx.get(base + "/login.json", timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.5)
            results = {}
            for role in ROLES:
                for name, think in (("users", True), ("saturation", False)):
                    key = f"{role}/{name}"
                    results[key] = asyncio.run(phase(base, names[role], args.seconds, think))
                    row = results[key]["all"]
                    print(
                        f"{key:20} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
                        f"{row['requests_per_s']:6.1f} req/s",
                        flush=True,
                    )
                    for page in PAGES:
                        r = results[key][page]
                        print(
                            f"  {page:18} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
                            f"{r['requests_per_s']:6.1f} req/s",
                            flush=True,
                        )
        finally:
            server.terminate()
            server.wait(timeout=30)

    from tvaers.indicators.results import results_path

    record = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "load_average_after": os.getloadavg(),
        "data": str(db),
        "app_db": "postgresql" if args.postgresql else "sqlite",
        "results_file_bytes": results_path(db).stat().st_size,
        "users": args.users,
        "seconds_per_phase": args.seconds,
        "phases": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    label = f"-{args.label}" if args.label else ""
    out = RESULTS / f"web-{date.today().isoformat()}{label}.json"
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
