"""The case workflow as data: which step leads from which state to which, and the guards that
must hold first (spec: task-transfer.md, "Workflow").

``TRANSITIONS`` is the whole state table — read it to know what a case can do. A guard is a
function of the case's facts returning what is missing (empty: the step may be taken), in
Danish and English, so a refused step says exactly what to do. The service (service.py)
gathers the facts from the registry and writes the step; nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from tvaers.transfers.terms import DIMENSIONS, NEEDS_REASON, STATES

Tr = Callable[[str, str], str]

# States a case can still be withdrawn from (every state but the two final ones).
OPEN_STATES = ("draft", "assessment", "consultation", "decision", "implementation", "evaluation")
FINAL_STATES = ("closed", "withdrawn")


@dataclass(frozen=True)
class Facts:
    """What the guards look at: one case as the registry holds it when a step is asked."""

    state: str
    sections: dict[str, tuple[str, str]]  # dimension -> (state, reason)
    # Units of the region that must be told (level, code) and those recorded as informed.
    to_inform: tuple[tuple[str, str], ...] = ()
    informed: tuple[tuple[str, str], ...] = ()
    outcome: str | None = None  # approved / rejected, asked with the decision step
    forum_id: str | None = None
    decided_on: date | None = None
    go_live: date | None = None
    series: int = 0  # linked indicator series
    confirmed_by: str | None = None  # who confirmed the evaluation
    today: date = field(default_factory=date.today)


Guard = Callable[[Facts, Tr], list[str]]


def _every_dimension_settled(f: Facts, tr: Tr) -> list[str]:
    """To consultation: every dimension described or not relevant, or open with a reason."""
    missing = []
    for dim, (da, en) in DIMENSIONS.items():
        state, reason = f.sections.get(dim, ("undescribed", ""))
        if state == "undescribed":
            missing.append(tr(f"{da} er ikke beskrevet", f"{en} is not described"))
        elif state in NEEDS_REASON and not reason.strip():
            missing.append(
                tr(f"{da} er {state} uden en begrundelse", f"{en} is {state} without a reason")
            )
    return missing


def _everyone_informed(f: Facts, tr: Tr) -> list[str]:
    """To decision: every other cluster (or sundhedsråd) of the region informed."""
    left = [f"{level}:{code}" for level, code in f.to_inform if (level, code) not in f.informed]
    if not left:
        return []
    return [
        tr(
            f"ikke registreret som orienteret: {', '.join(left)}",
            f"not recorded as informed: {', '.join(left)}",
        )
    ]


def _decision_given(f: Facts, tr: Tr) -> list[str]:
    missing = []
    if f.outcome not in ("approved", "rejected"):
        missing.append(tr("beslutningen (godkendt/afvist) mangler", "the outcome is missing"))
    if not f.forum_id:
        missing.append(tr("det besluttende forum mangler", "the deciding forum is missing"))
    if f.decided_on is None:
        missing.append(tr("beslutningsdatoen mangler", "the decision date is missing"))
    elif f.decided_on > f.today:
        missing.append(
            tr("beslutningsdatoen ligger i fremtiden", "the decision date lies in the future")
        )
    return missing


def _approved(f: Facts, tr: Tr) -> list[str]:
    if f.outcome != "approved":
        return [
            tr(
                "kun en godkendt sag kan implementeres (sagen blev afvist)",
                "only an approved case can be implemented (the case was rejected)",
            )
        ]
    return []


def _live_with_series(f: Facts, tr: Tr) -> list[str]:
    missing = []
    if f.go_live is None:
        missing.append(tr("idriftsættelsesdatoen mangler", "the go-live date is missing"))
    elif f.go_live > f.today:
        missing.append(
            tr("idriftsættelsesdatoen er ikke nået", "the go-live date has not been reached")
        )
    if f.series == 0:
        missing.append(
            tr("ingen indikatorserie er knyttet til sagen", "no indicator series is linked")
        )
    return missing


def _evaluation_confirmed(f: Facts, tr: Tr) -> list[str]:
    if not f.confirmed_by:
        return [
            tr(
                "evalueringen (før/efter på de knyttede serier) er ikke bekræftet",
                "the evaluation (before/after on the linked series) is not confirmed",
            )
        ]
    return []


def _was_rejected(f: Facts, tr: Tr) -> list[str]:
    if f.outcome != "rejected":
        return [
            tr(
                "en godkendt sag afsluttes efter evalueringen",
                "an approved case is closed after its evaluation",
            )
        ]
    return []


@dataclass(frozen=True)
class Transition:
    step: str  # the name a form posts
    source: str
    target: str
    guards: tuple[Guard, ...]
    label: tuple[str, str]


# The state table. Read top to bottom, it is the life of a case.
TRANSITIONS: tuple[Transition, ...] = (
    Transition("assess", "draft", "assessment", (), ("Start vurderingen", "Start the assessment")),
    Transition(
        "consult",
        "assessment",
        "consultation",
        (_every_dimension_settled,),
        ("Send i høring", "Send to consultation"),
    ),
    Transition(
        "reassess",
        "consultation",
        "assessment",
        (),
        ("Tilbage til vurdering", "Back to assessment"),
    ),
    Transition(
        "decide",
        "consultation",
        "decision",
        (_every_dimension_settled, _everyone_informed, _decision_given),
        ("Registrér beslutningen", "Record the decision"),
    ),
    Transition(
        "implement",
        "decision",
        "implementation",
        (_approved,),
        ("Start implementeringen", "Start the implementation"),
    ),
    Transition(
        "close_rejected",
        "decision",
        "closed",
        (_was_rejected,),
        ("Afslut (afvist)", "Close (rejected)"),
    ),
    Transition(
        "evaluate",
        "implementation",
        "evaluation",
        (_live_with_series,),
        ("Start evalueringen", "Start the evaluation"),
    ),
    Transition(
        "close",
        "evaluation",
        "closed",
        (_evaluation_confirmed,),
        ("Afslut sagen", "Close the case"),
    ),
    *(
        Transition("withdraw", state, "withdrawn", (), ("Træk sagen tilbage", "Withdraw the case"))
        for state in OPEN_STATES
    ),
)

STEPS: tuple[str, ...] = tuple(dict.fromkeys(t.step for t in TRANSITIONS))


class Refused(Exception):
    """The step cannot be taken; ``reasons`` say what is missing (in the asker's language)."""

    def __init__(self, step: str, reasons: list[str]) -> None:
        self.step, self.reasons = step, reasons
        super().__init__("; ".join(reasons))


def transition(state: str, step: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == state and t.step == step), None)


def available(state: str) -> list[Transition]:
    """The steps the state table allows from ``state`` (guards not yet checked)."""
    return [t for t in TRANSITIONS if t.source == state]


def check(facts: Facts, step: str, tr: Tr) -> Transition:
    """The transition of ``step`` from the case's state if the table has it and every guard
    holds; Refused with every missing thing otherwise."""
    found = transition(facts.state, step)
    if found is None:
        da, en = STATES.get(facts.state, (facts.state, facts.state))
        allowed = ", ".join(t.step for t in available(facts.state)) or "–"
        raise Refused(
            step,
            [
                tr(
                    f"trinnet {step!r} findes ikke fra tilstanden {da} (mulige: {allowed})",
                    f"the step {step!r} does not exist from the state {en} (possible: {allowed})",
                )
            ],
        )
    missing = [reason for guard in found.guards for reason in guard(facts, tr)]
    if missing:
        raise Refused(step, missing)
    return found


def open_conditions(sections: dict[str, tuple[str, str]]) -> list[str]:
    """The dimensions left open (with a reason): the case is decided with open conditions."""
    return [dim for dim in DIMENSIONS if sections.get(dim, ("undescribed", ""))[0] == "open"]
