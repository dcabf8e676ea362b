"""The dashboards: the overview, every indicator, units, downloads and the suppressed cells,
all read from the published result set with disclosure control per user."""

from tvaers.domains import Domain, NavEntry
from tvaers.roles import EVERYONE, SEES_UNSUPPRESSED

DOMAIN = Domain(
    name="dashboards",
    title_da="Overblik",
    title_en="Dashboards",
    routers=(
        "tvaers.dashboards.pages.overview:router",
        "tvaers.dashboards.pages.indicators:router",
        "tvaers.dashboards.pages.units:router",
        "tvaers.dashboards.pages.downloads:router",
        "tvaers.dashboards.pages.help:router",
    ),
    templates="templates",
    nav=(
        NavEntry("/", "Oversigt", "Overview", EVERYONE, order=10, on_overview=False),
        NavEntry("/indicators", "Indikatorer", "Indicators", EVERYONE, prefix=True, order=20),
        NavEntry("/suppressed", "Skjulte celler", "Suppressed cells", SEES_UNSUPPRESSED, order=40),
    ),
)
