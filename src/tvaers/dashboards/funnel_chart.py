"""The funnel plot's Vega-Lite specification (charts.funnel): units as points inside the
control limits of funnel.py, the followed unit a larger blue point, names beside the points.
"""

from __future__ import annotations

from typing import Any

from tvaers.dashboards.chart_style import INK, ROLE_COLOURS, base_spec

# Labels beside the funnel's points: every unit when there are this few, else only the
# followed unit and those outside the limits (more would cover each other).
LABEL_ALL_UP_TO = 12


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
    focus: str | None = None,
    centre_role: str = "country",
) -> dict[str, Any]:
    """Units as points (size on x, value on y) inside the 95 % and 99.8 % control limits
    around the area's value. ``points``: {"unit", "denominator", "value", "flag"} and
    optionally "outside" (true beyond the 99.8 % limits).
    ``focus``: the followed unit, a larger blue point. Points carry their unit's name when
    there are few of them; else the followed unit and those outside the limits do."""
    x = {"field": "denominator", "type": "quantitative", "title": x_title}
    # The limits of the smallest units reach far up; the view stops a little above the
    # highest point, and the lines are clipped there.
    top = max([centre, *(p["value"] for p in points)]) * 1.4 or 1.0
    y_scale = {"domain": [0, round(top, 4)], "nice": False}
    label_all = len(points) <= LABEL_ALL_UP_TO
    rows = [
        {
            **p,
            "highlight": p["unit"] == focus,
            "label": p["unit"] if label_all or p["unit"] == focus or p.get("outside") else "",
        }
        for p in points
    ]
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
    y = {"field": "value", "type": "quantitative", "title": y_title, "scale": y_scale}
    return base_spec(
        description,
        rows,
        height=340,
        layer=[
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
                        "legend": {"symbolType": "stroke"},
                    },
                },
            },
            {
                "data": {"values": [{"c": centre, "label": centre_label}]},
                "mark": {"type": "rule", "color": ROLE_COLOURS.get(centre_role, INK), "size": 2},
                "encoding": {
                    "y": {"field": "c", "type": "quantitative"},
                    "tooltip": [{"field": "label", "title": " "}],
                },
            },
            {
                "mark": {"type": "point", "filled": True, "opacity": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "shape": {"field": "flag", "type": "nominal", "title": None},
                    "color": {
                        "condition": {
                            "test": {"field": "highlight", "equal": True},
                            "value": ROLE_COLOURS["unit"],
                        },
                        "value": ROLE_COLOURS["other"],
                    },
                    "size": {
                        "condition": {"test": {"field": "highlight", "equal": True}, "value": 160},
                        "value": 60,
                    },
                    "order": {"field": "highlight", "type": "ordinal"},
                    "tooltip": [
                        {"field": "unit", "title": " "},
                        {"field": "value", "title": y_title, "format": ",.1f"},
                        {"field": "denominator", "title": x_title, "format": ","},
                        {"field": "flag", "title": " "},
                    ],
                },
            },
            {
                "transform": [{"filter": {"not": {"field": "label", "equal": ""}}}],
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 7,
                    "dy": -7,
                    "fontSize": 12,
                    "color": INK,
                },
                "encoding": {
                    "x": x,
                    "y": y,
                    "text": {"field": "label"},
                    "fontWeight": {
                        "condition": {
                            "test": {"field": "highlight", "equal": True},
                            "value": "bold",
                        },
                        "value": "normal",
                    },
                },
            },
        ],
    )
