"""Users: local accounts, their roles and scopes, login and logout."""

from tvaers.domains import CliEntry, Domain

DOMAIN = Domain(
    name="users",
    title_da="Brugere",
    title_en="Users",
    routers=("tvaers.web.routes.auth:router",),
    cli=(
        CliEntry(
            "users",
            "tvaers.web.cli:users_app",
            "Brugere af webapplikationen.",
            "Users of the web application.",
        ),
    ),
)
