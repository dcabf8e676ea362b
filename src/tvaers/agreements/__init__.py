"""The health agreement as living data (agreement.md, improvement.md): agreements of any
kind with their parties, period and the governance decisions behind each status; visions,
focus areas, goals, initiatives with PDSA cycles and own measurements, and targets bound to
indicator series whose status is always computed from the published results
(``status.target_statuses``); and input rounds before an agreement is written.

Pages under ``/agreements``; the command ``tvaers agreement import|list|status|export``.
"""

from tvaers.domains import CliEntry, Domain, NavEntry
from tvaers.roles import EVERYONE

DOMAIN = Domain(
    name="agreements",
    title_da="Sundhedsaftaler",
    title_en="Health agreements",
    routers=(
        "tvaers.agreements.pages:router",
        "tvaers.agreements.target_pages:router",
        "tvaers.agreements.initiative_pages:router",
        "tvaers.agreements.round_pages:router",
    ),
    nav=(NavEntry("/agreements", "Aftaler", "Agreements", EVERYONE, prefix=True, order=35),),
    cli=(
        CliEntry(
            "agreement",
            "tvaers.agreements.cli:app",
            "Sundhedsaftaler: indlæs, vis og følg målene.",
            "Health agreements: load, list and follow the targets.",
        ),
    ),
    migrations="migrations",
    templates="templates",
    models="tvaers.agreements.models",
)
