"""The data pack's sections on the health agreement (data-packs.md, item 5): the targets for
the unit with their status and assurance, and the initiatives that involve the unit.

Targets are read through ``status.target_statuses`` with the pack's ``Access``, so a value
is the one the reader may see: a hidden latest value is printed "—", never 0. The words
for variation, assurance and an initiative's status are the agreement pages' own
(agreements/terms.py). The providers are named in tvaers.reports.providers.PROVIDERS.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tvaers.agreements.models import Agreement, Initiative, Item, PdsaCycle, Target
from tvaers.agreements.status import TargetStatus, target_statuses
from tvaers.agreements.terms import ASSURANCES, INITIATIVE_STATUSES, VARIATIONS
from tvaers.formatting import integer, local_date, number
from tvaers.governance.registry import forum
from tvaers.reports.cells import HIDDEN
from tvaers.reports.providers import Section, SectionRequest, Table
from tvaers.web.labels import decimals_for, stratum_names
from tvaers.web.results_store import Snapshot, parents
from tvaers.web.scope import InvalidScope, parse_scope, unit_name

Tr = Callable[[str, str], str]
EXAMPLE_NOTE = (
    "Eksempel: aftalen er et eksempel, ikke en rigtig aftale.",
    "Example: the agreement is an example, not a real one.",
)


def targets_section(request: SectionRequest) -> Section | None:
    """The targets of every agreement about the unit (its own targets and its rows of a
    level target), one table per agreement; None without any."""
    if request.sessions is None or request.snapshot is None:
        return None
    tr, lang, snap = request.tr, request.lang, request.snapshot
    with request.sessions() as session:
        rows = target_statuses(
            session, snap, unit=f"{request.level}:{request.code}", access=request.access
        )
        if not rows:
            return None
        tables = []
        for agreement_id, group in groupby(rows, key=lambda r: r.agreement):
            a = session.get(Agreement, agreement_id)
            name = a.name if a is not None else agreement_id
            note = f" {tr(*EXAMPLE_NOTE)}" if a is not None and a.example else ""
            tables.append(
                Table(
                    name + note,
                    (
                        tr("Mål", "Target"),
                        tr("Indikator", "Indicator"),
                        tr("Seneste periode", "Latest period"),
                        tr("Seneste værdi", "Latest value"),
                        tr("Målværdi", "Target value"),
                        tr("Variation", "Variation"),
                        tr("Målvurdering", "Target assurance"),
                    ),
                    tuple(_target_row(session, snap, s, lang, tr) for s in group),
                    (False, False, False, True, True, False, False),
                )
            )
    return Section(
        tr("Sundhedsaftalens mål", "The health agreement's targets"),
        tr(
            "Status for hvert mål om enheden, altid beregnet fra de offentliggjorte "
            "resultater: seneste værdi, målværdi og frist, variationen i seriediagrammet og "
            "målvurderingen. En skjult værdi (diskretionering) står som —.",
            "The status of every target about the unit, always computed from the published "
            "results: latest value, target value and deadline, the variation in the control "
            "chart and the target assurance. A hidden value (disclosure control) shows as —.",
        ),
        tuple(tables),
    )


def _target_row(
    session: Session, snap: Snapshot, s: TargetStatus, lang: str, tr: Tr
) -> tuple[str, ...]:
    d = snap.definitions.get(s.indicator)
    digits = decimals_for(d.factor) if d is not None else 1
    indicator = d.name(lang) if d is not None else s.indicator
    if s.stratum:
        indicator += f" – {stratum_names(snap).name(s.indicator, s.stratum, tr)}"
    if s.standardised:
        indicator += tr(" (standardiseret)", " (standardised)")
    row = session.get(Target, (s.agreement, s.target))
    goal = session.get(Item, (s.agreement, row.goal_key)) if row is not None else None
    goal_text = None
    if goal is not None:
        goal_text = (goal.text_en or goal.text) if lang == "en" else goal.text
    label = f"{goal_text} ({s.target})" if goal_text else s.target
    if s.suppressed:
        latest = HIDDEN
    elif s.latest_value is None:
        latest = ""
    else:
        latest = number(s.latest_value, lang, digits)
    variation = (
        tr(*VARIATIONS[s.variation])
        if s.variation
        else tr("ingen synlige værdier", "no visible values")
    )
    return (
        label,
        indicator,
        s.latest_period or "",
        latest,
        tr(
            f"{number(s.target_value, lang, digits)} inden {s.by}",
            f"{number(s.target_value, lang, digits)} by {s.by}",
        ),
        variation,
        tr(*ASSURANCES[s.assurance]),
    )


def _owner_unit(session: Session, ref: str) -> tuple[str, str] | None:
    """The unit an owner stands for: the unit itself, or a forum's unit."""
    if ":" in ref:
        try:
            unit = parse_scope(ref)
        except InvalidScope:
            return None
        return unit.level, unit.code
    found = forum(session, ref)
    return (found.unit_level, found.unit_code) if found else None


