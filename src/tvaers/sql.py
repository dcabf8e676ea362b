"""Spelling values and names into SQL text, shared by the warehouse, the indicator engine
and the synthetic generator.

Only what every SQL engine we use (DuckDB, Spark SQL) writes the same way; spellings that
differ between engines live in indicators/dialect.py.
"""

from __future__ import annotations

from collections.abc import Iterable


def lit(value: object) -> str:
    """Quote a text as an SQL string literal (paths and codes may contain quotes)."""
    return "'" + str(value).replace("'", "''") + "'"


def q(name: str) -> str:
    """Quote an identifier (contract columns include SQL words such as `end` and `at`)."""
    return '"' + name.replace('"', '""') + '"'


def text_list(values: Iterable[str]) -> str:
    """Texts as a comma-separated list of literals, for `IN (…)`."""
    return ", ".join(lit(v) for v in values)
