"""Loading an agreement file (`tvaers agreement import`); writing one back (`export`) is
in exporting.py.

Plain functions taking a SQLAlchemy session. The whole file is checked before anything is
written, and every write goes through ``tvaers.web.records`` (history, audit, versions);
the caller's session scope commits once at the end, so a load is all or nothing. Loading
the same file again changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.agreements import importfile
from tvaers.agreements.file_entries import TargetFields
from tvaers.agreements.importfile import AgreementFile, ImportInvalid, Known
from tvaers.agreements.models import (
    Agreement,
    Initiative,
    Item,
    Measurement,
    PdsaCycle,
    StatusStep,
    Target,
)
from tvaers.agreements.terms import DECISION_SUBJECT
from tvaers.governance.models import Decision, Forum
from tvaers.i18n import tr
from tvaers.indicators.catalogue import load as load_catalogue
from tvaers.web import records
from tvaers.web.records import Actor


@dataclass
class LoadSummary:
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, action: str) -> None:
        self.counts[f"{kind}.{action}"] += 1

    def text(self) -> str:
        if not self.counts:
            return tr(
                "Intet ændret: aftalen er allerede som filen.",
                "Nothing changed: the agreement already matches the file.",
            )
        return ", ".join(f"{k}: {v}" for k, v in sorted(self.counts.items()))


def known(session: Session, agreement_id: str | None = None) -> Known:
    """The catalogue, the fora and the decision log the file is checked against."""
    decisions: dict[tuple[str, date], list[int]] = {}
    for d in session.scalars(select(Decision).order_by(Decision.id)):
        found = decisions.setdefault((d.forum_id, d.day), [])
        # A decision recorded as about this agreement comes first.
        about = d.subject_kind == DECISION_SUBJECT and d.subject_ref == agreement_id
        found.insert(0, d.id) if about else found.append(d.id)
    fora = frozenset(session.scalars(select(Forum.id)))
    return Known(load_catalogue(), fora, decisions)


def read_checked(session: Session, path: str) -> AgreementFile:
    """The file, checked on its own and against the catalogue and the registries."""
    return importfile.read(path, known(session, _peek_id(path)), tr)


def _peek_id(path: str) -> str | None:
    if not Path(path).is_file():
        return None  # read() says what is wrong (and never opens a FIFO or a device)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # read() says what is wrong with the file
    return str(data.get("id")) if isinstance(data, dict) and data.get("id") else None


def _item(
    kind: str,
    parent: str | None,
    position: int,
    text: str,
    text_en: str | None,
    national_goal: str | None = None,
) -> dict[str, Any]:
    """A vision, focus area or goal as the items table keeps it."""
    return {
        "kind": kind,
        "parent_key": parent,
        "position": position,
        "text": text,
        "text_en": text_en,
        "national_goal": national_goal,
    }


def target_columns(t: TargetFields) -> dict[str, Any]:
    """A target's fields as the targets table keeps them (the file's and the form's)."""
    return {
        "indicator": t.indicator,
        "unit": t.unit,
        "level": t.level,
        "region": t.region,
        "stratum": t.stratum,
        "period_type": t.period,
        "standardised": t.standardised,
        "baseline": t.baseline,
        "value": t.value,
        "by": t.by,
    }


def _tree(file: AgreementFile) -> tuple[dict, dict, dict]:
    """The file's items, initiatives and targets as column values by key."""
    items: dict[str, dict[str, Any]] = {}
    initiatives: dict[str, dict[str, Any]] = {}
    targets: dict[str, dict[str, Any]] = {}
    for vi, v in enumerate(file.visions):
        items[v.id] = _item("vision", None, vi, v.text, v.text_en)
        for fi, f in enumerate(v.focus_areas):
            items[f.id] = _item("focus_area", v.id, fi, f.name, f.name_en)
            for gi, g in enumerate(f.goals):
                items[g.id] = _item("goal", f.id, gi, g.text, g.text_en, g.national_goal)
                for ii, i in enumerate(g.initiatives):
                    initiatives[i.id] = {
                        "goal_key": g.id,
                        "position": ii,
                        "name": i.name,
                        "name_en": i.name_en,
                        "owner": i.owner,
                        "aim": i.aim,
                        "go_live": i.go_live,
                        "status": i.status,
                        "series": [s.model_dump() for s in i.series],
                    }
                for ti, t in enumerate(g.targets):
                    targets[t.id] = {"goal_key": g.id, "position": ti, **target_columns(t)}
    return items, initiatives, targets


