"""One safe way to show a message: CPR-shaped values masked, markup never interpreted.

Every text that can carry delivered data — a value, a column or file name, a source, a
library's error message quoting a line — is shown through this module. Rich would read
`[bold]` or `[/]` in such a text as markup (and raise on a stray closing tag), so texts
become `rich.text.Text` objects, which Rich prints literally; the only styling is what the
caller adds around them.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

# DDMMYY-SSSS or DDMMYYSSSS not inside a longer run of digits: the shape, not only the
# valid numbers — a mistyped CPR is still a CPR to the person it belongs to.
_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?\d{4}(?!\d)")


def mask_cpr(text: str) -> str:
    """Every CPR-shaped run in `text` as DDMMYY-xxxx."""
    return _CPR_LIKE.sub(lambda m: m.group(1) + "-xxxx", text)


def cpr_mask_sql(expr: str) -> str:
    """SQL: the text `expr` with every CPR-shaped run masked as DDMMYY-xxxx, the same rule
    as `mask_cpr`. DuckDB's regular expressions (RE2) have no look-behind, so the digits
    around a run are matched and put back; a match consumes the separator after it, which
    a neighbouring run needs, hence a second pass for runs that sit one separator apart."""
    one_pass = (
        "regexp_replace({}, '(^|[^0-9])([0-9]{{6}})-?[0-9]{{4}}([^0-9]|$)', '\\1\\2-xxxx\\3', 'g')"
    )
    return one_pass.format(one_pass.format(expr))


def spreadsheet_safe_sql(expr: str) -> str:
    """SQL: a value for a CSV file that people open in a spreadsheet. A value beginning like
    a formula (`=`, `+`, `@`, a tab or carriage return, or `-` not followed by a plain
    number) gets a leading `'`, so the spreadsheet shows it as text instead of running it
    (OWASP's advice against CSV injection); a negative number stays as it is."""
    looks_like_formula = (
        f"regexp_matches({expr}, '^[=+@\\t\\r]') OR (starts_with({expr}, '-') "
        f"AND NOT regexp_full_match({expr}, '-[0-9]+([.][0-9]+)?'))"
    )
    quote = "''''"  # SQL for the text '
    return f"CASE WHEN {looks_like_formula} THEN {quote} || {expr} ELSE {expr} END"


def safe(value: object) -> Text:
    """A value as literal terminal text, CPR masked."""
    return Text(mask_cpr("" if value is None else str(value)))


def labelled(label: str, style: str, message: object) -> Text:
    """`label: message` on one line, with only the label styled."""
    return Text.assemble((f"{label}:", style), " ", Text(one_line(message)))


def one_line(message: object) -> str:
    """A message as one line (a library's multi-line explanation keeps its first lines
    joined), CPR masked: what a command's failure prints."""
    lines = [ln.strip() for ln in str(message).splitlines() if ln.strip()]
    return mask_cpr("; ".join(lines[:3]))


def print_safe(console: Console, *parts: Text | str) -> None:
    """Print parts side by side; plain strings are taken literally too. One message stays
    one line (no wrapping at the terminal's width)."""
    console.print(
        Text.assemble(*(p if isinstance(p, Text) else safe(p) for p in parts)), soft_wrap=True
    )
