"""The indicator engine on Spark: the same SQL as on DuckDB, run by a local SparkSession.

How the portability works:

- Shared by both engines: all the counting logic (blocks.py, methods/). It is written once,
  as SQL in the subset DuckDB and Spark SQL both understand, against the normalised input
  views `in_*` (engine.INPUTS) and the parameter tables `p_years` and `p_periods`. The few
  spellings that differ (seconds since 1970 and back, days between two dates, composite
  sort keys) come from the engine's `dialect` (dialect.py); everything else is the same text
  on both.
- Per engine: only the handful of operations of engine.py — materialise a query as a table,
  append a query to one, register a small parameter table, drop a table, hand over the cells.
  Here a table is a temporary view of stored (locally checkpointed) data, and an appended
  query a further stored part of it.
- Not on Spark at all: the warehouse facts (years, deliveries), the roll-up to clusters,
  regions and the country, direct standardisation, intervals, disclosure control and
  publication. They run in DuckDB on the small cell table for both engines (rollup.py), so
  the two engines' results can only differ if their cells do.

A run on Spark: DuckDB writes each input view to Parquet (timestamps as instants, dates as
dates), a local SparkSession reads them back as temporary views of the same names, the
indicator SQL runs there, and the resulting `cells` come back to DuckDB as Parquet. The
session's time zone is Europe/Copenhagen, like DuckDB's (storage.TIMEZONE): the date of a
timestamp is taken in Danish local time on both engines.

Spark pays a fixed cost per query and stage (planning, code generation, scheduling): on a
small warehouse it is much slower than DuckDB; it is there for data beyond one machine's
DuckDB, and to keep the SQL honest about portability.
"""

from __future__ import annotations

import shutil
import sys
import warnings
from pathlib import Path

from tvaers.config import Settings
from tvaers.i18n import tr
from tvaers.indicators.dialect import SPARK
from tvaers.indicators.engine import INPUTS, ComputeError
from tvaers.sql import lit
from tvaers.warehouse.storage import TIMEZONE

SHUFFLE_PARTITIONS = 8

# engine.register() column types -> Spark SQL types
_TYPES = {
    "VARCHAR": "string",
    "INTEGER": "int",
    "BIGINT": "bigint",
    "DOUBLE": "double",
    "BOOLEAN": "boolean",
    "DATE": "date",
}

# Spark's own logging at level ERROR from the first line on (setLogLevel comes too late
# for the start-up warnings); a level of its own for org.apache.spark keeps Spark from
# announcing the shell's default level.
_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.spark.name = org.apache.spark
logger.spark.level = error
"""


def java_available() -> bool:
    home = Settings.from_env().java_home
    if home and (home / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def start_session(directory: Path):
    """A local SparkSession with the settings the indicator SQL relies on; its scratch
    files (spills, shuffles) go under `directory`."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ComputeError(
            tr(
                "Spark-motoren kræver pyspark: pip install pyspark.",
                "The Spark engine needs pyspark: pip install pyspark.",
            )
        ) from None
    if not java_available():
        raise ComputeError(
            tr(
                "Spark-motoren kræver Java 17 eller nyere (java findes ikke, og JAVA_HOME er "
                "ikke sat).",
                "The Spark engine needs Java 17 or later (no java on the PATH, no JAVA_HOME).",
            )
        )
    directory.mkdir(parents=True, exist_ok=True)
    log4j = directory / "log4j2.properties"
    log4j.write_text(_LOG4J2)
    java_options = f"-Dlog4j2.configurationFile={log4j.as_uri()} -Duser.timezone={TIMEZONE}"
    builder = (
        SparkSession.builder.master("local[*]")
        .appName("tvaers-indicators")
        .config("spark.driver.memory", Settings.from_env().spark_memory)
        .config("spark.driver.extraJavaOptions", java_options)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.local.dir", str(directory / "scratch"))
        .config("spark.sql.warehouse.dir", str(directory / "spark-warehouse"))
        .config("spark.pyspark.python", sys.executable)
        .config("spark.sql.session.timeZone", TIMEZONE)
        .config("spark.sql.shuffle.partitions", str(SHUFFLE_PARTITIONS))
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.adaptive.enabled", "true")
        # DuckDB's Parquet files carry no Spark version: read their dates as written.
        .config("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInRead", "CORRECTED")
    )
    with warnings.catch_warnings():
        # PySpark checks its optional pandas support on the way; we use no pandas.
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    # A session that already existed keeps its static settings; these must hold regardless.
    spark.conf.set("spark.sql.session.timeZone", TIMEZONE)
    spark.conf.set("spark.sql.ansi.enabled", "false")
    spark.conf.set("spark.sql.shuffle.partitions", str(SHUFFLE_PARTITIONS))
    return spark


