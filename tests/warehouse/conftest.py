"""Deliveries for tests: the embedded example delivery, copied and mutated cell by cell."""

from __future__ import annotations

import csv
import json
import shutil
from importlib.resources import files
from pathlib import Path

import pytest

from tvaers.config import Settings
from tvaers.warehouse.ingest import IngestResult, ingest

EXAMPLE = Path(str(files("tvaers") / "demo_data" / "example-delivery"))

# The synthetic CPR numbers of the example delivery, in both spellings: no file Tværs
# writes may contain any of them.
EXAMPLE_CPRS = ["1203471018", "0101552213", "3006990421", "1503054127", "0811301449"]


class DeliveryDir:
    """A delivery directory on disk with helpers to edit its CSV files."""

    def __init__(self, path: Path):
        self.path = path

    def rows(self, table: str) -> list[dict[str, str]]:
        with (self.path / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    def write(self, table: str, rows: list[dict[str, str]], header: list[str] | None = None):
        header = header or list(rows[0].keys())
        with (self.path / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)

    def set(self, table: str, row: int, column: str, value: str) -> None:
        """Set one cell; `row` is the 1-based data row, as error reports count."""
        rows = self.rows(table)
        rows[row - 1][column] = value
        self.write(table, rows)

    def append(self, table: str, **values: str) -> None:
        rows = self.rows(table)
        rows.append({k: values.get(k, "") for k in rows[0]})
        self.write(table, rows)

    def drop_column(self, table: str, column: str) -> None:
        rows = self.rows(table)
        self.write(table, rows, [c for c in rows[0] if c != column])

    def remove(self, *tables: str) -> None:
        for t in tables:
            (self.path / f"{t}.csv").unlink()

    def keep_only(self, *tables: str) -> None:
        for path in self.path.glob("*.csv"):
            if path.stem not in tables:
                path.unlink()

    def meta(self, **values: str) -> None:
        (self.path / "delivery.json").write_text(json.dumps(values), encoding="utf-8")


@pytest.fixture
def example(tmp_path) -> DeliveryDir:
    target = tmp_path / "delivery"
    shutil.copytree(EXAMPLE, target)
    for p in target.iterdir():
        p.chmod(0o644)
    return DeliveryDir(target)


@pytest.fixture
def new_delivery(tmp_path):
    """A delivery written from text: new_delivery("later", persons="cpr,...\n...")."""

    def _new(name: str, meta: str | None = None, **tables: str) -> Path:
        path = tmp_path / name
        path.mkdir()
        if meta:
            (path / "delivery.json").write_text(meta, encoding="utf-8")
        for table, text in tables.items():
            (path / f"{table}.csv").write_text(text, encoding="utf-8")
        return path

    return _new


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "wh" / "tvaers.duckdb"


@pytest.fixture
def load(db, tmp_path):
    """ingest() with the test's warehouse and a report directory inside tmp_path."""
    counter = iter(range(1000))

    def _load(delivery: DeliveryDir | Path, mode: str = "strict", **kw) -> IngestResult:
        path = delivery.path if isinstance(delivery, DeliveryDir) else delivery
        report_dir = kw.pop("report_dir", tmp_path / "reports" / str(next(counter)))
        return ingest(
            path, db, mode=mode, settings=Settings.from_env(), report_dir=report_dir, **kw
        )

    return _load