def load(session: Session, path: str, actor: Actor) -> LoadSummary:
    """Check the file, then make the agreement say what it says. Parts of the agreement
    the file no longer names are removed (the history keeps them), except an initiative
    with PDSA cycles or measurements: the file is then refused, since that work was
    entered on the pages and would be lost."""
    file = read_checked(session, path)
    summary = LoadSummary()
    items, initiatives, targets = _tree(file)
    stored = session.get(Agreement, file.id)
    values = {
        "name": file.name,
        "kind": file.kind,
        "parties": list(file.parties),
        "valid_from": file.valid_from,
        "valid_to": file.valid_to,
        "status": file.status,
        "example": file.example,
    }
    _refuse_lost_work(session, file.id, set(initiatives), path)
    if stored is None:
        records.create(session, Agreement(id=file.id, **values), actor)
        summary.add("agreement", "created")
        previous_status = None
    else:
        previous_status = stored.status
        version = stored.version
        records.update(session, stored, values, actor, expected_version=None)
        if stored.version != version:
            summary.add("agreement", "updated")
    _status_steps(session, file, previous_status, actor, summary)
    _sync(session, Item, file.id, items, actor, summary, "item")
    _sync(session, Initiative, file.id, initiatives, actor, summary, "initiative")
    _sync(session, Target, file.id, targets, actor, summary, "target")
    return summary


def _refuse_lost_work(session: Session, agreement_id: str, keep: set[str], path: str) -> None:
    used = set(
        session.scalars(
            select(PdsaCycle.initiative_key).where(PdsaCycle.agreement_id == agreement_id)
        )
    ) | set(
        session.scalars(
            select(Measurement.initiative_key).where(Measurement.agreement_id == agreement_id)
        )
    )
    lost = sorted(used - keep)
    if lost:
        raise ImportInvalid(
            path,
            [
                tr(
                    f"initiativet {key!r} mangler i filen, men har PDSA-cyklusser eller "
                    "målinger; behold det i filen",
                    f"the initiative {key!r} is missing from the file but has PDSA cycles "
                    "or measurements; keep it in the file",
                )
                for key in lost
            ],
        )


def _status_steps(
    session: Session,
    file: AgreementFile,
    previous: str | None,
    actor: Actor,
    summary: LoadSummary,
) -> None:
    """One step per decision the file names (once), and a step without a decision when the
    status changed and the file names none for it."""
    steps = list(session.scalars(select(StatusStep).where(StatusStep.agreement_id == file.id)))
    have = {(s.status, s.decision_id) for s in steps}
    decided = set()
    lookup = known(session, file.id).decisions
    for ref in file.decisions:
        decision_id = lookup[(ref.forum, ref.date)][0]
        decided.add(ref.status)
        if (ref.status, decision_id) not in have:
            step = StatusStep(
                agreement_id=file.id, status=ref.status, day=ref.date, decision_id=decision_id
            )
            records.create(session, step, actor)
            have.add((ref.status, decision_id))
            summary.add("status_step", "created")
    if file.status != previous and file.status not in decided:
        step = StatusStep(
            agreement_id=file.id, status=file.status, day=date.today(), decision_id=None
        )
        records.create(session, step, actor)
        summary.add("status_step", "created")


def _sync(
    session: Session,
    model: Any,
    agreement_id: str,
    desired: dict[str, dict[str, Any]],
    actor: Actor,
    summary: LoadSummary,
    kind: str,
) -> None:
    stored = {
        r.key: r for r in session.scalars(select(model).where(model.agreement_id == agreement_id))
    }
    for key, values in desired.items():
        record = stored.get(key)
        if record is None:
            records.create(session, model(agreement_id=agreement_id, key=key, **values), actor)
            summary.add(kind, "created")
            continue
        if model is Initiative and record.go_live != values["go_live"]:
            # A confirmed part boundary was the old go-live date: it must be confirmed anew.
            values = {**values, "boundary_confirmed_by": None, "boundary_confirmed_at": None}
        version = record.version
        records.update(session, record, values, actor, expected_version=None)
        if record.version != version:
            summary.add(kind, "updated")
    for key, record in stored.items():
        if key not in desired:
            records.delete(session, record, actor, expected_version=None)
            summary.add(kind, "removed")
