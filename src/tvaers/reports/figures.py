"""The pack's charts: the dashboards' Vega-Lite specifications (dashboards/charts.py and the
SPC chart of spc_view.py, which wraps spc/vega.py), fitted to a printed page and drawn as
SVG by vl-convert — no browser — with the shipped font and the language's number format.

The specs are the dashboards' own; the pack only sets a fixed width (a page has no
container to fill), the shipped font, and adds one layer that marks the pack's unit among
its peers. Every figure carries its text alternative (the spec's description).
"""

from __future__ import annotations

import base64
import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

FONT_FAMILY = "DejaVu Sans"
HIGHLIGHT = "#000000"  # the pack's unit: black, apart from the charts' Okabe–Ito colours
WIDTH = 620  # points of drawing area across an A4 page's text column


def fonts_directory() -> Path:
    return Path(str(files("tvaers.reports") / "fonts"))


@cache
def _converter() -> Any:
    import vl_convert as vlc

    # The chart's text is measured and named with the font the PDF embeds, so labels fit.
    vlc.register_font_directory(str(fonts_directory()))
    return vlc


@dataclass(frozen=True)
class Figure:
    svg: str  # the drawing
    alt: str  # its text alternative

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def for_print(
    spec: dict[str, Any], width: int = WIDTH, height: int | None = None
) -> dict[str, Any]:
    """A copy of a dashboard spec sized for the page and set in the shipped font."""
    out = copy.deepcopy(spec)
    out["width"] = width
    if height is not None and not isinstance(out.get("height"), dict):  # not a band per unit
        out["height"] = height
    config = dict(out.get("config") or {})
    config["font"] = FONT_FAMILY
    out["config"] = config
    out["background"] = "white"
    return out


def highlight(spec: dict[str, Any], field: str, value: str, label: str) -> dict[str, Any]:
    """The spec with the pack's unit in the highlight colour (and, for points, its name
    beside it): a colour condition on the layer that draws the units, so the dashboards'
    chart otherwise stays as it is."""
    out = copy.deepcopy(spec)
    layers = out.get("layer", [])
    # The units' layer: the one drawing the chart's own data (no data of its own) as marks
    # with a tooltip.
    base = next(
        (ly for ly in layers if "data" not in ly and "tooltip" in ly.get("encoding", {})), None
    )
    if base is None:
        return out
    mark = base["mark"] if isinstance(base["mark"], dict) else {"type": base["mark"]}
    # A JSON string is a valid string literal of a Vega expression.
    test = f"datum[{json.dumps(field)}] === {json.dumps(value)}"
    base["encoding"]["color"] = {
        "condition": {"test": test, "value": HIGHLIGHT},
        "value": mark.get("color", "#0072B2"),
    }
    if mark.get("type") != "bar":
        position = {k: v for k, v in base["encoding"].items() if k in ("x", "y")}
        layers.append(
            {
                "transform": [{"filter": test}],
                "mark": {"type": "text", "align": "left", "dx": 8, "fontWeight": "bold"},
                "encoding": {**position, "text": {"value": label}, "color": {"value": HIGHLIGHT}},
            }
        )
    return out


def draw(
    spec: dict[str, Any], lang: str, *, width: int = WIDTH, height: int | None = None
) -> Figure:
    """The spec drawn as SVG in the language's number format (1.234,5 or 1,234.5)."""
    vlc = _converter()
    locale = "da-DK" if lang == "da" else "en-GB"
    printed = for_print(spec, width, height)
    svg = vlc.vegalite_to_svg(printed, format_locale=locale)
    return Figure(svg=_without_hidden_text(svg), alt=str(spec.get("description", "")))


_HIDDEN_TEXT = re.compile(r'<text[^>]*\bopacity="0"[^>]*>[^<]*</text>')


def _without_hidden_text(svg: str) -> str:
    """The SVG without the axis labels Vega hid for overlapping (drawn with opacity 0):
    invisible, but the PDF renderer would lay out each one (most of an SPC chart's 72
    month labels), which costs a second a pack."""
    return _HIDDEN_TEXT.sub("", svg)
