"""The warehouse: the data contract, validated and pseudonymised ingest into DuckDB."""

from tvaers.domains import CliEntry, Domain

DOMAIN = Domain(
    name="warehouse",
    title_da="Lageret",
    title_en="The warehouse",
    cli=(
        CliEntry(
            "ingest",
            "tvaers.warehouse.cli:ingest_command",
            group=False,
        ),
        CliEntry(
            "db",
            "tvaers.warehouse.cli:db_app",
            "Lageret: hvad det indeholder.",
            "The warehouse: what it holds.",
        ),
        CliEntry(
            "keys",
            "tvaers.warehouse.cli:keys_app",
            "Pseudonymiseringsnøglen.",
            "The pseudonymisation key.",
        ),
    ),
)
