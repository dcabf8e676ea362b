"""The one safe renderer: CPR-shaped values masked the same way in Python and in SQL, and
markup shown literally."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tvaers.safe_text import cpr_mask_sql, labelled, mask_cpr, print_safe


def test_mask_cpr_by_hand():
    assert mask_cpr("1407612117") == "140761-xxxx"
    assert mask_cpr("cpr 140761-2117, og 0101552213.") == "cpr 140761-xxxx, og 010155-xxxx."
    assert mask_cpr("14076121170") == "14076121170"  # 11 digits: not CPR-shaped
    assert mask_cpr("K-1407612117x") == "K-140761-xxxxx"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789-, x", max_size=60))
def test_sql_masks_exactly_as_python(text):
    con = duckdb.connect()
    assert con.execute(f"SELECT {cpr_mask_sql('?')}", [text]).fetchone()[0] == mask_cpr(text)


def test_markup_is_printed_literally_and_on_one_line():
    console = Console(width=20, record=True, force_terminal=False)
    print_safe(console, labelled("Fejl", "bold red", "[/] [bold]x 1407612117 " + "y" * 40))
    text = console.export_text()
    assert text == f"Fejl: [/] [bold]x 140761-xxxx {'y' * 40}\n"
