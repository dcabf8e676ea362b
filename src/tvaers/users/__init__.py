"""Users: local accounts, their roles and scopes, and the history of every change to them
(`tvaers users`). Logging in and out is the web application's (tvaers.web.login)."""

from tvaers.domains import CliEntry, Domain

DOMAIN = Domain(
    name="users",
    title_da="Brugere",
    title_en="Users",
    cli=(
        CliEntry(
            "users",
            "tvaers.users.cli:users_app",
            "Brugere af webapplikationen.",
            "Users of the web application.",
        ),
    ),
)
