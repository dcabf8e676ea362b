"""Tables in the terminal that stay readable in 80 columns.

Rich fits a table to the terminal by wrapping its cells at spaces; when even its narrowest
layout (each column as wide as its longest word) is wider than the terminal, it cuts columns
down to "Udtru…" or to nothing. Then the table is printed stacked instead: each row as a
block of "header  value" lines, every value whole. Wide terminals get the table as before.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


def fits(console: Console, table: Table) -> bool:
    # Measured without the terminal's limit: Rich clamps a measurement to the width given.
    unlimited = console.options.update(max_width=100_000)
    return Measurement.get(console, unlimited, table).minimum <= console.width


def print_table(console: Console, table: Table, **options: Any) -> None:
    """Print ``table``, stacked when its columns do not fit side by side."""
    console.print(table if fits(console, table) else stacked(table), **options)


def stacked(table: Table) -> RenderableType:
    parts: list[RenderableType] = []
    if table.title:
        title = table.title if isinstance(table.title, Text) else Text(str(table.title))
        parts.append(Text.assemble(title, style="bold italic"))
    headers = [column.header for column in table.columns]
    cells = [list(column.cells) for column in table.columns]
    for row in range(table.row_count):
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for header, column in zip(headers, cells, strict=True):
            grid.add_row(header, column[row])
        parts += [Text(""), grid] if row else [grid]
    if table.caption:
        parts += [Text(""), table.caption]
    return Group(*parts)
