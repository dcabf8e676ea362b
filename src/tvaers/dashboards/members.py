"""What a broad unit (a region, the country) shows of its members: the groups inside it by
name, and a sortable table of its municipalities with one indicator each — the latest value,
its place against the broad unit's own value, and the SPC verdict of its series — instead
of a long list of links."""

from __future__ import annotations

from tvaers.dashboards import comparison, spc_view
from tvaers.dashboards.comparison import name_key
from tvaers.dashboards.indicator_page import area_units
from tvaers.dashboards.schemas import (
    ChoiceRead,
    MemberRowRead,
    MembersTableRead,
    UnitSummaryRead,
)
from tvaers.dashboards.summary import View, measure_of
from tvaers.reference import org
from tvaers.web.labels import headline_stratum
from tvaers.web.schemas import UnitRead

BROAD = ("region", "country")
SORTS = ("name", "value", "verdict")
# The verdicts that ask for attention first when sorted by verdict.
VERDICT_ORDER = ("concern", "change", "increase", "decrease", "improvement", "common")


def by_name(units: list[UnitRead]) -> list[UnitRead]:
    return sorted(units, key=lambda u: name_key(u.name))


def groups_inside(view: View, level: str, code: str) -> list[UnitRead]:
    """A region's clusters, sundhedsråd and bilateral collaborations; the country's regions
    and clusters; each by name, only those the results hold."""
    if level not in BROAD:
        return []
    kinds = (
        ("region", "cluster") if level == "country" else ("cluster", "sundhedsraad", "bilateral")
    )
    out: list[UnitRead] = []
    for kind in kinds:
        found = [view.unit(kind, c) for c in area_units(view, kind, (level, code))]
        out += by_name(found)
    return out


def indicator_choices(view: View) -> list[ChoiceRead]:
    return [ChoiceRead(value=k, label=d.name(view.lang)) for k, d in view.snap.definitions.items()]


def members_table(
    view: View, level: str, code: str, indicator: str | None, sort: str, descending: bool
) -> MembersTableRead | None:
    """The municipalities of a region or the country with ``indicator`` (default: the first
    with a denominator) in the latest year, sorted by ``sort``."""
    snap = view.snap
    if level not in BROAD or sort not in SORTS:
        return None
    if indicator is None:
        indicator = next((k for k, d in snap.definitions.items() if d.has_denominator), None)
    d = view.definition(indicator) if indicator else None
    period = snap.latest(d.id) if d else None
    if d is None or period is None:
        return None
    stratum = headline_stratum(d.strata)
    measure = measure_of(d)
    codes = area_units(view, "municipality", (level, code))
    units = tuple(("municipality", c) for c in codes)
    cells = {
        c.unit_code: c
        for c in view.cells(
            snap.cells(d.id, units=(*units, (level, code)), periods=(period,), strata=(stratum,))
        )
        if c.level == "municipality"
    }
    own = next(
        iter(
            view.cells(
                snap.cells(d.id, units=((level, code),), periods=(period,), strata=(stratum,))
            )
        ),
        None,
    )
    verdicts = {}
    period_type = spc_view.card_period_type(snap, d)
    if period_type is not None:
        assert view.access is not None
        rows = view.access.apply(
            snap.cells(d.id, units=units, period_type=period_type, strata=(stratum,))
        )
        verdicts = {key[2]: s for key, s in spc_view.summaries(rows, snap, lang=view.lang).items()}
    on = snap.structure_date("cluster")
    rows_out = []
    for c in codes:
        cell = cells.get(c)
        clusters = org.clusters_of(c, on)
        group = (
            view.unit("cluster", clusters[0].slug)
            if clusters and snap.unit_name("cluster", clusters[0].slug)
            else None
        )
        rows_out.append(
            MemberRowRead(
                unit=view.unit("municipality", c),
                group=group,
                cell=cell,
                versus=comparison.versus(cell, own, measure),  # type: ignore[arg-type]
                spc=verdicts.get(c),
            )
        )

    def value_key(r: MemberRowRead) -> tuple:
        v = getattr(r.cell, measure) if r.cell is not None else None
        # Units without a value (hidden) last, whichever the direction.
        return (v is None, -(v or 0.0) if descending else (v or 0.0))

    def verdict_key(r: MemberRowRead) -> tuple:
        rank = VERDICT_ORDER.index(r.spc.kind) if r.spc else len(VERDICT_ORDER)
        return (rank if not descending else -rank, name_key(r.unit.name))

    if sort == "value":
        rows_out.sort(key=value_key)
    elif sort == "verdict":
        rows_out.sort(key=verdict_key)
    else:
        rows_out.sort(key=lambda r: name_key(r.unit.name), reverse=descending)
    return MembersTableRead(
        indicator=view.indicator(d),
        measure=measure,  # type: ignore[arg-type]
        period=period,
        level="municipality",
        sort=sort,  # type: ignore[arg-type]
        descending=descending,
        rows=rows_out,
    )


def with_members(
    view: View,
    summary: UnitSummaryRead,
    indicator: str | None,
    sort: str = "name",
    descending: bool = False,
) -> UnitSummaryRead:
    """A unit's summary with, for a region or the country, the groups inside it and the
    table of its municipalities."""
    level, code = summary.unit.level, summary.unit.code
    if view.snapshot is None or level not in BROAD or summary.message:
        return summary
    return summary.model_copy(
        update={
            "groups": groups_inside(view, level, code),
            "table": members_table(view, level, code, indicator, sort, descending),
            "table_choices": indicator_choices(view),
        }
    )
