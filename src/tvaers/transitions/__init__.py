"""Transitions between hospital, municipality and general practice (transitions.md): the
transitions page per unit and the notified stays on the command line. The indicators and
building blocks themselves live in the catalogue (tvaers.indicators)."""

from tvaers.domains import CliEntry, Domain, NavEntry
from tvaers.roles import EVERYONE

DOMAIN = Domain(
    name="transitions",
    title_da="Overgange",
    title_en="Transitions",
    routers=("tvaers.transitions.pages:router",),
    templates="templates",
    nav=(NavEntry("/transitions", "Overgange", "Transitions", EVERYONE, prefix=True, order=25),),
    cli=(
        CliEntry(
            "transitions",
            "tvaers.transitions.cli:transitions_app",
            "Overgange: anmeldte indlæggelsesforløb fra MedCom-sygehusadviser.",
            "Transitions: notified stays from MedCom hospital notifications.",
        ),
    ),
)
