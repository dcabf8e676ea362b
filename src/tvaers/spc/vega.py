"""A chart as a Vega-Lite specification (a plain dict), for the CLI's SVG/PNG output (through
vl-convert) and for the web, which can hand the same dict to vega-embed.

Conventions as in Danish practice (qicharts2): the centre line is solid, and dashed red when
the runs analysis signals; the limits are thin step lines; a point outside the limits is
red; an excluded point is drawn hollow. Numbers use the language's format (decimal comma in
Danish).
"""

from __future__ import annotations

import math

from tvaers.i18n import current_language, tr
from tvaers.spc.chart import SpcResult
from tvaers.spc.verdict import verdict

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
DANISH_NUMBERS = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["", " kr."],
}
ENGLISH_NUMBERS = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""]}

BLUE, GREY, RED, DARK = "#1f5f8b", "#8c8c8c", "#c0392b", "#333333"


def _clean(v):
    return None if v is None or (isinstance(v, float) and not math.isfinite(v)) else v


def data_values(result: SpcResult) -> list[dict]:
    """One record per point, on the displayed scale."""
    doc = result.to_json()
    runs_signal = {p["part"]: p["runs_signal"] for p in doc["parts"]}
    rows = []
    for i, p in enumerate(doc["points"]):
        state = "excluded" if p["excluded"] else "signal" if p["sigma_signal"] else "normal"
        rows.append(
            {
                "i": i + 1,
                "x": p["x"],
                "value": _clean(p["value"]),
                "cl": _clean(p["cl"]),
                "lcl": _clean(p["lcl"]),
                "ucl": _clean(p["ucl"]),
                "part": p["part"],
                "state": state,
                "runs_signal": runs_signal[p["part"]],
                "note": p.get("note") or "",
            }
        )
    return rows


def spec(
    result: SpcResult,
    *,
    title: str | None = None,
    y_title: str | None = None,
    direction: str = "neutral",
    width: int = 640,
    height: int = 300,
) -> dict:
    """The Vega-Lite specification of a chart, with the verdict and the footer as subtitle."""
    v = verdict(result, direction)
    values = data_values(result)
    few = len(values) > 24
    x = {
        "field": "x",
        "type": "ordinal",
        "sort": None,  # the series' own order
        "title": None,
        "axis": {"labelAngle": -45 if few else 0, "labelOverlap": "greedy"},
    }
    y_axis = {"format": ",~r", "title": y_title or tr("værdi", "value")}

    def line(field: str, **mark) -> dict:
        return {
            "mark": {"type": "line", "strokeJoin": "round", **mark},
            "encoding": {
                "x": x,
                "y": {"field": field, "type": "quantitative"},
                "detail": {"field": "part"},
            },
        }

    layers: list[dict] = []
    if result.chart != "run":
        for field in ("lcl", "ucl"):
            layers.append(line(field, color=GREY, strokeWidth=1, interpolate="step"))
    cl_layer = line("cl", strokeWidth=1.5)
    cl_layer["encoding"]["color"] = {
        "condition": {"test": "datum.runs_signal", "value": RED},
        "value": DARK,
    }
    cl_layer["encoding"]["strokeDash"] = {
        "condition": {"test": "datum.runs_signal", "value": [6, 4]},
        "value": [1, 0],
    }
    layers.append(cl_layer)
    value_line = line("value", color=BLUE, strokeWidth=1.5)
    value_line["transform"] = [{"filter": "datum.state != 'excluded'"}]
    layers.append(value_line)
    tooltip = [
        {"field": "x", "title": tr("periode", "period")},
        {"field": "value", "format": ",~r", "title": tr("værdi", "value")},
        {"field": "cl", "format": ",~r", "title": tr("centerlinje", "centre line")},
        {"field": "note", "title": tr("note", "note")},
    ]
    if result.chart != "run":
        tooltip += [
            {"field": "lcl", "format": ",~r", "title": tr("nedre grænse", "lower limit")},
            {"field": "ucl", "format": ",~r", "title": tr("øvre grænse", "upper limit")},
        ]
    points = {
        "transform": [{"filter": "datum.state != 'excluded'"}],
        "mark": {"type": "point", "filled": True, "size": 36},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "axis": y_axis},
            "color": {
                "field": "state",
                "type": "nominal",
                "scale": {"domain": ["normal", "signal"], "range": [BLUE, RED]},
                "legend": None,
            },
            "tooltip": tooltip,
        },
    }
    excluded = {
        "transform": [{"filter": "datum.state == 'excluded'"}],
        "mark": {"type": "point", "filled": False, "size": 36, "color": GREY},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative"},
            "tooltip": [*tooltip, {"field": "state", "title": tr("udeladt", "excluded")}],
        },
    }
    layers += [points, excluded]
    return {
        "$schema": SCHEMA,
        "title": {
            "text": title or v.text,
            "subtitle": [v.text, v.footer] if title else [v.footer],
            "anchor": "start",
            "subtitleFontSize": 10,
        },
        "width": width,
        "height": height,
        "data": {"values": values},
        "layer": layers,
        "config": {
            "locale": {"number": DANISH_NUMBERS if current_language() == "da" else ENGLISH_NUMBERS},
            "view": {"stroke": None},
            "axis": {"grid": False},
        },
    }


def render(spec_dict: dict, fmt: str) -> bytes:
    """SVG or PNG bytes of a specification (vl-convert: Vega without a browser)."""
    import vl_convert as vlc

    locale = "da-DK" if current_language() == "da" else "en-GB"
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec_dict, format_locale=locale).encode("utf-8")
    if fmt == "png":
        return vlc.vegalite_to_png(spec_dict, scale=2, format_locale=locale)
    raise ValueError(f"unknown image format {fmt!r}")
