"""Tiny hand-made deliveries, loaded and computed through the command line.

A test writes its people and events with `Delivery`, then `run()` ingests the delivery
(`tvaers ingest`), computes (`tvaers indicators compute --years 2023`) and exports the CSV
(`tvaers indicators export --unsuppressed` unless told otherwise). The exported rows come back
as a `Results`, keyed by (indicator_id, period, level, unit_code, stratum).

Times are Danish local time and no test data crosses a daylight-saving change (26 March and
29 October 2023), so "hours" are the same on the wall clock and in elapsed time.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import subprocess
import sys
import traceback
from datetime import datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from tvaers.cli import app

EXTRACTED_AT = "2024-03-01"

# The default stay diagnosis, chest pain: not preventable, not a chronic disease, not excluded
# from readmissions — a contact that only matters for what the test varies.
NEUTRAL = "DR074"

EXPORT_COLUMNS = [
    "indicator_id",
    "period",
    "level",
    "unit_code",
    "unit_name",
    "stratum",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "std_value",
    "std_ci_low",
    "std_ci_high",
    "suppressed",
]

HEADERS = {
    "persons": ["person_id", "birth_date", "sex", "death_date"],
    "residence": ["person_id", "municipality_code", "valid_from", "valid_to"],
    "hospital_contacts": [
        "contact_id",
        "person_id",
        "hospital_code",
        "start",
        "end",
        "contact_type",
        "priority",
        "sector",
        "diagnosis",
        "ready_for_discharge",
        "discharged_to",
    ],
    "hospital_diagnoses": ["contact_id", "code", "kind"],
    "prescriptions": ["person_id", "dispensed_on", "atc"],
    "gp_contacts": ["person_id", "clinic_id", "at", "kind"],
    "municipal_services": [
        "person_id",
        "municipality_code",
        "service",
        "start",
        "end",
        "hours_per_week",
    ],
    "municipal_visits": ["person_id", "municipality_code", "service", "at", "kind"],
    "referrals": [
        "referral_id",
        "person_id",
        "from_sector",
        "service",
        "municipality_code",
        "referred_on",
        "started_on",
    ],
    "messages": [
        "message_id",
        "person_id",
        "type",
        "event",
        "sent_at",
        "sender",
        "receiver",
        "episode_id",
        "event_at",
        "replaces_message_id",
    ],
}

_FMT = "%Y-%m-%dT%H:%M"


def plus_hours(start: str, hours: float) -> str:
    """`start` + `hours` on the wall clock, as YYYY-MM-DDTHH:MM."""
    return (datetime.strptime(start, _FMT) + timedelta(hours=hours)).strftime(_FMT)


class Delivery:
    """One delivery keyed by `person_id`, built row by row."""

    def __init__(self, extracted_at: str = EXTRACTED_AT):
        self.extracted_at = extracted_at
        self.tables: dict[str, list[dict[str, str]]] = {t: [] for t in HEADERS}
        self._ids = itertools.count(1)

    def _add(self, table: str, **values: object) -> None:
        row = {k: "" if values.get(k) is None else str(values.get(k)) for k in HEADERS[table]}
        self.tables[table].append(row)

    def person(
        self,
        pid: str,
        born: str,
        sex: str = "F",
        municipality: str | None = "540",
        died: str = "",
        since: str | None = None,
    ) -> str:
        """A person living in `municipality` from `since` (default: birth) on; None: nowhere."""
        self._add("persons", person_id=pid, birth_date=born, sex=sex, death_date=died)
        if municipality:
            self.residence(pid, municipality, since or born)
        return pid

    def residence(self, pid: str, municipality: str, valid_from: str, valid_to: str = "") -> None:
        self._add(
            "residence",
            person_id=pid,
            municipality_code=municipality,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    def contact(
        self,
        pid: str,
        start: str,
        end: str,
        *,
        diagnosis: str = NEUTRAL,
        priority: str = "acute",
        sector: str = "somatic",
        discharged_to: str = "home",
        ready: str = "",
        contact_type: str = "physical",
        hospital: str = "5001020",
    ) -> str:
        """A hospital contact; returns its contact_id."""
        cid = f"K{next(self._ids):04d}"
        self._add(
            "hospital_contacts",
            contact_id=cid,
            person_id=pid,
            hospital_code=hospital,
            start=start,
            end=end,
            contact_type=contact_type,
            priority=priority,
            sector=sector,
            diagnosis=diagnosis,
            ready_for_discharge=ready,
            discharged_to=discharged_to,
        )
        return cid

    def admission(self, pid: str, start: str, hours: float = 24, **kw: str) -> str:
        """A single physical contact of `hours` (default 24 h: a stay that is an admission)."""
        return self.contact(pid, start, plus_hours(start, hours), **kw)

    def diagnosis(self, contact_id: str, code: str, kind: str = "B") -> None:
        self._add("hospital_diagnoses", contact_id=contact_id, code=code, kind=kind)

    def prescription(self, pid: str, dispensed_on: str, atc: str) -> None:
        self._add("prescriptions", person_id=pid, dispensed_on=dispensed_on, atc=atc)

    def gp(self, pid: str, at: str, kind: str = "consultation", clinic: str = "012345") -> None:
        self._add("gp_contacts", person_id=pid, clinic_id=clinic, at=at, kind=kind)

    def service(
        self,
        pid: str,
        service: str,
        start: str,
        end: str = "",
        municipality: str = "540",
        hours_per_week: str = "",
    ) -> None:
        self._add(
            "municipal_services",
            person_id=pid,
            municipality_code=municipality,
            service=service,
            start=start,
            end=end,
            hours_per_week=hours_per_week,
        )

    def visit(
        self,
        pid: str,
        at: str,
        service: str = "home_nursing",
        municipality: str = "540",
        kind: str = "visit",
    ) -> None:
        self._add(
            "municipal_visits",
            person_id=pid,
            municipality_code=municipality,
            service=service,
            at=at,
            kind=kind,
        )

    def referral(
        self,
        pid: str,
        service: str,
        referred_on: str,
        started_on: str = "",
        *,
        from_sector: str = "hospital",
        municipality: str = "540",
    ) -> str:
        rid = f"H{next(self._ids):04d}"
        self._add(
            "referrals",
            referral_id=rid,
            person_id=pid,
            from_sector=from_sector,
            service=service,
            municipality_code=municipality,
            referred_on=referred_on,
            started_on=started_on,
        )
        return rid

    def notification(
        self,
        pid: str,
        event: str,
        at: str,
        *,
        episode: str = "E1",
        sent_at: str | None = None,
        replaces: str = "",
    ) -> str:
        """A MedCom hospital notification of `event` at `at` (sent then unless `sent_at`);
        returns its message_id."""
        mid = f"M{next(self._ids):04d}"
        self._add(
            "messages",
            message_id=mid,
            person_id=pid,
            type="hospital_notification",
            event=event,
            sent_at=sent_at or at,
            sender="5001020",
            receiver="540",
            episode_id=f"{pid}-{episode}",
            event_at=at,
            replaces_message_id=replaces,
        )
        return mid

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True)
        meta = {"source": "Håndlavet testlevering", "extracted_at": self.extracted_at}
        (directory / "delivery.json").write_text(json.dumps(meta), encoding="utf-8")
        for table, rows in self.tables.items():
            if rows or table == "persons":
                with (directory / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
                    writer = csv.DictWriter(fh, fieldnames=HEADERS[table])
                    writer.writeheader()
                    writer.writerows(rows)
        return directory


# --- running the command line ------------------------------------------------------------

_runner = CliRunner()


def cli(args: list[str], *, in_subprocess: bool = False) -> tuple[int, str]:
    """Run `tvaers ARGS`: in this process (typer's CliRunner) or as `python -m tvaers`."""
    if in_subprocess:
        proc = subprocess.run(
            [sys.executable, "-m", "tvaers", *args],
            capture_output=True,
            text=True,
            env=dict(os.environ),
            check=False,
        )
        return proc.returncode, proc.stdout + proc.stderr
    result = _runner.invoke(app, args)
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += "".join(traceback.format_exception(*result.exc_info))
    return result.exit_code, output


def ingest(delivery: Delivery, tmp_path: Path, name: str = "delivery") -> Path:
    """Write and load the delivery (strict mode: any error rejects it); returns the warehouse."""
    db = tmp_path / "wh" / "tvaers.duckdb"
    path = delivery.write(tmp_path / name)
    code, output = cli(
        ["ingest", str(path), "--db", str(db), "--report-dir", str(tmp_path / f"r-{name}")]
    )
    assert code == 0, f"ingest of the hand-made delivery failed:\n{output}"
    return db


def compute(
    db: Path,
    *,
    years: str = "2023",
    structure_date: str | None = None,
    in_subprocess: bool = False,
) -> None:
    args = ["indicators", "compute", "--db", str(db), "--years", years]
    if structure_date:
        args += ["--structure-date", structure_date]
    code, output = cli(args, in_subprocess=in_subprocess)
    assert code == 0, f"`tvaers {' '.join(args)}` failed:\n{output}"


def export(
    db: Path,
    out: Path,
    *,
    unsuppressed: bool = True,
    in_subprocess: bool = False,
) -> Results:
    args = ["indicators", "export", "--db", str(db), "--out", str(out), "--format", "csv"]
    if unsuppressed:
        args.append("--unsuppressed")
    code, output = cli(args, in_subprocess=in_subprocess)
    assert code == 0, f"`tvaers {' '.join(args)}` failed:\n{output}"
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == EXPORT_COLUMNS, reader.fieldnames
        return Results(list(reader))


def run(
    tmp_path: Path,
    delivery: Delivery,
    *,
    years: str = "2023",
    structure_date: str | None = None,
    unsuppressed: bool = True,
) -> Results:
    """Ingest, compute and export: the results of one hand-made delivery."""
    db = ingest(delivery, tmp_path)
    compute(db, years=years, structure_date=structure_date)
    return export(db, tmp_path / "export.csv", unsuppressed=unsuppressed)


# --- reading the export ------------------------------------------------------------------


def level_of(unit: str) -> str:
    if unit == "DK":
        return "country"
    if unit.isdigit():
        return "region" if len(unit) == 4 else "municipality"
    return "cluster"


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


class Results:
    """The exported rows by (indicator_id, period, level, unit_code, stratum)."""

    def __init__(self, rows: list[dict[str, str]]):
        self.rows: dict[tuple[str, str, str, str, str], dict[str, str]] = {}
        for r in rows:
            key = (r["indicator_id"], r["period"], r["level"], r["unit_code"], r["stratum"])
            assert key not in self.rows, f"two rows for {key}"
            self.rows[key] = r

    def has(self, indicator: str, unit: str = "DK", *, period: str = "2023", stratum: str = ""):
        return (indicator, period, level_of(unit), unit, stratum) in self.rows

    def row(
        self, indicator: str, unit: str = "DK", *, period: str = "2023", stratum: str = ""
    ) -> dict[str, str]:
        key = (indicator, period, level_of(unit), unit, stratum)
        if key not in self.rows:
            near = sorted(k for k in self.rows if k[0] == indicator and k[3] == unit)[:20]
            raise AssertionError(f"no exported row {key}; rows of that unit: {near}")
        return self.rows[key]

    def get(self, column: str, indicator: str, unit: str = "DK", **kw: str) -> float | None:
        """One numeric column of one row (None for an empty cell)."""
        return _number(self.row(indicator, unit, **kw)[column])

    def numerator(self, indicator: str, unit: str = "DK", **kw: str) -> float | None:
        return self.get("numerator", indicator, unit, **kw)

    def denominator(self, indicator: str, unit: str = "DK", **kw: str) -> float | None:
        return self.get("denominator", indicator, unit, **kw)

    def value(self, indicator: str, unit: str = "DK", **kw: str) -> float | None:
        return self.get("value", indicator, unit, **kw)

    def suppressed(self, indicator: str, unit: str = "DK", **kw: str) -> bool:
        flag = self.row(indicator, unit, **kw)["suppressed"]
        assert flag in ("true", "false"), flag
        return flag == "true"

    def units(self, indicator: str, level: str, *, period: str = "2023") -> set[str]:
        return {k[3] for k in self.rows if k[0] == indicator and k[1] == period and k[2] == level}

    def periods(self, indicator: str) -> set[str]:
        return {k[1] for k in self.rows if k[0] == indicator}
