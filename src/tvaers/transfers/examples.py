"""Two example cases from the 2027 task moves in a Syddanmark cluster (seeds 002 and 004;
the 2026 horizontal agreements whose economy field read "udfyldes senere"), marked as
examples: akutfunktion, decided, and midlertidige pladser, still in consultation with open
conditions. Loaded by the demo after the region's fora (demo.demo_registry).

Written through the same functions as the secretariat's forms, so the examples take the
workflow's guards like any case — and show the history and the decision timeline they make.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.transfers import editing, service
from tvaers.transfers.models import Case
from tvaers.transfers.schemas import CaseCreate, InformedCreate, SectionUpdate, StepPost
from tvaers.web.scope import Principal, UnitRef

FORUM = "klynge-sydvestjylland"
CLUSTER = "cluster:syddanmark-sydvestjylland"
MUNICIPALITIES = ["530", "561", "563", "573", "575"]
SSU = "ssu-syd"
# The demo's own actor: an administrator for the whole country (only the demo uses it).
ACTOR = Principal(0, "demo-eksempel", "Demo-eksempel", "admin", (UnitRef("country", "DK"),))

_COMMON = {
    "from_sector": "region",
    "from_unit": "region:1083",
    "to_sector": "municipality",
    "to_unit": CLUSTER,
    "covered_units": "\n".join(f"municipality:{m}" for m in MUNICIPALITIES),
    "agreement_refs": "Sundhedsaftale 2024–2027: Sammen om ældre og borgere med kronisk sygdom\n"
    "Horisontal aftale 2027 (opgaveflytning fra region til kommuner)",
    "decision_year": 2026,
    "forum": FORUM,
}

AKUT = {
    "title": "Akutfunktion (akutsygepleje) i Sundhedsklynge Sydvestjylland 2027",
    "kind": "horizontal_agreement",
    "description": "Fra 2027 varetager klyngens kommuner akutsygeplejen efter horisontal aftale "
    "med Region Syddanmark.",
    "target_group": "Borgere over 65 år med akut opstået eller forværret sygdom",
    "series": (
        f"preventable_admissions_65plus {CLUSTER}\nrepeated_acute_admissions_65plus {CLUSTER}"
    ),
    "service": "acute_nursing",
    "go_live": "2027-01-01",
    "documents": "Den syddanske model for opgaveoverdragelse | /organisation/fora?forum=ssu-syd",
}
PLADSER = {
    "title": "Midlertidige pladser i Sundhedsklynge Sydvestjylland 2027",
    "kind": "horizontal_agreement",
    "description": "De fleste midlertidige pladser flytter til kommunerne i 2027.",
    "target_group": "Borgere, der udskrives og ikke kan komme direkte hjem",
    "series": f"ready_for_discharge_days_per_1000 {CLUSTER}",
    "service": "temporary_bed",
}

# dimension -> (state, text, reason, figures)
AKUT_SECTIONS = {
    "economy": (
        "described",
        "Drift finansieres af kommunerne; regionen overfører budgettet.",
        "",
        "Årlig drift; 14.500.000; kr.\nEngangsudgift (uddannelse); 1.200.000; kr.",
    ),
    "competences": (
        "described",
        "Akutsygeplejersker med kompetencekort; fælles oplæring.",
        "",
        "Akutsygeplejersker; 22; årsværk",
    ),
    "quality": ("described", "Fælles instruks; følges på forebyggelige indlæggelser.", "", ""),
    "capacity": ("described", "Døgndækning i alle fem kommuner; se volumener.", "", ""),
    "responsibility": (
        "described",
        "Behandlingsansvaret ligger hos den ordinerende læge; "
        "plejeansvaret hos kommunen fra første besøg.",
        "",
        "",
    ),
    "data_documentation": (
        "described",
        "Besøg registreres i omsorgsjournalen og deles via "
        "FMK og korrespondance fra 1. januar 2027.",
        "",
        "",
    ),
    "other_clusters": ("not_relevant", "", "Klyngen overtager kun egne borgere.", ""),
}
PLADSER_SECTIONS = {
    "economy": ("open", "", "Økonomifeltet i den horisontale aftale »udfyldes senere«.", ""),
    "competences": ("described", "Sygeplejersker og terapeuter på pladserne.", "", ""),
    "quality": ("described", "Fælles kvalitetsstandard for midlertidige pladser.", "", ""),
    "capacity": (
        "described",
        "Pladsbehovet følger udskrivningsparate dage; se volumener.",
        "",
        "Pladser i dag; 64; pladser",
    ),
    "responsibility": ("described", "Ansvaret går over ved indflytning på pladsen.", "", ""),
    "data_documentation": ("open", "", "Datakravene fastsættes senere.", ""),
    "other_clusters": ("described", "Borgere fra andre klynger på klyngens pladser.", "", ""),
}


def _case(session: Session, fields: dict, sections: dict) -> Case:
    data = CaseCreate(**_COMMON, **fields)
    case = editing.create_case(session, ACTOR, data, {}, example=True)
    for dim, section in service.sections(session, case).items():
        state, text, reason, figures = sections[dim]
        update = SectionUpdate(
            state=state, text=text, reason=reason, figures=figures, version=section.version
        )
        editing.update_section(session, ACTOR, case.id, dim, update, {})
    return case


def _step(session: Session, case: Case, step: str, day: date, **extra) -> None:
    post = StepPost(step=step, version=case.version, **extra)
    editing.take_step(session, ACTOR, case.id, post, {}, today=day)


def _inform(session: Session, case: Case, units: list[str], day: date) -> None:
    for unit in units:
        editing.record_informed(
            session, ACTOR, case.id, InformedCreate(unit=unit, day=day, forum=SSU), {}
        )


def load(session: Session) -> list[Case]:
    """Add the two examples (once: a second run finds them by title)."""
    known = set(session.scalars(select(Case.title).where(Case.example.is_(True))))
    made = []
    if AKUT["title"] not in known:
        case = _case(session, AKUT, AKUT_SECTIONS)
        _step(session, case, "assess", date(2026, 3, 2))
        _step(session, case, "consult", date(2026, 4, 6))
        others = [
            "cluster:syddanmark-fyn",
            "cluster:syddanmark-lillebaelt",
            "cluster:syddanmark-sonderjylland",
        ]
        _inform(session, case, others, date(2026, 4, 20))
        text = "Klyngen godkender akutfunktionen efter horisontal aftale fra 1. januar 2027."
        _step(
            session,
            case,
            "decide",
            date(2026, 6, 15),
            outcome="approved",
            decided_on=date(2026, 6, 15),
            decision_text=text,
        )
        made.append(case)
    if PLADSER["title"] not in known:
        case = _case(session, PLADSER, PLADSER_SECTIONS)
        _step(session, case, "assess", date(2026, 4, 1))
        _step(session, case, "consult", date(2026, 9, 7))
        _inform(
            session,
            case,
            ["cluster:syddanmark-fyn", "cluster:syddanmark-lillebaelt"],
            date(2026, 9, 21),
        )
        made.append(case)
    return made
