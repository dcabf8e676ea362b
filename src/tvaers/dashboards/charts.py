"""Vega-Lite specifications of the dashboards' charts, built from cells that have already
passed disclosure control (a hidden cell has no value: a gap in a line, a labelled empty
row among the bars, never a silent omission).

The page embeds each spec as JSON data (``<script type="application/json">``, which the
Content-Security-Policy treats as data, not code) and static/charts.js renders it with
vega-embed, with the page's number and date formats (Danish: 1.000 and 0,5). Every chart has
a ``description`` (the chart's accessible name) and, on the page, a link to the table it was
drawn from. The keyboard reads the same figures as the tooltips: charts.js steps through
``data.values`` and writes the ``tooltip`` fields of the layer that has no data of its own,
so that layer must carry the chart's tooltip. Colours follow the unit's role
(chart_style.py): the followed unit is blue on every chart.
"""

from __future__ import annotations

import json
from statistics import quantiles
from typing import Any

from tvaers.dashboards.chart_style import (
    CONFIG,
    INK,
    PALETTE,
    ROLE_COLOURS,
    ROLE_DASHES,
    ROLE_WIDTHS,
    base_spec,
)
from tvaers.dashboards.funnel_chart import LABEL_ALL_UP_TO, funnel

__all__ = [
    "CONFIG",
    "INK",
    "LABEL_ALL_UP_TO",
    "PALETTE",
    "bars",
    "funnel",
    "grouped",
    "series",
    "sparkline",
]

# A path breaks at a missing value (a suppressed month is a gap, not a straight line across),
# and the period stays on the axis.
BREAK = "break-paths-show-domains"


def _bold_when(name: str | None) -> dict[str, Any] | str:
    """An axis label's weight: bold for the followed unit."""
    if name is None:
        return "normal"
    return {
        "condition": {"test": f"datum.value === {json.dumps(name)}", "value": "bold"},
        "value": "normal",
    }


