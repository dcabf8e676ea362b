"""The units a unit is compared with — its cluster (or sundhedsråd, or bilateral
collaboration), its region and the country — and the role each plays on the page.

A municipality is read beside the narrowest group it works in, its region and the country;
a cluster or sundhedsråd beside its region and the country; a region beside the country.
When the data hold a single region, the country *is* that region: its figures are the same,
so the region is not shown twice (the page says so once instead).
"""

from __future__ import annotations

from typing import Any

from tvaers.dashboards import charts
from tvaers.dashboards.chart_style import role_of
from tvaers.dashboards.schemas import CellRead
from tvaers.reference import org
from tvaers.web.labels import Tr, period_type_name
from tvaers.web.results_store import Snapshot, parents

# The group a municipality is read beside: a sundhedsråd where the structure has them
# (2027 onwards), else its health cluster, else its bilateral collaboration.
GROUP_PREFERENCE = ("sundhedsraad", "cluster", "bilateral")
COUNTRY = ("country", org.COUNTRY_CODE)


# Danish alphabetical order: Æ, Ø, Å after Z, in that order (Python compares code points,
# which would put Å first), and Aa as Å, as in Aabenraa, Aalborg, Aarhus (Retskrivningsordbogen
# sorts place names so).
_DANISH = str.maketrans({"æ": "{\x01", "ø": "{\x02", "å": "{\x03"})  # "{" sorts after "z"


def name_key(name: str) -> str:
    return name.casefold().replace("aa", "å").translate(_DANISH)


def single_region(snap: Snapshot) -> str | None:
    """The region's code when the results hold exactly one region (the country equals it)."""
    regions = list(snap.units.get("region", {}))
    return regions[0] if len(regions) == 1 else None


def comparators(snap: Snapshot, level: str, code: str) -> list[tuple[str, tuple[str, str]]]:
    """(role, unit) of the units ``level:code`` is compared with, narrowest first: at most
    one group, the region, the country; only units the results hold; the region left out
    when it equals the country."""
    if level == "country":
        return []
    above = [u for u in parents(level, code, snap.structure_date(level)) if snap.unit_name(*u)]
    out: list[tuple[str, tuple[str, str]]] = []
    groups = {lv: [u for u in above if u[0] == lv] for lv in GROUP_PREFERENCE}
    group = next((found[0] for lv in GROUP_PREFERENCE if (found := groups[lv])), None)
    if group is not None and level == "municipality":
        out.append(("group", group))
    only = single_region(snap)
    for unit in above:
        if unit[0] == "region" and unit[1] != only:
            out.append(("region", unit))
    out.append(("country", COUNTRY))
    return out


def followed_units(snap: Snapshot, level: str, code: str) -> list[tuple[str, str]]:
    """The followed unit and those it is compared with: the lines of a chart over time."""
    return [(level, code), *(unit for _, unit in comparators(snap, level, code))]


def roles(units: list[tuple[str, str]], focus_level: str) -> dict[tuple[str, str], str]:
    return {u: role_of(u[0], focus_level) for u in units}


def versus(cell: CellRead | None, reference: CellRead | None, measure: str) -> str | None:
    """Higher/lower when the unit's 95 % interval excludes the reference's value."""
    if cell is None or reference is None or cell.hidden or reference.hidden:
        return None
    if (cell.level, cell.unit_code) == (reference.level, reference.unit_code):
        return None
    value = getattr(reference, measure)
    prefix = "std_" if measure == "std_value" else ""
    lo, hi = getattr(cell, f"{prefix}ci_low"), getattr(cell, f"{prefix}ci_high")
    if value is None or lo is None or hi is None:
        return None
    if lo > value:
        return "higher"
    if hi < value:
        return "lower"
    return "similar"


def trend_line(
    cells: list[dict[str, Any]],
    periods: list[str],
    *,
    name: str,
    unit_name: str,
    unit_label: str,
    period_type: str,
    tr: Tr,
) -> dict[str, Any]:
    """The key figure's small line: one unit's crude value in every period of the kind,
    None (a gap) where the cell is hidden or missing."""
    by_period = {c["period"]: c for c in cells}
    values = [
        {"period": p, "value": by_period[p]["value"] if p in by_period else None} for p in periods
    ]
    gaps = sum(1 for v in values if v["value"] is None)
    kinds = period_type_name(period_type, tr).lower()
    gap_text = (
        tr(
            f", {gaps} uden tal (skjulte eller uden data)",
            f", {gaps} without figures (hidden or no data)",
        )
        if gaps
        else ""
    )
    return charts.sparkline(
        values,
        description=tr(
            f"{name}, {unit_name}: lille linjediagram over {len(periods)} {kinds} "
            f"({periods[0]}–{periods[-1]}){gap_text}. Tallene står i tabellen under.",
            f"{name}, {unit_name}: small line chart over {len(periods)} {kinds} "
            f"({periods[0]}–{periods[-1]}){gap_text}. The figures are in the table below.",
        ),
        y_title=unit_label,
        x_title=tr("Periode", "Period"),
    )
