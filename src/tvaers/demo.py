"""`make demo`: the whole pipeline on embedded defaults.

A synthetic Denmark (all five regions and every cluster, at a small scale, 2021–2024, seed
42) is generated as one delivery and ingested; then the v1 indicators are computed for every
level and period, one is shown, and all are exported in the contract's format (with
disclosure control). The whole country, so that a municipality is compared with a cluster, a
region and a country that differ from it, not with copies of itself.

Everything is written under ./demo-output (warehouse, key, deliveries, reports, export), so
the demo never touches a real installation's key or warehouse.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tvaers.cli import app

OUTPUT = Path("demo-output")
# About 60,000 people in 98 municipalities. Measured end to end without serving (2 shared
# cores): the whole country at 0.01 for 2021–2024 takes about as long as Region Syddanmark at
# 0.02 for 2019–2024 did (21–29 s against 21–26 s); the cost is in computing the cells of
# 98 municipalities, so four years instead of six keeps it there. One delivery: a delivery
# per source would be 104 ingests, about 45 s more.
DEMO_SCALE = "0.01"
DEMO_YEARS = "2021-2024"


def _run(args: list[str]) -> None:
    print(f"\n$ tvaers {' '.join(args)}", flush=True)
    app(args, standalone_mode=False)


def run(output: Path = OUTPUT) -> None:
    db = output / "tvaers.duckdb"
    prepare(output)
    generate(output / "delivery")
    ingest(output / "delivery", db)
    compute(db)
    export(db, output / "indicators.csv")
    demo_users(output)
    demo_registry(output)
    demo_transfers(output)
    demo_agreement(output)
    # Serving is the last step and runs until Ctrl-C; TVAERS_DEMO_SERVE=0 stops before it
    # (scripts and tests that only want the pipeline).
    if os.environ.get("TVAERS_DEMO_SERVE", "1") != "0":
        _run(["serve", "--db", str(db), "--host", "127.0.0.1", "--port", "8000"])


def prepare(output: Path) -> None:
    """A fresh output folder with a pseudonymisation key of its own."""
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    os.environ["TVAERS_KEY_FILE"] = str(output / "pseudonym.key")
    os.environ.pop("TVAERS_SECRET_KEY", None)
    _run(["keys", "init"])
    _run(["org", "list", "--level", "region", "--on", "2024-01-01"])


def generate(delivery: Path, scale: str = DEMO_SCALE) -> None:
    """The whole country, all sources, in one delivery."""
    _run(
        [
            "generate",
            "--out",
            str(delivery),
            "--region",
            "all",
            "--scale",
            scale,
            "--years",
            DEMO_YEARS,
            "--seed",
            "42",
            "--format",
            "parquet",
        ]
    )


def ingest(delivery: Path, db: Path) -> None:
    _run(["ingest", str(delivery), "--db", str(db)])
    _run(["db", "info", "--db", str(db)])


def compute(db: Path) -> None:
    """Every indicator at every level and period; one shown for the regions and the
    country (the latest year)."""
    _run(["indicators", "compute", "--db", str(db)])
    _run(
        [
            "indicators",
            "show",
            "preventable_admissions_65plus",
            "--db",
            str(db),
            "--level",
            "region",
            "--level",
            "country",
        ]
    )


def export(db: Path, out: Path) -> None:
    _run(["indicators", "export", "--db", str(db), "--out", str(out)])
    print(
        f"\nFærdig. Lageret: {db}; indikatorerne: {out} (diskretioneret: tal 1–4 er skjult).",
        flush=True,
    )


# Demo accounts with published passwords: for the demo's own app database only.
DEMO_USERS = (
    ("demo-admin", "admin", "country:DK", "demo-password-a1", "Demo Administrator"),
    (
        "demo-analyst",
        "analyst",
        "cluster:syddanmark-sydvestjylland",
        "demo-password-b2",
        "Demo Analytiker",
    ),
    ("demo-viewer", "viewer", "region:1083", "demo-password-c3", "Demo Læser"),
    (
        "demo-secretariat",
        "secretariat",
        "region:1083",
        "demo-password-d4",
        "Demo Sekretariat",
    ),
)


def demo_users(output: Path) -> None:
    """An administrator, an analyst and a viewer in the demo's own application database
    (beside its warehouse), with a session secret of its own under demo-output."""
    from tvaers.users.service import add_user
    from tvaers.web.db import make_engine, session_factory, session_scope
    from tvaers.web.migrate import upgrade
    from tvaers.web.scope import parse_scope
    from tvaers.web.settings import app_db_url

    os.environ["TVAERS_SECRET_FILE"] = str(output / "session.secret")
    os.environ.pop("TVAERS_APP_DB", None)
    engine = make_engine(app_db_url(output / "tvaers.duckdb"))
    upgrade(engine)
    with session_scope(session_factory(engine)) as session:
        for name, role, scope, password, display in DEMO_USERS:
            add_user(
                session,
                name,
                role=role,
                password=password,
                display_name=display,
                scopes=[parse_scope(scope)],
            )
    engine.dispose()
    print("\nDemo-brugere (kun til demoen):", flush=True)
    for name, role, scope, password, _ in DEMO_USERS:
        print(f"  {name:13} adgangskode {password}  ({role}, {scope})", flush=True)
    print(
        "Åbn http://127.0.0.1:8000/ og log ind med en af dem. Stop serveren med Ctrl-C.",
        flush=True,
    )


def demo_registry(output: Path) -> None:
    """Region Syddanmark's fora from the seeds (the shipped registry file) in the demo's
    application database, so the organisation pages and `tvaers org check` have data."""
    from importlib import resources

    from tvaers.governance import loading
    from tvaers.web.db import make_engine, session_factory, session_scope
    from tvaers.web.migrate import upgrade
    from tvaers.web.settings import app_db_url

    path = resources.files("tvaers.governance") / "data" / "syddanmark.yaml"
    engine = make_engine(app_db_url(output / "tvaers.duckdb"))
    upgrade(engine)
    with session_scope(session_factory(engine)) as session:
        summary = loading.load(session, str(path), "demo")
    engine.dispose()
    print(f"\nRegion Syddanmarks fora indlæst ({summary.text()}).", flush=True)


def demo_transfers(output: Path) -> None:
    """Two example task-transfer cases (marked as examples) in a Syddanmark cluster, after
    the region's fora they are decided in."""
    from tvaers.transfers import examples
    from tvaers.web.db import make_engine, session_factory, session_scope
    from tvaers.web.settings import app_db_url

    engine = make_engine(app_db_url(output / "tvaers.duckdb"))
    with session_scope(session_factory(engine)) as session:
        made = examples.load(session)
    engine.dispose()
    print(f"Eksempler på opgaveoverdragelse indlæst: {len(made)} sager.", flush=True)


def demo_agreement(output: Path) -> None:
    """The example health agreement drawn from the seeds (marked as an example), after the
    fora it names as parties and owners (demo_registry)."""
    from importlib import resources

    from tvaers.agreements import loading
    from tvaers.web.db import make_engine, session_factory, session_scope
    from tvaers.web.settings import app_db_url

    path = resources.files("tvaers.agreements") / "data" / "example_syddanmark.yaml"
    engine = make_engine(app_db_url(output / "tvaers.duckdb"))
    with session_scope(session_factory(engine)) as session:
        summary = loading.load(session, str(path), "demo")
    engine.dispose()
    print(f"\nEksempel på en sundhedsaftale indlæst ({summary.text()}).", flush=True)


if __name__ == "__main__":
    run()
