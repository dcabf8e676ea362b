"""The data pack's section on task-transfer cases (data-packs.md, item 5): every case that
concerns the unit (``service.cases_for_unit``, on the organisation the pack's figures are
laid out in), with its kind, state and deciding forum, and "besluttes med åbne
forudsætninger" with the open dimensions where the assessment leaves any open — as the
case pages say it. The provider is named in tvaers.reports.providers.PROVIDERS.
"""

from __future__ import annotations

from sqlalchemy import select

from tvaers.governance.registry import forum
from tvaers.reports.providers import Section, SectionRequest, Table
from tvaers.transfers.models import Section as AssessmentSection
from tvaers.transfers.service import cases_for_unit
from tvaers.transfers.terms import DIMENSIONS, KINDS, OPEN_CONDITIONS, STATES
from tvaers.web.scope import UnitRef


def section(request: SectionRequest) -> Section | None:
    """The unit's cases, or None when there are none."""
    if request.sessions is None:
        return None
    tr = request.tr
    with request.sessions() as session:
        cases = cases_for_unit(session, UnitRef(request.level, request.code), request.on)
        if not cases:
            return None
        opened: dict[int, list[str]] = {}
        query = select(AssessmentSection.case_id, AssessmentSection.dimension).where(
            AssessmentSection.case_id.in_([c.id for c in cases]),
            AssessmentSection.state == "open",
        )
        for case_id, dimension in session.execute(query):
            opened.setdefault(case_id, []).append(dimension)
        rows = []
        for case in cases:
            state = tr(*STATES.get(case.state, (case.state, case.state)))
            open_dims = [tr(*DIMENSIONS[d]) for d in DIMENSIONS if d in opened.get(case.id, ())]
            if open_dims:
                state += f"; {tr(*OPEN_CONDITIONS)} ({', '.join(open_dims)})"
            deciding = forum(session, case.forum_id)
            title = case.title + (tr(" (eksempel)", " (example)") if case.example else "")
            rows.append(
                (
                    title,
                    tr(*KINDS.get(case.kind, (case.kind, case.kind))),
                    state,
                    deciding.name if deciding is not None else case.forum_id,
                )
            )
    return Section(
        tr("Opgaveoverdragelser", "Task transfers"),
        tr(
            "Sager om opgaveoverdragelse, horisontale aftaler og forsøg, hvor enheden er part, "
            "er dækket eller deler kommuner med de dækkede enheder.",
            "Task-transfer cases, horizontal agreements and pilots in which the unit is a "
            "party, is covered or shares municipalities with the covered units.",
        ),
        (
            Table(
                tr("Sager", "Cases"),
                (
                    tr("Sag", "Case"),
                    tr("Art", "Kind"),
                    tr("Tilstand", "State"),
                    tr("Besluttende forum", "Deciding forum"),
                ),
                tuple(rows),
            ),
        ),
    )
