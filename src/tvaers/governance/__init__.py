"""The governance registry: who sits where, by which rule, on which date (governance.md).

Fora, people with their public offices, seats, meetings and the decision log live in the
application database (``models``), written through ``tvaers.web.records`` so every change
keeps its history. The collaboration's own rules are data (``rules/*.yaml``) that
``rules.check`` evaluates on any date. ``tvaers org import|check|fora|seats`` join the
reference domain's ``tvaers org`` group (``CliEntry.extends``), which keeps its own
commands as they are; the web section lives under ``/organisation/fora``.
"""

from tvaers.domains import CliEntry, Domain, NavEntry
from tvaers.roles import EVERYONE

DOMAIN = Domain(
    name="governance",
    title_da="Fora og sæder",
    title_en="Fora and seats",
    routers=("tvaers.governance.pages:router",),
    nav=(NavEntry("/organisation/fora", "Fora", "Fora", EVERYONE, prefix=True, order=31),),
    # Not a group of its own: the commands join `tvaers org` of the reference domain.
    cli=(
        CliEntry(
            "org",
            "tvaers.governance.cli:app",
            "Fora, sæder og regler i `tvaers org`.",
            "Fora, seats and rules in `tvaers org`.",
            extends="org",
        ),
    ),
    migrations="migrations",
    templates="templates",
    models="tvaers.governance.models",
    people="tvaers.governance.access",
    memberships="tvaers.governance.memberships",
)
