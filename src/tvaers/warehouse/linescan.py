"""One pass over a delivery's bytes: its fingerprint, and each CSV file's line count and
first NUL byte — what the rows a reader returns must account for (contract v1.1: the rows
counted in a file are the rows loaded or reported).

Byte counting in C (`bytes.count`, `bytes.find`, a regular expression per chunk), never a
Python loop over lines: it rides along with the fingerprint, which reads every byte anyway.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LineScan:
    """What one pass over a CSV file's bytes tells about its lines (counted while the
    fingerprint is taken, so no extra read): the rows a reader must account for."""

    newlines: int
    ends_with_newline: bool
    nul_line: int | None  # the physical line of the first NUL byte, if any

    @property
    def data_lines(self) -> int:
        """Physical lines after the header (a last line without a line break counts)."""
        return max(self.newlines + (0 if self.ends_with_newline else 1) - 1, 0)


def fingerprint(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of the delivery's files, in name order."""
    return scan_files(paths, set())[0]


def scan_files(paths: list[Path], csv_paths: set[Path]) -> tuple[str, dict[Path, LineScan]]:
    """The fingerprint, and for each CSV file its line scan."""
    digest = hashlib.sha256()
    scans: dict[Path, LineScan] = {}
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0")
        newlines, nul_line, last = 0, None, b""
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                digest.update(chunk)
                if path in csv_paths:
                    if nul_line is None and (i := chunk.find(b"\0")) >= 0:
                        nul_line = newlines + chunk.count(b"\n", 0, i) + 1
                    newlines += chunk.count(b"\n")
                    last = chunk[-1:]
        digest.update(b"\0")
        if path in csv_paths:
            scans[path] = LineScan(newlines, last in (b"\n", b""), nul_line)
    return digest.hexdigest(), scans


_EMPTY_LINE_AHEAD = re.compile(rb"\n(?=\r?\n)")


def blank_lines(path: Path) -> int:
    """Empty lines after the header (a CSV reader skips them): read again only when the
    rows read fall short of the lines counted. Counted per chunk in C (a regular
    expression), not line by line in Python; each chunk is cut after its last line break,
    so every line is judged whole."""
    count, rest = 0, b""
    with path.open("rb") as fh:
        fh.readline()  # the header: at most HEADER_LIMIT bytes, checked when it was read
        while chunk := fh.read(1 << 22):
            data = rest + chunk
            cut = data.rfind(b"\n") + 1
            # a line break before the first line: an empty first line is found like any other
            count += sum(1 for _ in _EMPTY_LINE_AHEAD.finditer(b"\n" + data[:cut]))
            rest = data[cut:]
    return count
