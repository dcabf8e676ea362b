"""What a case page and the case list show, built from the registry (service.py), the
workflow's state table and the volumes: the data of the pages and their JSON twins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from tvaers.governance import registry
from tvaers.transfers import service, workflow
from tvaers.transfers.models import Case
from tvaers.transfers.schemas import (
    CasePageRead,
    CaseRead,
    CaseSummary,
    DocumentLink,
    EvaluationRead,
    FigureRead,
    InformedRead,
    SectionRead,
    SeriesLink,
    StepChoice,
    TimelineEntry,
    UnitLabel,
    VolumesRead,
)
from tvaers.transfers.terms import (
    DIMENSION_HINTS,
    DIMENSIONS,
    KINDS,
    OUTCOMES,
    SECTION_STATES,
    STATES,
)
from tvaers.web import records
from tvaers.web.scope import InvalidScope, Principal, parse_scope, unit_name

Tr = Callable[[str, str], str]


def label(text: str) -> UnitLabel:
    try:
        return UnitLabel(unit=text, name=unit_name(parse_scope(text)))
    except (InvalidScope, ValueError):
        return UnitLabel(unit=text, name=text)


def summary(session: Session, case: Case, tr: Tr) -> CaseSummary:
    forum = registry.forum(session, case.forum_id)
    opened = {d: (s.state, s.reason) for d, s in service.sections(session, case).items()}
    return CaseSummary(
        id=case.id,
        title=case.title,
        kind=case.kind,
        kind_label=tr(*KINDS[case.kind]),
        state=case.state,
        state_label=tr(*STATES[case.state]),
        forum=case.forum_id,
        forum_name=forum.name if forum else case.forum_id,
        open_conditions=bool(workflow.open_conditions(opened)),
        example=case.example,
        href=service.case_href(case.id),
    )


def _series_href(s: dict) -> str:
    level, _, code = s["unit"].partition(":")
    stratum = f"&stratum={s['stratum']}" if s["stratum"] else ""
    return f"/indicators/{s['indicator']}?level={level}&unit={code}{stratum}"


def read_case(session: Session, case: Case, tr: Tr) -> CaseRead:
    opened = {d: (s.state, s.reason) for d, s in service.sections(session, case).items()}
    return CaseRead(
        **summary(session, case, tr).model_dump(),
        description=case.description,
        target_group=case.target_group,
        from_sector=case.from_sector,
        from_unit=label(case.from_unit),
        to_sector=case.to_sector,
        to_unit=label(case.to_unit),
        covered_units=[label(u) for u in case.covered_units],
        agreement_refs=list(case.agreement_refs),
        series=[SeriesLink(**s, href=_series_href(s)) for s in case.series],
        documents=[DocumentLink(**d) for d in case.documents],
        service=case.service,
        decision_year=case.decision_year,
        go_live=case.go_live,
        outcome=case.outcome,
        decided_on=case.decided_on,
        decision_id=case.decision_id,
        consultation_on=case.consultation_on,
        open_dimensions=workflow.open_conditions(opened),
        version=case.version,
    )


def _sections(session: Session, case: Case, tr: Tr) -> list[SectionRead]:
    found = service.sections(session, case)
    return [
        SectionRead(
            dimension=dim,
            label=tr(*DIMENSIONS[dim]),
            hint=tr(*DIMENSION_HINTS[dim]),
            state=found[dim].state,
            state_label=tr(*SECTION_STATES[found[dim].state]),
            reason=found[dim].reason,
            text=found[dim].text,
            figures=[FigureRead(**f) for f in found[dim].figures],
            version=found[dim].version,
        )
        for dim in DIMENSIONS
        if dim in found
    ]


def _informed(session: Session, case: Case) -> list[InformedRead]:
    done = {(i.unit_level, i.unit_code): i for i in service.informed(session, case)}
    out = []
    for level, code, name in service.required_informed(session, case):
        row = done.pop((level, code), None)
        out.append(
            InformedRead(
                unit=f"{level}:{code}",
                name=name,
                day=row.day if row else None,
                forum=row.forum_id if row else None,
            )
        )
    # Recorded before a change of the region's structure: still shown.
    out += [
        InformedRead(unit=f"{lv}:{code}", name=code, day=i.day, forum=i.forum_id)
        for (lv, code), i in done.items()
    ]
    return out


def _steps(session: Session, case: Case, tr: Tr, today: date) -> list[StepChoice]:
    facts = service.facts(session, case, today)
    choices = []
    for t in workflow.available(case.state):
        try:
            # The decision step's own answers (outcome, date) come with the form.
            probe = facts if t.step != "decide" else _with_decision(facts, case, today)
            workflow.check(probe, t.step, tr)
            missing: list[str] = []
        except workflow.Refused as exc:
            missing = exc.reasons
        choices.append(
            StepChoice(
                step=t.step, label=tr(*t.label), target=tr(*STATES[t.target]), missing=missing
            )
        )
    return choices


def _with_decision(facts: workflow.Facts, case: Case, today: date) -> workflow.Facts:
    from dataclasses import replace

    return replace(facts, outcome=facts.outcome or "approved", decided_on=facts.decided_on or today)


def timeline(session: Session, case: Case, tr: Tr) -> list[TimelineEntry]:
    """The decision timeline: the steps taken, who was informed, and the decision."""
    found = [
        TimelineEntry(
            day=s.day,
            what=f"{tr(*STATES[s.source])} → {tr(*STATES[s.target])}",
            actor=s.actor,
            note=s.note,
        )
        for s in service.steps(session, case)
    ]
    found += [
        TimelineEntry(
            day=i.day,
            what=tr(
                f"{label(f'{i.unit_level}:{i.unit_code}').name} orienteret",
                f"{label(f'{i.unit_level}:{i.unit_code}').name} informed",
            ),
            actor=None,
            note=tr(f"via {i.forum_id}", f"through {i.forum_id}"),
        )
        for i in service.informed(session, case)
    ]
    if case.decided_on and case.outcome:
        found.append(
            TimelineEntry(
                day=case.decided_on,
                what=tr(
                    f"Beslutning: {OUTCOMES[case.outcome][0]}",
                    f"Decision: {OUTCOMES[case.outcome][1]}",
                ),
                actor=None,
                note=tr(
                    f"i {case.forum_id}, beslutningslog nr. {case.decision_id}",
                    f"in {case.forum_id}, decision log no. {case.decision_id}",
                ),
            )
        )
    return sorted(found, key=lambda e: e.day)


def history(session: Session, case: Case) -> list[str]:
    entries = records.history(session, "transfers.case", case.id)
    for s in service.sections(session, case).values():
        entries += records.history(session, "transfers.section", s.id)
    for i in service.informed(session, case):
        entries += records.history(session, "transfers.informed", i.id)
    entries.sort(key=lambda e: e.id)
    return [records.describe(e) for e in entries]


def case_page(
    session: Session,
    user: Principal,
    case: Case,
    volumes: VolumesRead,
    evaluation: EvaluationRead,
    tr: Tr,
    today: date | None = None,
) -> CasePageRead:
    return CasePageRead(
        case=read_case(session, case, tr),
        sections=_sections(session, case, tr),
        informed=_informed(session, case),
        steps=_steps(session, case, tr, today or date.today()),
        timeline=timeline(session, case, tr),
        volumes=volumes,
        evaluation=evaluation,
        history=history(session, case),
        can_edit=service.may_edit(session, user, case),
        print_href=f"{service.case_href(case.id)}/print",
    )
