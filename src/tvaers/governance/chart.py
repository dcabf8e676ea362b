"""An organisation chart per region and date: the fora that serve the region (or a unit in
it) on the date, the fora above them, and each forum's seats by side.

``org_chart`` works out the structure (a tree by ``parent``, in reading order), which the
JSON twin carries as it is; ``render_svg`` draws it. The picture is an indented tree — each
forum a labelled box under its parent, joined by an elbow line — because a wide fan of
twenty fora stays readable at any width that way. It is written with ElementTree (which
escapes every name) rather than a charting library: a chart library draws data, not a tree
of labelled boxes, and the few shapes below are all the picture needs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from tvaers.governance import registry
from tvaers.governance.models import Forum
from tvaers.governance.terms import FORUM_KINDS, SIDES
from tvaers.i18n import tr as default_tr
from tvaers.reference import org
from tvaers.web.scope import UnitRef, unit_name

Tr = Callable[[str, str], str]


class UnknownRegion(ValueError):
    pass


@dataclass(frozen=True)
class ChartForum:
    id: str
    name: str
    kind: str
    unit: str
    parent: str | None
    depth: int
    seats: dict[str, int]  # side -> seats in force on the date (sides without seats left out)
    in_region: bool  # False for a forum above the region's fora that serves a wider unit


@dataclass(frozen=True)
class Chart:
    region: str
    region_name: str
    on: date
    fora: list[ChartForum] = field(default_factory=list)


def check_region(code: str, tr: Tr = default_tr) -> org.Region:
    try:
        return org.region(code.strip())
    except ValueError:
        codes = ", ".join(r.code for r in org.regions())
        raise UnknownRegion(
            tr(f"ukendt region {code!r}; vælg {codes}", f"unknown region {code!r}; choose {codes}")
        ) from None


def default_region(session: Session, on: date) -> str:
    """The region with the most fora on the date (the first region in force if none has)."""
    counts: dict[str, int] = {}
    for f in registry.fora(session, on):
        home = registry.region_of_unit(session, f.unit_level, f.unit_code, on)
        if home is not None:
            counts[home] = counts.get(home, 0) + 1
    if counts:
        return min(counts, key=lambda code: (-counts[code], code))
    regions = org.regions(on) or org.regions()
    return regions[0].code


def org_chart(session: Session, region: str, on: date, tr: Tr = default_tr) -> Chart:
    found = check_region(region, tr)
    in_force = {f.id: f for f in registry.fora(session, on)}
    own = {
        fid
        for fid, f in in_force.items()
        if registry.region_of_unit(session, f.unit_level, f.unit_code, on) == found.code
    }
    # The fora above the region's own, as far up as they are in force on the date.
    shown = set(own)
    for fid in own:
        parent = in_force[fid].parent_id
        while parent in in_force and parent not in shown:
            shown.add(parent)
            parent = in_force[parent].parent_id
    children: dict[str | None, list[Forum]] = {}
    for fid in shown:
        f = in_force[fid]
        top = f.parent_id if f.parent_id in shown else None
        children.setdefault(top, []).append(f)
    ordered: list[ChartForum] = []

    def visit(parent: str | None, depth: int) -> None:
        for f in sorted(children.get(parent, []), key=lambda x: (x.name, x.id)):
            ordered.append(
                ChartForum(
                    id=f.id,
                    name=f.name,
                    kind=f.kind,
                    unit=f.unit,
                    parent=f.parent_id,
                    depth=depth,
                    seats=_seats_by_side(session, f.id, on),
                    in_region=f.id in own,
                )
            )
            visit(f.id, depth + 1)

    visit(None, 0)
    return Chart(region=found.code, region_name=found.name, on=on, fora=ordered)


def _seats_by_side(session: Session, forum_id: str, on: date) -> dict[str, int]:
    counts = {side: 0 for side in SIDES}
    for view in registry.seats(session, forum_id, on):
        counts[view.seat.side] += 1
    return {side: n for side, n in counts.items() if n}


def unit_label(unit: str) -> str:
    level, _, code = unit.partition(":")
    try:
        return unit_name(UnitRef(level, code))
    except ValueError:
        return unit  # a unit only imported memberships define


# --- the picture ------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
# Okabe–Ito colours: told apart with every common colour-vision deficiency.
SIDE_COLOURS = {
    "region": "#0072B2",
    "municipality": "#E69F00",
    "general_practice": "#009E73",
    "patients": "#CC79A7",
}
MARGIN, INDENT, ROW, BOX_H, BOX_W, BAR_W = 16, 28, 76, 64, 640, 120
HEADER = 64  # title line and the legend


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    """A child element; attribute names with ``_`` become ``-`` (font_size -> font-size)."""
    node = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
    )
    if text is not None:
        node.text = text
    return node


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def seats_text(seats: dict[str, int], tr: Tr) -> str:
    if not seats:
        return tr("ingen sæder", "no seats")
    return " · ".join(f"{tr(*SIDES[side])} {n}" for side, n in seats.items())


def describe(chart: Chart, tr: Tr = default_tr) -> str:
    """The chart in words (the SVG's <desc>): every forum, its parent and its seats."""
    if not chart.fora:
        return tr(
            f"Ingen fora for {chart.region_name} den {chart.on}.",
            f"No fora for {chart.region_name} on {chart.on}.",
        )
    names = {f.id: f.name for f in chart.fora}
    parts = []
    for f in chart.fora:
        under = names.get(f.parent or "", f.parent)
        where = tr(f" under {under}", f" under {under}") if under else ""
        parts.append(f"{f.name}{where}: {seats_text(f.seats, tr)}")
    return "; ".join(parts) + "."


def title(chart: Chart, tr: Tr = default_tr) -> str:
    return tr(
        f"Organisationsdiagram for {chart.region_name} den {chart.on}",
        f"Organisation chart of {chart.region_name} on {chart.on}",
    )


def render_svg(
    chart: Chart, tr: Tr = default_tr, id_prefix: str = "orgchart", *, standalone: bool = False
) -> str:
    """The chart as an ``<svg>`` element to sit in a page (HTML needs no namespace for it);
    ``standalone``: with its namespace, as a file of its own needs."""
    depth = max((f.depth for f in chart.fora), default=0)
    width = 2 * MARGIN + depth * INDENT + BOX_W
    height = HEADER + max(len(chart.fora), 1) * ROW + MARGIN
    svg = ET.Element(
        "svg",
        {
            **({"xmlns": SVG_NS} if standalone else {}),
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
            "font-family": "sans-serif",
        },
    )
    _el(svg, "title", title(chart, tr), id=f"{id_prefix}-title")
    _el(svg, "desc", describe(chart, tr), id=f"{id_prefix}-desc")
    _el(svg, "rect", x=0, y=0, width=width, height=height, fill="#ffffff")
    _el(svg, "text", title(chart, tr), x=MARGIN, y=24, font_size=16, font_weight="bold")
    x = MARGIN
    for side, colour in SIDE_COLOURS.items():
        _el(svg, "rect", x=x, y=36, width=12, height=12, fill=colour)
        label = tr(*SIDES[side])
        _el(svg, "text", label, x=x + 16, y=47, font_size=12, fill="#222222")
        x += 16 + 7 * len(label) + 20
    rows = {f.id: i for i, f in enumerate(chart.fora)}
    lines = _el(svg, "g", fill="none", stroke="#555555", stroke_width=1.5)
    for i, f in enumerate(chart.fora):
        top = HEADER + i * ROW
        left = MARGIN + f.depth * INDENT
        if f.parent in rows:
            parent = chart.fora[rows[f.parent]]
            px = MARGIN + parent.depth * INDENT + INDENT // 2
            py = HEADER + rows[f.parent] * ROW + BOX_H
            _el(lines, "path", d=f"M{px},{py} V{top + BOX_H // 2} H{left}")
        _draw_forum(svg, f, top, left, tr)
    if not chart.fora:
        _el(svg, "text", describe(chart, tr), x=MARGIN, y=HEADER + 24, font_size=14)
    return ET.tostring(svg, encoding="unicode")


def _draw_forum(svg: ET.Element, f: ChartForum, top: int, left: int, tr: Tr) -> None:
    box = _el(svg, "g", id=f"forum-{f.id}")
    _el(box, "title", f.name)
    _el(
        box,
        "rect",
        x=left,
        y=top,
        width=BOX_W,
        height=BOX_H,
        rx=6,
        fill="#ffffff" if f.in_region else "#f0f0f0",
        stroke="#333333",
        stroke_dasharray="none" if f.in_region else "4 3",
    )
    text_w = BOX_W - BAR_W - 24
    _el(
        box,
        "text",
        _clip(f.name, text_w // 8),
        x=left + 10,
        y=top + 20,
        font_size=14,
        font_weight="bold",
        fill="#111111",
    )
    kind = tr(*FORUM_KINDS[f.kind])
    _el(
        box,
        "text",
        _clip(f"{kind} · {unit_label(f.unit)}", text_w // 7),
        x=left + 10,
        y=top + 38,
        font_size=12,
        fill="#333333",
    )
    _el(box, "text", seats_text(f.seats, tr), x=left + 10, y=top + 55, font_size=12, fill="#333333")
    total = sum(f.seats.values())
    x = left + BOX_W - BAR_W - 10
    for side, n in f.seats.items():
        w = BAR_W * n / total
        _el(
            box,
            "rect",
            x=round(x, 1),
            y=top + 22,
            width=round(w, 1),
            height=20,
            fill=SIDE_COLOURS[side],
        )
        x += w


def svg_document(chart: Chart, tr: Tr = default_tr) -> str:
    """The chart as a file of its own: the XML declaration and the SVG."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + render_svg(chart, tr, standalone=True) + "\n"
    )