class SparkEngine:
    """Tables are temporary views of stored parts; see the module docstring."""

    dialect = SPARK

    def __init__(self, spark, directory: Path):
        self.spark = spark
        self.directory = directory
        self._parts: dict[str, list] = {}  # table -> its stored parts (one per append)

    @classmethod
    def from_duckdb(cls, duck, directory: Path) -> SparkEngine:
        """The input views of the DuckDB engine `duck`, as Parquet in `directory`, read by a
        new local SparkSession under the same names."""
        directory = Path(directory).resolve()  # Spark takes file URIs: absolute paths only
        directory.mkdir(parents=True, exist_ok=True)
        files = {}
        for view in INPUTS:
            files[view] = directory / f"{view}.parquet"
            duck.con.execute(
                f"COPY (SELECT * FROM {view}) TO {lit(str(files[view]))} (FORMAT parquet)"
            )
        engine = cls(start_session(directory), directory)
        for view, path in files.items():
            engine.spark.read.parquet(str(path)).createOrReplaceTempView(view)
        return engine

    def _stored(self, frame):
        """The query computed now and kept (memory, then disk) *without its lineage*.

        A cached frame (`cache()`) keeps the whole plan that made it, and every later query
        that uses it — and the union of a table's parts — is analysed and matched against
        the cache with that plan: on Syddanmark that planning alone took minutes. A local
        checkpoint is a plain scan of stored blocks, whatever made it."""
        from pyspark import StorageLevel

        return frame.localCheckpoint(eager=True, storageLevel=StorageLevel.MEMORY_AND_DISK)

    def _release(self, frames: list) -> None:
        """Free the blocks of frames no table uses any more. Spark removes a checkpoint's
        blocks once the JVM has collected its last reference; in local mode the driver is
        the whole cluster, so a collection there frees them now rather than at Spark's next
        periodic one (every 30 minutes)."""
        if frames:
            frames.clear()
            self.spark.sparkContext._jvm.System.gc()

    def _publish(self, name: str, parts: list) -> None:
        """Make `parts` the table `name`, releasing what it held before."""
        old = self._parts.get(name, [])
        self._parts[name] = parts
        view = parts[0]
        for part in parts[1:]:
            view = view.union(part)
        view.createOrReplaceTempView(name)
        self._release([f for f in old if not any(f is p for p in parts)])

    def groups_for(self, count_sql: str, bytes_per_row: int) -> int:
        """One group: Spark partitions and spills its sorts itself (see engine.py)."""
        return 1

    def materialize(self, name: str, sql: str) -> None:
        self._publish(name, [self._stored(self.spark.sql(sql))])

    def append(self, name: str, sql: str) -> None:
        """Like INSERT INTO name: the query's columns by position, cast to the table's."""
        from pyspark.sql import functions as F

        fields = self._parts[name][0].schema.fields
        frame = self.spark.sql(sql)
        frame = frame.select(
            [
                F.col(c).cast(f.dataType).alias(f.name)
                for c, f in zip(frame.columns, fields, strict=True)
            ]
        )
        self._publish(name, [*self._parts[name], self._stored(frame)])

    def register(self, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
        schema = ", ".join(f"{c} {_TYPES[t.upper()]}" for c, t in columns)
        frame = self.spark.createDataFrame([tuple(r) for r in rows], schema=schema)
        self._publish(name, [self._stored(frame)])

    def drop(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        self._release(self._parts.pop(name, []))

    def scalar(self, sql: str):
        """The single value of a one-row, one-column query (a loop's bound)."""
        return self.spark.sql(sql).collect()[0][0]

    def cells_into(self, target, name: str) -> None:
        """Spark's `cells` as the DuckDB table `name` of the connection `target`, with the
        column types the DuckDB engine gives it (the counts' integer types come through
        Parquet as Spark computed them, which is as DuckDB does)."""
        out = self.directory / "cells-out"
        self.spark.table("cells").write.mode("overwrite").parquet(str(out))
        files = lit(str(out / "*.parquet"))
        target.execute(
            f"""CREATE OR REPLACE TEMP TABLE {name} AS
            SELECT CAST(indicator_id AS VARCHAR) AS indicator_id,
                   CAST(period AS VARCHAR) AS period,
                   CAST(municipality_code AS VARCHAR) AS municipality_code,
                   CAST(stratum AS VARCHAR) AS stratum, CAST(sex AS VARCHAR) AS sex,
                   CAST(band AS INTEGER) AS band, numerator, denominator, n_provisional
            FROM read_parquet({files})"""
        )

    def table_into(self, target, name: str) -> None:
        """Spark's table `name` as the DuckDB table of the same name in `target` (a small
        table: its columns as Spark typed them)."""
        out = self.directory / f"{name}-out"
        self.spark.table(name).write.mode("overwrite").parquet(str(out))
        target.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS "
            f"SELECT * FROM read_parquet({lit(str(out / '*.parquet'))})"
        )

    def close(self) -> None:
        self._parts.clear()
        self.spark.stop()
