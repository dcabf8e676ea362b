"""The task-transfer registry: cases by the Syddanish model for agreed and planned task
transfer (spec: task-transfer.md, seeds 002 and 004).

A case names what moves, between which parties, for which units, which forum decides, and
its assessment in seven dimensions; the workflow (workflow.py, a state table) refuses to
send a case to consultation with an undescribed dimension, or to decide it before every
other cluster (or sundhedsråd) of the region is recorded as informed, and records the
decision in the governance decision log. ``tvaers transfers estimate`` brings the volumes of
the task from the warehouse (estimate.py). The web section lives under ``/transfers``.

For other packages: ``service.cases_for_unit(session, unit)`` lists the cases that cover a
unit.
"""

from tvaers.domains import CliEntry, Domain, NavEntry
from tvaers.roles import EVERYONE

DOMAIN = Domain(
    name="transfers",
    title_da="Opgaveoverdragelse",
    title_en="Task transfer",
    routers=("tvaers.transfers.pages:router", "tvaers.transfers.case_forms:router"),
    nav=(
        NavEntry(
            "/transfers", "Opgaveoverdragelse", "Task transfer", EVERYONE, prefix=True, order=33
        ),
    ),
    cli=(
        CliEntry(
            "transfers",
            "tvaers.transfers.cli:app",
            "Opgaveoverdragelse: volumener fra data.",
            "Task transfer: volumes from the data.",
        ),
    ),
    migrations="migrations",
    templates="templates",
    models="tvaers.transfers.models",
)