def _owner_name(session: Session, ref: str) -> str:
    if ":" not in ref:
        found = forum(session, ref)
        return found.name if found else ref
    try:
        return unit_name(parse_scope(ref))
    except (InvalidScope, ValueError):
        return ref


def involves(session: Session, i: Initiative, unit: tuple[str, str], on: date) -> bool:
    """The initiative's owner is the unit or a unit containing it (a forum by its unit), or
    one of its series is on the unit."""
    owner = _owner_unit(session, i.owner)
    if owner is not None and (owner == unit or owner in parents(*unit, on)):
        return True
    mine = f"{unit[0]}:{unit[1]}"
    return any(_same_unit(s.get("unit", ""), mine) for s in i.series)


def _same_unit(ref: str, mine: str) -> bool:
    try:
        found = parse_scope(ref)
    except InvalidScope:
        return ref == mine
    return f"{found.level}:{found.code}" == mine


def initiatives_section(request: SectionRequest) -> Section | None:
    """The initiatives that involve the unit, in the agreements' order; None without any."""
    if request.sessions is None:
        return None
    tr, lang = request.tr, request.lang
    unit = (request.level, request.code)
    on = request.on or date.today()
    with request.sessions() as session:
        found = [
            i
            for i in session.scalars(
                select(Initiative).order_by(Initiative.agreement_id, Initiative.position)
            )
            if involves(session, i, unit, on)
        ]
        if not found:
            return None
        counted = session.execute(
            select(PdsaCycle.agreement_id, PdsaCycle.initiative_key, func.count()).group_by(
                PdsaCycle.agreement_id, PdsaCycle.initiative_key
            )
        )
        cycles = {(a, k): n for a, k, n in counted}
        examples = set(session.scalars(select(Agreement.id).where(Agreement.example.is_(True))))
        rows = tuple(
            (
                ((i.name_en or i.name) if lang == "en" else i.name)
                + (tr(" (eksempel)", " (example)") if i.agreement_id in examples else ""),
                _owner_name(session, i.owner),
                local_date(i.go_live, lang) if i.go_live else "",
                tr(*INITIATIVE_STATUSES[i.status]),
                integer(cycles.get((i.agreement_id, i.key), 0), lang),
            )
            for i in found
        )
    return Section(
        tr("Indsatser", "Initiatives"),
        tr(
            "Indsatser, som enheden ejer, som ejes af en klynge, et forum eller en region, "
            "enheden hører til, eller som følger en serie for enheden.",
            "Initiatives the unit owns, owned by a cluster, forum or region the unit belongs "
            "to, or following a series of the unit.",
        ),
        (
            Table(
                tr("Indsatser", "Initiatives"),
                (
                    tr("Indsats", "Initiative"),
                    tr("Ejer", "Owner"),
                    tr("Idriftsat", "Go-live"),
                    tr("Status", "Status"),
                    tr("PDSA-cyklusser", "PDSA cycles"),
                ),
                rows,
                (False, False, False, False, True),
            ),
        ),
    )
