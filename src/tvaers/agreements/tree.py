"""The agreement as its pages show it: visions, focus areas and goals as a tree, each goal
with its initiatives and targets, and each target's row with its status as computed from
the published results (status.py) in the reader's language."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.agreements import service
from tvaers.agreements.goals import national_goals
from tvaers.agreements.models import Agreement, Initiative, Item, PdsaCycle
from tvaers.agreements.models import Target as TargetRow
from tvaers.agreements.schemas import (
    FocusAreaRead,
    GoalRead,
    InitiativeRead,
    SeriesRead,
    TargetRead,
    TargetRowRead,
    VisionRead,
)
from tvaers.agreements.status import TargetStatus
from tvaers.agreements.terms import ASSURANCE_ICONS, ASSURANCES, INITIATIVE_STATUSES, VARIATIONS
from tvaers.web.forms import Tr


def _indicator_name(indicator: str, lang: str) -> str:
    names = service.indicator_names().get(indicator, (indicator, indicator))
    return names[1] if lang == "en" else names[0]


def row_read(s: TargetStatus, lang: str, tr: Tr) -> TargetRowRead:
    variation = (
        tr(*VARIATIONS[s.variation])
        if s.variation
        else tr("ingen synlige værdier", "no visible values")
    )
    return TargetRowRead(
        target=s.target,
        indicator=s.indicator,
        indicator_name=_indicator_name(s.indicator, lang),
        unit=s.unit,
        unit_name=s.unit_name,
        stratum=s.stratum,
        period_type=s.period_type,
        standardised=s.standardised,
        latest_period=s.latest_period,
        latest_value=s.latest_value,
        latest_ci_low=s.latest_ci[0],
        latest_ci_high=s.latest_ci[1],
        baseline_period=s.baseline_period,
        baseline_value=s.baseline_value,
        target_value=s.target_value,
        by=s.by,
        distance=s.distance,
        direction=s.direction,
        chart=s.chart,
        variation=s.variation,
        variation_text=variation,
        assurance=s.assurance,
        assurance_text=tr(*ASSURANCES[s.assurance]),
        icon=ASSURANCE_ICONS[s.assurance],
        suppressed=s.suppressed,
        footer=s.footer,
        href=service.target_href(s.agreement, s.target) + f"?unit={s.unit}",
    )


def target_read(t: TargetRow, rows: list[TargetRowRead], lang: str) -> TargetRead:
    return TargetRead(
        id=t.key,
        indicator=t.indicator,
        indicator_name=_indicator_name(t.indicator, lang),
        unit=t.unit,
        level=t.level,
        region=t.region,
        stratum=t.stratum,
        period_type=t.period_type,
        standardised=t.standardised,
        baseline=t.baseline,
        value=t.value,
        by=t.by,
        href=service.target_href(t.agreement_id, t.key),
        rows=[r for r in rows if r.target == t.key],
        version=t.version,
    )


def initiative_read(session: Session, i: Initiative, lang: str, tr: Tr) -> InitiativeRead:
    cycles = session.scalars(
        select(PdsaCycle.id).where(
            PdsaCycle.agreement_id == i.agreement_id, PdsaCycle.initiative_key == i.key
        )
    ).all()
    return InitiativeRead(
        id=i.key,
        name=(i.name_en or i.name) if lang == "en" else i.name,
        owner=i.owner,
        owner_name=service.owner_name(session, i.owner),
        aim=i.aim,
        go_live=i.go_live,
        status=i.status,
        status_label=tr(*INITIATIVE_STATUSES[i.status]),
        series=[SeriesRead(**{"expected": None, **s}) for s in i.series],
        pdsa_cycles=len(cycles),
        href=service.initiative_href(i.agreement_id, i.key),
        version=i.version,
    )


def tree(
    session: Session, a: Agreement, rows: list[TargetRowRead], lang: str, tr: Tr
) -> list[VisionRead]:
    """Visions → focus areas → goals, each goal with its initiatives and targets."""

    def text(i: Item) -> str:
        return (i.text_en or i.text) if lang == "en" else i.text

    items = list(
        session.scalars(select(Item).where(Item.agreement_id == a.id).order_by(Item.position))
    )
    initiatives = list(
        session.scalars(
            select(Initiative).where(Initiative.agreement_id == a.id).order_by(Initiative.position)
        )
    )
    targets = list(
        session.scalars(
            select(TargetRow).where(TargetRow.agreement_id == a.id).order_by(TargetRow.position)
        )
    )
    goals = national_goals()

    def goal(g: Item) -> GoalRead:
        national = goals.get(g.national_goal) if g.national_goal else None
        return GoalRead(
            id=g.key,
            text=text(g),
            national_goal=g.national_goal,
            national_goal_text=national.name(lang) if national else None,
            initiatives=[
                initiative_read(session, i, lang, tr) for i in initiatives if i.goal_key == g.key
            ],
            targets=[target_read(t, rows, lang) for t in targets if t.goal_key == g.key],
        )

    def under(kind: str, parent: str | None) -> list[Item]:
        return [i for i in items if i.kind == kind and i.parent_key == parent]

    return [
        VisionRead(
            id=v.key,
            text=text(v),
            focus_areas=[
                FocusAreaRead(id=f.key, name=text(f), goals=[goal(g) for g in under("goal", f.key)])
                for f in under("focus_area", v.key)
            ],
        )
        for v in under("vision", None)
    ]
