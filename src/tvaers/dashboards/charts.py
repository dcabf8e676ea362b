"""Vega-Lite specifications of the dashboards' charts, built from cells that have already
passed disclosure control (a hidden cell has no value, so it is simply not drawn).

The page embeds each spec as JSON data (``<script type="application/json">``, which the
Content-Security-Policy treats as data, not code) and static/charts.js renders it with
vega-embed. Every chart has a ``description`` (the chart's accessible name) and, on the
page, a link to the table it was drawn from. The keyboard reads the same figures as the
tooltips: charts.js steps through ``data.values`` and writes the ``tooltip`` fields of the
layer that has no data of its own, so that layer must carry the chart's tooltip.
"""

from __future__ import annotations

from typing import Any

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
INK = "#1b1f24"
CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": INK, "titleColor": INK},
    "legend": {
        "labelFontSize": 12,
        "titleFontSize": 13,
        "labelColor": INK,
        "orient": "bottom",
        "labelLimit": 320,
    },
    "range": {"category": PALETTE},
    "view": {"stroke": None},
}


def _base(description: str, values: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    # No "$schema": charts.js tells vega-embed the specs are Vega-Lite (v6), and the pages
    # then name no address outside the application at all.
    return {
        "description": description,
        "width": "container",
        "config": CONFIG,
        "data": {"values": values},
        **extra,
    }


def series(
    values: list[dict[str, Any]], *, description: str, x_title: str, y_title: str
) -> dict[str, Any]:
    """Lines over time, one per unit, with the 95 % interval as a band.

    ``values``: {"period", "unit", "value", "lo", "hi"}; the first unit is the focus.
    """
    order = list(dict.fromkeys(v["unit"] for v in values))
    color = {"field": "unit", "type": "nominal", "title": None, "sort": order}
    x = {"field": "period", "type": "ordinal", "title": x_title, "axis": {"labelAngle": -45}}
    return _base(
        description,
        values,
        height=280,
        layer=[
            {
                "mark": {"type": "errorband", "opacity": 0.2},
                "encoding": {
                    "x": x,
                    "y": {"field": "lo", "type": "quantitative", "title": y_title},
                    "y2": {"field": "hi"},
                    "color": color,
                },
            },
            {
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative", "title": y_title},
                    "color": color,
                    "tooltip": [
                        {"field": "unit", "title": " "},
                        {"field": "period", "title": x_title},
                        {"field": "value", "title": y_title, "format": ",.1f"},
                    ],
                },
            },
        ],
    )


def bars(
    values: list[dict[str, Any]],
    *,
    description: str,
    x_title: str,
    reference: float | None,
    reference_label: str,
) -> dict[str, Any]:
    """Units side by side (horizontal bars, largest first) with 95 % intervals and the
    parent's value as a vertical rule. ``values``: {"unit", "value", "lo", "hi"}."""
    y = {"field": "unit", "type": "nominal", "title": None, "sort": "-x"}
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "color": PALETTE[0]},
            "encoding": {
                "y": y,
                "x": {"field": "value", "type": "quantitative", "title": x_title},
                "tooltip": [
                    {"field": "unit", "title": " "},
                    {"field": "value", "title": x_title, "format": ",.1f"},
                    {"field": "lo", "title": "95 % CI −", "format": ",.1f"},
                    {"field": "hi", "title": "95 % CI +", "format": ",.1f"},
                ],
            },
        },
        {
            "mark": {"type": "rule", "color": INK},
            "encoding": {
                "y": y,
                "x": {"field": "lo", "type": "quantitative"},
                "x2": {"field": "hi"},
            },
        },
    ]
    if reference is not None:
        layers.append(
            {
                "data": {"values": [{"ref": reference, "label": reference_label}]},
                "mark": {"type": "rule", "color": PALETTE[1], "strokeDash": [6, 4], "size": 2},
                "encoding": {
                    "x": {"field": "ref", "type": "quantitative"},
                    "tooltip": [{"field": "label", "title": " "}],
                },
            }
        )
    return _base(description, values, height={"step": 18}, layer=layers)


def funnel(
    points: list[dict[str, Any]],
    grid: list[dict[str, float]],
    *,
    description: str,
    x_title: str,
    y_title: str,
    centre: float,
    centre_label: str,
    limit_labels: tuple[str, str],
) -> dict[str, Any]:
    """Units as points (size on x, value on y) inside the 95 % and 99.8 % control limits
    around the parent's value. ``points``: {"unit", "denominator", "value", "flag"}."""
    x = {"field": "denominator", "type": "quantitative", "title": x_title}
    # The limits of the smallest units reach far up; the view stops a little above the
    # highest point, and the lines are clipped there.
    top = max([centre, *(p["value"] for p in points)]) * 1.4 or 1.0
    y_scale = {"domain": [0, round(top, 4)], "nice": False}
    lines = [
        {
            "denominator": row["denominator"],
            "y": row[f"{side}{tag}"],
            "limit": label,
            "line": f"{side}{tag}",
        }
        for row in grid
        for tag, label in (("95", limit_labels[0]), ("998", limit_labels[1]))
        for side in ("lo", "hi")
    ]
    limit_layers = [
        {
            "data": {"values": lines},
            "mark": {"type": "line", "color": "#4a5260", "clip": True},
            "encoding": {
                "x": x,
                "y": {"field": "y", "type": "quantitative", "scale": y_scale},
                "detail": {"field": "line"},
                "strokeDash": {
                    "field": "limit",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": list(limit_labels), "range": [[4, 3], [1, 0]]},
                },
            },
        }
    ]
    return _base(
        description,
        points,
        height=320,
        layer=[
            *limit_layers,
            {
                "data": {"values": [{"c": centre, "label": centre_label}]},
                "mark": {"type": "rule", "color": PALETTE[1], "size": 2},
                "encoding": {
                    "y": {"field": "c", "type": "quantitative"},
                    "tooltip": [{"field": "label", "title": " "}],
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 60, "color": PALETTE[0]},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "value",
                        "type": "quantitative",
                        "title": y_title,
                        "scale": y_scale,
                    },
                    "shape": {"field": "flag", "type": "nominal", "title": None},
                    "tooltip": [
                        {"field": "unit", "title": " "},
                        {"field": "value", "title": y_title, "format": ",.1f"},
                        {"field": "denominator", "title": x_title, "format": ","},
                    ],
                },
            },
        ],
    )


def grouped(values: list[dict[str, Any]], *, description: str, y_title: str) -> dict[str, Any]:
    """Strata side by side, one bar per unit in each group, with 95 % intervals.
    ``values``: {"stratum", "unit", "value", "lo", "hi"}; units in the order given."""
    order = list(dict.fromkeys(v["unit"] for v in values))
    strata = list(dict.fromkeys(v["stratum"] for v in values))
    x = {
        "field": "stratum",
        "type": "nominal",
        "title": None,
        "sort": strata,
        "axis": {"labelAngle": -30, "labelLimit": 220},
    }
    offset = {"field": "unit", "type": "nominal", "sort": order}
    return _base(
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
                    "color": {"field": "unit", "type": "nominal", "title": None, "sort": order},
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
