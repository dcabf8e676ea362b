"""Data packs for meetings (docs/data-packs.md): a generated PDF (or HTML) for any unit and
year, from the published results with disclosure control, with definitions and
provenance. `tvaers report pack|packs` on the command line; a download on every unit page,
kept with who made it and when (``models``), listed on /reports/packs.
"""

from tvaers.domains import CliEntry, Domain, NavEntry
from tvaers.roles import EVERYONE

DOMAIN = Domain(
    name="reports",
    title_da="Datapakker",
    title_en="Data packs",
    routers=("tvaers.reports.pages:router",),
    nav=(NavEntry("/reports/packs", "Datapakker", "Data packs", EVERYONE, prefix=True, order=45),),
    cli=(
        CliEntry(
            "report",
            "tvaers.reports.cli:report_app",
            "Datapakker til møderne (PDF eller HTML).",
            "Data packs for meetings (PDF or HTML).",
        ),
    ),
    migrations="migrations",
    templates="templates",
    models="tvaers.reports.models",
)
