"""An agreement written back in its import format (agreement.md): `tvaers agreement export`
and the agreement page's YAML download. An export loads back (loading.py) to the same
agreement."""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.agreements.models import Agreement, Initiative, Item, StatusStep, Target
from tvaers.governance.models import Decision


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, [], "") or k in ("stratum",)}


def as_document(session: Session, agreement_id: str) -> dict[str, Any]:
    """The agreement in the import format (agreement.md), ready for YAML."""
    a = session.get(Agreement, agreement_id)
    if a is None:
        raise KeyError(agreement_id)
    items = list(
        session.scalars(
            select(Item).where(Item.agreement_id == a.id).order_by(Item.position, Item.key)
        )
    )
    initiatives = list(
        session.scalars(
            select(Initiative)
            .where(Initiative.agreement_id == a.id)
            .order_by(Initiative.position, Initiative.key)
        )
    )
    targets = list(
        session.scalars(
            select(Target).where(Target.agreement_id == a.id).order_by(Target.position, Target.key)
        )
    )
    decisions = []
    for step in session.scalars(
        select(StatusStep).where(StatusStep.agreement_id == a.id).order_by(StatusStep.id)
    ):
        d = session.get(Decision, step.decision_id) if step.decision_id else None
        if d is not None:
            decisions.append({"status": step.status, "forum": d.forum_id, "date": d.day})

    def children(kind: str, parent: str | None) -> list[Item]:
        return [i for i in items if i.kind == kind and i.parent_key == parent]

    def goal(g: Item) -> dict[str, Any]:
        return _drop_empty(
            {
                "id": g.key,
                "text": g.text,
                "text_en": g.text_en,
                "national_goal": g.national_goal,
                "initiatives": [
                    _drop_empty(
                        {
                            "id": i.key,
                            "name": i.name,
                            "name_en": i.name_en,
                            "owner": i.owner,
                            "aim": i.aim,
                            "go_live": i.go_live,
                            "status": i.status,
                            "series": [_drop_empty(s) for s in i.series],
                        }
                    )
                    for i in initiatives
                    if i.goal_key == g.key
                ],
                "targets": [
                    _drop_empty(
                        {
                            "id": t.key,
                            "indicator": t.indicator,
                            "unit": t.unit,
                            "level": t.level,
                            "region": t.region,
                            "stratum": t.stratum,
                            "period": t.period_type,
                            "standardised": t.standardised or None,
                            "baseline": t.baseline,
                            "value": t.value,
                            "by": t.by,
                        }
                    )
                    for t in targets
                    if t.goal_key == g.key
                ],
            }
        )

    return _drop_empty(
        {
            "id": a.id,
            "name": a.name,
            "kind": a.kind,
            "parties": list(a.parties),
            "valid_from": a.valid_from,
            "valid_to": a.valid_to,
            "status": a.status,
            "example": a.example or None,
            "decisions": decisions,
            "visions": [
                _drop_empty(
                    {
                        "id": v.key,
                        "text": v.text,
                        "text_en": v.text_en,
                        "focus_areas": [
                            _drop_empty(
                                {
                                    "id": f.key,
                                    "name": f.text,
                                    "name_en": f.text_en,
                                    "goals": [goal(g) for g in children("goal", f.key)],
                                }
                            )
                            for f in children("focus_area", v.key)
                        ],
                    }
                )
                for v in children("vision", None)
            ],
        }
    )


def export_yaml(session: Session, agreement_id: str) -> str:
    return yaml.safe_dump(
        as_document(session, agreement_id), allow_unicode=True, sort_keys=False, width=100
    )