def series(
    values: list[dict[str, Any]],
    *,
    description: str,
    x_title: str,
    y_title: str,
    roles: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Lines over time, one per unit; the 95 % interval as a band around the followed unit
    only (four overlapping bands would hide each other).

    ``values``: {"period", "unit", "value", "lo", "hi"} and optionally "note"; the first
    unit is the followed one. A row whose value is None is a gap in its line (a suppressed
    cell). ``roles``: unit -> role (chart_style.ROLE_COLOURS), which sets its colour, width
    and dash; without it the first unit is "unit" and the others take the palette.
    """
    order = list(dict.fromkeys(v["unit"] for v in values))
    roles = roles or {}
    colours = [
        ROLE_COLOURS[roles[u]]
        if u in roles
        else PALETTE[(i + 1) % len(PALETTE)]
        if i
        else ROLE_COLOURS["unit"]
        for i, u in enumerate(order)
    ]
    role_list = [roles.get(u, "unit" if i == 0 else "group") for i, u in enumerate(order)]
    legend = {"symbolType": "stroke"}
    color = {
        "field": "unit",
        "type": "nominal",
        "title": None,
        "sort": order,
        "scale": {"domain": order, "range": colours},
        "legend": legend,
    }
    dash = {
        "field": "unit",
        "type": "nominal",
        "title": None,
        "sort": order,
        "scale": {"domain": order, "range": [ROLE_DASHES.get(r, [1, 0]) for r in role_list]},
        "legend": legend,
    }
    widths = {u: ROLE_WIDTHS.get(r, 2) for u, r in zip(order, role_list, strict=True)}
    width = {"field": "w", "type": "quantitative", "scale": None, "legend": None}
    # The axis follows the lines; the followed unit's band (huge for a small unit's month)
    # is clipped at its top instead of squashing them, and the readout says so.
    shown = [v["value"] for v in values if v["value"] is not None]
    top = max(shown, default=0.0) * 1.5 or 1.0
    low = min([*shown, 0.0])
    values = [
        {
            **v,
            "w": widths[v["unit"]],
            "hi_shown": None if v.get("hi") is None else min(v["hi"], top),
            "lo_shown": None if v.get("lo") is None else max(v["lo"], low),
        }
        for v in values
    ]
    y_scale = {"domain": [low, round(top, 6)], "nice": False}
    x = {
        "field": "period",
        "type": "ordinal",
        "title": x_title,
        "axis": {"labelAngle": -45, "labelOverlap": "greedy"},
    }
    layers: list[dict[str, Any]] = []
    if order:
        layers.append(
            {
                "transform": [{"filter": {"field": "unit", "equal": order[0]}}],
                "mark": {
                    "type": "area",
                    "opacity": 0.18,
                    "color": colours[0],
                    "invalid": BREAK,
                    "clip": True,
                },
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "lo_shown",
                        "type": "quantitative",
                        "title": y_title,
                        "scale": y_scale,
                    },
                    "y2": {"field": "hi_shown"},
                },
            }
        )
    layers.append(
        {
            "mark": {"type": "line", "point": {"filled": True, "size": 36}, "invalid": BREAK},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative", "title": y_title, "scale": y_scale},
                "color": color,
                "strokeDash": dash,
                "strokeWidth": width,
                "tooltip": [
                    {"field": "unit", "title": " "},
                    {"field": "period", "title": x_title},
                    {"field": "value", "title": y_title, "format": ",.1f"},
                    {"field": "lo", "title": "95 % CI −", "format": ",.1f"},
                    {"field": "hi", "title": "95 % CI +", "format": ",.1f"},
                    {"field": "note", "title": " "},
                ],
            },
        }
    )
    # The followed unit's line is drawn last, on top of the others.
    return base_spec(description, values, height=300, layer=layers)


def _robust_domain(values: list[dict[str, Any]], reference: float | None) -> tuple[float, float]:
    """The value axis: from 0 (or the lowest value) to a little above the highest value, or
    the upper quartile of the intervals' ends if that is higher. One small unit's huge
    interval does not count, so it cannot squash the other bars; it is clipped instead."""
    shown = [v["value"] for v in values if v["value"] is not None]
    ends = [v["hi"] for v in values if v.get("hi") is not None]
    top = max([*shown, *([reference] if reference is not None else []), 0.0])
    spread = quantiles(ends, n=4)[2] if len(ends) >= 4 else max(ends, default=top)
    # ...but never more than 2.5 times the highest value: when every unit is small (all
    # intervals huge) the values themselves must still be readable.
    high = max(top * 1.25, min(spread, top * 2.5) if top > 0 else spread) or 1.0
    low = min([*shown, *(v["lo"] for v in values if v.get("lo") is not None), 0.0])
    return low, round(high, 6)


def bars(
    values: list[dict[str, Any]],
    *,
    description: str,
    x_title: str,
    reference: float | None,
    reference_label: str,
    focus: str | None = None,
    hidden_text: str = "skjult",
    clipped_text: str = "intervallet fortsætter",
    reference_role: str = "country",
) -> dict[str, Any]:
    """Units side by side (horizontal bars, largest first) with 95 % intervals and the
    area's value as a vertical rule. ``values``: {"unit", "value", "lo", "hi"} and
    optionally "note". A unit without a value (suppressed) keeps its row, labelled
    ``hidden_text``, at the bottom. ``focus``: the followed unit, blue with a bold label;
    the others grey. An interval reaching beyond the axis (see _robust_domain) is clipped
    at its end and marked with an arrow head (``clipped_text`` in the readout)."""
    low, high = _robust_domain(values, reference)
    ranked = sorted(values, key=lambda v: (v["value"] is None, -(v["value"] or 0)))
    order = [v["unit"] for v in ranked]
    rows = []
    for v in ranked:
        lo, hi = v.get("lo"), v.get("hi")
        clipped = hi is not None and hi > high
        rows.append(
            {
                **v,
                "highlight": v["unit"] == focus,
                "lo_shown": None if lo is None else max(lo, low),
                "hi_shown": None if hi is None else min(hi, high),
                "clipped": clipped_text if clipped else None,
                "note": v.get("note") or (hidden_text if v["value"] is None else None),
                "zero": low,
            }
        )
    scale = {"domain": [low, high], "nice": False, "zero": True}
    y = {
        "field": "unit",
        "type": "nominal",
        "title": None,
        "sort": order,
        "axis": {"labelFontWeight": _bold_when(focus), "labelLimit": 160},
    }
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "invalid": "filter"},
            "encoding": {
                "y": y,
                "x": {"field": "value", "type": "quantitative", "title": x_title, "scale": scale},
                "color": {
                    "condition": {
                        "test": {"field": "highlight", "equal": True},
                        "value": ROLE_COLOURS["unit"],
                    },
                    "value": ROLE_COLOURS["other"],
                },
                "tooltip": [
                    {"field": "unit", "title": " "},
                    {"field": "value", "title": x_title, "format": ",.1f"},
                    {"field": "lo", "title": "95 % CI −", "format": ",.1f"},
                    {"field": "hi", "title": "95 % CI +", "format": ",.1f"},
                    {"field": "note", "title": " "},
                    {"field": "clipped", "title": " "},
                ],
            },
        },
        {
            "mark": {"type": "rule", "color": INK, "invalid": "filter"},
            "encoding": {
                "y": y,
                "x": {"field": "lo_shown", "type": "quantitative", "scale": scale},
                "x2": {"field": "hi_shown"},
            },
        },
        {
            "transform": [{"filter": {"field": "clipped", "valid": True}}],
            "mark": {
                "type": "point",
                "shape": "triangle-right",
                "filled": True,
                "color": INK,
                "size": 70,
            },
            "encoding": {
                "y": y,
                "x": {"field": "hi_shown", "type": "quantitative", "scale": scale},
            },
        },
        {
            "transform": [{"filter": {"not": {"field": "value", "valid": True}}}],
            "mark": {"type": "text", "align": "left", "dx": 4, "fontStyle": "italic", "color": INK},
            "encoding": {
                "y": y,
                "x": {"field": "zero", "type": "quantitative", "scale": scale},
                "text": {"field": "note"},
            },
        },
    ]
    if reference is not None:
        layers.append(
            {
                "data": {"values": [{"ref": reference, "label": reference_label}]},
                "mark": {
                    "type": "rule",
                    "color": ROLE_COLOURS.get(reference_role, INK),
                    "strokeDash": [6, 4],
                    "size": 2,
                },
                "encoding": {
                    "x": {"field": "ref", "type": "quantitative", "scale": scale},
                    "tooltip": [{"field": "label", "title": " "}],
                },
            }
        )
    return base_spec(description, rows, height={"step": 20}, layer=layers)


def grouped(
    values: list[dict[str, Any]],
    *,
    description: str,
    y_title: str,
    roles: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Strata side by side, one bar per unit in each group, with 95 % intervals.
    ``values``: {"stratum", "unit", "value", "lo", "hi"}; units in the order given, coloured
    by their ``roles`` (unit -> role) where given."""
    order = list(dict.fromkeys(v["unit"] for v in values))
    strata = list(dict.fromkeys(v["stratum"] for v in values))
    roles = roles or {}
    colours = [
        ROLE_COLOURS[roles[u]] if u in roles else PALETTE[i % len(PALETTE)]
        for i, u in enumerate(order)
    ]
    x = {
        "field": "stratum",
        "type": "nominal",
        "title": None,
        "sort": strata,
        "axis": {"labelAngle": -30, "labelLimit": 220},
    }
    offset = {"field": "unit", "type": "nominal", "sort": order}
    return base_spec(
        description,
        values,
        height=300,
        layer=[
            {
                "mark": "bar",
                "encoding": {
                    "x": x,
                    "xOffset": offset,
                    "y": {"field": "value", "type": "quantitative", "title": y_title},
                    "color": {
                        "field": "unit",
                        "type": "nominal",
                        "title": None,
                        "sort": order,
                        "scale": {"domain": order, "range": colours},
                    },
                    "tooltip": [
                        {"field": "unit", "title": " "},
                        {"field": "stratum", "title": " "},
                        {"field": "value", "title": y_title, "format": ",.1f"},
                    ],
                },
            },
            {
                "mark": {"type": "rule", "color": INK},
                "encoding": {
                    "x": x,
                    "xOffset": offset,
                    "y": {"field": "lo", "type": "quantitative"},
                    "y2": {"field": "hi"},
                },
            },
        ],
    )


def sparkline(
    values: list[dict[str, Any]], *, description: str, y_title: str, x_title: str = "Periode"
) -> dict[str, Any]:
    """A small line of one unit over time for a key-figure card, without axes: the card
    states the numbers, the line only their course. ``values``: {"period", "value"}, None
    for a suppressed period (a gap); the latest value is a dot."""
    x = {"field": "period", "type": "ordinal", "axis": None}
    y = {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    last = next((v["period"] for v in reversed(values) if v["value"] is not None), None)
    return base_spec(
        description,
        values,
        height=44,
        padding=4,
        layer=[
            {
                "mark": {
                    "type": "line",
                    "color": ROLE_COLOURS["unit"],
                    "strokeWidth": 2,
                    "invalid": BREAK,
                },
                "encoding": {
                    "x": x,
                    "y": y,
                    "tooltip": [
                        {"field": "period", "title": x_title},
                        {"field": "value", "title": y_title, "format": ",.1f"},
                    ],
                },
            },
            {
                "transform": [{"filter": {"field": "period", "equal": last or ""}}],
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 40,
                    "color": ROLE_COLOURS["unit"],
                },
                "encoding": {"x": x, "y": y},
            },
        ],
    )
