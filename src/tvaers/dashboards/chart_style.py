"""The look the dashboards' charts share: one colour per role, whatever the chart.

A director compares *my unit* with the units it belongs to, so a role keeps its colour on
every chart of every page: the followed unit blue, its cluster (or sundhedsråd, or bilateral
collaboration) vermilion, its region green, the country grey and dashed; every other unit
a light grey, so the followed one stands out. Okabe–Ito colours: distinguishable with the
common colour-vision deficiencies, and each at least 3:1 against white (WCAG 1.4.11).
"""

from __future__ import annotations

from typing import Any

# Okabe–Ito colours.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
INK = "#1b1f24"
MUTED = "#4a5260"

ROLE_COLOURS = {
    "unit": "#0072B2",
    "group": "#D55E00",  # cluster, sundhedsråd or bilateral collaboration
    "region": "#009E73",
    "country": "#4a5260",
    "other": "#8c96a3",  # the units compared with the followed one (3.0:1 on white)
}
ROLE_DASHES = {"unit": [1, 0], "group": [1, 0], "region": [1, 0], "country": [6, 3]}
ROLE_WIDTHS = {"unit": 3.5, "group": 2, "region": 2, "country": 2}


def role_of(level: str, focus_level: str) -> str:
    """The role of a unit of ``level`` beside a followed unit of ``focus_level``."""
    if level == focus_level:
        return "unit"
    if level in ("region", "country"):
        return level
    return "group"


CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif",
    # Vega's own screen-reader texts are English ("X-axis titled ..."): left out. Each chart
    # is one image with a description in the page's language (its aria-label), a readout of
    # its figures for the keyboard and a table with the same numbers.
    "aria": False,
    "mark": {"aria": False},
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": INK, "titleColor": INK},
    "legend": {
        "labelFontSize": 13,
        "titleFontSize": 13,
        "labelColor": INK,
        "orient": "bottom",
        # One series a line: every series stays visible at phone width.
        "direction": "vertical",
        "labelLimit": 320,
        "symbolOpacity": 1,
        "symbolStrokeWidth": 3,
        "symbolSize": 160,
    },
    "range": {"category": PALETTE},
    "view": {"stroke": None},
}


def base_spec(description: str, values: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    # No "$schema": charts.js tells vega-embed the specs are Vega-Lite (v6), and the pages
    # then name no address outside the application at all.
    return {
        "description": description,
        "width": "container",
        "config": CONFIG,
        "data": {"values": values},
        **extra,
    }
